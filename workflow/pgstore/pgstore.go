package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is a workflow.Store, workflow.Counter and workflow.Searcher on PostgreSQL. It is safe for concurrent
// use, by many goroutines and many processes sharing one database.
type Store struct {
	pool     *pgxpool.Pool
	pageSize int // rows per List query
}

var (
	_ workflow.Store    = (*Store)(nil)
	_ workflow.Counter  = (*Store)(nil)
	_ workflow.Searcher = (*Store)(nil)
)

// New returns a store on pool. The tables live in the pool's search_path (by default the
// public schema); create them with Migrate. The caller keeps ownership of pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, pageSize: 500}
}

// errNoAppeal is returned for a record without a card: it cannot be indexed.
var errNoAppeal = errors.New("record has no appeal")

// appendSQL follows a CTE w(id, base) that wrote one appeals row: it appends the events in
// $2 (a JSON array) numbered base+1, base+2, … and queues the notifications in $3 (a JSON
// array), and replaces the appeal's running terms by those in $14 (a JSON array; the DELETE
// sees the rows as they were before the statement, not those it inserts). Times are parsed
// from the documents' own RFC 3339 text, so every time column is rounded alike. Being one
// statement with the write, it commits or fails with it.
const appendSQL = `,
td AS (DELETE FROM appeal_terms t USING w WHERE t.appeal_id = w.id),
ti AS (
	INSERT INTO appeal_terms (appeal_id, kind, legal, control)
	SELECT w.id, x.kind, NULLIF(x.legal, '')::date, NULLIF(x.control, '')::date
	FROM w, jsonb_to_recordset($14::jsonb) AS x(kind text, legal text, control text)),
ev AS (
	INSERT INTO events (appeal_id, seq, at, doc)
	SELECT w.id, w.base + e.ord, (e.doc->>'at')::timestamptz, jsonb_set(e.doc, '{seq}', to_jsonb(w.base + e.ord))
	FROM w, jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(doc, ord)),
ob AS (
	INSERT INTO outbox (id, appeal_id, status, attempts, created_at, next_attempt, doc)
	SELECT (o.doc->>'id')::uuid, (o.doc->>'appealId')::uuid, o.doc->>'status', (o.doc->>'attempts')::integer,
		(o.doc->>'createdAt')::timestamptz, (o.doc->>'nextAttempt')::timestamptz, o.doc
	FROM w, jsonb_array_elements($3::jsonb) AS o(doc))
`

// createSQL inserts the record ($1, $4…$13, $15) with its events, notifications and terms.
const createSQL = `WITH w AS (
	INSERT INTO appeals (id, version, last_seq, state, number, series, registered_on,
		people, code_paths, applicants, intake_key, doc, words)
	VALUES ($1, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $15)
	RETURNING id, 0::bigint AS base)` + appendSQL + `SELECT 1`

// saveSQL updates the record when its version is still $16, appends and queues. It reports
// whether the update happened and whether the record exists (read from the statement's
// snapshot), so that a refused save costs no second round-trip.
const saveSQL = `WITH cur AS (SELECT 1 FROM appeals WHERE id = $1),
w AS (
	UPDATE appeals SET version = version + 1, last_seq = last_seq + $4, state = $5, number = $6,
		series = $7, registered_on = $8, people = $9, code_paths = $10,
		applicants = $11, intake_key = $12, doc = $13::jsonb, words = $15
	WHERE id = $1 AND version = $16
	RETURNING id, last_seq - $4 AS base)` + appendSQL + `SELECT EXISTS (SELECT FROM w), EXISTS (SELECT FROM cur)`

// drawSQL draws the next number of a series and year. Its row lock serializes the
// registrations of one series until their transaction ends, so a rolled-back registration
// spends no number.
const drawSQL = `INSERT INTO numbering AS n (series, year, last) VALUES ($1, $2, 1)
	ON CONFLICT (series, year) DO UPDATE SET last = n.last + 1 RETURNING last`

// writeArgs returns the arguments $1…$15 of createSQL and saveSQL for a change. The indexed
// columns come from Record.Index() and nothing else.
func writeArgs(ch workflow.Change) ([]any, error) {
	rec := ch.Record
	if rec == nil || rec.Appeal == nil {
		return nil, errNoAppeal
	}
	doc, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	evs, err := jsonArray(ch.Events)
	if err != nil {
		return nil, err
	}
	obs, err := jsonArray(ch.Notifications)
	if err != nil {
		return nil, err
	}
	ix := rec.Index()
	terms, err := jsonArray(ix.Terms)
	if err != nil {
		return nil, err
	}
	// JSON goes as text, cast in SQL: a []byte would be bytea in pgx's simple-protocol and
	// exec modes, which poolers in transaction mode need.
	return []any{ix.ID, evs, obs, int64(len(ch.Events)), string(ix.State), text(ix.Number), text(ix.Series),
		date(ix.RegisteredOn), strs(ix.People), strs(codePaths(ix.Codes)),
		strs(ix.Applicants), text(ix.IntakeKey), string(doc), terms, strs(ix.Words)}, nil
}

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Create implements workflow.Store in one statement (one round-trip); a change that draws a
// number takes a transaction of two.
func (s *Store) Create(ctx context.Context, ch workflow.Change) error {
	if ch.Record == nil || ch.Record.Appeal == nil {
		return fmt.Errorf("pgstore: create: %w", errNoAppeal)
	}
	rec := ch.Record
	err := s.write(ctx, ch, func(q querier, ch workflow.Change) error {
		args, err := writeArgs(ch)
		if err != nil {
			return err
		}
		var one int
		if err := q.QueryRow(ctx, createSQL, args...).Scan(&one); err != nil {
			return s.writeError(ctx, err, rec.IntakeKey)
		}
		return nil
	})
	if err != nil {
		return wrap(err)
	}
	rec.Version = 1
	return nil
}

