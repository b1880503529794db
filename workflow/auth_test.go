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
	{workflow.CmdRequest, inExecution, executor, workflow.ApplicantActor(), func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
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
	{workflow.CmdWithdraw, registered, workflow.ApplicantActor(), executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
		return f.eng.Withdraw(f.ctx, a, id, "")
	}},
	{workflow.CmdFeedback, answered, workflow.ApplicantActor(), executor, func(f *fixture, a workflow.Actor, id uuid.UUID) (*workflow.Record, error) {
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
				rec, err := c.run(f, a, id)
				var de *workflow.DeniedError
				require.ErrorAs(t, err, &de, "actor %s", a.ID)
				assert.ErrorIs(t, err, workflow.ErrDenied)
				assert.Equal(t, c.cmd, de.Command)
				assert.Equal(t, a.ID, de.Actor)
				assert.Nil(t, rec)
			}
			assert.Equal(t, before, f.snap(id), "a denied command saves nothing")
			_, err := c.run(f, c.allowed, id)
			require.NoError(t, err)
			// Admin may run it too, on a fresh appeal.
			_, err = c.run(f, admin, f.appealAt(c.at))
			require.NoError(t, err)
		})
	}
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
