package workflow_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"text/template"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPublicStatus(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(inExecution)
	_, err := f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{workflow.Target{Body: "Трудовая инспекция"}}, Questions: []string{qWages}})
	require.NoError(t, err)
	_, err = f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 30, Reason: "Выезд на место", ApprovedBy: "head-1"})
	require.NoError(t, err)

	ps, err := f.eng.PublicStatus(f.ctx, auditor, id)
	require.NoError(t, err)
	assert.Equal(t, "Срок рассмотрения продлен", ps.Stage)
	assert.Equal(t, "Ж-2025-000001", ps.Number)
	assert.Equal(t, day(2025, 11, 10), ps.RegisteredOn)
	assert.Equal(t, day(2026, 1, 12), ps.Planned)
	assert.True(t, ps.Extended)
	assert.Equal(t, "Выезд на место", ps.ExtensionReason)
	assert.Equal(t, []string{"Трудовая инспекция"}, ps.ForwardedTo)
	require.Len(t, ps.Questions, 2)
	assert.Equal(t, "Трудовая инспекция", ps.Questions[1].TransferredTo)
	assert.Equal(t, "Направлено по компетенции", ps.Questions[1].Label)
	stages := make([]string, len(ps.Timeline))
	for i, n := range ps.Timeline {
		stages[i] = n.Stage
	}
	assert.Equal(t, []string{"Поступило", "Зарегистрировано", "На исполнении", "Направлено по компетенции", "Срок рассмотрения продлен"}, stages)

	for _, step := range []func() (*workflow.Record, error){
		func() (*workflow.Record, error) {
			return f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: "Ответ"})
		},
		func() (*workflow.Record, error) {
			return f.eng.SetResult(f.ctx, executor, id, qUtilities, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true})
		},
		func() (*workflow.Record, error) { return f.eng.Approve(f.ctx, manager, id) },
		func() (*workflow.Record, error) {
			return f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: "исх-2"})
		},
	} {
		_, err := step()
		require.NoError(t, err)
	}
	ps, err = f.eng.PublicStatus(f.ctx, auditor, id)
	require.NoError(t, err)
	assert.Equal(t, "Дан ответ", ps.Stage)
	assert.True(t, ps.Planned.IsZero(), "no planned date once answered")
	assert.True(t, ps.Questions[0].MeasuresTaken)
	assert.Equal(t, day(2025, 11, 10), ps.AnsweredOn)
}

func TestConcurrentCommands(t *testing.T) {
	// Two clerks act on one appeal at once: one wins, the other gets ErrConflict; no update is
	// lost (DESIGN.md).
	f := newFixture(t)
	id := f.appealAt(registered)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = f.eng.AssignResponsible(f.ctx, clerk, id, "exec-"+string(rune('1'+i)))
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		assert.ErrorIs(t, err, workflow.ErrConflict)
	}
	assert.GreaterOrEqual(t, won, 1)
	assert.Equal(t, 2+won, f.snap(id).events, "one event per winning command")
}

func TestTemplatesReplaced(t *testing.T) {
	host := template.Must(template.New("").Funcs(workflow.NoticeFuncs()).Parse(
		`{{define "registration.subject"}}Обращение {{.Number}} принято{{end}}{{define "unknown.body"}}x{{end}}`))
	f := newFixture(t, func(o *workflow.Options) { o.Templates = host })
	id := f.appealAt(registered)
	n := f.lastNotice(id)
	assert.Equal(t, "Обращение Ж-2025-000001 принято", n.Subject)
	assert.Contains(t, n.Body, "10.12.2025", "the default body stays")

	// A template that names a field NoticeData lacks fails at New, not when a command sends it.
	bad := template.Must(template.New("").Parse(`{{define "answer.body"}}{{.NoSuchField}}{{end}}`))
	_, err := workflow.New(f.store, workflow.Options{Templates: bad})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "answer.body")
}

func TestNoPersonalDataInLogsOrErrors(t *testing.T) {
	f := newFixture(t)
	var errs []string
	note := func(_ *workflow.Record, err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	// A full lifecycle, with refusals on the way, reminders and the dispatcher.
	id := f.appealAt(inExecution)
	note(recOf(f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})))
	note(f.eng.Report(f.ctx, executor2, id, workflow.ReportInput{Assignment: "1", Text: "x"}))
	note(f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 40, Reason: "r", ApprovedBy: "h"}))
	note(f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{workflow.Target{}}}))
	_, err := f.eng.Monitor(f.ctx, at(2025, 12, 12))
	require.NoError(t, err)
	note(f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "Сделано"}))
	note(f.eng.Extend(f.ctx, manager, id, workflow.ExtensionInput{Days: 30, Reason: "Запрос", ApprovedBy: "head-1"}))
	note(f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: "Ответ"}))
	note(f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: "исх-1"}))
	note(f.eng.SetResult(f.ctx, executor, id, qUtilities, workflow.ResultInput{Status: appeal.StatusExplained}))
	note(f.eng.SetResult(f.ctx, executor, id, qWages, workflow.ResultInput{Status: appeal.StatusAnswered}))
	note(f.eng.Approve(f.ctx, manager, id))
	note(f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: "исх-1"}))
	note(f.eng.Feedback(f.ctx, workflow.ApplicantFor(id), id, workflow.FeedbackInput{Result: appeal.Satisfied, Measures: ""}))
	note(f.eng.Close(f.ctx, clerk, id))
	c := card()
	c.Applicants[0].Consent = false
	rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: c})
	require.NoError(t, err)
	note(recOf(f.eng.Register(f.ctx, clerk, rec.Appeal.ID, workflow.RegisterInput{})))

	box := newInbox(func(workflow.Notification) error { return context.DeadlineExceeded })
	d := workflow.NewDispatcher(f.store, box, workflow.DispatcherOptions{Clock: f.clock.Now, Logger: f.log})
	_, err = d.RunOnce(f.ctx)
	require.NoError(t, err)

	logs := f.logs.String()
	require.Contains(t, logs, `"command":"send"`)
	require.Len(t, errs, 6, "the refusals happened")
	p := citizen()
	for _, pd := range []string{p.Surname, p.GivenName, p.Patronymic, p.Email, p.Phone, p.PostalAddress, "Садовая", "123-45-67", "maria.ivanova"} {
		assert.NotContains(t, logs, pd)
		for _, e := range errs {
			assert.NotContains(t, e, pd)
		}
	}
	assert.True(t, strings.Count(logs, "\n") > 15)
}

// listOnly hides memstore's Count, so Engine.Count falls back to List.
type listOnly struct{ workflow.Store }

func TestCount(t *testing.T) {
	f := newFixture(t)
	f.appealAt(registered)
	f.appealAt(answered)
	filter := workflow.Filter{States: []appeal.State{appeal.StateAnswered}}
	n, err := f.eng.Count(f.ctx, auditor, filter)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	eng, err := workflow.New(listOnly{f.store}, workflow.Options{})
	require.NoError(t, err)
	n, err = eng.Count(f.ctx, auditor, workflow.Filter{})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}
