package workflow_test

import (
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestApplicantKeys(t *testing.T) {
	tests := []struct {
		name string
		p    appeal.Applicant
		want []string
	}{
		{"full name and e-mail", appeal.Applicant{Surname: "Иванов", GivenName: "Иван", Patronymic: "Иванович", Email: "Ivanov@Example.org"},
			[]string{"иванов и и|email:ivanov@example.org"}},
		{"initials in the surname field", appeal.Applicant{Surname: "Иванов И.И.", Email: "ivanov@example.org"},
			[]string{"иванов и и|email:ivanov@example.org"}},
		{"case, ё and spacing", appeal.Applicant{Surname: "  СЁМИН ", GivenName: "пётр", Phone: "8 (900) 123-45-67"},
			[]string{"семин п|tel:79001234567"}},
		{"no patronymic", appeal.Applicant{Surname: "Ким", GivenName: "Анна", Phone: "+7 900 123 45 67"},
			[]string{"ким а|tel:79001234567"}},
		{"ten-digit mobile", appeal.Applicant{Surname: "Ким", GivenName: "Анна", Phone: "900-123-45-67"},
			[]string{"ким а|tel:79001234567"}},
		{"foreign number kept", appeal.Applicant{Surname: "Ким", GivenName: "Анна", Phone: "+8 10 555 0100"},
			[]string{"ким а|tel:8105550100"}},
		{"too short a phone is none", appeal.Applicant{Surname: "Ким", GivenName: "Анна", Phone: "12"},
			[]string{"ким а"}},
		{"postal address folded", appeal.Applicant{Surname: "Петров-Водкин", GivenName: "Кузьма",
			PostalAddress: "614000, Россия, город Пермь, улица Ленина, дом 5/2, квартира 7"},
			[]string{"петров-водкин к|addr:г пермь ул ленина д 5/2 кв 7"}},
		{"postal address abbreviated", appeal.Applicant{Surname: "Петров-Водкин", GivenName: "К.",
			PostalAddress: "г. Пермь,  ул. Ленина, д. 5/2, кв. 7"},
			[]string{"петров-водкин к|addr:г пермь ул ленина д 5/2 кв 7"}},
		{"every contact, in order", appeal.Applicant{Surname: "Иванов", GivenName: "Иван", Email: "i@example.org",
			Phone: "89001234567", PostalAddress: "г. Пермь"},
			[]string{"иванов и|email:i@example.org", "иванов и|tel:79001234567", "иванов и|addr:г пермь"}},
		{"organization", appeal.Applicant{Kind: appeal.Organization, OrganizationName: "ООО «Ромашка»", Email: "INFO@example.org"},
			[]string{"org:ооо ромашка|email:info@example.org"}},
		{"name only", appeal.Applicant{Surname: "Иванов"}, []string{"иванов"}},
		{"no name: the contacts alone", appeal.Applicant{Email: "Anon@example.org"}, []string{"|email:anon@example.org"}},
		{"nothing", appeal.Applicant{PostalAddress: " , "}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := workflow.ApplicantKeys(tt.p)
			assert.Equal(t, tt.want, got)
			if len(tt.want) > 0 {
				assert.Equal(t, tt.want[0], workflow.ApplicantKey(tt.p))
			} else {
				assert.Empty(t, workflow.ApplicantKey(tt.p))
			}
		})
	}
}

// Every signer of a collective appeal is indexed, each under all their keys, once.
func TestIndexApplicantsCollective(t *testing.T) {
	a := appeal.New([16]byte{1}, time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC), appeal.ChannelPost)
	a.Collective, a.Signers = true, 3
	a.Applicants = []appeal.Applicant{
		{Surname: "Иванов", GivenName: "Иван", Email: "i@example.org", Phone: "89001234567"},
		{Surname: "Петрова", GivenName: "Анна", PostalAddress: "г. Пермь"},
		{Surname: "ИВАНОВ", GivenName: "И.", Email: "I@example.org"},
	}
	ix := (&workflow.Record{Appeal: a}).Index()
	assert.Equal(t, []string{"иванов и|email:i@example.org", "иванов и|tel:79001234567", "петрова а|addr:г пермь"}, ix.Applicants)
}

// The engine keeps the keys on the record at receipt, and Index takes them from there rather
// than normalizing the applicants again on every write.
func TestIndexKeepsKeys(t *testing.T) {
	f := newFixture(t)
	rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: card()})
	require.NoError(t, err)
	require.Equal(t, workflow.ApplicantKeys(citizen()), rec.Keys)
	stored, err := f.eng.Get(f.ctx, auditor, rec.Appeal.ID)
	require.NoError(t, err)
	assert.Equal(t, rec.Keys, stored.Keys)
	assert.Equal(t, rec.Keys, stored.Index().Applicants)

	kept := stored.Clone()
	kept.Keys = []string{"kept"}
	assert.Equal(t, []string{"kept"}, kept.Index().Applicants, "not computed again")
	kept.Keys = nil
	assert.Equal(t, rec.Keys, kept.Index().Applicants, "computed when a record has none")
}
