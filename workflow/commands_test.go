package workflow_test

import (
	"errors"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type runFunc func(f *fixture, id uuid.UUID) (*workflow.Record, error)

// cmdCase is one command run on an appeal at a stage: either ok checks the result, or refused
// checks the error (and the store must be unchanged).
type cmdCase struct {
	name    string
	at      stage
	prep    func(f *fixture, id uuid.UUID)
	run     runFunc
	ok      func(t *testing.T, f *fixture, rec *workflow.Record)
	refused func(t *testing.T, err error)
}

func prereq(field string, cause ...error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var pe *workflow.PrerequisiteError
		require.ErrorAs(t, err, &pe)
		assert.ErrorIs(t, err, workflow.ErrPrerequisite)
		assert.Equal(t, field, pe.Field)
		for _, c := range cause {
			assert.ErrorIs(t, err, c)
		}
	}
}

func is(target error) func(*testing.T, error) {
	return func(t *testing.T, err error) { assert.ErrorIs(t, err, target) }
}

func runCases(t *testing.T, cases []cmdCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			id := f.appealAt(c.at)
			if c.prep != nil {
				c.prep(f, id)
			}
			before := f.snap(id)
			rec, err := c.run(f, id)
			if c.refused != nil {
				require.Error(t, err)
				assert.Nil(t, rec)
				c.refused(t, err)
				assert.Equal(t, before, f.snap(id), "a refused command saves nothing")
				return
			}
			require.NoError(t, err)
			after := f.snap(id)
			assert.Equal(t, before.version+1, after.version)
			assert.Equal(t, before.events+1, after.events, "one event per command")
			assert.Equal(t, after.version, rec.Version)
			c.ok(t, f, rec)
		})
	}
}

// notices returns the kinds queued for the appeal since the snapshot count n.
func (f *fixture) lastNotice(id uuid.UUID) workflow.Notification {
	f.t.Helper()
	ns := f.store.Notifications(id)
	require.NotEmpty(f.t, ns)
	return ns[len(ns)-1]
}

func (f *fixture) lastEvent(id uuid.UUID) workflow.Event {
	f.t.Helper()
	h, err := f.eng.History(f.ctx, auditor, id)
	require.NoError(f.t, err)
	return h[len(h)-1]
}

func TestReceive(t *testing.T) {
	t.Run("draft card with the 3-day registration term (art. 8 p.2)", func(t *testing.T) {
		f := newFixture(t)
		rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: card(), IntakeKey: "form-1"})
		require.NoError(t, err)
		assert.NotEqual(t, uuid.Nil, rec.Appeal.ID)
		assert.Equal(t, appeal.StateReceived, rec.Appeal.State)
		assert.Equal(t, int64(1), rec.Version)
		assert.Equal(t, "Ж", rec.Series)
		assert.Equal(t, day(2025, 11, 13), rec.Deadlines.Registration.Legal)
		h, err := f.eng.History(f.ctx, auditor, rec.Appeal.ID)
		require.NoError(t, err)
		require.Len(t, h, 1)
		assert.Equal(t, workflow.CmdReceive, h[0].Command)
		assert.Equal(t, clerk.ID, h[0].Actor)
	})
	t.Run("the caller's card is not changed", func(t *testing.T) {
		f := newFixture(t)
		c := card()
		c.ReceivedAt = c.ReceivedAt.Add(-48 * 3600e9)
		_, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: c})
		require.NoError(t, err)
		assert.Equal(t, uuid.Nil, c.ID)
	})
	refusals := []struct {
		name  string
		actor workflow.Actor
		in    func() workflow.Intake
		check func(*testing.T, error)
	}{
		{"no card", clerk, func() workflow.Intake { return workflow.Intake{} }, prereq("card")},
		{"card not a draft", clerk, func() workflow.Intake {
			c := card()
			c.State = appeal.StateRegistered
			return workflow.Intake{Card: c}
		}, prereq("card")},
		{"auditor", auditor, func() workflow.Intake { return workflow.Intake{Card: card()} }, is(workflow.ErrDenied)},
		{"executor", executor, func() workflow.Intake { return workflow.Intake{Card: card()} }, is(workflow.ErrDenied)},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			f := newFixture(t)
			rec, err := f.eng.Receive(f.ctx, r.actor, r.in())
			require.Error(t, err)
			assert.Nil(t, rec)
			r.check(t, err)
			n, err := f.store.Count(f.ctx, workflow.Filter{})
			require.NoError(t, err)
			assert.Zero(t, n)
		})
	}
	t.Run("same intake key twice", func(t *testing.T) {
		f := newFixture(t)
		first, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: card(), IntakeKey: "msg-1"})
		require.NoError(t, err)
		_, err = f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: card(), IntakeKey: "msg-1"})
		var de *workflow.DuplicateError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, first.Appeal.ID, de.Existing)
	})
}

