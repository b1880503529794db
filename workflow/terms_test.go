package workflow_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// termReminders returns the reminders about the term kind queued for the appeal since the
// first seen notices, in queue order.
func (f *fixture) termReminders(id uuid.UUID, kind workflow.TermKind, seen int) []workflow.Notification {
	var out []workflow.Notification
	for _, n := range f.store.Notifications(id)[seen:] {
		if (n.Kind == workflow.KindReminderDueSoon || n.Kind == workflow.KindReminderOverdue) &&
			strings.Contains(n.Subject, kind.Title()) {
			out = append(out, n)
		}
	}
	return out
}

// advance moves the engine's clock to the day of at (same hour as start).
func (f *fixture) advanceTo(at time.Time) {
	f.clock.Add(at.Sub(f.clock.Now()))
}

// TestMonitorEveryTerm walks every 59-FZ term: a reminder before its control date, one after
// its legal date, none twice, none after the term closes — to the person who must act, with
// the right figures. Clock: 2025-11-10 (Mon) receipt and registration.
func TestMonitorEveryTerm(t *testing.T) {
	cases := []struct {
		name    string
		kind    workflow.TermKind
		article string
		// setup takes a new appeal to where the term runs and returns it.
		setup func(f *fixture) uuid.UUID
		// before is a day with DaysLeft days to the control date; after is a day DaysOverdue
		// days past the legal date.
		before         time.Time
		daysLeft       int
		after          time.Time
		daysOverdue    int
		role           workflow.RecipientRole
		staff          string
		close          func(f *fixture, id uuid.UUID) error
		closedLateDays int // the closing event's Late, when closed after the after day
	}{
		{
			name: "registration: 3 days from receipt (art. 8 p.2)", kind: workflow.TermRegistration, article: "ст. 8 ч. 2",
			setup:  func(f *fixture) uuid.UUID { return f.appealAt(received) },
			before: at(2025, 11, 11), daysLeft: 2, after: at(2025, 11, 15), daysOverdue: 2, // legal 13.11
			role: workflow.RecipientClerk, staff: "registry",
			close: func(f *fixture, id uuid.UUID) error {
				_, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
				return err
			},
			closedLateDays: 3,
		},
		{
			name: "competence decision: 7 days from registration (art. 8 p.3)", kind: workflow.TermCompetence, article: "ст. 8 ч. 3",
			setup:  func(f *fixture) uuid.UUID { return f.appealAt(classified) },
			before: at(2025, 11, 14), daysLeft: 3, after: at(2025, 11, 19), daysOverdue: 2, // legal 17.11
			role: workflow.RecipientManager, staff: "manager",
			close: func(f *fixture, id uuid.UUID) error {
				_, err := f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{workflow.Target{Body: "Гострудинспекция"}}})
				return err
			},
			closedLateDays: 3,
		},
		{
			name: "art. 11 notice: 7 days from registration (art. 11 p.4)", kind: workflow.TermNotice, article: "ст. 11 ч. 4, 4.1, 5.1",
			setup: func(f *fixture) uuid.UUID {
				id := f.appealAt(classified)
				_, err := f.eng.NoteGround(f.ctx, clerk, id, workflow.GroundInput{Ground: workflow.GroundUnreadable})
				require.NoError(f.t, err)
				return id
			},
			before: at(2025, 11, 16), daysLeft: 1, after: at(2025, 11, 18), daysOverdue: 1, // legal 17.11
			role: workflow.RecipientManager, staff: "manager",
			close: func(f *fixture, id uuid.UUID) error {
				_, err := f.eng.Decide(f.ctx, manager, id, workflow.OutcomeInput{Ground: workflow.GroundUnreadable})
				return err
			},
			closedLateDays: 2,
		},
		{
			name: "inter-agency request: 15 days (art. 10 p.2)", kind: workflow.TermRequest, article: "ст. 10 ч. 2",
			setup: func(f *fixture) uuid.UUID {
				id := f.appealAt(inExecution)
				_, err := f.eng.Request(f.ctx, executor, id, workflow.RequestInput{Body: "Роспотребнадзор"})
				require.NoError(f.t, err)
				return id
			},
			before: at(2025, 11, 25), daysLeft: 0, after: at(2025, 11, 27), daysOverdue: 2, // from sending: legal 25.11
			role: workflow.RecipientRequester, staff: executor.ID,
			close: func(f *fixture, id uuid.UUID) error {
				_, err := f.eng.RequestAnswered(f.ctx, executor, id, workflow.RequestAnswerInput{Request: "1"})
				return err
			},
			closedLateDays: 3,
		},
		{
			name: "assignment: its own due date", kind: workflow.TermAssignment, article: "поручение",
			setup: func(f *fixture) uuid.UUID {
				id := f.appealAt(classified)
				_, err := f.eng.Resolve(f.ctx, manager, id, workflow.ResolutionInput{Text: "Проверить",
					Assignments: []workflow.AssignmentInput{{Executor: executor.ID, Task: "Проверить вывоз", Due: day(2025, 11, 20)}}})
				require.NoError(f.t, err)
				return id
			},
			before: at(2025, 11, 17), daysLeft: 3, after: at(2025, 11, 21), daysOverdue: 1,
			role: workflow.RecipientExecutor, staff: executor.ID,
			close: func(f *fixture, id uuid.UUID) error {
				_, err := f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "Сделано"})
				return err
			},
			closedLateDays: 2,
		},
		{
			name: "consideration: 30 days (art. 12 p.1)", kind: workflow.TermConsideration, article: "ст. 12 ч. 1",
			setup:  func(f *fixture) uuid.UUID { return f.appealAt(inExecution) },
			before: at(2025, 12, 9), daysLeft: 1, after: at(2025, 12, 13), daysOverdue: 3, // legal 10.12
			role: workflow.RecipientResponsible, staff: executor.ID,
			close: func(f *fixture, id uuid.UUID) error {
				_, err := f.eng.Withdraw(f.ctx, clerk, id, "отозвано заявителем")
				return err
			},
			closedLateDays: 4,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			id := c.setup(f)
			seen := 0
			monitor := func(at time.Time) []workflow.Notification {
				t.Helper()
				_, err := f.eng.Monitor(f.ctx, at)
				require.NoError(t, err)
				got := f.termReminders(id, c.kind, seen)
				seen = len(f.store.Notifications(id))
				return got
			}

			due := monitor(c.before)
			require.Len(t, due, 1, "one due-soon reminder before the control date")
			n := due[0]
			assert.Equal(t, workflow.KindReminderDueSoon, n.Kind)
			assert.Equal(t, c.role, n.To.Role, "the real role of who must act")
			assert.Equal(t, c.staff, n.To.Staff)
			assert.Contains(t, n.Body, c.article)
			if c.daysLeft > 0 {
				assert.Contains(t, n.Body, "осталось дней: "+strconv.Itoa(c.daysLeft))
			} else {
				assert.Contains(t, n.Body, "истекает сегодня")
			}
			assert.Empty(t, monitor(c.before), "none twice")

			over := monitor(c.after)
			require.Len(t, over, 1, "an overdue reminder after the legal date")
			assert.Equal(t, workflow.KindReminderOverdue, over[0].Kind)
			assert.Contains(t, over[0].Body, "просрочка дней: "+strconv.Itoa(c.daysOverdue))
			assert.NotContains(t, over[0].Body, "осталось", "never days left once late")
			assert.Empty(t, monitor(c.after), "none twice on the day")
			assert.Len(t, monitor(c.after.AddDate(0, 0, 1)), 1, "repeated while overdue")

			f.advanceTo(c.after.AddDate(0, 0, 1))
			require.NoError(t, c.close(f, id))
			ev := f.lastEvent(id)
			var late []workflow.Late
			for _, l := range ev.Late {
				if l.Kind == c.kind {
					late = append(late, l)
				}
			}
			require.Len(t, late, 1, "the step is done and recorded as late")
			assert.Equal(t, c.closedLateDays, late[0].Days)
			assert.Empty(t, monitor(c.after.AddDate(0, 0, 2)), "none after the term closes")
			assert.Empty(t, monitor(c.after.AddDate(0, 0, 9)))
		})
	}
}

