package workflow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type actorRun func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error)

// commandsByStage runs every command on an appeal at a stage where it would succeed.
var commandsByStage = []struct {
	cmd     workflow.Command
	at      stage
	allowed workflow.Actor
	denied  workflow.Actor
	run     actorRun
}{
	{workflow.CmdRegister, received, clerk, manager, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return recOf(f.eng.Register(f.ctx, a, id, workflow.RegisterInput{}))
	}},
	{workflow.CmdClassify, registered, clerk, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Classify(f.ctx, a, id, []string{qWages})
	}},
	{workflow.CmdAssign, registered, manager, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.AssignResponsible(f.ctx, a, id, "exec-1")
	}},
	{workflow.CmdSubmit, registered, clerk, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Submit(f.ctx, a, id)
	}},
	{workflow.CmdResolve, classified, manager, clerk, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Resolve(f.ctx, a, id, workflow.ResolutionInput{Text: "Рассмотреть"})
	}},
	{workflow.CmdReport, inExecution, executor, clerk, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Report(f.ctx, a, id, workflow.ReportInput{Assignment: "1", Text: "Сделано"})
	}},
	{workflow.CmdForward, classified, clerk, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Forward(f.ctx, a, id, workflow.ForwardInput{To: []workflow.Target{workflow.Target{Body: "ГЖИ"}}})
	}},
	{workflow.CmdCopy, classified, clerk, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.SendCopies(f.ctx, a, id, []workflow.Target{workflow.Target{Body: "ГЖИ"}})
	}},
	{workflow.CmdExtend, inExecution, manager, clerk, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Extend(f.ctx, a, id, workflow.ExtensionInput{Days: 10, Reason: "Запрос", ApprovedBy: "head-1"})
	}},
	{workflow.CmdRequest, inExecution, executor, applicant, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Request(f.ctx, a, id, workflow.RequestInput{Body: "УК"})
	}},
	{workflow.CmdDraft, reported, executor, clerk, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.DraftAnswer(f.ctx, a, id, workflow.AnswerInput{Text: "Ответ"})
	}},
	{workflow.CmdRework, drafted, manager, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Rework(f.ctx, a, id, "Уточнить")
	}},
	{workflow.CmdApprove, resulted, manager, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Approve(f.ctx, a, id)
	}},
	{workflow.CmdResult, drafted, executor, clerk, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.SetResult(f.ctx, a, id, qWages, workflow.ResultInput{Status: appeal.StatusExplained})
	}},
	{workflow.CmdSend, approved, clerk, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Send(f.ctx, a, id, workflow.SendInput{Number: "исх-1"})
	}},
	{workflow.CmdOutcome, classified, manager, clerk, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Decide(f.ctx, a, id, workflow.OutcomeInput{Ground: workflow.GroundNoEssence})
	}},
	{workflow.CmdWithdraw, registered, applicant, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Withdraw(f.ctx, a, id, "")
	}},
	{workflow.CmdFeedback, answered, applicant, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Feedback(f.ctx, a, id, workflow.FeedbackInput{Result: appeal.Satisfied, Measures: ""})
	}},
	{workflow.CmdClose, answered, clerk, executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Close(f.ctx, a, id)
	}},
}

func TestAuthorization(t *testing.T) {
	admin := workflow.Actor{ID: "admin-1", Roles: []workflow.Role{workflow.RoleAdmin}}
	for _, c := range commandsByStage {
		t.Run(string(c.cmd), func(t *testing.T) {
			f := newFixture(t)
			id := f.appealAt(c.at)
			before := f.snap(id)
			for _, a := range []workflow.Actor{auditor, c.denied, {ID: "nobody"}} {
				rec, err := c.run(f, bound(a, id), id)
				var de *workflow.DeniedError
				require.ErrorAs(t, err, &de, "actor %s", a.ID)
				assert.ErrorIs(t, err, workflow.ErrDenied)
				assert.Equal(t, c.cmd, de.Command)
				assert.Equal(t, a.ID, de.Actor)
				assert.Nil(t, rec)
			}
			assert.Equal(t, before, f.snap(id), "a denied command saves nothing")
			_, err := c.run(f, bound(c.allowed, id), id)
			require.NoError(t, err)
			// Admin may run it too, on a fresh appeal.
			_, err = c.run(f, admin, f.appealAt(c.at))
			require.NoError(t, err)
		})
	}
}

// applicant stands for the applicant in the table; bound ties it to the appeal at hand, as
// Lookup does.
var applicant = workflow.Actor{ID: "applicant", Roles: []workflow.Role{workflow.RoleApplicant}}

func bound(a workflow.Actor, id uuid.UUID) workflow.Actor {
	if a.Has(workflow.RoleApplicant) {
		return workflow.ApplicantFor(id)
	}
	return a
}