func TestIntakeCommands(t *testing.T) {
	runCases(t, []cmdCase{
		{name: "register: number, 30 days (art. 12 p.1), notice", at: received,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return recOf(f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{}))
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				a := rec.Appeal
				assert.Equal(t, appeal.StateRegistered, a.State)
				assert.Equal(t, "Ж-2025-000001", a.Number)
				assert.Equal(t, day(2025, 11, 10), rec.Deadlines.Consideration.From)
				assert.Equal(t, day(2025, 12, 10), rec.Deadlines.Consideration.Legal)
				n := f.lastNotice(a.ID)
				assert.Equal(t, workflow.KindRegistration, n.Kind)
				assert.Equal(t, workflow.ChannelEmail, n.To.Channel)
				assert.Equal(t, "maria.ivanova@example.ru", n.To.Address)
				assert.Contains(t, n.Subject, "Ж-2025-000001")
				assert.Contains(t, n.Body, "10.12.2025")
				assert.Contains(t, n.Body, "Мария Петровна")
				ev := f.lastEvent(a.ID)
				require.NotNil(t, ev.Public)
				assert.Equal(t, day(2025, 12, 10), ev.Public.Planned)
			}},
		{name: "register: invalid card (art. 7)", at: received,
			prep: func(f *fixture, id uuid.UUID) {
				rec, _ := f.eng.Get(f.ctx, auditor, id)
				rec.Appeal.Applicants[0].Consent = false
				require.NoError(f.t, f.store.Save(f.ctx, workflow.Change{Record: rec}))
			},
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return recOf(f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{}))
			},
			refused: func(t *testing.T, err error) {
				var ve *appeal.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.True(t, ve.Has("", appeal.RuleConsent))
			}},
		{name: "register twice", at: registered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return recOf(f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{}))
			},
			refused: is(appeal.ErrForbidden)},
		{name: "classify: questions in work", at: registered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Classify(f.ctx, clerk, id, []string{" 5.5.56.1147 ", qWages, qUtilities})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				require.Len(t, rec.Appeal.Questions, 2)
				assert.Equal(t, qUtilities, rec.Appeal.Questions[0].Code)
				assert.Equal(t, appeal.StatusInWork, rec.Appeal.Questions[1].Status)
			}},
		{name: "classify: unknown code", at: registered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Classify(f.ctx, clerk, id, []string{qWages, "0005.0005.0056.9999"})
			},
			refused: prereq("codes[1]", classifier.ErrUnknownCode)},
		{name: "classify: a topic is not assignable", at: registered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Classify(f.ctx, clerk, id, []string{"0005.0005.0056.0000"})
			},
			refused: prereq("codes[0]", classifier.ErrNotAssignable)},
		{name: "classify: not a code", at: registered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Classify(f.ctx, clerk, id, []string{"мусор"})
			},
			refused: prereq("codes[0]", classifier.ErrInvalidCode)},
		{name: "classify: nothing", at: registered,
			run:     func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Classify(f.ctx, clerk, id, nil) },
			refused: prereq("codes")},
		{name: "classify: a final question stays", at: resulted,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Classify(f.ctx, clerk, id, []string{qWages})
			},
			refused: is(appeal.ErrForbidden)},
		{name: "classify: answered", at: answered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Classify(f.ctx, clerk, id, []string{qWages})
			},
			refused: is(appeal.ErrForbidden)},
		{name: "assign responsible", at: registered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.AssignResponsible(f.ctx, manager, id, "exec-2")
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, "exec-2", rec.Appeal.Responsible)
				assert.Equal(t, []string{"exec-2"}, rec.Index().People)
			}},
		{name: "assign nobody", at: registered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.AssignResponsible(f.ctx, manager, id, " ")
			},
			refused: prereq("staff")},
		{name: "submit to the manager", at: registered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Submit(f.ctx, clerk, id) },
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateUnderReview, rec.Appeal.State)
			}},
		{name: "submit a draft card", at: received,
			run:     func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Submit(f.ctx, clerk, id) },
			refused: is(appeal.ErrForbidden)},
	})
}