// A registration ten days late is done and recorded as late, by the days past the legal date
// (art. 8 p.2; КоАП ст. 5.59).
func TestLateRegistration(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(received) // received 10.11: legal 13.11
	f.clock.Add(10 * 24 * time.Hour)
	res, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
	require.NoError(t, err)
	assert.NotEmpty(t, res.Record.Appeal.Number, "the work still happens")
	ev := f.lastEvent(id)
	assert.Equal(t, []workflow.Late{{Kind: workflow.TermRegistration, Legal: day(2025, 11, 13), Days: 7}}, ev.Late)
	assert.Equal(t, day(2025, 11, 20), res.Record.Deadlines.Registration.Closed)
}

// A forwarding after 7 days (art. 8 p.3), or 5 for a migration appeal (art. 8 p.3.1), is done
// and recorded as late against the competence term.
func TestLateForwarding(t *testing.T) {
	for _, c := range []struct {
		name      string
		migration bool
		legal     deadline.Date
		days      int
	}{
		{"7 days (art. 8 p.3)", false, day(2025, 11, 17), 3},
		{"5 days on migration law (art. 8 p.3.1)", true, day(2025, 11, 17), 3}, // 15.11 is a Saturday: the next working day
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			id := f.appealAt(received)
			if c.migration {
				rec, err := f.eng.Get(f.ctx, auditor, id)
				require.NoError(t, err)
				rec.Appeal.MigrationViolation = true
				require.NoError(t, f.store.Save(f.ctx, workflow.Change{Record: rec}))
			}
			_, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
			require.NoError(t, err)
			f.advanceTo(at(2025, 11, 20))
			to := []workflow.Target{{Body: "Гострудинспекция"}}
			if c.migration {
				to = migrationBodies
			}
			rec, err := f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: to})
			require.NoError(t, err)
			assert.Equal(t, []workflow.Late{{Kind: workflow.TermCompetence, Legal: c.legal, Days: c.days}}, f.lastEvent(id).Late)
			assert.Empty(t, rec.RunningTerms(), "nothing runs once forwarded")
		})
	}
	// On time: no Late.
	f := newFixture(t)
	id := f.appealAt(classified)
	_, err := f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{workflow.Target{Body: "ГЖИ"}}})
	require.NoError(t, err)
	assert.Empty(t, f.lastEvent(id).Late)
}

