package workflow_test

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// The questions the tests classify appeals with (classifier edition of 31.10.2025).
const (
	qUtilities = "0005.0005.0056.1147" // коммунально-бытовое хозяйство
	qWages     = "0002.0006.0065.0257" // выплата заработной платы
)

var (
	msk   = time.FixedZone("MSK", 3*60*60)
	start = time.Date(2025, time.November, 10, 9, 0, 0, 0, msk) // Monday

	clerk     = workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	manager   = workflow.Actor{ID: "head-1", Roles: []workflow.Role{workflow.RoleManager}}
	executor  = workflow.Actor{ID: "exec-1", Roles: []workflow.Role{workflow.RoleExecutor}}
	executor2 = workflow.Actor{ID: "exec-2", Roles: []workflow.Role{workflow.RoleExecutor}}
	auditor   = workflow.Actor{ID: "audit-1", Roles: []workflow.Role{workflow.RoleAuditor}}
)

// clock is a fake clock the tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is an engine on memstore with a fake clock and captured logs.
type fixture struct {
	t     testing.TB
	ctx   context.Context
	store *memstore.Store
	eng   *workflow.Engine
	clock *clock
	logs  *bytes.Buffer
	log   *slog.Logger
}

func newFixture(t testing.TB, tune ...func(*workflow.Options)) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), store: memstore.New(memstore.Options{}), clock: &clock{t: start}, logs: &bytes.Buffer{}}
	f.log = slog.New(slog.NewJSONHandler(&syncWriter{w: f.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt := workflow.Options{
		Clock:  f.clock.Now,
		Org:    workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"},
		Logger: f.log,
	}
	for _, fn := range tune {
		fn(&opt)
	}
	eng, err := workflow.New(f.store, opt)
	require.NoError(t, err)
	f.eng = eng
	return f
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// citizen is a complete applicant; its fields are the personal data the PII test looks for.
func citizen() appeal.Applicant {
	return appeal.Applicant{Surname: "Иванова", GivenName: "Мария", Patronymic: "Петровна",
		Email: "maria.ivanova@example.ru", Phone: "+7 (900) 123-45-67",
		PostalAddress: "г. N, ул. Садовая, д. 17, кв. 4", AnswerChannel: appeal.AnswerByEmail, Consent: true}
}

// card is a valid web-form complaint, not yet classified.
func card() *appeal.Appeal {
	a := appeal.New(uuid.Nil, start, appeal.ChannelWebForm)
	a.Kind = appeal.Complaint
	a.Identified = true
	a.Text = "Во дворе третий месяц не вывозят мусор."
	a.Applicants = []appeal.Applicant{citizen()}
	return a
}

// stage is how far the fixture takes an appeal before a test.
type stage int

const (
	received stage = iota
	registered
	classified // registered, two questions in work
	inExecution
	reported
	drafted
	resulted // drafted, every question has a result
	approved
	answered
	closed
)

// appealAt receives an appeal and takes it to stage s; every step must succeed.
func (f *fixture) appealAt(s stage) uuid.UUID {
	f.t.Helper()
	rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: card()})
	require.NoError(f.t, err)
	id := rec.Appeal.ID
	steps := []func() (*workflow.Record, error){
		func() (*workflow.Record, error) {
			return recOf(f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{}))
		},
		func() (*workflow.Record, error) {
			return f.eng.Classify(f.ctx, clerk, id, []string{qUtilities, qWages})
		},
		func() (*workflow.Record, error) {
			return f.eng.Resolve(f.ctx, manager, id, workflow.ResolutionInput{Text: "Рассмотреть и подготовить ответ",
				Assignments: []workflow.AssignmentInput{{Executor: executor.ID, Task: "Проверить вывоз мусора"}}})
		},
		func() (*workflow.Record, error) {
			return f.eng.Report(f.ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "Вывоз восстановлен"})
		},
		func() (*workflow.Record, error) {
			return f.eng.DraftAnswer(f.ctx, executor, id, workflow.AnswerInput{Text: "Вывоз мусора восстановлен."})
		},
		func() (*workflow.Record, error) {
			if _, err := f.eng.SetResult(f.ctx, executor, id, qUtilities, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true}); err != nil {
				return nil, err
			}
			return f.eng.SetResult(f.ctx, executor, id, qWages, workflow.ResultInput{Status: appeal.StatusExplained})
		},
		func() (*workflow.Record, error) { return f.eng.Approve(f.ctx, manager, id) },
		func() (*workflow.Record, error) {
			return f.eng.Send(f.ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
		},
		func() (*workflow.Record, error) { return f.eng.Close(f.ctx, clerk, id) },
	}
	for i := 0; i < int(s); i++ {
		_, err := steps[i]()
		require.NoError(f.t, err, "step to stage %d", i+1)
	}
	return id
}

// snapshot is what a refused command must leave unchanged.
type snapshot struct {
	version int64
	events  int
	notices int
}

func (f *fixture) snap(id uuid.UUID) snapshot {
	f.t.Helper()
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(f.t, err)
	h, err := f.eng.History(f.ctx, auditor, id)
	require.NoError(f.t, err)
	return snapshot{rec.Version, len(h), len(f.store.Notifications(id))}
}

func day(y int, m time.Month, d int) deadline.Date { return deadline.NewDate(y, m, d) }

// recOf adapts a command that returns a WithPIN to one that returns the record.
func recOf(r workflow.WithPIN, err error) (*workflow.Record, error) { return r.Record, err }