func TestRegisterMigrationTerm(t *testing.T) {
	// art. 12 p.1.1: 20 days only for the head of a subject of the RF (law.md, Decisions).
	for _, head := range []bool{false, true} {
		f := newFixture(t, func(o *workflow.Options) { o.Org.HeadOfSubject = head })
		c := card()
		c.MigrationViolation = true
		rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: c})
		require.NoError(t, err)
		rec, err = recOf(f.eng.Register(f.ctx, clerk, rec.Appeal.ID, workflow.RegisterInput{}))
		require.NoError(t, err)
		want := deadline.Consideration
		if head {
			want = deadline.ConsiderationMigration
		}
		assert.Equal(t, want, rec.Deadlines.Consideration.Rule)
	}
}

func TestExecutionCommands(t *testing.T) {
	resolve := func(in workflow.ResolutionInput) runFunc {
		return func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Resolve(f.ctx, manager, id, in) }
	}
	one := func(a workflow.AssignmentInput) workflow.ResolutionInput {
		return workflow.ResolutionInput{Text: "Рассмотреть", Assignments: []workflow.AssignmentInput{a}}
	}
	extend := func(in workflow.ExtensionInput) runFunc {
		return func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Extend(f.ctx, manager, id, in) }
	}
	valid := workflow.ExtensionInput{Days: 30, Reason: "Запрошены документы в другом органе", ApprovedBy: "head-1"}
	runCases(t, []cmdCase{
		{name: "resolve with assignments from registered", at: classified,
			run: resolve(workflow.ResolutionInput{Text: "Рассмотреть", Assignments: []workflow.AssignmentInput{
				{Executor: "exec-1", Task: "Проверить"}, {Executor: "exec-2", CoExecutor: true, Task: "Помочь", Due: day(2025, 12, 1)}}}),
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateInExecution, rec.Appeal.State)
				assert.Equal(t, "exec-1", rec.Appeal.Responsible)
				require.Len(t, rec.Assignments, 2)
				assert.Equal(t, day(2025, 12, 10), rec.Assignments[0].Due)
				assert.Equal(t, day(2025, 12, 1), rec.Assignments[1].Due)
				assert.Equal(t, []string{"exec-1", "exec-2"}, rec.Resolution.Assignees)
				ns := f.store.Notifications(rec.Appeal.ID)
				assert.Equal(t, workflow.KindAssignment, ns[len(ns)-1].Kind)
				assert.Equal(t, "exec-2", ns[len(ns)-1].To.Staff)
				assert.Equal(t, "exec-1", ns[len(ns)-2].To.Staff)
				ev := f.lastEvent(rec.Appeal.ID)
				assert.Equal(t, appeal.StateRegistered, ev.From)
				assert.Equal(t, appeal.StateInExecution, ev.To)
			}},
		{name: "resolve without text", at: classified, run: resolve(workflow.ResolutionInput{}), refused: prereq("text")},
		{name: "resolve without executor", at: classified, run: resolve(one(workflow.AssignmentInput{Task: "x"})),
			refused: prereq("assignments[0]")},
		{name: "resolve past the legal date (art. 12)", at: classified,
			run:     resolve(one(workflow.AssignmentInput{Executor: "exec-1", Task: "x", Due: day(2025, 12, 11)})),
			refused: prereq("assignments[0].due")},
		{name: "resolve a draft card", at: received, run: resolve(one(workflow.AssignmentInput{Executor: "exec-1", Task: "x"})),
			refused: is(appeal.ErrForbidden)},
		{name: "report", at: inExecution,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "Сделано"})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.True(t, rec.Assignments[0].Done())
				assert.Equal(t, "Сделано", rec.Assignments[0].Report)
			}},
		{name: "report on an unknown assignment", at: inExecution,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "7", Text: "x"})
			},
			refused: prereq("assignment")},
		{name: "report without text", at: inExecution,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: ""})
			},
			refused: prereq("text")},
		{name: "report on another executor's assignment", at: inExecution,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Report(f.ctx, executor2, id, workflow.ReportInput{Assignment: "1", Text: "x"})
			},
			refused: is(workflow.ErrDenied)},
		{name: "report before the resolution", at: classified,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Report(f.ctx, manager, id, workflow.ReportInput{Assignment: "1", Text: "x"})
			},
			refused: is(appeal.ErrForbidden)},
		{name: "an executor without an assignment here", at: classified,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "x"})
			},
			refused: is(workflow.ErrDenied)},
		{name: "extend by 30 days from the legal date (art. 12 p.2)", at: inExecution, run: extend(valid),
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				d := rec.Deadlines.Consideration
				assert.True(t, d.Extended)
				assert.Equal(t, day(2026, 1, 9), d.Nominal)
				assert.Equal(t, day(2026, 1, 12), d.Legal)
				assert.Equal(t, appeal.StatusInWork, rec.Appeal.Questions[0].Status, "SSTU export keeps InWork")
				n := f.lastNotice(rec.Appeal.ID)
				assert.Equal(t, workflow.KindExtension, n.Kind)
				assert.Contains(t, n.Body, "12.01.2026")
				assert.Contains(t, n.Body, valid.Reason)
				ev := f.lastEvent(rec.Appeal.ID)
				assert.Equal(t, valid.Reason, ev.Reason)
				require.NotNil(t, ev.Public)
				assert.Equal(t, valid.Reason, ev.Public.Detail)
				assert.Equal(t, day(2026, 1, 12), ev.Public.Planned)
			}},
		{name: "extend twice (art. 12 p.2: once)", at: inExecution,
			prep: func(f *fixture, id uuid.UUID) {
				_, err := f.eng.Extend(f.ctx, manager, id, valid)
				require.NoError(f.t, err)
			},
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Extend(f.ctx, manager, id, valid)
			},
			refused: prereq("days", deadline.ErrAlreadyExtended)},
		{name: "extend without reason", at: inExecution, run: extend(workflow.ExtensionInput{Days: 10, ApprovedBy: "head-1"}),
			refused: prereq("reason", deadline.ErrNoReason)},
		{name: "extend without approver", at: inExecution, run: extend(workflow.ExtensionInput{Days: 10, Reason: "r"}),
			refused: prereq("approvedBy")},
		{name: "extend by 31 days", at: inExecution, run: extend(workflow.ExtensionInput{Days: 31, Reason: "r", ApprovedBy: "h"}),
			refused: prereq("days", deadline.ErrExtensionTooLong)},
		{name: "extend an answered appeal", at: answered, run: extend(valid), refused: is(appeal.ErrForbidden)},
		{name: "request documents: 15 days (art. 10 p.2)", at: inExecution,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Request(f.ctx, executor, id, workflow.RequestInput{Body: "Управляющая компания", Number: "З-1"})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				require.Len(t, rec.Requests, 1)
				assert.Equal(t, day(2025, 11, 25), rec.Requests[0].Due.Legal)
			}},
		{name: "request without a body", at: inExecution,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Request(f.ctx, executor, id, workflow.RequestInput{})
			},
			refused: prereq("body")},
		{name: "request answered", at: inExecution,
			prep: func(f *fixture, id uuid.UUID) {
				_, err := f.eng.Request(f.ctx, executor, id, workflow.RequestInput{Body: "УК"})
				require.NoError(f.t, err)
			},
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.RequestAnswered(f.ctx, executor, id, workflow.RequestAnswerInput{Request: "1"})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.False(t, rec.Requests[0].AnsweredAt.IsZero())
			}},
		{name: "unknown request answered", at: inExecution,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.RequestAnswered(f.ctx, executor, id, workflow.RequestAnswerInput{Request: "1"})
			},
			refused: prereq("request")},
	})
}

