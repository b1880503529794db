package workflow_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/access"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faulty is a fixture whose memstore fails the operations in down (memstore.Options.Fault).
func faulty(t *testing.T, tune ...func(*workflow.Options)) (*fixture, map[string]bool) {
	t.Helper()
	down := map[string]bool{}
	var mu sync.Mutex
	f := newFixture(t, tune...)
	f.store = memstore.New(memstore.Options{Fault: func(op string) error {
		mu.Lock()
		defer mu.Unlock()
		if down[op] {
			return errors.New("disk on fire")
		}
		return nil
	}})
	opt := workflow.Options{Clock: f.clock.Now, Logger: f.log,
		Org: workflow.Organization{Name: "Администрация города N", Location: msk, Series: "Ж"}}
	for _, fn := range tune {
		fn(&opt)
	}
	eng, err := workflow.New(f.store, opt)
	require.NoError(t, err)
	f.eng = eng
	return f, down
}

// The engine under store faults: a failure after the number is drawn, a failed save, a failed
// history read — each command fails whole, nothing half-done, no number spent.
func TestEngineUnderStoreFaults(t *testing.T) {
	f, down := faulty(t)
	id := f.appealAt(received)
	before := f.snap(id)

	down["Number"] = true
	_, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{IssuePIN: true})
	require.Error(t, err, "the store failed after drawing the number")
	down["Number"] = false
	assert.Equal(t, before, f.snap(id), "no state, event or notice")
	rec, err := f.eng.Get(f.ctx, auditor, id)
	require.NoError(t, err)
	assert.Empty(t, rec.Appeal.Number)
	assert.Nil(t, rec.Access, "no PIN kept from the failed registration")
	res, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
	require.NoError(t, err)
	assert.Equal(t, "Ж-2025-000001", res.Record.Appeal.Number, "the failed draw spent no number")

	down["Save"] = true
	before = f.snap(id)
	_, err = f.eng.Classify(f.ctx, clerk, id, []string{qUtilities})
	require.Error(t, err)
	down["Save"] = false
	assert.Equal(t, before, f.snap(id))

	down["History"] = true
	_, err = f.eng.History(f.ctx, auditor, id)
	assert.Error(t, err)
	_, err = f.eng.PublicStatus(f.ctx, auditor, id)
	assert.Error(t, err)
	for _, err := range f.eng.SSTUEntries(f.ctx, clerk, workflow.Filter{}) {
		assert.Error(t, err, "the export stops on the failed read")
	}
	down["History"] = false
	assert.Equal(t, before, f.snap(id), "failed reads write nothing")

	down["Create"] = true
	_, err = f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: card()})
	require.Error(t, err)
	down["Create"] = false
	n, err := f.eng.Count(f.ctx, auditor, workflow.Filter{})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the failed receipt stored nothing")

	down["List"] = true
	_, err = f.eng.Monitor(f.ctx, at(2025, 12, 30))
	assert.Error(t, err)
}

// barrierStore makes every Get wait until n callers have read, so that n commands surely race
// on one version.
type barrierStore struct {
	workflow.Store
	wg *sync.WaitGroup
}

func (s barrierStore) Get(ctx context.Context, id uuid.UUID) (*workflow.Record, error) {
	rec, err := s.Store.Get(ctx, id)
	s.wg.Done()
	s.wg.Wait()
	return rec, err
}

// Eight clerks act on one appeal at the same moment, all having read the same version: exactly
// one wins, every other gets ErrConflict, and the history has one event for the winner.
func TestOneWinnerTheRestConflict(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(registered)
	before := f.snap(id)
	const clerks = 8
	var wg sync.WaitGroup
	wg.Add(clerks)
	eng, err := workflow.New(barrierStore{Store: f.store, wg: &wg}, workflow.Options{Clock: f.clock.Now,
		Org: workflow.Organization{Name: "Администрация города N", Location: msk}})
	require.NoError(t, err)
	errs := make([]error, clerks)
	var done sync.WaitGroup
	for i := range clerks {
		done.Go(func() {
			_, errs[i] = eng.AssignResponsible(f.ctx, clerk, id, "exec-"+string(rune('1'+i)))
		})
	}
	done.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		assert.ErrorIs(t, err, workflow.ErrConflict)
	}
	assert.Equal(t, 1, won, "exactly one winner")
	assert.Equal(t, before.events+1, f.snap(id).events, "one event, the winner's")
}

// countingStore counts Store.Get calls.
type countingStore struct {
	workflow.Store
	gets *atomic.Int64
}

func (s countingStore) Get(ctx context.Context, id uuid.UUID) (*workflow.Record, error) {
	s.gets.Add(1)
	return s.Store.Get(ctx, id)
}

// With Options.RecentRecords a command on an appeal the engine saved lately skips Store.Get;
// without it, every command loads.
func TestRecentRecordsSkipTheLoad(t *testing.T) {
	for _, c := range []struct {
		recent int
		gets   int64
	}{{100, 0}, {0, 3}} {
		var gets atomic.Int64
		st := countingStore{Store: memstore.New(memstore.Options{}), gets: &gets}
		eng, err := workflow.New(st, workflow.Options{Clock: (&clock{t: start}).Now, RecentRecords: c.recent,
			Org: workflow.Organization{Name: "Администрация", Location: msk}})
		require.NoError(t, err)
		rec, err := eng.Receive(context.Background(), clerk, workflow.Intake{Card: card()})
		require.NoError(t, err)
		id := rec.Appeal.ID
		gets.Store(0)
		_, err = eng.Register(context.Background(), clerk, id, workflow.RegisterInput{})
		require.NoError(t, err)
		_, err = eng.Classify(context.Background(), clerk, id, []string{qUtilities})
		require.NoError(t, err)
		_, err = eng.AssignResponsible(context.Background(), clerk, id, "exec-1")
		require.NoError(t, err)
		assert.Equal(t, c.gets, gets.Load(), "RecentRecords %d", c.recent)
	}
}

// The status lookup takes the same time for a known number with a wrong PIN and for an
// unknown number, measured interleaved through the engine, so numbers cannot be probed by
// timing. Each side's fastest run is its cost without the machine's noise; the bounds (a
// factor of 3) leave room for a loaded machine, while a shortcut that skips the key
// derivation for an unknown number is a thousand times faster.
func TestLookupTimingThroughTheEngine(t *testing.T) {
	f := newFixture(t, func(o *workflow.Options) {
		o.Limiter = access.LimiterFunc(func(context.Context, access.Attempt) error { return nil })
	})
	id := f.appealAt(registered)
	issued, err := f.eng.IssuePIN(f.ctx, clerk, id)
	require.NoError(t, err)
	known := workflow.LookupInput{Number: issued.Record.Appeal.Number, PIN: "AAAA-BBBB-CCCC"}
	unknown := workflow.LookupInput{Number: "Ж-2025-999999", PIN: "AAAA-BBBB-CCCC"}
	var tk, tu []time.Duration
	for range 15 {
		for _, c := range []struct {
			in  workflow.LookupInput
			out *[]time.Duration
		}{{known, &tk}, {unknown, &tu}} {
			start := time.Now()
			_, err := f.eng.Lookup(f.ctx, c.in)
			*c.out = append(*c.out, time.Since(start))
			require.ErrorIs(t, err, workflow.ErrNoAccess)
		}
	}
	ratio := float64(slices.Min(tu)) / float64(slices.Min(tk))
	assert.True(t, ratio > 1.0/3 && ratio < 3, "unknown %v, known %v", slices.Min(tu), slices.Min(tk))
}
