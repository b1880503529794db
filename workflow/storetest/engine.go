package storetest

import (
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The staff of CheckEngineSearch.
var (
	searchClerk   = workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	searchAuditor = workflow.Actor{ID: "audit-1", Roles: []workflow.Role{workflow.RoleAuditor}}
)

// engineCards are the appeals CheckEngineSearch receives: an applicant, an address and a
// text each; those with a code are registered and classified under it.
var engineCards = []struct {
	applicant appeal.Applicant
	text      string
	code      string
}{
	{appeal.Applicant{Surname: "Иванова", GivenName: "Мария", Email: "maria@example.org", PostalAddress: "г. Пермь, ул. Садовая, д. 5, кв. 12"},
		"Во дворе третий месяц не вывозят мусор, контейнеры переполнены.", "0005.0005.0056.1147"},
	{appeal.Applicant{Surname: "Петров", GivenName: "Пётр", Email: "petrov@example.org", PostalAddress: "г. Пермь, ул. Лесная, д. 3"},
		"Иванова из соседнего дома жалуется на мусор, а у нас не горит фонарь.", ""},
	{appeal.Applicant{Surname: "Ёлкин", GivenName: "Семён", Email: "elkin@example.org", PostalAddress: "г. Пермь, ул. Садовая, д. 7"},
		"Течёт крыша в подъезде № 2, управляющая компания не отвечает.", "0005.0005.0056.1147"},
	{appeal.Applicant{Kind: appeal.Organization, OrganizationName: "ТСЖ «Садовая, 5»", Email: "tsj@example.org", PostalAddress: "г. Пермь, ул. Садовая, д. 5"},
		"Просим установить фонарь у дома и вывезти мусор.", ""},
}

// CheckEngineSearch receives engineCards through two engines on s, one that searches through
// s's Searcher and one that sees s without it and scans List, as Engine.Search does for a store
// that cannot search, and checks that a few queries give both the same page of ranked hits, and
// the hits expected. Adapters call it with an empty store beside RunSearch: every Searcher then
// gives the engine the same hits as the scan, hence as every other store.
func CheckEngineSearch(t *testing.T, s workflow.Store) {
	t.Helper()
	ctx := t.Context()
	opt := workflow.Options{Clock: func() time.Time { return t0 }, Org: workflow.Organization{Name: "Администрация", Series: "Ж"}}
	eng, err := workflow.New(s, opt)
	require.NoError(t, err)
	scan, err := workflow.New(struct{ workflow.Store }{s}, opt) // the Searcher hidden
	require.NoError(t, err)
	_, ok := s.(workflow.Searcher)
	require.Truef(t, ok, "%T is no workflow.Searcher", s)

	ids := make([]uuid.UUID, len(engineCards))
	numbers := make([]string, len(engineCards))
	for i, c := range engineCards {
		card := appeal.New(uuid.Nil, t0, appeal.ChannelWebForm)
		card.Kind, card.Identified, card.Text = appeal.Complaint, true, c.text
		p := c.applicant
		p.AnswerChannel, p.Consent = appeal.AnswerByEmail, true
		card.Applicants = []appeal.Applicant{p}
		rec, err := eng.Receive(ctx, searchClerk, workflow.Intake{Card: card})
		require.NoError(t, err)
		ids[i] = rec.Appeal.ID
		if c.code != "" {
			reg, err := eng.Register(ctx, searchClerk, ids[i], workflow.RegisterInput{})
			require.NoError(t, err)
			numbers[i] = reg.Record.Appeal.Number
			_, err = eng.Classify(ctx, searchClerk, ids[i], []string{c.code})
			require.NoError(t, err)
		}
	}
	registered := workflow.Filter{States: []appeal.State{appeal.StateRegistered}}
	for _, tc := range []struct {
		in   workflow.SearchInput
		want []int // engineCards, best first
	}{
		{workflow.SearchInput{Query: "ИВАНОВА"}, []int{0, 1}}, // the applicant above a mention in a text
		{workflow.SearchInput{Query: "мусор"}, []int{3, 1, 0}},
		{workflow.SearchInput{Query: "мусора садовой"}, []int{3, 0}},
		{workflow.SearchInput{Query: "садовая д. 5"}, []int{3, 0}},
		{workflow.SearchInput{Query: "фонари"}, []int{3, 1}},
		{workflow.SearchInput{Query: "елкин крыша"}, []int{2}},
		{workflow.SearchInput{Query: "коммунально-бытовое"}, []int{2, 0}}, // a question's title
		{workflow.SearchInput{Query: numbers[2]}, []int{2}},
		{workflow.SearchInput{Query: "пермь", Filter: registered}, []int{2, 0}},
		{workflow.SearchInput{Query: "пермь", Offset: 1, Limit: 2}, []int{2, 1}},
		{workflow.SearchInput{Query: "нет такого"}, nil},
	} {
		got, err := eng.Search(ctx, searchAuditor, tc.in)
		require.NoError(t, err, tc.in.Query)
		scanned, err := scan.Search(ctx, searchAuditor, tc.in)
		require.NoError(t, err, tc.in.Query)
		assert.Equal(t, scanned, got, "%q: the Searcher's hits are the scan's", tc.in.Query)
		var hits []uuid.UUID
		for _, h := range got.Hits {
			hits = append(hits, h.Record.Appeal.ID)
		}
		var want []uuid.UUID
		for _, i := range tc.want {
			want = append(want, ids[i])
		}
		assert.Equal(t, want, hits, "%q", tc.in.Query)
	}
}
