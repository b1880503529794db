package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
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

// Store is a workflow.Store and workflow.Counter on one SQLite file. It is safe for
// concurrent use by many goroutines; several processes may open the same file (their writes
// take turns on the file's lock, waiting up to Options.BusyTimeout).
type Store struct {
	writer   *sql.DB // one connection, used by the writer goroutine only (and migrate before it)
	readers  *sql.DB // query_only connections
	path     string
	busy     time.Duration
	pageSize int // rows per List query

	writes    chan *write
	closing   chan struct{}
	stopped   chan struct{}
	closeOnce sync.Once
	closeErr  error
}

var (
	_ workflow.Store   = (*Store)(nil)
	_ workflow.Counter = (*Store)(nil)
)

// Open opens the SQLite file at path as a Store, creating it (readable by its owner only:
// it holds personal data) when it does not exist, and applies the embedded migrations it
// lacks. The file is put in WAL mode. Close the store when done.
func Open(path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlitestore: open: empty path")
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
		writes: make(chan *write), closing: make(chan struct{}), stopped: make(chan struct{})}
	var err error
	if s.writer, err = openDB(path, opt.BusyTimeout, 1, false); err != nil {
		return nil, err
	}
	if err := s.checkWAL(); err != nil {
		s.writer.Close()
		return nil, err
	}
	if err := migrate(context.Background(), s.writer); err != nil {
		s.writer.Close()
		return nil, err
	}
	if s.readers, err = openDB(path, opt.BusyTimeout, opt.Readers, true); err != nil {
		s.writer.Close()
		return nil, err
	}
	go s.run()
	return s, nil
}

