package workflow_test

import (
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/retention"
	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A complaint on a corruption question is suggested the permanent category (Rosarchive list,
// item «а»); the card's kind is retention's.
func TestRetentionFacts(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(registered)
	rec, err := f.eng.Classify(f.ctx, clerk, id, []string{"0004.0016.0162.1003"})
	require.NoError(t, err)
	facts := workflow.RetentionFacts(rec)
	assert.Equal(t, appeal.Complaint, facts.Kind)
	assert.Equal(t, []string{"0004.0016.0162.1003"}, facts.Questions)
	choice, err := retention.NewSuggester().Suggest(facts)
	require.NoError(t, err)
	assert.Equal(t, retention.CategorySerious, choice.Category)

	for _, k := range []appeal.Kind{appeal.Proposal, appeal.Statement, appeal.Complaint, appeal.InformationRequest} {
		rec.Appeal.Kind = k
		assert.Equal(t, k, workflow.RetentionFacts(rec).Kind)
	}
}