// migrationBodies are the two bodies an appeal on migration law goes to (art. 8 p.3.1).
var migrationBodies = []workflow.Target{
	{Body: "УМВД России по городу N", Role: workflow.TargetMVD},
	{Body: "Губернатор области", Role: workflow.TargetHeadOfSubject},
}

func TestForwardingCommands(t *testing.T) {
	body := workflow.Target{Body: "Государственная жилищная инспекция", Number: "исх-7"}
	forward := func(to workflow.Target, codes ...string) runFunc {
		return func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
			return f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{to}, Questions: codes})
		}
	}
	runCases(t, []cmdCase{
		{name: "forward the whole appeal within 7 days (art. 8 p.3)", at: classified, run: forward(body),
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateForwarded, rec.Appeal.State)
				assert.Equal(t, deadline.Forwarding, rec.Deadlines.Competence.Rule)
				assert.Equal(t, day(2025, 11, 17), rec.Deadlines.Competence.Legal)
				for _, q := range rec.Appeal.Questions {
					assert.Equal(t, appeal.StatusTransferred, q.Status)
					assert.Equal(t, body.Body, q.Transfer.Body)
				}
				n := f.lastNotice(rec.Appeal.ID)
				assert.Equal(t, workflow.KindForwarding, n.Kind)
				assert.Contains(t, n.Body, body.Body)
				assert.Empty(t, rec.Index().Terms, "no term runs once forwarded")
				assert.Equal(t, day(2025, 11, 10), rec.Deadlines.Competence.Closed, "the competence decision closed on the day")
			}},
		{name: "forward one question", at: classified, run: forward(body, qWages),
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateRegistered, rec.Appeal.State)
				assert.Equal(t, appeal.StatusInWork, rec.Appeal.Questions[0].Status)
				assert.Equal(t, appeal.StatusTransferred, rec.Appeal.Questions[1].Status)
				assert.Equal(t, []string{qWages}, rec.Forwardings[0].Questions)
				assert.Contains(t, f.lastNotice(rec.Appeal.ID).Body, qWages)
			}},
		{name: "forwarding the last open question forwards the appeal", at: classified,
			prep: func(f *fixture, id uuid.UUID) {
				_, err := f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{body}, Questions: []string{qWages}})
				require.NoError(f.t, err)
			},
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{workflow.Target{DepartmentID: "c0ffee00-0000-4000-8000-000000000001"}}, Questions: []string{qUtilities}})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateForwarded, rec.Appeal.State)
			}},
		{name: "migration: 5 days (art. 8 p.3.1)", at: received,
			prep: func(f *fixture, id uuid.UUID) {
				rec, _ := f.eng.Get(f.ctx, auditor, id)
				rec.Appeal.MigrationViolation = true
				require.NoError(f.t, f.store.Save(f.ctx, workflow.Change{Record: rec}))
				_, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
				require.NoError(f.t, err)
			},
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: migrationBodies})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				require.Len(t, rec.Forwardings, 2, "to both bodies")
				assert.Equal(t, "УМВД России по городу N", rec.Forwardings[0].Body)
				assert.Contains(t, f.lastNotice(rec.Appeal.ID).Body, "Губернатор")
				assert.Equal(t, day(2025, 11, 17), rec.Deadlines.Competence.Legal) // 15.11 is a Saturday
				assert.Equal(t, deadline.ForwardingMigration, rec.Deadlines.Competence.Rule)
			}},
		{name: "forward without target", at: classified, run: forward(workflow.Target{Number: "1"}), refused: prereq("to[0]")},
		{name: "forward to two bodies (copies are for several: art. 8 p.4)", at: classified,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{body, {Body: "Прокуратура"}}})
			}, refused: prereq("to")},
		{name: "forward an unknown question", at: classified, run: forward(body, "0001.0001.0001.0001"), refused: prereq("questions[0]")},
		{name: "forward a transferred question again", at: classified,
			prep: func(f *fixture, id uuid.UUID) {
				_, err := f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{body}, Questions: []string{qWages}})
				require.NoError(f.t, err)
			},
			run:     func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return forward(body, qWages)(f, id) },
			refused: is(appeal.ErrForbidden)},
		{name: "forward an answered appeal", at: answered, run: forward(body), refused: is(appeal.ErrForbidden)},
		{name: "copies to several bodies (art. 8 p.4)", at: classified,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.SendCopies(f.ctx, clerk, id, []workflow.Target{body, workflow.Target{Body: "Прокуратура"}})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				require.Len(t, rec.Forwardings, 2)
				assert.True(t, rec.Forwardings[1].Copy)
				assert.Equal(t, appeal.StateRegistered, rec.Appeal.State)
			}},
		{name: "copies to nobody", at: classified,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.SendCopies(f.ctx, clerk, id, nil)
			},
			refused: prereq("to")},
		{name: "copy to a blank body", at: classified,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.SendCopies(f.ctx, clerk, id, []workflow.Target{body, workflow.Target{}})
			},
			refused: prereq("to[1]")},
	})
}