// openDB opens a pool of up to conns connections to the file. Every connection waits up to
// busy for a lock, syncs as durability requires (see the package doc) and, for readers, may
// not write. The writer begins its transactions IMMEDIATE, taking the write lock at once.
func openDB(path string, busy time.Duration, conns int, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "fullfsync(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
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
func (s *Store) checkWAL() error {
	var mode string
	if err := s.writer.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
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
		s.closeErr = errors.Join(s.readers.Close(), s.writer.Close())
		if s.closeErr != nil {
			s.closeErr = fmt.Errorf("sqlitestore: close: %w", scrub(s.closeErr))
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
	if ch.Record == nil || ch.Record.Appeal == nil {
		return fmt.Errorf("sqlitestore: create: %w", errNoAppeal)
	}
	rec := ch.Record
	id := rec.Appeal.ID
	if err := s.write(ctx, ch, s.createTx); err != nil {
		return fmt.Errorf("sqlitestore: create %s: %w", id, err)
	}
	rec.Version = 1
	return nil
}

// Save implements workflow.Store in one transaction, which first checks the stored version.
func (s *Store) Save(ctx context.Context, ch workflow.Change) error {
	if ch.Record == nil || ch.Record.Appeal == nil {
		return fmt.Errorf("sqlitestore: save: %w", errNoAppeal)
	}
	rec := ch.Record
	id := rec.Appeal.ID
	if err := s.write(ctx, ch, s.saveTx); err != nil {
		return fmt.Errorf("sqlitestore: save %s: %w", id, err)
	}
	rec.Version++
	return nil
}

// write runs w for ch on the writer. A change without a number is encoded here, outside the
// writer's turn; w completes one that draws a number (see completed).
func (s *Store) write(ctx context.Context, ch workflow.Change, w func(tx *sql.Tx, ch workflow.Change, enc *encoded) error) error {
	if err := s.open(); err != nil {
		return err
	}
	var enc *encoded
	if ch.Number == nil {
		var err error
		if enc, err = encode(ch); err != nil {
			return err
		}
	}
	return s.exec(ctx, func(tx *sql.Tx) error { return w(tx, ch, enc) })
}

// completed returns enc, the encoded change; for a change that draws a registration number
// (enc nil) it draws the next number of the series and year in tx, lets Apply complete the
// change with it and encodes the change as Apply left it. Rolled back with the write, the
// draw spends nothing.
func completed(tx *sql.Tx, ch workflow.Change, enc *encoded) (*encoded, error) {
	if enc != nil {
		return enc, nil
	}
	var n int64
	err := tx.QueryRow(`INSERT INTO numbering (series, year, last) VALUES (?, ?, 1)
		ON CONFLICT (series, year) DO UPDATE SET last = last + 1 RETURNING last`, ch.Number.Series, ch.Number.Year).Scan(&n)
	if err != nil {
		return nil, fmt.Errorf("draw number: %w", scrub(err))
	}
	if err := ch.Number.Apply(&ch, n); err != nil {
		return nil, err
	}
	if ch.Record == nil || ch.Record.Appeal == nil {
		return nil, errNoAppeal
	}
	return encode(ch)
}

func (s *Store) createTx(tx *sql.Tx, ch workflow.Change, enc *encoded) error {
	enc, err := completed(tx, ch, enc)
	if err != nil {
		return err
	}
	ix := &enc.ix
	_, err = tx.Exec(`INSERT INTO appeals (id, version, last_seq, state, number, series, registered_on, intake_key, doc)
		VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)`, enc.id, len(enc.change.Events), string(ix.State), text(ix.Number),
		text(ix.Series), day(ix.RegisteredOn), text(ix.IntakeKey), enc.doc)
	if err != nil {
		return writeError(tx, err, ix.IntakeKey)
	}
	return enc.insert(tx, 0, false)
}

func (s *Store) saveTx(tx *sql.Tx, ch workflow.Change, enc *encoded) error {
	version := ch.Record.Version
	var stored, lastSeq int64
	err := tx.QueryRow(`SELECT version, last_seq FROM appeals WHERE id = ?`, ch.Record.Appeal.ID[:]).Scan(&stored, &lastSeq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return workflow.ErrNotFound
	case err != nil:
		return scrub(err)
	case stored != version:
		return fmt.Errorf("version %d, stored %d: %w", version, stored, workflow.ErrConflict)
	}
	if enc, err = completed(tx, ch, enc); err != nil {
		return err
	}
	ix := &enc.ix
	_, err = tx.Exec(`UPDATE appeals SET version = version + 1, last_seq = ?, state = ?, number = ?, series = ?,
		registered_on = ?, intake_key = ?, doc = ? WHERE id = ?`, lastSeq+int64(len(enc.change.Events)), string(ix.State),
		text(ix.Number), text(ix.Series), day(ix.RegisteredOn), text(ix.IntakeKey), enc.doc, enc.id)
	if err != nil {
		return writeError(tx, err, ix.IntakeKey)
	}
	return enc.insert(tx, lastSeq, true)
}

// writeError maps a failed write of an appeals row onto workflow's sentinels: a taken id is
// ErrExists, a taken intake key a *workflow.DuplicateError naming the holder. Anything else
// is scrubbed.
func writeError(tx *sql.Tx, err error, intakeKey string) error {
	switch violated(err) {
	case appealsID:
		return workflow.ErrExists
	case appealsIntakeKey:
		dup := &workflow.DuplicateError{}
		var holder []byte
		if err := tx.QueryRow(`SELECT id FROM appeals WHERE intake_key = ?`, intakeKey).Scan(&holder); err != nil {
			return scrub(err)
		}
		copy(dup.Existing[:], holder)
		return dup
	}
	return scrub(err)
}

// encoded is a change ready to write: the record's document, its index and the index's and
// notifications' rows. Events are encoded in the transaction, which knows their Seq.
type encoded struct {
	change workflow.Change
	id     []byte
	doc    string
	ix     workflow.Index
	keys   []any // appeal_keys rows
	terms  []any // appeal_terms rows
	notes  []any // outbox rows
}

// encode prepares ch's rows. The index comes from Record.Index() and nothing else.
func encode(ch workflow.Change) (*encoded, error) {
	doc, err := json.Marshal(ch.Record)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	ix := ch.Record.Index()
	id := ix.ID[:]
	enc := &encoded{change: ch, id: id, doc: string(doc), ix: ix}
	enc.keys = make([]any, 0, keyCols*(len(ix.People)+len(ix.Codes)+len(ix.Applicants)))
	for _, k := range []struct {
		field  string
		values []string
	}{{"person", ix.People}, {"code", ix.Codes}, {"applicant", ix.Applicants}} {
		for _, v := range k.values {
			enc.keys = append(enc.keys, k.field, v, id)
		}
	}
	enc.terms = make([]any, 0, termCols*len(ix.Terms))
	for _, t := range ix.Terms {
		enc.terms = append(enc.terms, id, string(t.Kind), day(t.Legal), day(t.Control))
	}
	enc.notes = make([]any, 0, noteCols*len(ch.Notifications))
	for _, n := range ch.Notifications {
		doc, err := json.Marshal(n)
		if err != nil {
			return nil, fmt.Errorf("encode notification %s: %w", n.ID, err)
		}
		enc.notes = append(enc.notes, n.ID[:], n.AppealID[:], string(n.Status), n.Attempts, stamp(n.CreatedAt),
			stamp(n.NextAttempt), n.LastError, string(doc))
	}
	return enc, nil
}

// The rows' columns.
const (
	keyCols   = 3
	termCols  = 4
	eventCols = 4
	noteCols  = 8

	keysInsert   = `INSERT OR IGNORE INTO appeal_keys (field, value, appeal_id) VALUES `
	termsInsert  = `INSERT INTO appeal_terms (appeal_id, kind, legal, control) VALUES `
	eventsInsert = `INSERT INTO events (appeal_id, seq, at, doc) VALUES `
	notesInsert  = `INSERT INTO outbox (id, appeal_id, status, attempts, created_at, next_attempt, last_error, doc) VALUES `
)

// insert writes the rows that go with the appeals row: the index (replacing the old one when
// replace is set), the events numbered after base, the notifications.
func (enc *encoded) insert(tx *sql.Tx, base int64, replace bool) error {
	if replace {
		if _, err := tx.Exec(`DELETE FROM appeal_keys WHERE appeal_id = ?`, enc.id); err != nil {
			return scrub(err)
		}
		if _, err := tx.Exec(`DELETE FROM appeal_terms WHERE appeal_id = ?`, enc.id); err != nil {
			return scrub(err)
		}
	}
	events := make([]any, 0, eventCols*len(enc.change.Events))
	for i, ev := range enc.change.Events {
		ev.Seq = base + int64(i) + 1
		doc, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("encode event: %w", err)
		}
		events = append(events, enc.id, ev.Seq, stamp(ev.At), string(doc))
	}
	for _, rows := range []struct {
		head string
		cols int
		args []any
	}{{keysInsert, keyCols, enc.keys}, {termsInsert, termCols, enc.terms}, {eventsInsert, eventCols, events}, {notesInsert, noteCols, enc.notes}} {
		if err := insertRows(tx, rows.head, rows.cols, rows.args); err != nil {
			if violated(err) == outboxID {
				return workflow.ErrExists
			}
			return scrub(err)
		}
	}
	return nil
}

// rowsPerInsert bounds the rows of one INSERT, well within SQLite's limit on parameters.
const rowsPerInsert = 200

// insertRows inserts rows of cols values each (args, flattened) with head, "INSERT INTO t
// (…) VALUES ", in as few statements as the limit allows.
func insertRows(tx *sql.Tx, head string, cols int, args []any) error {
	for len(args) > 0 {
		n := min(len(args)/cols, rowsPerInsert)
		var b strings.Builder
		b.Grow(len(head) + n*(2*cols+2))
		b.WriteString(head)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			b.WriteString(strings.Repeat("?,", cols-1))
			b.WriteString("?)")
		}
		if _, err := tx.Exec(b.String(), args[:n*cols]...); err != nil {
			return err
		}
		args = args[n*cols:]
	}
	return nil
}

