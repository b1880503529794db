package workflow_test

import (
	"testing"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The morning worklist: overdue first, then due soon, then by date; a draft's term is the
// 3-day registration (art. 8 p.2), a registered appeal's the 30-day consideration (art. 12 p.1).
func TestWorklist(t *testing.T) {
	f := newFixture(t)
	soon := f.appealAt(registered) // registered 2025-11-10: legal and control date 2025-12-10
	f.clock.Add(20 * 24 * time.Hour)
	later := f.appealAt(inExecution) // registered 2025-11-30 (Sunday): 2025-12-30, assignment due
	draft := f.appealAt(received)    // the card says received 2025-11-10: registration due 2025-11-13

	at := time.Date(2025, time.December, 8, 9, 0, 0, 0, msk)
	items, err := f.eng.Worklist(f.ctx, workflow.Filter{}, at)
	require.NoError(t, err)
	require.Len(t, items, 3)
	got := func(i int) (string, deadline.Status, deadline.Date) {
		return items[i].Record.Appeal.ID.String(), items[i].Status, items[i].Due
	}
	id, st, due := got(0)
	assert.Equal(t, draft.String(), id)
	assert.Equal(t, deadline.Overdue, st)
	assert.Equal(t, day(2025, 11, 13), due)
	id, st, due = got(1)
	assert.Equal(t, soon.String(), id)
	assert.Equal(t, deadline.DueSoon, st)
	assert.Equal(t, day(2025, 12, 10), due)
	id, st, due = got(2)
	assert.Equal(t, later.String(), id)
	assert.Equal(t, deadline.OnTime, st)
	assert.Equal(t, day(2025, 12, 30), due)
	assert.Len(t, items[2].Assignments, 1)

	mine, err := f.eng.Worklist(f.ctx, workflow.Filter{Person: executor.ID}, at)
	require.NoError(t, err)
	require.Len(t, mine, 1)
	assert.Equal(t, later, mine[0].Record.Appeal.ID)

	n := 0
	for rec, err := range f.eng.List(f.ctx, workflow.Filter{Person: executor.ID}) {
		require.NoError(t, err)
		assert.Equal(t, later, rec.Appeal.ID)
		n++
	}
	assert.Equal(t, 1, n)
}
