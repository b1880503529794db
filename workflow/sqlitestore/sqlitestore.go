package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// Options configure a Store. The zero value is a store with the defaults.
type Options struct {
	// Readers is how many connections serve reads (Get, History, List, Count) at once; 0
	// means 4. Writes have one connection of their own.
	Readers int
	// BusyTimeout is how long a write waits for another process that holds the file's write
	// lock before it fails with ErrBusy; 0 means 5 s. Writes of one Store never wait on each
	// other this way: they queue for its one writer.
	BusyTimeout time.Duration
}

// Store is a workflow.Store, workflow.Counter and workflow.Searcher on one SQLite file. It is safe for
// concurrent use by many goroutines; several processes may open the same file (their writes
// take turns on the file's lock, waiting up to Options.BusyTimeout).
type Store struct {
	writer   *sql.DB // one connection, used by the writer goroutine only (and migrate before it)
	readers  *sql.DB // query_only connections
	path     string
	busy     time.Duration
	pageSize int // rows per List query

	st           *statements
	docs         docs          // the documents' encoding
	checkpointer *sql.DB       // one connection, used by the checkpoint goroutine only
	dirty        chan struct{} // the writer committed since the last checkpoint
	walPages     atomic.Int64  // the log's length at the last checkpoint

	writes chan *write
	// words are the batch's writes of appeal_words, run after its last savepoint (see
	// wordsWrite); the writer goroutine's alone.
	words     []wordsWrite
	closing   chan struct{}
	stopped   chan struct{} // closed when the writer and the checkpointer have stopped
	closeOnce sync.Once
	closeErr  error
}

var (
	_ workflow.Store    = (*Store)(nil)
	_ workflow.Counter  = (*Store)(nil)
	_ workflow.Searcher = (*Store)(nil)
)

// Open opens the SQLite file at path as a Store, creating it (readable by its owner only:
// it holds personal data) when it does not exist, and applies the embedded migrations it
// lacks. The file is put in WAL mode. Close the store when done.
func Open(path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlitestore: open: empty path")
	}
	path, err := filepath.Abs(path) // Backup opens it again, whatever the working directory is by then
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open: %w", err)
	}
	if opt.Readers <= 0 {
		opt.Readers = 4
	}
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = 5 * time.Second
	}
	// SQLite gives the log and the shared-memory index the database file's mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("sqlitestore: open: %w", err)
		}
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("sqlitestore: open: %w", err)
	}
	s := &Store{path: path, busy: opt.BusyTimeout, pageSize: 500,
		writes: make(chan *write), dirty: make(chan struct{}, 1), closing: make(chan struct{}), stopped: make(chan struct{})}
	if s.docs, err = newDocs(); err != nil {
		return nil, err
	}
	// Processes opening a new file at once race to put it in WAL mode and migrate it; SQLite
	// answers a loser SQLITE_BUSY at once, without its busy handler, where waiting could
	// deadlock. The loser starts over until BusyTimeout has passed.
	for deadline := time.Now().Add(opt.BusyTimeout); ; {
		s.writer, err = openWriter(path, opt.BusyTimeout)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrBusy) || time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(time.Duration(5+rand.IntN(20)) * time.Millisecond)
	}
	if s.readers, err = openDB(path, opt.BusyTimeout, opt.Readers, true); err != nil {
		s.writer.Close()
		return nil, err
	}
	if s.checkpointer, err = openDB(path, opt.BusyTimeout, 1, false); err != nil {
		s.readers.Close()
		s.writer.Close()
		return nil, err
	}
	if s.st, err = prepare(s.writer, s.readers); err != nil {
		s.checkpointer.Close()
		s.readers.Close()
		s.writer.Close()
		return nil, err
	}
	var wg sync.WaitGroup
	wg.Go(s.run)
	wg.Go(s.checkpoint)
	go func() { wg.Wait(); close(s.stopped) }()
	return s, nil
}

// openWriter opens the writer's connection to the file, in WAL mode, migrated and with
// statistics for the query planner. A connection keeps what its own ANALYZE found until it
// closes, whatever the statistics tables say after (see optimize): the one that migrates and
// analyzes is closed, and the writer gets a new one.
func openWriter(path string, busy time.Duration) (*sql.DB, error) {
	w, err := openDB(path, busy, 1, false)
	if err != nil {
		return nil, err
	}
	err = checkWAL(w)
	if err == nil {
		err = migrate(context.Background(), w)
	}
	if err == nil {
		// Statistics where the tables changed much since they were taken.
		if err = optimize(w, `PRAGMA optimize=0x10002`); err != nil {
			err = fmt.Errorf("sqlitestore: open: %w", scrub(err))
		}
	}
	if cerr := w.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("sqlitestore: open: %w", scrub(cerr))
	}
	if err != nil {
		return nil, err
	}
	return openDB(path, busy, 1, false)
}

// optimize runs pragma, a form of PRAGMA optimize, on db, then drops the statistics it took of
// the search words' tables (FTS5's shadow tables, appeal_words_*). Taken of a new file, those
// said the index's table held 2 rows, and PRAGMA optimize did not take them again (after a
// run of 100,000 appeals the table held 2,168 rows, its statistics still 2); the planner then
// read the whole table for every segment FTS5 removed while merging, instead of the
// segment's range of rowids, so that a write of words cost more the more words were stored:
// in the first 15 minutes of a run of 1,000,000 appeals (170,000 received), removing
// segments took 411 s of the writer's 710. FTS5 finds its rows by key alone and needs no
// statistics.
func optimize(db *sql.DB, pragma string) error {
	if _, err := db.Exec(pragma); err != nil {
		return err
	}
	var stats int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'`).Scan(&stats); err != nil || stats == 0 {
		return err
	}
	_, err := db.Exec(`DELETE FROM sqlite_stat1 WHERE tbl GLOB 'appeal_words_*'`)
	return err
}