func TestAnswerCommands(t *testing.T) {
	result := func(code string, in workflow.ResultInput) runFunc {
		return func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
			return f.eng.SetResult(f.ctx, executor, id, code, in)
		}
	}
	send := func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
	}
	runCases(t, []cmdCase{
		{name: "draft", at: reported,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: "Ответ"})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateAnswerDrafting, rec.Appeal.State)
				assert.Equal(t, "exec-1", rec.Answer.DraftedBy)
			}},
		{name: "draft without text (art. 10 p.1)", at: reported,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: "  "})
			},
			refused: prereq("answer.text")},
		{name: "rework", at: drafted,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Rework(f.ctx, manager, id, "Уточнить")
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateInExecution, rec.Appeal.State)
			}},
		{name: "approve (art. 10 p.3)", at: drafted,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Approve(f.ctx, manager, id) },
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateAnswerApproved, rec.Appeal.State)
				assert.Equal(t, "head-1", rec.Answer.ApprovedBy)
			}},
		{name: "approve without a draft", at: reported,
			run:     func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Approve(f.ctx, manager, id) },
			refused: is(appeal.ErrForbidden)},
		{name: "result: supported, measures taken", at: drafted,
			run: result(qUtilities, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true}),
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StatusSupported, rec.Appeal.Questions[0].Status)
				assert.True(t, rec.Appeal.Questions[0].MeasuresTaken)
			}},
		{name: "result: not a result", at: drafted, run: result(qUtilities, workflow.ResultInput{Status: appeal.StatusInWork}),
			refused: prereq("status")},
		{name: "result: measures without support", at: drafted,
			run:     result(qUtilities, workflow.ResultInput{Status: appeal.StatusExplained, MeasuresTaken: true}),
			refused: prereq("measuresTaken")},
		{name: "result: unknown question", at: drafted, run: result(qUtilities[:15]+"0001", workflow.ResultInput{Status: appeal.StatusAnswered}),
			refused: prereq("code")},
		{name: "result: already final", at: resulted, run: result(qUtilities, workflow.ResultInput{Status: appeal.StatusAnswered}),
			refused: is(appeal.ErrForbidden)},
		{name: "result: registration only", at: received,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.SetResult(f.ctx, manager, id, qUtilities, workflow.ResultInput{Status: appeal.StatusAnswered})
			},
			refused: is(appeal.ErrForbidden)},
		{name: "send (art. 10 p.4)", at: approved, run: send,
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateAnswered, rec.Appeal.State)
				assert.Equal(t, "исх-1", rec.Answer.Number)
				for _, q := range rec.Appeal.Questions {
					assert.Equal(t, day(2025, 11, 10), q.AnsweredOn)
				}
				n := f.lastNotice(rec.Appeal.ID)
				assert.Equal(t, workflow.KindAnswer, n.Kind)
				assert.Contains(t, n.Body, "Вывоз мусора восстановлен.")
				ev := f.lastEvent(rec.Appeal.ID)
				assert.Contains(t, ev.Public.Detail, qUtilities)
			}},
		{name: "send with a question in work", at: drafted,
			prep: func(f *fixture, id uuid.UUID) {
				_, err := f.eng.Approve(f.ctx, manager, id)
				require.NoError(f.t, err)
			},
			run:     func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return send(f, id) },
			refused: prereq("questions[" + qUtilities + "]")},
		{name: "send without questions", at: registered,
			prep: func(f *fixture, id uuid.UUID) {
				_, err := f.eng.DraftAnswer(f.ctx, manager, id, workflow.AnswerInput{Text: "Ответ"})
				require.NoError(f.t, err)
				_, err = f.eng.Approve(f.ctx, manager, id)
				require.NoError(f.t, err)
			},
			run:     func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return send(f, id) },
			refused: prereq("questions")},
		{name: "send an unapproved draft", at: resulted, run: send, refused: is(appeal.ErrForbidden)},
	})
}

