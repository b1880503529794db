package workflow_test

import (
	"sync"
	"testing"

	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/classifier/suggest"
	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// model builds one suggestion model over the embedded classifier for the package's tests.
var model = sync.OnceValues(func() (*suggest.Model, error) {
	return suggest.New(classifier.Embedded(), suggest.Options{})
})

// The engine suggests codes at receipt and at classification; the clerk's choice goes into
// the event with its rank among the suggestions; the model learns from it.
func TestSuggestionsAtReceiptAndClassification(t *testing.T) {
	m, err := model()
	require.NoError(t, err)
	f := newFixture(t, func(o *workflow.Options) { o.Suggester = m })
	id := f.appealAt(received) // "Во дворе третий месяц не вывозят мусор."
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	require.NotEmpty(t, rec.Suggestions, "suggested at receipt")
	first := rec.Suggestions[0]
	assert.NotEmpty(t, first.Words, "the words that led to it, so a clerk sees why")

	_, err = f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
	require.NoError(t, err)
	_, err = f.eng.Classify(f.ctx, clerk, id, []string{first.Code, qWages})
	require.NoError(t, err)
	ev := f.lastEvent(id)
	assert.Equal(t, []workflow.Pick{{Code: first.Code, Rank: 1}, {Code: qWages, Rank: 0}}, ev.Picks)
}

// A model built over an organization's subset suggests only codes of the subset; learning
// from the clerks' choices changes what it suggests; Warm rebuilds it from the store.
func TestSuggestionsLearnAndWarm(t *testing.T) {
	sub, err := classifier.Embedded().Subset(classifier.MustParse(qWages), classifier.MustParse(qUtilities))
	require.NoError(t, err)
	m, err := suggest.New(sub, suggest.Options{})
	require.NoError(t, err)
	f := newFixture(t, func(o *workflow.Options) { o.Suggester, o.Classifier = m, sub })
	c := card()
	c.Text = "Прошу разобраться с моим вопросом про гаражный кооператив «Ромашка»."
	id := f.receiveCard(c)
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	for _, s := range rec.Suggestions {
		assert.Contains(t, []string{qWages, qUtilities}, s.Code, "only the subset's codes")
	}
	// The clerks classify this wording as wages, again and again: the model learns it.
	for range 6 {
		id := f.receiveCard(c)
		_, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
		require.NoError(t, err)
		_, err = f.eng.Classify(f.ctx, clerk, id, []string{qWages})
		require.NoError(t, err)
	}
	top := func(m *suggest.Model) string {
		s := m.Suggest(c.Text, 1)
		if len(s) == 0 {
			return ""
		}
		return s[0].Code.String()
	}
	assert.Equal(t, qWages, top(m), "learned from the history")

	// A new engine's model knows nothing until Warm reads the store.
	fresh, err := suggest.New(sub, suggest.Options{})
	require.NoError(t, err)
	assert.NotEqual(t, qWages, top(fresh))
	eng, err := workflow.New(f.store, workflow.Options{Suggester: fresh, Classifier: sub})
	require.NoError(t, err)
	require.NoError(t, eng.Warm(f.ctx))
	assert.Equal(t, qWages, top(fresh), "rebuilt from the store")
}