// Authorization is per appeal: an executor acts only on appeals with their assignment, the
// applicant only on the appeal they opened by number and PIN; reads are authorized like
// commands, an auditor reads everything and changes nothing.
func TestAuthorizationPerAppeal(t *testing.T) {
	f := newFixture(t)
	mine := f.appealAt(inExecution) // exec-1's assignment
	other := f.appealAt(inExecution)
	_, err := f.eng.Reassign(f.ctx, manager, other, workflow.ReassignInput{Assignment: "1", Executor: "exec-9", Reason: "r"})
	require.NoError(t, err)
	before := f.snap(other)
	for name, run := range map[string]func() error{
		"result": func() error {
			_, err := f.eng.SetResult(f.ctx, executor, other, qUtilities, workflow.ResultInput{Status: appeal.StatusExplained})
			return err
		},
		"draft": func() error {
			_, err := f.eng.DraftAnswer(f.ctx, executor, other, workflow.AnswerInput{Text: "x"})
			return err
		},
		"request": func() error {
			_, err := f.eng.Request(f.ctx, executor, other, workflow.RequestInput{Body: "УК"})
			return err
		},
		"read":    func() error { _, err := f.eng.Get(f.ctx, executor, other); return err },
		"history": func() error { _, err := f.eng.History(f.ctx, executor, other); return err },
	} {
		assert.ErrorIs(t, run(), workflow.ErrDenied, name)
	}
	assert.Equal(t, before, f.snap(other))
	_, err = f.eng.SetResult(f.ctx, executor, mine, qUtilities, workflow.ResultInput{Status: appeal.StatusExplained})
	require.NoError(t, err, "on their own appeal")

	// Lists hold only what the actor may read; Count agrees.
	var listed []uuid.UUID
	for rec, err := range f.eng.List(f.ctx, executor, workflow.Filter{}) {
		require.NoError(t, err)
		listed = append(listed, rec.Appeal.ID)
	}
	assert.Equal(t, []uuid.UUID{mine}, listed)
	n, err := f.eng.Count(f.ctx, executor, workflow.Filter{})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = f.eng.Count(f.ctx, auditor, workflow.Filter{})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	items, err := f.eng.Worklist(f.ctx, executor, workflow.Filter{}, f.clock.Now())
	require.NoError(t, err)
	assert.Len(t, items, 1)

	// The applicant bound to one appeal cannot act on or read another by id.
	me := workflow.ApplicantFor(mine)
	_, err = f.eng.Withdraw(f.ctx, me, other, "")
	assert.ErrorIs(t, err, workflow.ErrDenied)
	_, err = f.eng.PublicStatus(f.ctx, me, other)
	assert.ErrorIs(t, err, workflow.ErrDenied)
	_, err = f.eng.PublicStatus(f.ctx, me, mine)
	require.NoError(t, err)
	_, err = f.eng.Withdraw(f.ctx, workflow.Actor{ID: "applicant", Roles: []workflow.Role{workflow.RoleApplicant}}, mine, "")
	assert.ErrorIs(t, err, workflow.ErrDenied, "an unbound applicant acts on nothing")

	// The auditor reads everything and changes nothing.
	_, err = f.eng.Get(f.ctx, auditor, other)
	require.NoError(t, err)
	_, err = f.eng.Classify(f.ctx, auditor, other, []string{qWages})
	assert.ErrorIs(t, err, workflow.ErrDenied)
}

// Every read of personal data reaches the access log: who, when, which appeal, why.
func TestAccessLog(t *testing.T) {
	var reads []workflow.Read
	f := newFixture(t, func(o *workflow.Options) {
		o.AccessLog = workflow.AccessLogFunc(func(_ context.Context, r workflow.Read) error {
			reads = append(reads, r)
			return nil
		})
	})
	id := f.appealAt(inExecution)
	_, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	_, err = f.eng.History(f.ctx, executor, id)
	require.NoError(t, err)
	_, err = f.eng.Worklist(f.ctx, clerk, workflow.Filter{}, f.clock.Now())
	require.NoError(t, err)
	_, err = f.eng.Get(f.ctx, executor2, id)
	require.ErrorIs(t, err, workflow.ErrDenied)
	require.Len(t, reads, 3, "a denied read is not a read")
	assert.Equal(t, workflow.Read{Actor: auditor.ID, At: f.clock.Now(), Appeal: id, Purpose: workflow.PurposeCard}, reads[0])
	assert.Equal(t, workflow.PurposeHistory, reads[1].Purpose)
	assert.Equal(t, executor.ID, reads[1].Actor)
	assert.Equal(t, workflow.PurposeWorklist, reads[2].Purpose)

	// A failing log fails the read: nothing is shown unrecorded.
	f2 := newFixture(t, func(o *workflow.Options) {
		o.AccessLog = workflow.AccessLogFunc(func(context.Context, workflow.Read) error { return errors.New("journal down") })
	})
	id2 := f2.appealAt(registered)
	_, err = f2.eng.Get(f2.ctx, auditor, id2)
	assert.Error(t, err)
}

type denyAll struct{}

func (denyAll) Authorize(context.Context, workflow.Actor, workflow.Command, *workflow.Record) error {
	return errors.New("outside office hours")
}

func TestCustomAuthorizer(t *testing.T) {
	f := newFixture(t, func(o *workflow.Options) { o.Authorizer = denyAll{} })
	_, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: card()})
	var de *workflow.DeniedError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "outside office hours", de.Reason)
	assert.Equal(t, workflow.CmdReceive, de.Command)
}
