package pgstore

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newRecord returns a small record with one question, an applicant and an intake key.
func newRecord(t testing.TB, intake string) *workflow.Record {
	t.Helper()
	id, err := uuid.NewV7()
	require.NoError(t, err)
	a := appeal.New(id, t0, appeal.ChannelWebForm)
	a.Questions = []appeal.Question{{Code: "0005.0005.0055.1122"}}
	a.Applicants = []appeal.Applicant{{Surname: "Иванов", GivenName: "Иван", Email: "ivanov@example.org"}}
	a.Responsible = "clerk-1"
	return &workflow.Record{Appeal: a, IntakeKey: intake, Series: "ОГ"}
}

func newNote(t testing.TB, appealID uuid.UUID) workflow.Notification {
	t.Helper()
	id, err := uuid.NewV7()
	require.NoError(t, err)
	return workflow.Notification{ID: id, AppealID: appealID, Kind: "registration",
		To:        workflow.Recipient{Role: "applicant", Channel: "email", Address: "ivanov@example.org"},
		CreatedAt: t0, Status: workflow.NotificationPending, NextAttempt: t0}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	s := New(poolIn(t, newSchema(t), 8))
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = s.Migrate(t.Context()) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err, "concurrent Migrate calls serialize")
	}
	require.NoError(t, s.Migrate(t.Context()), "Migrate is idempotent")

	all, err := loadMigrations()
	require.NoError(t, err)
	var applied []int
	rows, err := s.pool.Query(t.Context(), `SELECT version FROM pgstore_migrations ORDER BY version`)
	require.NoError(t, err)
	for rows.Next() {
		var v int
		require.NoError(t, rows.Scan(&v))
		applied = append(applied, v)
	}
	require.NoError(t, rows.Err())
	require.Len(t, applied, len(all), "each migration recorded once")
	for i, m := range all {
		assert.Equal(t, m.version, applied[i])
	}
}

// TestClaimableStatuses keeps the SQL's literal status list (and the partial index's) in
// step with workflow's constants.
func TestClaimableStatuses(t *testing.T) {
	assert.Contains(t, claimSQL, "status IN ('"+string(workflow.NotificationPending)+"', '"+string(workflow.NotificationUncertain)+"')")
}

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	first := newRecord(t, "msg-1@mail")
	n1 := newNote(t, first.Appeal.ID)
	require.NoError(t, s.Create(ctx, workflow.Change{Record: first, Notifications: []workflow.Notification{n1}}))

	other := newRecord(t, "")
	require.NoError(t, s.Create(ctx, workflow.Change{Record: other}))

	for _, tc := range []struct {
		name  string
		write func() error
		want  error
	}{
		{"save takes another's intake key", func() error {
			rec := other.Clone()
			rec.IntakeKey = "msg-1@mail"
			return s.Save(ctx, workflow.Change{Record: rec})
		}, workflow.ErrDuplicate},
		{"create queues a notification id already queued", func() error {
			return s.Create(ctx, workflow.Change{Record: newRecord(t, ""), Notifications: []workflow.Notification{n1}})
		}, workflow.ErrExists},
		{"save queues one notification id twice", func() error {
			n := newNote(t, other.Appeal.ID)
			return s.Save(ctx, workflow.Change{Record: other.Clone(), Notifications: []workflow.Notification{n, n}})
		}, workflow.ErrExists},
		{"record without a card", func() error {
			return s.Save(ctx, workflow.Change{Record: &workflow.Record{Version: 1}})
		}, errNoAppeal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorIs(t, tc.write(), tc.want)
		})
	}

	var dup *workflow.DuplicateError
	rec := other.Clone()
	rec.IntakeKey = "msg-1@mail"
	require.ErrorAs(t, s.Save(ctx, workflow.Change{Record: rec}), &dup)
	assert.Equal(t, first.Appeal.ID, dup.Existing)

	got, err := s.Get(ctx, other.Appeal.ID)
	require.NoError(t, err)
	assert.Equal(t, other, got, "refused writes stored nothing")
	assert.Equal(t, 1, len(drainAll(t, s)), "only the first notification is queued")
}

// drainAll claims every claimable notification.
func drainAll(t testing.TB, s *Store) []workflow.Notification {
	t.Helper()
	ns, err := s.ClaimNotifications(t.Context(), t0.AddDate(10, 0, 0), 10000, time.Hour)
	require.NoError(t, err)
	return ns
}

// TestErrorsCarryNoPersonalData provokes errors whose PostgreSQL DETAIL or WHERE quotes
// row values and checks that the error returned carries none of them.
func TestErrorsCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	const secret = "Конфиденциальная"
	first := newRecord(t, secret+"@example.org")
	require.NoError(t, s.Create(ctx, workflow.Change{Record: first}))

	dup := newRecord(t, secret+"@example.org")
	nul := newRecord(t, "")
	nul.Appeal.Applicants[0].Surname = secret + "\x00"
	for _, err := range []error{
		s.Create(ctx, workflow.Change{Record: dup}), // unique violation, DETAIL: Key (intake_key)=(…)
		s.Create(ctx, workflow.Change{Record: nul}), // jsonb refuses \u0000, WHERE quotes the document
	} {
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret)
		var pe *pgconn.PgError
		assert.False(t, errors.As(err, &pe), "no *pgconn.PgError with its DETAIL reachable: %v", err)
	}
}

func TestEventsAppendOnly(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	rec := newRecord(t, "")
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec, Events: []workflow.Event{{AppealID: rec.Appeal.ID, At: t0, Command: "receive"}}}))
	for _, stmt := range []string{`UPDATE events SET doc = '{}'`, `DELETE FROM events`} {
		_, err := s.pool.Exec(t.Context(), stmt)
		require.Error(t, err, stmt)
		assert.Contains(t, err.Error(), "append-only")
	}
}

// TestDispatcherProcesses claims from several pools at once, as separate dispatcher
// processes would: every notification is claimed exactly once within its lease.
func TestDispatcherProcesses(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := New(poolIn(t, schema, 4))
	require.NoError(t, s.Migrate(t.Context()))
	var want []uuid.UUID
	for range 50 {
		rec := newRecord(t, "")
		out := []workflow.Notification{newNote(t, rec.Appeal.ID), newNote(t, rec.Appeal.ID)}
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec, Notifications: out}))
		want = append(want, out[0].ID, out[1].ID)
	}
	var (
		mu  sync.Mutex
		got []uuid.UUID
		wg  sync.WaitGroup
	)
	for range 4 {
		d := New(poolIn(t, schema, 2))
		for range 2 {
			wg.Go(func() {
				for {
					ns, err := d.ClaimNotifications(t.Context(), t0, 3, time.Hour)
					assert.NoError(t, err)
					if len(ns) == 0 {
						return
					}
					for _, n := range ns {
						n.Status = workflow.NotificationDelivered
						assert.NoError(t, d.UpdateNotification(t.Context(), n))
						mu.Lock()
						got = append(got, n.ID)
						mu.Unlock()
					}
				}
			})
		}
	}
	wg.Wait()
	assert.ElementsMatch(t, want, got, "each claimed once")
	assert.Empty(t, drainAll(t, s), "delivered ones are never claimed again")
}