// An extension is allowed only while the consideration term runs (art. 12 p.2): on the day
// after its legal date it is refused with the date, and nothing changes.
func TestExtensionAfterTheTermIsRefused(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(inExecution) // consideration legal 10.12.2025
	in := workflow.ExtensionInput{Days: 30, Reason: "запрос документов", ApprovedBy: manager.ID}

	f.advanceTo(at(2025, 12, 10))
	before := f.snap(id)
	f2 := newFixture(t)
	id2 := f2.appealAt(inExecution)
	f2.advanceTo(at(2025, 12, 10))
	_, err := f2.eng.Extend(f2.ctx, manager, id2, in)
	require.NoError(t, err, "on the legal date itself the term still runs")

	f.advanceTo(at(2025, 12, 11))
	_, err = f.eng.Extend(f.ctx, manager, id, in)
	var ee *workflow.ExpiredError
	require.ErrorAs(t, err, &ee)
	assert.ErrorIs(t, err, workflow.ErrExpired)
	assert.Equal(t, day(2025, 12, 10), ee.Legal)
	assert.Equal(t, workflow.TermConsideration, ee.Term)
	assert.Contains(t, err.Error(), "expired on 2025-12-10")
	assert.Equal(t, before, f.snap(id), "a refused extension changes nothing")
}

