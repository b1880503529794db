package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// DispatcherOptions tune a Dispatcher. Zero fields take the defaults named.
type DispatcherOptions struct {
	// Clock returns the current moment; nil means time.Now.
	Clock func() time.Time
	// Batch is how many notifications one RunOnce claims; 0 means 50.
	Batch int
	// Lease is how long a claimed notification is reserved for this dispatcher; another one
	// takes it after that (a crashed dispatcher's work is not lost). 0 means 1 minute.
	Lease time.Duration
	// MaxAttempts is how many attempts a notification gets before it is marked failed; 0
	// means 10.
	MaxAttempts int
	// Backoff is the delay after the first failed attempt, doubled after each next one up to
	// MaxBackoff; 0 means 30 s and 1 h.
	Backoff, MaxBackoff time.Duration
	// Poll is how long Run waits when nothing was due; 0 means 5 s.
	Poll time.Duration
	// Logger receives a record per failed attempt (ids and kinds, never addresses); nil discards.
	Logger *slog.Logger
}

// Dispatcher delivers the outbox: it claims due notifications with a lease, calls the
// Notifier and records the outcome — delivered; uncertain ("maybe sent", retried with the same
// idempotency key, the Notification.ID); pending again after an exponential backoff; failed
// after the last attempt. Delivery is at least once: nothing is lost if the notifier or the
// process fails, and a duplicate carries the same ID.
type Dispatcher struct {
	store    Store
	notifier Notifier
	opt      DispatcherOptions
}

// NewDispatcher returns a dispatcher of store's outbox through notifier.
func NewDispatcher(store Store, notifier Notifier, opt DispatcherOptions) *Dispatcher {
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	if opt.Batch <= 0 {
		opt.Batch = 50
	}
	if opt.Lease <= 0 {
		opt.Lease = time.Minute
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 10
	}
	if opt.Backoff <= 0 {
		opt.Backoff = 30 * time.Second
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = time.Hour
	}
	if opt.Poll <= 0 {
		opt.Poll = 5 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{store: store, notifier: notifier, opt: opt}
}

// RunOnce claims one batch of due notifications and tries each once. It returns how many were
// delivered, and the first store error (a notifier's error only reschedules its notification).
func (d *Dispatcher) RunOnce(ctx context.Context) (delivered int, err error) {
	batch, err := d.store.ClaimNotifications(ctx, d.opt.Clock(), d.opt.Batch, d.opt.Lease)
	if err != nil {
		return 0, fmt.Errorf("workflow: dispatch: claim: %w", err)
	}
	for _, n := range batch {
		if err := ctx.Err(); err != nil {
			return delivered, err // the rest stay leased and are claimed again after the lease
		}
		nerr := d.notifier.Notify(ctx, n)
		d.settle(&n, nerr)
		if err := d.store.UpdateNotification(ctx, n); err != nil {
			return delivered, fmt.Errorf("workflow: dispatch: update %s: %w", n.ID, err)
		}
		if n.Status == NotificationDelivered {
			delivered++
		}
	}
	return delivered, nil
}

// settle sets n's delivery state after an attempt that ended with nerr.
func (d *Dispatcher) settle(n *Notification, nerr error) {
	now := d.opt.Clock()
	if nerr == nil {
		n.Status, n.LastError, n.NextAttempt = NotificationDelivered, "", now
		return
	}
	n.LastError = nerr.Error()
	n.Status = NotificationPending
	if errors.Is(nerr, ErrMaybeSent) {
		n.Status = NotificationUncertain
	}
	if n.Attempts >= d.opt.MaxAttempts {
		n.Status = NotificationFailed
	}
	n.NextAttempt = now.Add(d.backoff(n.Attempts))
	d.opt.Logger.LogAttrs(context.Background(), slog.LevelWarn, "workflow notification not delivered",
		slog.String("notification", n.ID.String()), slog.String("appeal", n.AppealID.String()),
		slog.String("kind", string(n.Kind)), slog.Int("attempts", n.Attempts), slog.String("status", string(n.Status)))
}

// backoff is the delay after the attempt-th failed attempt: Backoff·2^(attempt−1), at most
// MaxBackoff.
func (d *Dispatcher) backoff(attempt int) time.Duration {
	b := d.opt.Backoff
	for i := 1; i < attempt && b < d.opt.MaxBackoff; i++ {
		b *= 2
	}
	return min(b, d.opt.MaxBackoff)
}

// Run dispatches until ctx is done, waiting Poll between batches when nothing was due. Store
// errors are logged and retried after Poll. It returns ctx's error.
func (d *Dispatcher) Run(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		n, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.opt.Logger.LogAttrs(ctx, slog.LevelError, "workflow dispatch failed", slog.String("error", err.Error()))
		}
		wait := d.opt.Poll
		if n == d.opt.Batch {
			wait = 0 // a full batch: more may be due
		}
		t.Reset(wait)
	}
}
