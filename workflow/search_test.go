package workflow_test

import (
	"testing"

	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Search across cards: by number, applicant, address, words of the text or of a question's
// title, with the same normalizer (case, ё/е, stems), every word required, ranked (the number
// and the applicant weigh more than the text), within the filter, and only what the actor may
// read.
func TestSearch(t *testing.T) {
	f := newFixture(t)
	a := f.appealAt(classified) // Иванова, «Во дворе третий месяц не вывозят мусор.», ул. Садовая
	c := card()
	c.Applicants[0].Surname, c.Applicants[0].PostalAddress = "Петров", "г. N, ул. Лесная, д. 3"
	c.Text = "Иванова из соседнего дома жалуется на мусор, а у нас не горит фонарь."
	b := f.receiveCard(c)
	rec, err := f.eng.Get(f.ctx, auditor, a)
	require.NoError(t, err)

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{rec.Appeal.Number, []string{a.String()}},
		{"ИВАНОВА", []string{a.String(), b.String()}}, // the applicant ranks above a mention in a text
		{"мусора садовой", []string{a.String()}},      // stems; every word required
		{"фонари", []string{b.String()}},
		{"коммунально-бытовое", []string{a.String()}}, // a question's title
		{"нет такого", nil},
		{"", nil},
	} {
		res, err := f.eng.Search(f.ctx, auditor, workflow.SearchInput{Query: tc.query})
		require.NoError(t, err, tc.query)
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Record.Appeal.ID.String())
		}
		assert.Equal(t, tc.want, got, tc.query)
	}

	res, err := f.eng.Search(f.ctx, auditor, workflow.SearchInput{Query: "иванова", Filter: workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermRegistration}}})
	require.NoError(t, err)
	require.Len(t, res.Hits, 1, "within the filter: only the unregistered one")
	assert.Equal(t, b, res.Hits[0].Record.Appeal.ID)

	res, err = f.eng.Search(f.ctx, auditor, workflow.SearchInput{Query: "иванова", Limit: 1, Offset: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Total)
	require.Len(t, res.Hits, 1, "paged")
	assert.Equal(t, b, res.Hits[0].Record.Appeal.ID)

	res, err = f.eng.Search(f.ctx, executor, workflow.SearchInput{Query: "иванова"})
	require.NoError(t, err)
	assert.Empty(t, res.Hits, "an executor without assignments here finds nothing")
}
