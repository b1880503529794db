package workflow_test

import (
	"testing"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The morning worklist: every running term of each appeal with its status, overdue appeals
// first, then due soon, then on time, each by its soonest legal date. A draft's term is the
// 3-day registration (art. 8 p.2); a registered appeal has the competence decision (7 days,
// art. 8 p.3) and the 30-day consideration (art. 12 p.1); an appeal in execution its
// consideration and each assignment.
func TestWorklist(t *testing.T) {
	f := newFixture(t)
	soon := f.appealAt(registered) // registered 2025-11-10: competence 2025-11-17, consideration 2025-12-10
	f.clock.Add(20 * 24 * time.Hour)
	later := f.appealAt(inExecution) // registered 2025-11-30 (Sunday): 2025-12-30, assignment due
	draft := f.appealAt(received)    // the card says received 2025-11-10: registration due 2025-11-13

	at := time.Date(2025, time.December, 8, 9, 0, 0, 0, msk)
	items, err := f.eng.Worklist(f.ctx, auditor, workflow.Filter{}, at)
	require.NoError(t, err)
	require.Len(t, items, 3)
	type line struct {
		kind   workflow.TermKind
		status deadline.Status
		legal  deadline.Date
	}
	lines := func(it workflow.WorkItem) []line {
		var out []line
		for _, ts := range it.Terms {
			out = append(out, line{ts.Term.Kind, ts.Status, ts.Term.Deadline.Legal})
		}
		return out
	}
	assert.Equal(t, draft, items[0].Record.Appeal.ID)
	assert.Equal(t, deadline.Overdue, items[0].Status)
	assert.Equal(t, []line{{workflow.TermRegistration, deadline.Overdue, day(2025, 11, 13)}}, lines(items[0]))

	assert.Equal(t, soon, items[1].Record.Appeal.ID)
	assert.Equal(t, deadline.Overdue, items[1].Status, "the competence decision is overdue")
	assert.Equal(t, []line{
		{workflow.TermCompetence, deadline.Overdue, day(2025, 11, 17)},
		{workflow.TermConsideration, deadline.DueSoon, day(2025, 12, 10)},
	}, lines(items[1]), "soonest first")

	assert.Equal(t, later, items[2].Record.Appeal.ID)
	assert.Equal(t, deadline.OnTime, items[2].Status)
	assert.Equal(t, []line{
		{workflow.TermConsideration, deadline.OnTime, day(2025, 12, 30)},
		{workflow.TermAssignment, deadline.OnTime, day(2025, 12, 30)},
	}, lines(items[2]), "the resolution closed the competence decision")

	mine, err := f.eng.Worklist(f.ctx, auditor, workflow.Filter{Person: executor.ID}, at)
	require.NoError(t, err)
	require.Len(t, mine, 1)
	assert.Equal(t, later, mine[0].Record.Appeal.ID)

	n := 0
	for rec, err := range f.eng.List(f.ctx, auditor, workflow.Filter{Person: executor.ID}) {
		require.NoError(t, err)
		assert.Equal(t, later, rec.Appeal.ID)
		n++
	}
	assert.Equal(t, 1, n)
}
