package workflow_test

import (
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two engines with recent copies over one store: each engine's copies go stale when the other
// acts, and a command on a stale copy must still give the same result as on a fresh load —
// refusals included — and write each event once.
func TestRecentRecordsStaleCopies(t *testing.T) {
	f := newFixture(t, func(o *workflow.Options) { o.RecentRecords = 100 })
	other, err := workflow.New(f.store, workflow.Options{Clock: f.clock.Now, RecentRecords: 100,
		Org: workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"}})
	require.NoError(t, err)
	a, b := f.eng, other

	rec, err := a.Receive(f.ctx, clerk, workflow.Intake{Card: card()})
	require.NoError(t, err)
	id := rec.Appeal.ID
	_, err = recOf(a.Register(f.ctx, clerk, id, workflow.RegisterInput{})) // a's copy: registered, version 2
	require.NoError(t, err)
	_, err = b.Classify(f.ctx, clerk, id, []string{qUtilities}) // version 3, a's copy is stale
	require.NoError(t, err)
	_, err = b.Resolve(f.ctx, manager, id, workflow.ResolutionInput{Text: "Рассмотреть",
		Assignments: []workflow.AssignmentInput{{Executor: executor.ID, Task: "Проверить"}}}) // in execution
	require.NoError(t, err)

	// On a's stale copy the appeal is still registered, where a report is refused; on the
	// stored record it is in execution, where it is allowed.
	rec, err = a.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "Сделано"})
	require.NoError(t, err)
	assert.Equal(t, appeal.StateInExecution, rec.Appeal.State)
	assert.Equal(t, []string{qUtilities}, []string{rec.Appeal.Questions[0].Code}, "b's classification kept")
	assert.Equal(t, int64(5), rec.Version)

	// A refusal on the stored record is still a refusal, reported once.
	before := f.snap(id)
	_, err = a.Send(f.ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
	assert.ErrorIs(t, err, appeal.ErrForbidden)
	assert.Equal(t, before, f.snap(id))

	h, err := a.History(f.ctx, auditor, id)
	require.NoError(t, err)
	var cmds []string
	for _, ev := range h {
		cmds = append(cmds, string(ev.Command))
	}
	assert.Equal(t, []string{"receive", "register", "classify", "resolve", "report"}, cmds)
}

// With copies, a lifecycle on one engine gives the same history as without.
func TestRecentRecordsSameStory(t *testing.T) {
	story := func(recent int) []string {
		f := newFixture(t, func(o *workflow.Options) { o.RecentRecords = recent })
		id := f.appealAt(closed)
		h, err := f.eng.History(f.ctx, auditor, id)
		require.NoError(t, err)
		var out []string
		for _, ev := range h {
			out = append(out, string(ev.Command)+":"+string(ev.From)+">"+string(ev.To))
		}
		return out
	}
	assert.Equal(t, story(0), story(10))
}