// The extension moves the open assignments due on or after the old control date by its days
// (to a working day), keeps those due earlier, takes explicit dates when given, tells each
// executor concerned and lists the moves in the event; Monitor then reminds nobody of a false
// overdue.
func TestExtensionMovesAssignments(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(classified) // consideration 10.12.2025 (control = legal)
	_, err := f.eng.Resolve(f.ctx, manager, id, workflow.ResolutionInput{Text: "Рассмотреть", Assignments: []workflow.AssignmentInput{
		{Executor: executor.ID, Task: "Ответ"},                                              // due 10.12 (the control date)
		{Executor: executor2.ID, Task: "Справка", CoExecutor: true, Due: day(2025, 11, 20)}, // due earlier
		{Executor: "exec-3", Task: "Акт", CoExecutor: true, Due: day(2025, 12, 10)},
	}})
	require.NoError(t, err)
	f.advanceTo(at(2025, 12, 1))
	notices := len(f.store.Notifications(id))
	rec, err := f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 20, Reason: "запрос", ApprovedBy: manager.ID,
		Assignments: map[string]deadline.Date{"3": day(2025, 12, 25)}})
	require.NoError(t, err)
	assert.Equal(t, day(2025, 12, 30), rec.Deadlines.Consideration.Legal)
	assert.Equal(t, day(2025, 12, 30), rec.Assignments[0].Due, "10.12 + 20 days")
	assert.Equal(t, day(2025, 11, 20), rec.Assignments[1].Due, "due before the old control date: stays")
	assert.Equal(t, day(2025, 12, 25), rec.Assignments[2].Due, "the date the command gave")
	ev := f.lastEvent(id)
	assert.Contains(t, ev.Changed, "assignments[1].due")
	assert.Contains(t, ev.Changed, "assignments[3].due")
	assert.NotContains(t, ev.Changed, "assignments[2].due")
	var moved []string
	for _, n := range f.store.Notifications(id)[notices:] {
		if n.Kind == workflow.KindAssignmentChanged {
			moved = append(moved, n.To.Staff)
		}
	}
	assert.ElementsMatch(t, []string{executor.ID, "exec-3"}, moved)

	// On 12.12, after the old date, nobody hears of an overdue consideration or assignment 1.
	_, err = f.eng.Monitor(f.ctx, at(2025, 12, 12))
	require.NoError(t, err)
	for _, n := range f.store.Notifications(id)[notices:] {
		if n.Kind == workflow.KindReminderOverdue {
			assert.Equal(t, executor2.ID, n.To.Staff, "only the assignment really overdue: %s", n.Body)
		}
	}
}

// An explicit date for an unknown or reported assignment refuses the extension.
func TestExtensionRefusesBadAssignmentDates(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(inExecution)
	before := f.snap(id)
	for _, dates := range []map[string]deadline.Date{
		{"9": day(2025, 12, 20)},
		{"1": day(2026, 3, 1)}, // after the new legal date
	} {
		_, err := f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 10, Reason: "r", ApprovedBy: manager.ID, Assignments: dates})
		assert.ErrorIs(t, err, workflow.ErrPrerequisite, "%v", dates)
	}
	assert.Equal(t, before, f.snap(id))
}

