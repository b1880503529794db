package workflow

import (
	"testing"

	"github.com/fz59/appeals/appeal"
)

// The word scanner and the applicant keys behind every save allocate as their doc comments
// say: words nothing, ApplicantKeys only the keys it returns (one string and one slice).
func TestApplicantKeysAllocations(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		ws := words{s: "ул. Садовая, д. 17, кв. 4 — ИВАНОВА Мария Петровна"}
		for _, ok := ws.next(); ok; _, ok = ws.next() {
		}
	}); n != 0 {
		t.Errorf("words allocates %v times a scan, want 0", n)
	}
	p := appeal.Applicant{Surname: "Иванова", GivenName: "Мария", Patronymic: "Петровна",
		Email: "m@example.ru", Phone: "+7 900 123-45-67", PostalAddress: "г. N, ул. Садовая, д. 17"}
	if n := testing.AllocsPerRun(100, func() { ApplicantKeys(p) }); n > 2 {
		t.Errorf("ApplicantKeys allocates %v times, want at most 2 (the keys' string and slice)", n)
	}
}
