package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testNextNumber(t *testing.T, s workflow.Store) {
	for _, tc := range []struct {
		series string
		year   int
		want   int64
	}{
		{"ОГ", 2025, 1}, {"ОГ", 2025, 2}, {"ОГ", 2025, 3},
		{"ЖК", 2025, 1}, {"ОГ", 2026, 1}, {"", 2025, 1},
		{"ОГ", 2025, 4}, {"ЖК", 2025, 2},
	} {
		n, err := s.NextNumber(t.Context(), tc.series, tc.year)
		require.NoError(t, err)
		assert.Equal(t, tc.want, n, "%q/%d", tc.series, tc.year)
	}
}

// concurrently runs fn(i) for i in [0, n) on n goroutines started together and returns the
// errors fn returned that are not nil.
func concurrently(n int, fn func(i int) error) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			if err := fn(i); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func testNextNumberConcurrent(t *testing.T, s workflow.Store) {
	const goroutines, each = 64, 4
	var (
		mu  sync.Mutex
		got []int64
	)
	errs := concurrently(goroutines, func(int) error {
		for range each {
			n, err := s.NextNumber(t.Context(), "ОГ", 2025)
			if err != nil {
				return err
			}
			mu.Lock()
			got = append(got, n)
			mu.Unlock()
		}
		return nil
	})
	require.Empty(t, errs)
	slices.Sort(got)
	require.Len(t, got, goroutines*each)
	assert.Positive(t, got[0])
	assert.Len(t, slices.Compact(got), goroutines*each, "no number issued twice")
}

// raceGoroutines is how many goroutines race to save one appeal.
const raceGoroutines = 64

// race makes raceGoroutines goroutines load one appeal and save it with their own tag added
// to Reminders and one event giving the tag as reason; each tries at most tries times. It
// checks that every Save succeeded or conflicted, that versions, history and state agree, and
// that no successful change was lost. It returns how many saves succeeded.
func race(t *testing.T, s workflow.Store, tries int) int {
	id := newID(t)
	rec := build(id, spec{})
	rec.Reminders = nil
	require.NoError(t, s.Create(t.Context(), rec, []workflow.Event{event(id, "receive", "")}, nil))

	var (
		mu       sync.Mutex
		won      []string
		conflict int
	)
	errs := concurrently(raceGoroutines, func(i int) error {
		tag := fmt.Sprintf("g%02d", i)
		for range tries {
			r, err := s.Get(t.Context(), id)
			if err != nil {
				return err
			}
			r.Reminders = append(r.Reminders, tag)
			r.Appeal.Summary = tag
			err = s.Save(t.Context(), r, []workflow.Event{event(id, "remind", tag)}, nil)
			mu.Lock()
			switch {
			case err == nil:
				won = append(won, tag)
			case errors.Is(err, workflow.ErrConflict):
				conflict++
			}
			mu.Unlock()
			if !errors.Is(err, workflow.ErrConflict) {
				return err
			}
		}
		return nil
	})
	require.Empty(t, errs, "every Save succeeds or returns ErrConflict")
	t.Logf("%d saves, %d conflicts", len(won), conflict)

	final, err := s.Get(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, int64(1+len(won)), final.Version, "one version per success")
	assert.ElementsMatch(t, won, final.Reminders, "every success kept, nothing else")
	h, err := s.History(t.Context(), id)
	require.NoError(t, err)
	require.Len(t, h, 1+len(won), "one event per success")
	var reasons []string
	for i, ev := range h {
		assert.Equal(t, int64(i+1), ev.Seq)
		if i > 0 {
			reasons = append(reasons, ev.Reason)
		}
	}
	assert.Equal(t, final.Reminders, reasons, "events in the order the changes were applied")
	if len(reasons) > 0 {
		// The order in which Save calls returned is not the order in which the store applied
		// them; the history's is.
		assert.Equal(t, reasons[len(reasons)-1], final.Appeal.Summary, "the last change applied wins the field")
	}
	return len(won)
}

func testRaceOneShot(t *testing.T, s workflow.Store) {
	assert.Positive(t, race(t, s, 1), "someone wins")
}

func testRaceRetry(t *testing.T, s workflow.Store) {
	assert.Equal(t, raceGoroutines, race(t, s, 10*raceGoroutines), "every goroutine saves after reloading")
}
