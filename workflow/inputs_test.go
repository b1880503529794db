package workflow_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Command inputs are bounded (Options.Inputs): a refusal names the field and the rule and
// saves nothing; dates outside 1900–2199 are refused at the boundary.
func TestInputLimits(t *testing.T) {
	long := strings.Repeat("я", 2_001)
	cases := []struct {
		name  string
		at    stage
		run   runFunc
		field string
		rule  workflow.Rule
	}{
		{"a reason over the line limit", inExecution, func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
			return f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 5, Reason: long, ApprovedBy: "head-1"})
		}, "reason", workflow.RuleInputLength},
		{"a long answer is prose: allowed up to the text limit", drafted, nil, "", ""},
		{"an answer over the text limit", inExecution, func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
			return f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: strings.Repeat("а", 100_001)})
		}, "text", workflow.RuleInputLength},
		{"too many codes", registered, func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
			codes := make([]string, 1_001)
			for i := range codes {
				codes[i] = qUtilities
			}
			return f.eng.Classify(f.ctx, clerk, id, codes)
		}, "codes", workflow.RuleInputLength},
		{"invalid UTF-8", inExecution, func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
			return f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "\xff\xfe"})
		}, "text", workflow.RuleInputLength},
		{"a due date in year 9999", inExecution, func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
			return f.eng.AddAssignment(f.ctx, manager, id, workflow.AssignmentInput{Executor: "exec-2", Task: "t", Due: deadline.NewDate(9999, 12, 31)})
		}, "due", workflow.RuleDateRange},
		{"a task in an assignment list", classified, func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
			return f.eng.Resolve(f.ctx, manager, id, workflow.ResolutionInput{Text: "r",
				Assignments: []workflow.AssignmentInput{{Executor: "exec-1", Task: "t"}, {Executor: "exec-2", Task: long}}})
		}, "assignments[1].task", workflow.RuleInputLength},
		{"an extension date for an assignment in year 1", inExecution, func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
			return f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 5, Reason: "r", ApprovedBy: "h",
				Assignments: map[string]deadline.Date{"1": deadline.NewDate(1, 1, 1)}})
		}, "assignments[1]", workflow.RuleDateRange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			id := f.appealAt(c.at)
			if c.run == nil {
				_, err := f.eng.Rework(f.ctx, manager, id, "уточнить")
				require.NoError(t, err)
				_, err = f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: strings.Repeat("а", 100_000)})
				require.NoError(t, err)
				return
			}
			before := f.snap(id)
			_, err := c.run(f, id)
			var pe *workflow.PrerequisiteError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, c.field, pe.Field)
			assert.Equal(t, c.rule, pe.Rule)
			assert.Less(t, len(err.Error()), 300, "the value is not in the error")
			assert.Equal(t, before, f.snap(id))
		})
	}
}

// A card with a receipt moment in year 1 or 9999 is refused at receipt, not accepted and then
// failing in JSON.
func TestReceiveRefusesDatesOutOfRange(t *testing.T) {
	for _, at := range []time.Time{time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)} {
		f := newFixture(t)
		c := card()
		c.ReceivedAt = at
		_, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: c})
		var pe *workflow.PrerequisiteError
		require.ErrorAs(t, err, &pe, "%v", at)
		assert.Equal(t, "card.receivedAt", pe.Field)
		assert.Equal(t, workflow.RuleDateRange, pe.Rule)
		n, err := f.eng.Count(f.ctx, auditor, workflow.Filter{})
		require.NoError(t, err)
		assert.Zero(t, n)
	}
	f := newFixture(t)
	c := card()
	c.Text = strings.Repeat("текст ", 20_000)
	_, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: c})
	assert.ErrorIs(t, err, workflow.ErrPrerequisite, "a card's text over the limit")
	c = card()
	c.Applicants[0].Surname = strings.Repeat("Ф", 3_000)
	_, err = f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: c})
	var pe *workflow.PrerequisiteError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "card.applicants[0].surname", pe.Field)
}
