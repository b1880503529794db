package workflow

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"
)

// Purpose says why an appeal was read, as the access log records it.
type Purpose string

// The read purposes.
const (
	PurposeCard      Purpose = "card"      // Get: the card and the engine's data
	PurposeHistory   Purpose = "history"   // History: the audit trail
	PurposeStatus    Purpose = "status"    // PublicStatus: the applicant's view
	PurposeList      Purpose = "list"      // List and Count
	PurposeWorklist  Purpose = "worklist"  // Worklist
	PurposeSSTU      Purpose = "sstu"      // SSTUEntries: the ССТУ.РФ report
	PurposeRetention Purpose = "retention" // RetentionFiles: the archive
	PurposeSearch    Purpose = "search"    // Search: a page of hits
)

// Read is one read of an appeal's personal data, as an AccessLog records it: who, when, which
// appeal and why (152-ФЗ asks the operator to be able to show who saw personal data).
type Read struct {
	// Actor read the appeal Appeal at At, for Purpose.
	Actor   string
	At      time.Time
	Appeal  uuid.UUID
	Purpose Purpose
}

// AccessLog records reads. The host implements it (a table, a journal); the engine calls it
// once per appeal read, after the read was authorized, and a failure fails the read.
type AccessLog interface {
	Record(ctx context.Context, r Read) error
}

// AccessLogFunc adapts a function to AccessLog.
type AccessLogFunc func(ctx context.Context, r Read) error

// Record calls f.
func (f AccessLogFunc) Record(ctx context.Context, r Read) error { return f(ctx, r) }

// readable authorizes actor to read rec for purpose and records the read; it returns a
// *DeniedError when the actor may not.
func (e *Engine) readable(ctx context.Context, actor Actor, cmd Command, rec *Record, purpose Purpose) error {
	if err := e.authorize(ctx, actor, command{name: cmd}, rec); err != nil {
		return err
	}
	if e.opt.AccessLog == nil {
		return nil
	}
	return e.opt.AccessLog.Record(ctx, Read{Actor: actor.ID, At: e.opt.Clock(), Appeal: rec.Appeal.ID, Purpose: purpose})
}

// Get returns the appeal's record, if the actor may read it (CmdRead).
func (e *Engine) Get(ctx context.Context, actor Actor, id uuid.UUID) (*Record, error) {
	rec, err := e.store.Get(ctx, id)
	if err == nil {
		err = e.readable(ctx, actor, CmdRead, rec, PurposeCard)
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: get %s: %w", id, err)
	}
	return rec, nil
}

// History returns the appeal's events, oldest first — the audit trail — if the actor may read
// the appeal.
func (e *Engine) History(ctx context.Context, actor Actor, id uuid.UUID) ([]Event, error) {
	rec, err := e.store.Get(ctx, id)
	if err == nil {
		err = e.readable(ctx, actor, CmdRead, rec, PurposeHistory)
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: history %s: %w", id, err)
	}
	h, err := e.store.History(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("workflow: history %s: %w", id, err)
	}
	return h, nil
}

// List streams the records that match f and that the actor may read, in ascending id order
// (Store.List): an executor sees the appeals they work on, an auditor all.
func (e *Engine) List(ctx context.Context, actor Actor, f Filter) iter.Seq2[*Record, error] {
	return e.list(ctx, actor, f, PurposeList)
}

// list is List for a purpose. Records the actor may not read are skipped; f.Limit still
// counts only what is yielded.
func (e *Engine) list(ctx context.Context, actor Actor, f Filter, purpose Purpose) iter.Seq2[*Record, error] {
	return e.listAs(ctx, actor, CmdRead, f, purpose)
}

// listAs is a list for cmd: CmdRead lists what the actor may read, record by record; a bulk
// export (CmdExport) is for an actor who may read every appeal, and refused to any other.
func (e *Engine) listAs(ctx context.Context, actor Actor, cmd Command, f Filter, purpose Purpose) iter.Seq2[*Record, error] {
	return func(yield func(*Record, error) bool) {
		denied := e.authorize(ctx, actor, command{name: cmd}, nil)
		if denied != nil && cmd == CmdExport {
			yield(nil, fmt.Errorf("workflow: %s: %w", purpose, denied))
			return
		}
		all := denied == nil
		limit := f.Limit
		if !all {
			f.Limit = 0 // records the actor may not read do not count
		}
		n := 0
		for rec, err := range e.store.List(ctx, f) {
			if err != nil {
				yield(nil, fmt.Errorf("workflow: %s: %w", purpose, err))
				return
			}
			if !all && e.authorize(ctx, actor, command{name: cmd}, rec) != nil {
				continue
			}
			if e.opt.AccessLog != nil {
				if err := e.opt.AccessLog.Record(ctx, Read{Actor: actor.ID, At: e.opt.Clock(), Appeal: rec.Appeal.ID, Purpose: purpose}); err != nil {
					yield(nil, fmt.Errorf("workflow: %s: access log: %w", purpose, err))
					return
				}
			}
			if !yield(rec, nil) {
				return
			}
			if n++; limit > 0 && n == limit {
				return
			}
		}
	}
}

// Count returns how many records match f among those the actor may read: server-side when the
// store is a Counter and the actor may read every appeal, by iterating List otherwise. It reads
// no personal data, so the access log is not told.
func (e *Engine) Count(ctx context.Context, actor Actor, f Filter) (int, error) {
	all := e.authorize(ctx, actor, command{name: CmdRead}, nil) == nil
	if c, ok := e.store.(Counter); ok && all {
		n, err := c.Count(ctx, f)
		if err != nil {
			return 0, fmt.Errorf("workflow: count: %w", err)
		}
		return n, nil
	}
	limit := f.Limit
	f.Limit = 0
	n := 0
	for rec, err := range e.store.List(ctx, f) {
		if err != nil {
			return 0, fmt.Errorf("workflow: count: %w", err)
		}
		if all || e.authorize(ctx, actor, command{name: CmdRead}, rec) == nil {
			if n++; limit > 0 && n == limit {
				break
			}
		}
	}
	return n, nil
}