// Get implements workflow.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*workflow.Record, error) {
	if err := s.open(); err != nil {
		return nil, fmt.Errorf("sqlitestore: get %s: %w", id, err)
	}
	var (
		version int64
		doc     []byte
	)
	err := s.readers.QueryRowContext(ctx, `SELECT version, doc FROM appeals WHERE id = ?`, id[:]).Scan(&version, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlitestore: get %s: %w", id, workflow.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: get %s: %w", id, scrub(err))
	}
	rec, err := decodeRecord(version, doc)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: get %s: %w", id, err)
	}
	return rec, nil
}

func decodeRecord(version int64, doc []byte) (*workflow.Record, error) {
	rec := &workflow.Record{}
	if err := json.Unmarshal(doc, rec); err != nil {
		return nil, fmt.Errorf("decode record: %w", err)
	}
	rec.Version = version
	return rec, nil
}

// History implements workflow.Store: one query, whose single row of NULLs means a record
// without events and whose emptiness means no record.
func (s *Store) History(ctx context.Context, id uuid.UUID) ([]workflow.Event, error) {
	if err := s.open(); err != nil {
		return nil, fmt.Errorf("sqlitestore: history %s: %w", id, err)
	}
	rows, err := s.readers.QueryContext(ctx, `SELECT e.seq, e.doc FROM appeals a LEFT JOIN events e ON e.appeal_id = a.id
		WHERE a.id = ? ORDER BY e.seq`, id[:])
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: history %s: %w", id, scrub(err))
	}
	defer rows.Close()
	found := false
	var h []workflow.Event
	for rows.Next() {
		found = true
		var (
			seq sql.NullInt64
			doc sql.RawBytes
		)
		if err := rows.Scan(&seq, &doc); err != nil {
			return nil, fmt.Errorf("sqlitestore: history %s: %w", id, scrub(err))
		}
		if !seq.Valid {
			break
		}
		var ev workflow.Event
		if err := json.Unmarshal(doc, &ev); err != nil {
			return nil, fmt.Errorf("sqlitestore: history %s: decode event: %w", id, err)
		}
		ev.Seq = seq.Int64
		h = append(h, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: history %s: %w", id, scrub(err))
	}
	if !found {
		return nil, fmt.Errorf("sqlitestore: history %s: %w", id, workflow.ErrNotFound)
	}
	return h, nil
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