func TestOutcomeCommands(t *testing.T) {
	decide := func(in workflow.OutcomeInput) runFunc {
		return func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Decide(f.ctx, manager, id, in) }
	}
	runCases(t, []cmdCase{
		{name: "return: disputes a court decision, 7 days (art. 11 p.2)", at: classified,
			run: decide(workflow.OutcomeInput{Ground: workflow.GroundCourtDecision}),
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateReturned, rec.Appeal.State)
				assert.Equal(t, deadline.Art11Return, rec.Deadlines.Notice.Rule)
				assert.Equal(t, day(2025, 11, 17), rec.Deadlines.Notice.Legal)
				assert.Equal(t, appeal.StatusLeftWithoutAnswer, rec.Appeal.Questions[0].Status)
				assert.False(t, rec.Outcome.NoticeSentAt.IsZero())
				n := f.lastNotice(rec.Appeal.ID)
				assert.Equal(t, workflow.KindReturn, n.Kind)
				assert.Contains(t, n.Body, "ч. 2 ст. 11")
			}},
		{name: "unreadable: notice in 7 days (art. 11 p.4)", at: classified,
			run: decide(workflow.OutcomeInput{Ground: workflow.GroundUnreadable}),
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateLeftWithoutAnswer, rec.Appeal.State)
				assert.Equal(t, deadline.Art11Notice, rec.Deadlines.Notice.Rule)
				assert.Contains(t, f.lastNotice(rec.Appeal.ID).Body, "ч. 4 ст. 11")
			}},
		{name: "end of correspondence without two earlier answers (art. 11 p.5)", at: inExecution,
			run:     decide(workflow.OutcomeInput{Ground: workflow.GroundRepeated, Decision: "Решение № 5 о прекращении переписки"}),
			refused: prereq("ground")},
		{name: "anonymous: no notice (art. 11 p.1)", at: classified,
			prep: func(f *fixture, id uuid.UUID) {
				rec, _ := f.eng.Get(f.ctx, auditor, id)
				rec.Appeal.Applicants, rec.Appeal.Anonymous = nil, true
				require.NoError(f.t, f.store.Save(f.ctx, workflow.Change{Record: rec}))
			},
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return decide(workflow.OutcomeInput{Ground: workflow.GroundAnonymous})(f, id)
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, workflow.KindRegistration, f.lastNotice(rec.Appeal.ID).Kind)
				assert.True(t, rec.Outcome.NoticeSentAt.IsZero())
			}},
		{name: "end of correspondence without the decision", at: inExecution,
			run: decide(workflow.OutcomeInput{Ground: workflow.GroundRepeated}), refused: prereq("decision")},
		{name: "answered on site without the address (art. 11 p.5.1)", at: inExecution,
			run: decide(workflow.OutcomeInput{Ground: workflow.GroundAnsweredOnSite}), refused: prereq("decision")},
		{name: "answered on site with something that is not a web address", at: inExecution,
			run: decide(workflow.OutcomeInput{Ground: workflow.GroundAnsweredOnSite, Decision: "см. сайт"}), refused: prereq("decision")},
		{name: "the anonymous ground for an appeal with a name and address (art. 11 p.1)", at: inExecution,
			run: decide(workflow.OutcomeInput{Ground: workflow.GroundAnonymous}), refused: prereq("ground")},
		{name: "unknown ground", at: inExecution, run: decide(workflow.OutcomeInput{Ground: "boredom"}), refused: prereq("ground")},
		{name: "outcome after the answer", at: answered,
			run: decide(workflow.OutcomeInput{Ground: workflow.GroundAbusive}), refused: is(appeal.ErrForbidden)},
		{name: "withdrawal by the applicant (art. 5)", at: inExecution,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Withdraw(f.ctx, workflow.ApplicantFor(id), id, "Вопрос решен")
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateWithdrawn, rec.Appeal.State)
				assert.Equal(t, appeal.StatusLeftWithoutAnswer, rec.Appeal.Questions[1].Status)
				assert.Equal(t, "applicant", f.lastEvent(rec.Appeal.ID).Actor)
			}},
		{name: "withdrawal after the answer", at: answered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Withdraw(f.ctx, workflow.ApplicantFor(id), id, "")
			},
			refused: is(appeal.ErrForbidden)},
		{name: "feedback", at: answered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Feedback(f.ctx, workflow.ApplicantFor(id), id, workflow.FeedbackInput{Result: appeal.Satisfied, Measures: appeal.NoOpinion})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				require.NotNil(t, rec.Appeal.Feedback)
				assert.Equal(t, appeal.Satisfied, rec.Appeal.Feedback.Result)
			}},
		{name: "feedback after closing", at: closed,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Feedback(f.ctx, clerk, id, workflow.FeedbackInput{Result: appeal.NotSatisfied, Measures: ""})
			},
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.NotSatisfied, rec.Appeal.Feedback.Result)
			}},
		{name: "feedback with no opinion given", at: answered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Feedback(f.ctx, workflow.ApplicantFor(id), id, workflow.FeedbackInput{Result: "great", Measures: ""})
			},
			refused: prereq("feedback")},
		{name: "feedback before the answer", at: approved,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Feedback(f.ctx, workflow.ApplicantFor(id), id, workflow.FeedbackInput{Result: appeal.Satisfied, Measures: ""})
			},
			refused: is(appeal.ErrForbidden)},
		{name: "feedback on a withdrawn appeal that was closed", at: registered,
			prep: func(f *fixture, id uuid.UUID) {
				_, err := f.eng.Withdraw(f.ctx, clerk, id, "")
				require.NoError(f.t, err)
				_, err = f.eng.Close(f.ctx, clerk, id)
				require.NoError(f.t, err)
			},
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) {
				return f.eng.Feedback(f.ctx, workflow.ApplicantFor(id), id, workflow.FeedbackInput{Result: appeal.Satisfied, Measures: ""})
			},
			refused: prereq("answer")},
		{name: "close", at: answered,
			run: func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Close(f.ctx, clerk, id) },
			ok: func(t *testing.T, f *fixture, rec *workflow.Record) {
				assert.Equal(t, appeal.StateClosed, rec.Appeal.State)
			}},
		{name: "close with a question still in work", at: registered,
			prep: func(f *fixture, id uuid.UUID) {
				rec, _ := f.eng.Get(f.ctx, auditor, id)
				rec.Appeal.State = appeal.StateWithdrawn // as a host's import might leave it
				rec.Appeal.Questions = []appeal.Question{{Code: qWages, Status: appeal.StatusInWork}}
				require.NoError(f.t, f.store.Save(f.ctx, workflow.Change{Record: rec}))
			},
			run:     func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Close(f.ctx, clerk, id) },
			refused: prereq("questions[" + qWages + "]")},
		{name: "close in work", at: inExecution,
			run:     func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Close(f.ctx, clerk, id) },
			refused: is(appeal.ErrForbidden)},
		{name: "close twice", at: closed,
			run:     func(f *fixture, id uuid.UUID) (*workflow.Record, error) { return f.eng.Close(f.ctx, clerk, id) },
			refused: is(appeal.ErrForbidden)},
	})
}

