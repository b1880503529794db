package pgstore

import (
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRoundTrips counts the messages each Store call sends once its statement is prepared
// (pgx caches prepared statements per connection): every call is one round-trip, a refused
// Save included.
func TestRoundTrips(t *testing.T) {
	t.Parallel()
	s, writes := countingStore(t, 1)
	ctx := t.Context()
	stale := newRecord(t, "")
	require.NoError(t, s.Create(ctx, stale, nil, nil))
	stale = stale.Clone()

	var cur *workflow.Record
	for _, tc := range []struct {
		name    string
		prepare func() // not counted
		call    func() error
	}{
		{"Create", nil, func() error {
			rec := newRecord(t, "")
			return s.Create(ctx, rec, []workflow.Event{{AppealID: rec.Appeal.ID, At: t0}}, []workflow.Notification{newNote(t, rec.Appeal.ID)})
		}},
		{"Get", nil, func() error { _, err := s.Get(ctx, stale.Appeal.ID); return err }},
		{"Save", func() {
			var err error
			cur, err = s.Get(ctx, stale.Appeal.ID)
			require.NoError(t, err)
		}, func() error {
			return s.Save(ctx, cur, []workflow.Event{{AppealID: cur.Appeal.ID, At: t0}}, []workflow.Notification{newNote(t, cur.Appeal.ID)})
		}},
		{"Save refused", nil, func() error {
			err := s.Save(ctx, stale.Clone(), nil, nil)
			require.ErrorIs(t, err, workflow.ErrConflict)
			return nil
		}},
		{"History", nil, func() error { _, err := s.History(ctx, stale.Appeal.ID); return err }},
		{"NextNumber", nil, func() error { _, err := s.NextNumber(ctx, "ОГ", 2025); return err }},
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
}
