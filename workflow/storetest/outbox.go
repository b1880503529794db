package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// queue stores a record whose creation queues out.
func queue(t *testing.T, s workflow.Store, out ...workflow.Notification) {
	t.Helper()
	id := out[0].AppealID
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: build(id, spec{}), Notifications: out}))
}

// claim claims at now with limit and lease and returns the notifications.
func claim(t *testing.T, s workflow.Store, now time.Time, limit int, lease time.Duration) []workflow.Notification {
	t.Helper()
	ns, err := s.ClaimNotifications(t.Context(), now, limit, lease)
	require.NoError(t, err)
	return ns
}

func ids(ns []workflow.Notification) []uuid.UUID {
	out := make([]uuid.UUID, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

func testClaimDueOnly(t *testing.T, s workflow.Store) {
	id := newID(t)
	now, later := note(t, id, "registration", t0), note(t, id, "reminder_due_soon", t0)
	later.NextAttempt = t0.Add(time.Hour)
	queue(t, s, now, later)

	got := claim(t, s, t0, 10, 2*time.Hour)
	require.Len(t, got, 1)
	n := got[0]
	assert.Equal(t, now.ID, n.ID)
	assert.Equal(t, 1, n.Attempts, "Attempts+1")
	assert.True(t, n.NextAttempt.Equal(t0.Add(2*time.Hour)), "NextAttempt = now+lease, got %v", n.NextAttempt)
	assert.True(t, n.CreatedAt.Equal(now.CreatedAt))
	assert.Equal(t, workflow.NotificationPending, n.Status)
	assert.Equal(t, [...]any{now.AppealID, now.Kind, now.To, now.Subject, now.Body}, [...]any{n.AppealID, n.Kind, n.To, n.Subject, n.Body}, "content kept")

	assert.Equal(t, []uuid.UUID{later.ID}, ids(claim(t, s, t0.Add(time.Hour), 10, time.Minute)), "due at its NextAttempt")
}

func testClaimOldestFirst(t *testing.T, s workflow.Store) {
	a, b := newID(t), newID(t)
	n2, n0, n1 := note(t, a, "k", t0.Add(2*time.Minute)), note(t, a, "k", t0), note(t, b, "k", t0.Add(time.Minute))
	for _, n := range []*workflow.Notification{&n2, &n0, &n1} {
		n.NextAttempt = t0
	}
	queue(t, s, n2, n0)
	rec := create(t, s, b, spec{})
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec, Notifications: []workflow.Notification{n1}}))

	now := t0.Add(3 * time.Minute)
	assert.Equal(t, []uuid.UUID{n0.ID, n1.ID}, ids(claim(t, s, now, 2, time.Hour)), "oldest two")
	assert.Equal(t, []uuid.UUID{n2.ID}, ids(claim(t, s, now, 2, time.Hour)), "the rest")
	assert.Empty(t, claim(t, s, now, 2, time.Hour), "all leased")
}

func testClaimLease(t *testing.T, s workflow.Store) {
	n := note(t, newID(t), "registration", t0)
	queue(t, s, n)
	lease := 10 * time.Minute
	require.Len(t, claim(t, s, t0, 1, lease), 1)
	assert.Empty(t, claim(t, s, t0.Add(lease-time.Second), 1, lease), "not claimed again within the lease")

	again := claim(t, s, t0.Add(lease), 1, lease)
	require.Len(t, again, 1, "claimed again once the lease ends (a dispatcher died)")
	assert.Equal(t, 2, again[0].Attempts)
	assert.True(t, again[0].NextAttempt.Equal(t0.Add(2*lease)))
}

func testClaimAfterUpdate(t *testing.T, s workflow.Store) {
	retry := t0.Add(5 * time.Minute)
	for _, tc := range []struct {
		status  workflow.NotificationStatus
		retried bool
	}{
		{workflow.NotificationDelivered, false},
		{workflow.NotificationFailed, false},
		{workflow.NotificationUncertain, true},
		{workflow.NotificationPending, true},
	} {
		t.Run(string(tc.status), func(t *testing.T) {
			n := note(t, newID(t), "answer", t0)
			queue(t, s, n)
			got := claim(t, s, t0, 1, time.Minute)
			require.Equal(t, []uuid.UUID{n.ID}, ids(got))

			upd := got[0]
			upd.Status, upd.NextAttempt, upd.LastError = tc.status, retry, "smtp: timeout"
			require.NoError(t, s.UpdateNotification(t.Context(), upd))

			assert.Empty(t, claim(t, s, retry.Add(-time.Second), 10, time.Minute), "not before NextAttempt")
			if !tc.retried {
				assert.Empty(t, claim(t, s, t0.AddDate(1, 0, 0), 10, time.Minute), "never again")
				return
			}
			again := claim(t, s, retry, 10, time.Minute)
			require.Equal(t, []uuid.UUID{n.ID}, ids(again))
			assert.Equal(t, tc.status, again[0].Status)
			assert.Equal(t, 2, again[0].Attempts)
			assert.Equal(t, "smtp: timeout", again[0].LastError)
		})
	}
}

func testClaimConcurrent(t *testing.T, s workflow.Store) {
	const total, workers = 24, 16
	want := make([]uuid.UUID, 0, total)
	for range total / 3 {
		id := newID(t)
		out := []workflow.Notification{note(t, id, "a", t0), note(t, id, "b", t0), note(t, id, "c", t0)}
		queue(t, s, out...)
		want = append(want, ids(out)...)
	}
	var (
		mu   sync.Mutex
		got  []uuid.UUID
		errs []error
		wg   sync.WaitGroup
	)
	start := make(chan struct{})
	for range workers {
		wg.Go(func() {
			<-start
			for {
				ns, err := s.ClaimNotifications(t.Context(), t0, 2, time.Hour)
				mu.Lock()
				got = append(got, ids(ns)...)
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
				if err != nil || len(ns) == 0 {
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	require.Empty(t, errs)
	assert.ElementsMatch(t, want, got, "each notification claimed exactly once")
}

func testUpdateNotificationNotFound(t *testing.T, s workflow.Store) {
	queue(t, s, note(t, newID(t), "registration", t0))
	n := note(t, newID(t), "registration", t0)
	n.Status = workflow.NotificationDelivered
	assert.ErrorIs(t, s.UpdateNotification(t.Context(), n), workflow.ErrNotFound)
}