func TestUnknownAppeal(t *testing.T) {
	f := newFixture(t)
	_, err := recOf(f.eng.Register(f.ctx, clerk, uuid.New(), workflow.RegisterInput{}))
	assert.ErrorIs(t, err, workflow.ErrNotFound)
	_, err = f.eng.PublicStatus(f.ctx, auditor, uuid.New())
	assert.ErrorIs(t, err, workflow.ErrNotFound)
	assert.False(t, errors.Is(err, workflow.ErrDenied))
}

// An appeal on migration law goes to both the territorial МВД body and the head of the
// subject: one without the other is refused (art. 8 p.3.1).
func TestMigrationForwardingNeedsBothBodies(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(received)
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	rec.Appeal.MigrationViolation = true
	require.NoError(t, f.store.Save(f.ctx, workflow.Change{Record: rec}))
	_, err = f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
	require.NoError(t, err)
	before := f.snap(id)
	for _, to := range [][]workflow.Target{
		{migrationBodies[0]},
		{migrationBodies[1]},
		{{Body: "УМВД"}, {Body: "Губернатор"}}, // roles not said
	} {
		_, err := f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: to})
		var pe *workflow.PrerequisiteError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, workflow.RuleMigrationTargets, pe.Rule)
	}
	assert.Equal(t, before, f.snap(id))
	_, err = f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: migrationBodies})
	require.NoError(t, err)
}