// openDB opens a pool of up to conns connections to the file. Every connection waits up to
// busy for a lock, syncs as durability requires (see the package doc) and, for readers, may
// not write. The writer begins its transactions IMMEDIATE, taking the write lock at once.
func openDB(path string, busy time.Duration, conns int, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "fullfsync(1)")
	q.Add("_pragma", "temp_store(MEMORY)") // savepoints' journals in memory, not in temporary files
	// The file mapped into memory, up to 1 GiB: reads of pages then copy nothing and make no
	// system call. (A larger page cache instead costs the writer a scan of it at every
	// commit.)
	q.Add("_pragma", "mmap_size(1073741824)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "wal_autocheckpoint(0)") // the checkpoint goroutine's work, see checkpoint
		q.Set("_txlock", "immediate")
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open: %w", scrub(err))
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitestore: open: %w", scrub(err))
	}
	return db, nil
}

// checkWAL refuses a file that could not be put in WAL mode (a file system without shared
// memory, say): without it readers and the writer would block each other.
func checkWAL(w *sql.DB) error {
	var mode string
	if err := w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		return fmt.Errorf("sqlitestore: open: %w", scrub(err))
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("sqlitestore: open: the file is in journal mode %q, not WAL", mode)
	}
	return nil
}

// Close waits for the writes under way, then closes the file. Calls after Close fail with
// ErrClosed.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.closing)
		<-s.stopped
		// The writer last: the last connection to close checkpoints the log into the file.
		optErr := optimize(s.writer, `PRAGMA optimize`)
		var errs []error
		for _, err := range []error{optErr, s.st.close(), s.checkpointer.Close(), s.readers.Close(), s.writer.Close()} {
			errs = append(errs, scrub(err))
		}
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("sqlitestore: close: %w", err)
		}
	})
	return s.closeErr
}

// open returns ErrClosed once Close was called.
func (s *Store) open() error {
	select {
	case <-s.closing:
		return ErrClosed
	default:
		return nil
	}
}

// Create implements workflow.Store in one transaction: the record, its index, its events and
// notifications, and the number it draws.
func (s *Store) Create(ctx context.Context, ch workflow.Change) error {
	return s.write(ctx, "create", ch, s.createTx, func(rec *workflow.Record) { rec.Version = 1 })
}

// Save implements workflow.Store in one transaction, which first checks the stored version.
func (s *Store) Save(ctx context.Context, ch workflow.Change) error {
	return s.write(ctx, "save", ch, s.saveTx, func(rec *workflow.Record) { rec.Version++ })
}

// Get implements workflow.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*workflow.Record, error) {
	rec, err := s.get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: get %s: %w", id, err)
	}
	return rec, nil
}

func (s *Store) get(ctx context.Context, id uuid.UUID) (*workflow.Record, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	var (
		version int64
		doc     []byte
	)
	switch err := s.st.get.QueryRowContext(ctx, id[:]).Scan(&version, &doc); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, workflow.ErrNotFound
	case err != nil:
		return nil, scrub(err)
	}
	return s.docs.record(version, doc)
}

// History implements workflow.Store: the events in seq order, and only when there are none
// a second look, for whether the record exists.
func (s *Store) History(ctx context.Context, id uuid.UUID) ([]workflow.Event, error) {
	h, err := s.events(ctx, id)
	if err == nil && len(h) == 0 {
		var one int
		if err = s.st.exists.QueryRowContext(ctx, id[:]).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			err = workflow.ErrNotFound
		}
	}
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: history %s: %w", id, err)
	}
	return h, nil
}

// events reads the appeal's events.
func (s *Store) events(ctx context.Context, id uuid.UUID) ([]workflow.Event, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	rows, err := s.st.history.QueryContext(ctx, id[:])
	if err != nil {
		return nil, scrub(err)
	}
	defer rows.Close()
	var h []workflow.Event
	for rows.Next() {
		var doc sql.RawBytes
		ev := workflow.Event{}
		if err := rows.Scan(&ev.Seq, &doc); err != nil {
			return nil, scrub(err)
		}
		seq := ev.Seq
		if err := s.docs.unmarshal(doc, &ev); err != nil {
			return nil, fmt.Errorf("decode event %d: %w", seq, err)
		}
		ev.Seq = seq // the column is the truth
		h = append(h, ev)
	}
	return h, scrub(rows.Err())
}

// text is s, or NULL when empty.
func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// day is d as days since 1970-01-01 (the index's date columns), or NULL when zero.
func day(d deadline.Date) any {
	if d.IsZero() {
		return nil
	}
	return int64(d.DaysSince(deadline.NewDate(1970, time.January, 1)))
}

// stampLayout is the outbox's and events' time format: UTC, fixed width, so that text order
// is time order (for years 0000–9999).
const stampLayout = "2006-01-02T15:04:05.000000000Z"

// stamp is t in stampLayout.
func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }
