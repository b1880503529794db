package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inbox is a notifier that records what it was given and fails as told.
type inbox struct {
	mu   sync.Mutex
	got  map[uuid.UUID]int // deliveries (including "maybe sent" ones that went out) per id
	fail func(n workflow.Notification) error
}

func newInbox(fail func(workflow.Notification) error) *inbox {
	return &inbox{got: make(map[uuid.UUID]int), fail: fail}
}

func (b *inbox) Notify(_ context.Context, n workflow.Notification) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var err error
	if b.fail != nil {
		err = b.fail(n)
	}
	if err == nil || errors.Is(err, workflow.ErrMaybeSent) {
		b.got[n.ID]++
	}
	return err
}

func (f *fixture) dispatcher(n workflow.Notifier, tune ...func(*workflow.DispatcherOptions)) *workflow.Dispatcher {
	opt := workflow.DispatcherOptions{Clock: f.clock.Now, MaxAttempts: 3, Backoff: 30 * time.Second, MaxBackoff: 2 * time.Minute}
	for _, fn := range tune {
		fn(&opt)
	}
	return workflow.NewDispatcher(f.store, n, opt)
}

func TestDispatcherDelivers(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(inExecution) // registration notice + one assignment
	box := newInbox(nil)
	d := f.dispatcher(box)
	n, err := d.RunOnce(f.ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	for _, x := range f.store.Notifications(id) {
		assert.Equal(t, workflow.NotificationDelivered, x.Status)
		assert.Equal(t, 1, x.Attempts)
		assert.Equal(t, 1, box.got[x.ID])
	}
	n, err = d.RunOnce(f.ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "delivered notifications are not claimed again")
}

func TestDispatcherRetries(t *testing.T) {
	errDown := errors.New("smtp: connection refused")
	cases := []struct {
		name       string
		err        error
		wantStatus workflow.NotificationStatus
	}{
		{"not sent: pending with backoff", errDown, workflow.NotificationPending},
		{"maybe sent: uncertain, same key", fmt.Errorf("timeout: %w", workflow.ErrMaybeSent), workflow.NotificationUncertain},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			id := f.appealAt(registered)
			failing := true
			box := newInbox(func(workflow.Notification) error {
				if failing {
					return c.err
				}
				return nil
			})
			d := f.dispatcher(box)
			n, err := d.RunOnce(f.ctx)
			require.NoError(t, err)
			assert.Zero(t, n)
			x := f.store.Notifications(id)[0]
			assert.Equal(t, c.wantStatus, x.Status)
			assert.Equal(t, c.err.Error(), x.LastError)
			assert.Equal(t, f.clock.Now().Add(30*time.Second), x.NextAttempt, "first backoff")

			n, err = d.RunOnce(f.ctx)
			require.NoError(t, err)
			assert.Zero(t, n, "not due before the backoff")
			f.clock.Add(30 * time.Second)
			_, err = d.RunOnce(f.ctx)
			require.NoError(t, err)
			x = f.store.Notifications(id)[0]
			assert.Equal(t, f.clock.Now().Add(time.Minute), x.NextAttempt, "the backoff doubles")

			failing = false
			f.clock.Add(time.Minute)
			n, err = d.RunOnce(f.ctx)
			require.NoError(t, err)
			assert.Equal(t, 1, n)
			x = f.store.Notifications(id)[0]
			assert.Equal(t, workflow.NotificationDelivered, x.Status)
			assert.Equal(t, 3, x.Attempts)
		})
	}
}

func TestDispatcherGivesUp(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(registered)
	box := newInbox(func(workflow.Notification) error { return errors.New("no route") })
	d := f.dispatcher(box)
	for range 5 {
		_, err := d.RunOnce(f.ctx)
		require.NoError(t, err)
		f.clock.Add(time.Hour)
	}
	x := f.store.Notifications(id)[0]
	assert.Equal(t, workflow.NotificationFailed, x.Status)
	assert.Equal(t, 3, x.Attempts, "MaxAttempts, then never claimed again")
}

func TestDispatcherRunStops(t *testing.T) {
	f := newFixture(t)
	f.appealAt(registered)
	box := newInbox(nil)
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan error, 1)
	go func() {
		done <- f.dispatcher(box, func(o *workflow.DispatcherOptions) { o.Poll = time.Millisecond }).Run(ctx)
	}()
	require.Eventually(t, func() bool {
		box.mu.Lock()
		defer box.mu.Unlock()
		return len(box.got) == 1
	}, 5*time.Second, time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}

// TestDispatcherFaults: a notifier that fails 30% of calls at random (seeded; half of the
// failures "maybe sent") and a dispatcher that dies mid-batch, replaced by another: every
// notification is delivered at least once and none is lost or given up.
func TestDispatcherFaults(t *testing.T) {
	f := newFixture(t)
	var ids []uuid.UUID
	for range 100 {
		ids = append(ids, f.appealAt(inExecution)) // two notices each
	}
	rng := rand.New(rand.NewPCG(59, 2006))
	box := newInbox(func(workflow.Notification) error {
		switch r := rng.Float64(); {
		case r < 0.15:
			return errors.New("gateway down")
		case r < 0.30:
			return fmt.Errorf("read timeout: %w", workflow.ErrMaybeSent)
		}
		return nil
	})
	tune := func(o *workflow.DispatcherOptions) { o.Batch = 16; o.MaxAttempts = 1000; o.Lease = time.Minute }

	// The first dispatcher dies during its fourth batch: its context ends inside Notify, so
	// the rest of the batch stays leased and one delivered notice is never marked delivered.
	ctx, crash := context.WithCancel(f.ctx)
	calls := 0
	dying := workflow.NotifierFunc(func(c context.Context, n workflow.Notification) error {
		calls++
		if calls == 3*16+5 {
			crash()
		}
		return box.Notify(c, n)
	})
	first := f.dispatcher(dying, tune)
	for ctx.Err() == nil {
		_, err := first.RunOnce(ctx)
		if err != nil {
			require.ErrorIs(t, err, context.Canceled)
		}
	}

	second := f.dispatcher(box, tune)
	for round := 0; round < 200; round++ {
		_, err := second.RunOnce(f.ctx)
		require.NoError(t, err)
		f.clock.Add(time.Minute)
	}
	total, dup := 0, 0
	for _, id := range ids {
		for _, n := range f.store.Notifications(id) {
			total++
			assert.Equal(t, workflow.NotificationDelivered, n.Status, "notification %s", n.ID)
			assert.GreaterOrEqual(t, box.got[n.ID], 1, "delivered at least once")
			dup += box.got[n.ID] - 1
		}
	}
	assert.Equal(t, 200, total)
	t.Logf("200 notifications delivered; %d duplicates (maybe-sent retries and the crash), all with their ids", dup)
}

func TestNotificationIDsAreStable(t *testing.T) {
	// The same change on the same record yields the same ids: a retried command cannot queue a
	// second copy under a new key.
	run := func() []uuid.UUID {
		f := newFixture(t, func(o *workflow.Options) {
			o.NewID = func() (uuid.UUID, error) { return uuid.MustParse("01900000-0000-7000-8000-000000000001"), nil }
		})
		id := f.appealAt(inExecution)
		var out []uuid.UUID
		for _, n := range f.store.Notifications(id) {
			out = append(out, n.ID)
		}
		return out
	}
	a, b := run(), run()
	require.Len(t, a, 2)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a[0], a[1])
}