// Assignments after the resolution: add, re-date with a reason, hand to another executor —
// each with its event and a notice to the executor concerned.
func TestAssignmentCommands(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(inExecution)
	n0 := len(f.store.Notifications(id))
	rec, err := f.eng.AddAssignment(f.ctx, manager, id, workflow.AssignmentInput{Executor: executor2.ID, Task: "Акт осмотра", Due: day(2025, 11, 25)})
	require.NoError(t, err)
	require.Len(t, rec.Assignments, 2)
	assert.Equal(t, "2", rec.Assignments[1].ID)
	assert.Equal(t, workflow.CmdAddAssignment, f.lastEvent(id).Command)

	rec, err = f.eng.RedateAssignment(f.ctx, manager, id, workflow.RedateInput{Assignment: "2", Due: day(2025, 12, 1), Reason: "выезд перенесен"})
	require.NoError(t, err)
	assert.Equal(t, day(2025, 12, 1), rec.Assignments[1].Due)
	assert.Equal(t, "выезд перенесен", f.lastEvent(id).Reason)

	rec, err = f.eng.Reassign(f.ctx, manager, id, workflow.ReassignInput{Assignment: "1", Executor: "exec-3", Reason: "отпуск"})
	require.NoError(t, err)
	assert.Equal(t, "exec-3", rec.Assignments[0].Executor)
	assert.Equal(t, "exec-3", rec.Appeal.Responsible, "the responsible executor's appeal passes on")
	assert.Contains(t, rec.Resolution.Assignees, "exec-3")

	var got []string
	for _, n := range f.store.Notifications(id)[n0:] {
		got = append(got, string(n.Kind)+" "+n.To.Staff)
	}
	assert.Equal(t, []string{"assignment exec-2", "assignment_changed exec-2", "assignment exec-3", "assignment_removed exec-1"}, got)

	// Refusals save nothing.
	before := f.snap(id)
	for _, run := range []func() error{
		func() error {
			_, err := f.eng.RedateAssignment(f.ctx, manager, id, workflow.RedateInput{Assignment: "2", Due: day(2025, 12, 2)})
			return err
		},
		func() error {
			_, err := f.eng.RedateAssignment(f.ctx, manager, id, workflow.RedateInput{Assignment: "2", Due: day(2026, 1, 30), Reason: "r"})
			return err
		},
		func() error {
			_, err := f.eng.Reassign(f.ctx, manager, id, workflow.ReassignInput{Assignment: "7", Executor: "x", Reason: "r"})
			return err
		},
		func() error {
			_, err := f.eng.AddAssignment(f.ctx, manager, id, workflow.AssignmentInput{Task: "без исполнителя"})
			return err
		},
		func() error {
			_, err := f.eng.AddAssignment(f.ctx, executor, id, workflow.AssignmentInput{Executor: "x", Task: "t"})
			return err
		},
	} {
		assert.Error(t, run())
	}
	assert.Equal(t, before, f.snap(id))
}

// The other body's receipt day moves the request's term (art. 10 p.2: 15 days from receipt);
// until it is known the term counts from sending and says so.
func TestRequestReceived(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(inExecution)
	rec, err := f.eng.Request(f.ctx, executor, id, workflow.RequestInput{Body: "ФНС"})
	require.NoError(t, err)
	term := findTerm(t, rec, workflow.TermRequest)
	assert.True(t, term.FromSent)
	assert.Equal(t, day(2025, 11, 25), term.Deadline.Legal)

	f.clock.Add(3 * 24 * time.Hour)
	rec, err = f.eng.RequestReceived(f.ctx, executor, id, workflow.RequestReceiptInput{Request: "1", ReceivedOn: day(2025, 11, 12)})
	require.NoError(t, err)
	term = findTerm(t, rec, workflow.TermRequest)
	assert.False(t, term.FromSent)
	assert.Equal(t, day(2025, 11, 27), term.Deadline.Legal)

	before := f.snap(id)
	for _, d := range []deadline.Date{{}, day(2025, 11, 9), day(2025, 12, 30)} {
		_, err = f.eng.RequestReceived(f.ctx, executor, id, workflow.RequestReceiptInput{Request: "1", ReceivedOn: d})
		assert.ErrorIs(t, err, workflow.ErrPrerequisite, "%v", d)
	}
	assert.Equal(t, before, f.snap(id))
}

func findTerm(t *testing.T, rec *workflow.Record, kind workflow.TermKind) workflow.Term {
	t.Helper()
	for _, term := range rec.RunningTerms() {
		if term.Kind == kind {
			return term
		}
	}
	t.Fatalf("no running %s term", kind)
	return workflow.Term{}
}
