package sstutest

import (
	"testing"

	"github.com/fz59/appeals/sstu"
)

// Valid validates the files at paths with the default sstu.Validator (sstu.Validator.Files:
// the zips as the parts of one report, each JSON file alone) and reports each error with
// t.Errorf and each warning with t.Logf, as "file: path: rule". It reports with t.Errorf a
// file it cannot open. It returns whether no error was found.
func Valid(t testing.TB, paths ...string) bool {
	t.Helper()
	problems, err := (&sstu.Validator{}).Files(paths...)
	if err != nil {
		t.Errorf("sstutest: %v", err)
		return false
	}
	for _, p := range problems {
		if p.Severity == sstu.Error {
			t.Errorf("sstu: %s", p)
		} else {
			t.Logf("sstu: %s", p)
		}
	}
	return !sstu.HasErrors(problems)
}
