package sqlitestore

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The staff of the engine tests.
var (
	clerk    = workflow.Actor{ID: "clerk-1", Roles: []workflow.Role{workflow.RoleClerk}}
	head     = workflow.Actor{ID: "head-1", Roles: []workflow.Role{workflow.RoleManager}}
	executor = workflow.Actor{ID: "exec-1", Roles: []workflow.Role{workflow.RoleExecutor}}
)

// lifecycleCommands is how many commands lifecycle runs.
const lifecycleCommands = 10

// lifecycleCode is the question lifecycle classifies the appeal under.
const lifecycleCode = "0005.0005.0056.1147"

// newCard returns a valid web-form complaint, not yet classified.
func newCard() *appeal.Appeal {
	a := appeal.New(uuid.Nil, t0, appeal.ChannelWebForm)
	a.Kind, a.Identified = appeal.Complaint, true
	a.Text = "Прошу отремонтировать дорогу во дворе дома, ямы не засыпают третий год."
	a.Applicants = []appeal.Applicant{{Surname: "Иванова", GivenName: "Мария", Email: "maria@example.org",
		AnswerChannel: appeal.AnswerByEmail, Consent: true}}
	return a
}

// lifecycle takes one appeal through the engine from receipt to closing in ten commands —
// receive, register, classify, resolve with one assignment, report, draft, result, approve,
// send, close — and retries a command that lost a race for the record (ErrConflict), as a
// host would. It calls done, when not nil, with the record each command saved.
func lifecycle(ctx context.Context, eng *workflow.Engine, done func(*workflow.Record)) error {
	rec, err := eng.Receive(ctx, clerk, workflow.Intake{Card: newCard()})
	if err != nil {
		return err
	}
	if done != nil {
		done(rec)
	}
	id := rec.Appeal.ID
	steps := []func() (*workflow.Record, error){
		func() (*workflow.Record, error) {
			r, err := eng.Register(ctx, clerk, id, workflow.RegisterInput{})
			return r.Record, err
		},
		func() (*workflow.Record, error) { return eng.Classify(ctx, clerk, id, []string{lifecycleCode}) },
		func() (*workflow.Record, error) {
			return eng.Resolve(ctx, head, id, workflow.ResolutionInput{Text: "Рассмотреть",
				Assignments: []workflow.AssignmentInput{{Executor: executor.ID, Task: "Проверить"}}})
		},
		func() (*workflow.Record, error) {
			return eng.Report(ctx, executor, id, workflow.ReportInput{Assignment: "1", Text: "Сделано"})
		},
		func() (*workflow.Record, error) {
			return eng.DraftAnswer(ctx, executor, id, workflow.AnswerInput{Text: "Дорога отремонтирована."})
		},
		func() (*workflow.Record, error) {
			return eng.SetResult(ctx, executor, id, lifecycleCode, workflow.ResultInput{Status: appeal.StatusSupported, MeasuresTaken: true})
		},
		func() (*workflow.Record, error) { return eng.Approve(ctx, head, id) },
		func() (*workflow.Record, error) {
			return eng.Send(ctx, clerk, id, workflow.SendInput{Number: "исх-1"})
		},
		func() (*workflow.Record, error) { return eng.Close(ctx, clerk, id) },
	}
	for _, step := range steps {
		rec, err := step()
		for errors.Is(err, workflow.ErrConflict) {
			rec, err = step()
		}
		if err != nil {
			return err
		}
		if done != nil {
			done(rec)
		}
	}
	return nil
}

// newEngine returns an engine on s whose clock is clock, or always t0 when nil.
func newEngine(t testing.TB, s workflow.Store, clock func() time.Time) *workflow.Engine {
	t.Helper()
	if clock == nil {
		clock = func() time.Time { return t0 }
	}
	eng, err := workflow.New(s, workflow.Options{Clock: clock, Org: workflow.Organization{Name: "Администрация", Series: "Ж"}})
	require.NoError(t, err)
	return eng
}

// TestEngineConcurrentCommands runs lifecycles from many goroutines through the real engine
// while Monitor lists and saves the same records and a dispatcher, on a second Store of the
// same file (as another process would open it), claims and settles their notices. No command
// may fail for the file's lock, every appeal ends closed with a number of its own, and every
// notice is delivered once.
func TestEngineConcurrentCommands(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "appeals.db")
	s := openStore(t, path)
	other, err := Open(path, Options{BusyTimeout: time.Minute})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, other.Close()) })
	eng, monitor := newEngine(t, s, nil), newEngine(t, other, nil)
	ctx := t.Context()

	const workers, each = 8, 4
	var (
		mu        sync.Mutex
		errs      []error
		delivered = map[uuid.UUID]int{}
		wg, bg    sync.WaitGroup
	)
	report := func(err error) {
		if err != nil {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
	}
	done := make(chan struct{})
	bg.Go(func() {
		d := workflow.NewDispatcher(other, workflow.NotifierFunc(func(_ context.Context, n workflow.Notification) error {
			mu.Lock()
			delivered[n.ID]++
			mu.Unlock()
			return nil
		}), workflow.DispatcherOptions{Batch: 7})
		for {
			_, err := d.RunOnce(ctx)
			report(err)
			select {
			case <-done:
				for n, err := d.RunOnce(ctx); n > 0 || err != nil; n, err = d.RunOnce(ctx) {
					report(err)
				}
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	bg.Go(func() {
		for {
			_, err := monitor.Monitor(ctx, t0.AddDate(0, 0, 40)) // every term overdue
			report(err)
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	for range workers {
		wg.Go(func() {
			for range each {
				report(lifecycle(ctx, eng, nil))
			}
		})
	}
	wg.Wait()
	close(done)
	bg.Wait()

	for _, err := range errs {
		assert.NotErrorIs(t, err, ErrBusy)
		assert.NotContains(t, strings.ToLower(err.Error()), "locked")
	}
	require.Empty(t, errs)

	numbers := map[string]bool{}
	n := 0
	for rec, err := range s.List(ctx, workflow.Filter{}) {
		require.NoError(t, err)
		n++
		assert.Equal(t, appeal.StateClosed, rec.Appeal.State)
		assert.False(t, numbers[rec.Appeal.Number], "number %s twice", rec.Appeal.Number)
		numbers[rec.Appeal.Number] = true
	}
	assert.Equal(t, workers*each, n)
	for i := 1; i <= workers*each; i++ {
		assert.True(t, numbers[workflow.DefaultNumber("Ж", t0.Year(), int64(i))], "number %d issued", i)
	}
	left, err := s.ClaimNotifications(ctx, time.Now().AddDate(1, 0, 0), 1000, time.Minute)
	require.NoError(t, err)
	assert.Empty(t, left, "every notice delivered")
	for id, k := range delivered {
		assert.Equal(t, 1, k, "notice %s delivered once", id)
	}
	assert.NotEmpty(t, delivered)
}
