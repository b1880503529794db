package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// maxBatch bounds how many writes share one transaction; maxLinger how long the writer waits
// for more writes to join a batch.
const (
	maxBatch  = 64
	maxLinger = 2 * time.Millisecond
)

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
	batch := make([]*write, 0, maxBatch)
	linger := time.NewTimer(0)
	var (
		last int           // writes in the last batch
		took time.Duration // how long it took
	)
	for {
		select {
		case w := <-s.writes:
			batch = append(batch[:0], w)
		case <-s.closing:
			return
		}
		// Under load, wait a little for as many writes as the last batch had: their callers
		// are preparing them, and waiting a fraction of a commit lets one sync confirm them
		// all. A lone writer (last batch one write) never waits.
		if last > 1 {
			linger.Reset(min(took/2, maxLinger))
		wait:
			for len(batch) < last {
				select {
				case w := <-s.writes:
					batch = append(batch, w)
				case <-linger.C:
					break wait
				}
			}
			linger.Stop()
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
		start := time.Now()
		s.commit(batch)
		took, last = time.Since(start), len(batch)
		for _, w := range batch {
			close(w.done)
		}
		clear(batch)
		s.afterCommit()
	}
}

// commit runs the batch in one transaction and sets each write's outcome. A write that
// failed is rolled back to its savepoint; a failure that ends the transaction (the disk, the
// lock) or of the commit itself fails every write of the batch.
func (s *Store) commit(batch []*write) {
	ctx := context.Background() // the writes' own contexts must not interrupt a shared transaction
	defer func() { clear(s.words); s.words = s.words[:0] }()
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
		if _, err := tx.Stmt(s.st.savepoint).Exec(); err != nil {
			_ = tx.Rollback()
			fail(scrub(err))
			return
		}
		queued := len(s.words)
		w.panicked, w.err = run(w.do, tx)
		if w.err == nil && w.panicked == nil {
			if _, err := tx.Stmt(s.st.release).Exec(); err != nil {
				_ = tx.Rollback()
				fail(scrub(err))
				return
			}
			stored++
			continue
		}
		s.words = s.words[:queued]
		if err := s.rollbackTo(tx); err != nil {
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
	if err := s.flushWords(tx); err != nil {
		_ = tx.Rollback()
		fail(fmt.Errorf("transaction rolled back: %w", err))
		return
	}
	if err := tx.Commit(); err != nil {
		fail(scrub(err))
	}
}

// rollbackTo undoes the writes since the savepoint and drops it.
func (s *Store) rollbackTo(tx *sql.Tx) error {
	if _, err := tx.Stmt(s.st.rollbackTo).Exec(); err != nil {
		return err
	}
	_, err := tx.Stmt(s.st.release).Exec()
	return err
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

// checkpointEvery is how often at most the checkpoint goroutine copies the log into the
// file; walLimit is the log's length, in pages, past which the writer checkpoints itself.
const (
	checkpointEvery = 200 * time.Millisecond
	walLimit        = 4000
)

// checkpoint is the checkpoint goroutine. After writes, at most every checkpointEvery, it
// copies the log's committed pages into the database file and syncs it (a PASSIVE
// checkpoint, which waits for nobody), on a connection of its own: the writer's commits never
// do that work. A failed checkpoint leaves the log whole and consistent; the next one tries
// again.
func (s *Store) checkpoint() {
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.dirty:
		case <-s.closing:
			return
		}
		var busy, log, done int64
		if err := s.checkpointer.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &done); err == nil {
			s.walPages.Store(log)
		}
		select {
		case <-tick.C:
		case <-s.closing:
			return
		}
	}
}

// afterCommit tells the checkpoint goroutine there is work, and checkpoints on the writer when
// the log has grown past walLimit. The log starts over only after a checkpoint that caught up
// with the last commit, which the checkpoint goroutine never does while the writer keeps
// committing; the writer's own, between two of its transactions, does, so the next commit
// writes the log from its start and the file stays small.
func (s *Store) afterCommit() {
	select {
	case s.dirty <- struct{}{}:
	default:
	}
	if s.walPages.Load() > walLimit {
		_, _ = s.writer.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		s.walPages.Store(0)
	}
}
