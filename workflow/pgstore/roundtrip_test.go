package pgstore

import (
	"strconv"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRoundTrips counts the messages each Store call sends once its statement is prepared
// (pgx caches prepared statements per connection): every call is one round-trip, a refused
// Save included, except a save that draws a registration number: a transaction of the draw
// and the write (BEGIN, draw, write, COMMIT).
func TestRoundTrips(t *testing.T) {
	t.Parallel()
	s, writes := countingStore(t, 1)
	ctx := t.Context()
	stale := newRecord(t, "")
	require.NoError(t, s.Create(ctx, workflow.Change{Record: stale}))
	stale = stale.Clone()

	var cur *workflow.Record
	for _, tc := range []struct {
		name    string
		prepare func() // not counted
		call    func() error
	}{
		{"Create", nil, func() error {
			rec := newRecord(t, "")
			return s.Create(ctx, workflow.Change{Record: rec, Events: []workflow.Event{{AppealID: rec.Appeal.ID, At: t0}}, Notifications: []workflow.Notification{newNote(t, rec.Appeal.ID)}})
		}},
		{"Get", nil, func() error { _, err := s.Get(ctx, stale.Appeal.ID); return err }},
		{"Save", func() {
			var err error
			cur, err = s.Get(ctx, stale.Appeal.ID)
			require.NoError(t, err)
		}, func() error {
			return s.Save(ctx, workflow.Change{Record: cur, Events: []workflow.Event{{AppealID: cur.Appeal.ID, At: t0}}, Notifications: []workflow.Notification{newNote(t, cur.Appeal.ID)}})
		}},
		{"Save refused", nil, func() error {
			err := s.Save(ctx, workflow.Change{Record: stale.Clone()})
			require.ErrorIs(t, err, workflow.ErrConflict)
			return nil
		}},
		{"History", nil, func() error { _, err := s.History(ctx, stale.Appeal.ID); return err }},

		{"List (one page)", nil, func() error {
			for _, err := range s.List(ctx, workflow.Filter{Person: "clerk-1"}) {
				require.NoError(t, err)
			}
			return nil
		}},
		{"Count", nil, func() error { _, err := s.Count(ctx, workflow.Filter{Code: "0005"}); return err }},
		{"ClaimNotifications", nil, func() error { _, err := s.ClaimNotifications(ctx, t0, 10, time.Minute); return err }},
		{"UpdateNotification", nil, func() error {
			err := s.UpdateNotification(ctx, workflow.Notification{ID: stale.Appeal.ID})
			require.ErrorIs(t, err, workflow.ErrNotFound)
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // pgx prepares the statement on first use
				if tc.prepare != nil {
					tc.prepare()
				}
				require.NoError(t, tc.call())
			}
			if tc.prepare != nil {
				tc.prepare()
			}
			before := writes.Load()
			require.NoError(t, tc.call())
			assert.Equal(t, int64(1), writes.Load()-before)
		})
	}
	t.Run("Save drawing a number", func(t *testing.T) {
		for round := range 2 { // the first round prepares the statements
			cur, err := s.Get(ctx, stale.Appeal.ID)
			require.NoError(t, err)
			before := writes.Load()
			require.NoError(t, s.Save(ctx, workflow.Change{Record: cur, Number: &workflow.NumberDraw{Series: "ОГ", Year: 2025,
				Apply: func(ch *workflow.Change, n int64) error {
					ch.Record.Appeal.Number = "ОГ-" + strconv.FormatInt(n, 10)
					return nil
				}}}))
			if round == 1 {
				assert.Equal(t, int64(4), writes.Load()-before, "BEGIN, draw, write, COMMIT")
			}
		}
	})
}

// TestListPages checks that List streams: it reads one page per query, as the loop asks,
// and never more than a page at once.
func TestListPages(t *testing.T) {
	t.Parallel()
	s, writes := countingStore(t, 1)
	s.pageSize = 3
	for range 10 {
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: newRecord(t, "")}))
	}
	for _, tc := range []struct {
		name    string
		filter  workflow.Filter
		take    int // records the loop takes before it breaks (0: all)
		want    int // records yielded
		queries int64
	}{
		{"all", workflow.Filter{}, 0, 10, 4},
		{"break at a page's end", workflow.Filter{Person: "clerk-1"}, 9, 9, 3},
		{"break in the first page", workflow.Filter{}, 2, 2, 1},
		{"limit on a page boundary", workflow.Filter{Limit: 6}, 0, 6, 2},
		{"limit inside a page", workflow.Filter{Limit: 4}, 0, 4, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for round := range 2 { // the first round prepares the statements
				before, n := writes.Load(), 0
				for _, err := range s.List(t.Context(), tc.filter) {
					require.NoError(t, err)
					n++
					if n == tc.take {
						break
					}
				}
				assert.Equal(t, tc.want, n)
				if round == 1 {
					assert.Equal(t, tc.queries, writes.Load()-before, "queries")
				}
			}
		})
	}
}
