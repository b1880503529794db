package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
)

// maxBatch bounds how many writes share one transaction.
const maxBatch = 64

// write is one Store call's writes, run by the writer goroutine in a transaction it may share
// with other calls' writes.
type write struct {
	ctx context.Context // the caller's: a write whose context ended before its turn is skipped
	do  func(tx *sql.Tx) error

	err      error
	panicked any // a panic of do (an Apply's), raised again in the caller
	done     chan struct{}
}

// exec hands do to the writer goroutine and waits until the transaction it ran in is
// committed or rolled back: a nil error means do's writes are on disk. do runs inside a
// savepoint, so an error from it undoes exactly its own writes.
func (s *Store) exec(ctx context.Context, do func(tx *sql.Tx) error) error {
	w := &write{ctx: ctx, do: do, done: make(chan struct{})}
	select {
	case s.writes <- w:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closing:
		return ErrClosed
	}
	// Taken: the writer finishes the batch within one commit, whatever ctx does now.
	<-w.done
	if w.panicked != nil {
		panic(w.panicked)
	}
	return w.err
}

// run is the writer goroutine, the only user of the write connection. It takes the writes
// waiting when it is free, up to maxBatch, and runs them in one transaction: each in its own
// savepoint, so that one's refusal (a conflict, a duplicate) leaves the others, and all
// committed by one sync of the log (group commit). Under load one fsync thus confirms many
// commands; a lone write is a transaction of its own.
func (s *Store) run() {
	defer close(s.stopped)
	batch := make([]*write, 0, maxBatch)
	for {
		select {
		case w := <-s.writes:
			batch = append(batch[:0], w)
		case <-s.closing:
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case w := <-s.writes:
				batch = append(batch, w)
			default:
				break more
			}
		}
		s.commit(batch)
		for _, w := range batch {
			close(w.done)
		}
		clear(batch)
	}
}

// commit runs the batch in one transaction and sets each write's outcome. A write that
// failed is rolled back to its savepoint; a failure that ends the transaction (the disk, the
// lock) or of the commit itself fails every write of the batch.
func (s *Store) commit(batch []*write) {
	ctx := context.Background() // the writes' own contexts must not interrupt a shared transaction
	fail := func(err error) {
		for _, w := range batch {
			if w.err == nil && w.panicked == nil {
				w.err = err
			}
		}
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		fail(scrub(err))
		return
	}
	stored := 0
	for _, w := range batch {
		if w.err = w.ctx.Err(); w.err != nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT w`); err != nil {
			_ = tx.Rollback()
			fail(scrub(err))
			return
		}
		w.panicked, w.err = run(w.do, tx)
		if w.err == nil && w.panicked == nil {
			if _, err := tx.ExecContext(ctx, `RELEASE w`); err != nil {
				_ = tx.Rollback()
				fail(scrub(err))
				return
			}
			stored++
			continue
		}
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO w; RELEASE w`); err != nil {
			// The failure ended the transaction: the writes before it are gone too.
			_ = tx.Rollback()
			fail(fmt.Errorf("transaction rolled back: %w", scrub(err)))
			return
		}
	}
	if stored == 0 {
		_ = tx.Rollback()
		return
	}
	if err := tx.Commit(); err != nil {
		fail(scrub(err))
	}
}

// run calls do, turning a panic into a value.
func run(do func(*sql.Tx) error, tx *sql.Tx) (panicked any, err error) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	return nil, do(tx)
}
