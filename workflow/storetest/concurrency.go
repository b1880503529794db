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

// numbered returns a change of rec that draws a number of series/year and writes it into the
// card as "series-year-n"; drawn receives the number.
func numbered(rec *workflow.Record, series string, year int, drawn *int64) workflow.Change {
	return workflow.Change{Record: rec, Events: []workflow.Event{event(rec.Appeal.ID, "register", "")},
		Number: &workflow.NumberDraw{Series: series, Year: year, Apply: func(ch *workflow.Change, n int64) error {
			ch.Record.Appeal.Number = fmt.Sprintf("%s-%d-%d", series, year, n)
			*drawn = n
			return nil
		}}}
}

func testNumbers(t *testing.T, s workflow.Store) {
	for i, tc := range []struct {
		series string
		year   int
		want   int64
	}{
		{"ОГ", 2025, 1}, {"ОГ", 2025, 2}, {"ОГ", 2025, 3},
		{"ЖК", 2025, 1}, {"ОГ", 2026, 1}, {"", 2025, 1},
		{"ОГ", 2025, 4}, {"ЖК", 2025, 2},
	} {
		rec := create(t, s, newID(t), spec{})
		var n int64
		if i%2 == 0 { // both ways of writing draw alike
			require.NoError(t, s.Save(t.Context(), numbered(rec, tc.series, tc.year, &n)))
		} else {
			fresh := build(newID(t), spec{})
			require.NoError(t, s.Create(t.Context(), numbered(fresh, tc.series, tc.year, &n)))
			rec = fresh
		}
		assert.Equal(t, tc.want, n, "%q/%d", tc.series, tc.year)
		got, err := s.Get(t.Context(), rec.Appeal.ID)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("%s-%d-%d", tc.series, tc.year, tc.want), got.Appeal.Number, "Apply's change is what is stored")
	}
}

// testNumberNoHoles: a change that is refused (its Apply fails) or loses a conflict spends no
// number, so the next registration gets the next number.
func testNumberNoHoles(t *testing.T, s workflow.Store) {
	rec := create(t, s, newID(t), spec{})
	boom := errors.New("template failed")
	ch := numbered(rec.Clone(), "ОГ", 2025, new(int64)) // Apply changes the record it is given
	apply := ch.Number.Apply
	ch.Number.Apply = func(c *workflow.Change, n int64) error {
		require.NoError(t, apply(c, n))
		return boom
	}
	require.ErrorIs(t, s.Save(t.Context(), ch), boom)
	stale := rec.Clone()
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec}))
	require.ErrorIs(t, s.Save(t.Context(), numbered(stale, "ОГ", 2025, new(int64))), workflow.ErrConflict)
	got, err := s.Get(t.Context(), rec.Appeal.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Appeal.Number, "nothing of a refused change is stored")

	var n int64
	require.NoError(t, s.Save(t.Context(), numbered(rec, "ОГ", 2025, &n)))
	assert.Equal(t, int64(1), n, "the refused and the conflicting draws spent no number")
}

// testNumberRace: 16 clerks register one appeal at once; one wins, the others conflict, and the
// next appeal gets number 2.
func testNumberRace(t *testing.T, s workflow.Store) {
	rec := create(t, s, newID(t), spec{})
	const clerks = 16
	var (
		mu   sync.Mutex
		won  []int64
		lost int
	)
	errs := concurrently(clerks, func(int) error {
		var n int64
		err := s.Save(t.Context(), numbered(rec.Clone(), "ОГ", 2025, &n))
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			won = append(won, n)
		case errors.Is(err, workflow.ErrConflict):
			lost++
		default:
			return err
		}
		return nil
	})
	require.Empty(t, errs)
	require.Len(t, won, 1, "exactly one registration wins")
	assert.Equal(t, clerks-1, lost, "the others get ErrConflict")
	assert.Equal(t, []int64{1}, won)

	var n int64
	require.NoError(t, s.Save(t.Context(), numbered(create(t, s, newID(t), spec{}), "ОГ", 2025, &n)))
	assert.Equal(t, int64(2), n, "the losers spent no number")
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

func testNumbersConcurrent(t *testing.T, s workflow.Store) {
	const goroutines, each = 64, 4
	recs := make([]*workflow.Record, goroutines*each)
	for i := range recs {
		recs[i] = create(t, s, newID(t), spec{})
	}
	var (
		mu  sync.Mutex
		got []int64
	)
	errs := concurrently(goroutines, func(g int) error {
		for k := range each {
			var n int64
			if err := s.Save(t.Context(), numbered(recs[g*each+k], "ОГ", 2025, &n)); err != nil {
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
	for i, n := range got {
		require.Equal(t, int64(i+1), n, "numbers 1…N, none twice, no hole")
	}
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
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec, Events: []workflow.Event{event(id, "receive", "")}}))

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
			err = s.Save(t.Context(), workflow.Change{Record: r, Events: []workflow.Event{event(id, "remind", tag)}})
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
