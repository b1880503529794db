package workflow_test

import (
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reminders lists the kinds and recipients of the appeal's reminders, in queue order.
func (f *fixture) reminders(id uuid.UUID) []string {
	var out []string
	for _, n := range f.store.Notifications(id) {
		if n.Kind == workflow.KindReminderDueSoon || n.Kind == workflow.KindReminderOverdue {
			out = append(out, string(n.Kind)+" "+n.To.Staff)
		}
	}
	return out
}

func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 8, 0, 0, 0, msk) }

func TestMonitor(t *testing.T) {
	// Consideration control and legal date 10.12.2025 (art. 12 p.1); the assignment's due date
	// is the control date; default thresholds 3, 1, 0 days before it.
	f := newFixture(t)
	id := f.appealAt(inExecution)
	steps := []struct {
		on     time.Time
		queued int
		want   []string
	}{
		{at(2025, 12, 1), 0, nil},
		{at(2025, 12, 7), 2, []string{"reminder_due_soon exec-1", "reminder_due_soon exec-1"}},
		{at(2025, 12, 7), 0, nil}, // re-running the same day queues nothing
		{at(2025, 12, 8), 0, nil},
		{at(2025, 12, 10), 2, []string{"reminder_due_soon exec-1", "reminder_due_soon exec-1"}}, // 1 and 0 crossed at once: one reminder each
		{at(2025, 12, 11), 2, []string{"reminder_overdue exec-1", "reminder_overdue exec-1"}},
		{at(2025, 12, 11), 0, nil},
		{at(2025, 12, 12), 2, []string{"reminder_overdue exec-1", "reminder_overdue exec-1"}}, // does not let go
	}
	seen := 0
	for _, s := range steps {
		n, err := f.eng.Monitor(f.ctx, s.on)
		require.NoError(t, err)
		assert.Equal(t, s.queued, n, "on %s", s.on)
		got := f.reminders(id)
		assert.Equal(t, s.want, append([]string(nil), got[seen:]...), "on %s", s.on)
		seen = len(got)
	}
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	assert.Contains(t, rec.Reminders, "consideration:|2025-12-10|overdue1")
	last := f.store.Notifications(id)
	assert.Contains(t, last[len(last)-1].Body, "просрочка дней: 2")

	// The executor reports and the term is extended (art. 12 p.2): new keys, and no reminder
	// until the new control date comes near.
	_, err = f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "Сделано"})
	require.NoError(t, err)
	_, err = f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 30, Reason: "Запрос", ApprovedBy: "head-1"})
	require.NoError(t, err)
	n, err := f.eng.Monitor(f.ctx, at(2025, 12, 13))
	require.NoError(t, err)
	assert.Zero(t, n)
	n, err = f.eng.Monitor(f.ctx, at(2025, 12, 27)) // control date 30.12.2025
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the responsible only: the assignment is done")

	// A result ends it: an answered appeal is not watched.
	f2 := newFixture(t)
	done := f2.appealAt(answered)
	n, err = f2.eng.Monitor(f2.ctx, at(2026, 1, 20))
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Empty(t, f2.reminders(done))
}

func TestMonitorEvent(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(inExecution)
	_, err := f.eng.Monitor(f.ctx, at(2025, 12, 9))
	require.NoError(t, err)
	ev := f.lastEvent(id)
	assert.Equal(t, "system", ev.Actor)
	assert.Equal(t, workflow.CmdRemind, ev.Command)
	assert.Nil(t, ev.Public)
}