// Save implements workflow.Store in one statement (one round-trip), refused or not; a change
// that draws a number takes a transaction of two.
func (s *Store) Save(ctx context.Context, ch workflow.Change) error {
	if ch.Record == nil || ch.Record.Appeal == nil {
		return fmt.Errorf("pgstore: save: %w", errNoAppeal)
	}
	rec := ch.Record
	version := rec.Version
	err := s.write(ctx, ch, func(q querier, ch workflow.Change) error {
		args, err := writeArgs(ch)
		if err != nil {
			return err
		}
		var saved, exists bool
		if err := q.QueryRow(ctx, saveSQL, append(args, version)...).Scan(&saved, &exists); err != nil {
			return s.writeError(ctx, err, rec.IntakeKey)
		}
		switch {
		case !exists:
			return workflow.ErrNotFound
		case !saved:
			return fmt.Errorf("version %d: %w", version, workflow.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return wrap(err)
	}
	rec.Version++
	return nil
}

// write runs a write on the pool, or, when ch draws a number, in a transaction that draws it,
// lets ch.Number.Apply complete the change and then writes it: the number is spent only if
// the write commits.
func (s *Store) write(ctx context.Context, ch workflow.Change, w func(querier, workflow.Change) error) error {
	if ch.Number == nil {
		return w(s.pool, ch)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var n int64
		if err := tx.QueryRow(ctx, drawSQL, ch.Number.Series, ch.Number.Year).Scan(&n); err != nil {
			return fmt.Errorf("draw number: %w", scrub(err))
		}
		if err := ch.Number.Apply(&ch, n); err != nil {
			return err
		}
		return w(tx, ch)
	})
}

// wrap returns a workflow sentinel (with its detail) as it is — the engine names the
// operation and the appeal — and any other error behind "pgstore:".
func wrap(err error) error {
	for _, s := range []error{workflow.ErrNotFound, workflow.ErrConflict, workflow.ErrExists, workflow.ErrDuplicate} {
		if errors.Is(err, s) {
			return err
		}
	}
	return fmt.Errorf("pgstore: %w", err)
}

// writeError maps a failed Create or Save onto workflow's sentinels: a taken id or
// notification id is ErrExists, a taken intake key a *workflow.DuplicateError naming the
// holder. Anything else is scrubbed of row values.
func (s *Store) writeError(ctx context.Context, err error, intakeKey string) error {
	switch violated(err) {
	case appealsPkey, outboxPkey:
		return workflow.ErrExists
	case appealsIntakeKey:
		dup := &workflow.DuplicateError{}
		if err := s.pool.QueryRow(ctx, `SELECT id FROM appeals WHERE intake_key = $1`, intakeKey).Scan(&dup.Existing); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return scrub(err)
		}
		return dup
	}
	return scrub(err)
}

// Get implements workflow.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*workflow.Record, error) {
	var (
		version int64
		doc     []byte
	)
	err := s.pool.QueryRow(ctx, `SELECT version, doc FROM appeals WHERE id = $1`, id).Scan(&version, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, workflow.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("pgstore: get: %w", scrub(err))
	}
	rec, err := decodeRecord(version, doc)
	if err != nil {
		return nil, fmt.Errorf("pgstore: get: %w", err)
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
	rows, err := s.pool.Query(ctx, `SELECT e.seq, e.doc FROM appeals a LEFT JOIN events e ON e.appeal_id = a.id
		WHERE a.id = $1 ORDER BY e.seq`, id)
	if err != nil {
		return nil, fmt.Errorf("pgstore: history: %w", scrub(err))
	}
	found := false
	var h []workflow.Event
	for rows.Next() {
		found = true
		var (
			seq *int64
			doc []byte
		)
		if err := rows.Scan(&seq, &doc); err != nil {
			return nil, fmt.Errorf("pgstore: history: %w", scrub(err))
		}
		if seq == nil {
			break
		}
		var ev workflow.Event
		if err := json.Unmarshal(doc, &ev); err != nil {
			return nil, fmt.Errorf("pgstore: history: decode event: %w", err)
		}
		ev.Seq = *seq
		h = append(h, ev)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: history: %w", scrub(err))
	}
	if !found {
		return nil, workflow.ErrNotFound
	}
	return h, nil
}

// codePaths returns every code and each of its "."-ancestors ("0005.0005.0055" gives
// "0005", "0005.0005" and itself): a record matches Filter.Code c exactly when c is among
// them, so the subtree filter is one GIN lookup.
func codePaths(codes []string) []string {
	var paths []string
	add := func(p string) {
		for _, x := range paths {
			if x == p {
				return
			}
		}
		paths = append(paths, p)
	}
	for _, c := range codes {
		for i := 0; i < len(c); i++ {
			if c[i] == '.' {
				add(c[:i])
			}
		}
		add(c)
	}
	return paths
}

// jsonArray encodes xs as a JSON array, "[]" when empty.
func jsonArray[T any](xs []T) (string, error) {
	if len(xs) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(xs)
	return string(b), err
}

// text is s, or NULL when empty.
func text(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// strs is ss, never NULL.
func strs(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// date is d as a SQL date, or NULL when zero.
func date(d deadline.Date) pgtype.Date {
	if d.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC), Valid: true}
}

// stamp is t as the RFC 3339 text its JSON encoding uses.
func stamp(t time.Time) string { return t.Format(time.RFC3339Nano) }
