package sqlitestore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/fz59/appeals/workflow"
)

// write runs op ("create" or "save") for ch: w in the writer's transaction, then stored on
// the caller's record once committed. A change without a number is encoded here, outside
// the writer's turn; w completes one that draws a number (see completed).
func (s *Store) write(ctx context.Context, op string, ch workflow.Change, w func(tx *sql.Tx, ch workflow.Change, enc *encoded) error,
	stored func(*workflow.Record)) error {
	rec := ch.Record
	if rec == nil || rec.Appeal == nil {
		return fmt.Errorf("sqlitestore: %s: %w", op, errNoAppeal)
	}
	err := s.open()
	var enc *encoded
	if err == nil && ch.Number == nil {
		enc, err = s.encode(ch)
	}
	if err == nil {
		err = s.exec(ctx, func(tx *sql.Tx) error { return w(tx, ch, enc) })
	}
	if err != nil {
		return fmt.Errorf("sqlitestore: %s %s: %w", op, rec.Appeal.ID, err)
	}
	stored(rec)
	return nil
}

// completed returns enc, the encoded change; for a change that draws a registration number
// (enc nil) it draws the next number of the series and year in tx, lets Apply complete the
// change with it and encodes the change as Apply left it. Rolled back with the write, the
// draw spends nothing.
func (s *Store) completed(tx *sql.Tx, ch workflow.Change, enc *encoded) (*encoded, error) {
	if enc != nil {
		return enc, nil
	}
	var n int64
	if err := tx.Stmt(s.st.draw).QueryRow(ch.Number.Series, ch.Number.Year).Scan(&n); err != nil {
		return nil, fmt.Errorf("draw number: %w", scrub(err))
	}
	if err := ch.Number.Apply(&ch, n); err != nil {
		return nil, err
	}
	if ch.Record == nil || ch.Record.Appeal == nil {
		return nil, errNoAppeal
	}
	return s.encode(ch)
}

func (s *Store) createTx(tx *sql.Tx, ch workflow.Change, enc *encoded) error {
	enc, err := s.completed(tx, ch, enc)
	if err != nil {
		return err
	}
	ix := &enc.ix
	res, err := tx.Stmt(s.st.insertAppeal).Exec(enc.id, len(enc.change.Events), string(ix.State), text(ix.Number),
		text(ix.Series), day(ix.RegisteredOn), text(ix.IntakeKey), enc.keys.sum, enc.terms.sum, enc.words.sum, enc.doc)
	if err != nil {
		return s.writeError(tx, err, ix.IntakeKey)
	}
	rowid, err := res.LastInsertId()
	if err != nil {
		return scrub(err)
	}
	if err := s.insert(tx, enc, 0, nil, nil); err != nil {
		return err
	}
	s.writeWords(rowid, enc, nil)
	return nil
}

func (s *Store) saveTx(tx *sql.Tx, ch workflow.Change, enc *encoded) error {
	version := ch.Record.Version
	var (
		rowid, stored, lastSeq      int64
		keysSum, termsSum, wordsSum []byte
	)
	err := tx.Stmt(s.st.version).QueryRow(ch.Record.Appeal.ID[:]).Scan(&rowid, &stored, &lastSeq, &keysSum, &termsSum, &wordsSum)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return workflow.ErrNotFound
	case err != nil:
		return scrub(err)
	case stored != version:
		return fmt.Errorf("version %d, stored %d: %w", version, stored, workflow.ErrConflict)
	}
	if enc, err = s.completed(tx, ch, enc); err != nil {
		return err
	}
	ix := &enc.ix
	_, err = tx.Stmt(s.st.updateAppeal).Exec(lastSeq+int64(len(enc.change.Events)), string(ix.State), text(ix.Number),
		text(ix.Series), day(ix.RegisteredOn), text(ix.IntakeKey), enc.keys.sum, enc.terms.sum, enc.words.sum, enc.doc, enc.id)
	if err != nil {
		return s.writeError(tx, err, ix.IntakeKey)
	}
	if err := s.insert(tx, enc, lastSeq, keysSum, termsSum); err != nil {
		return err
	}
	s.writeWords(rowid, enc, wordsSum)
	return nil
}

// writeError maps a failed write of an appeals row onto workflow's sentinels: a taken id is
// ErrExists, a taken intake key a *workflow.DuplicateError naming the holder. Anything else
// is scrubbed.
func (s *Store) writeError(tx *sql.Tx, err error, intakeKey string) error {
	switch violated(err) {
	case appealsID:
		return workflow.ErrExists
	case appealsIntakeKey:
		dup := &workflow.DuplicateError{}
		var holder []byte
		if err := tx.Stmt(s.st.holder).QueryRow(intakeKey).Scan(&holder); err != nil {
			return scrub(err)
		}
		copy(dup.Existing[:], holder)
		return dup
	}
	return scrub(err)
}

// encoded is a change ready to write: the record's document, its index and the rows of the
// index's tables and of the outbox. Events are encoded in the transaction, which knows their
// Seq.
type encoded struct {
	change workflow.Change
	id     []byte
	doc    []byte
	ix     workflow.Index
	keys   rows // appeal_keys
	terms  rows // appeal_terms
	words  rows // appeal_words: its text, none without words
	notes  rows // outbox
}

// rows are rows for one table, their values flattened, and the SHA-256 of their text, by which
// a Save sees whether an appeal's rows in that table change.
type rows struct {
	values []any
	sum    []byte
}

// encode prepares ch's rows. The index comes from Record.Index() and nothing else.
func (s *Store) encode(ch workflow.Change) (*encoded, error) {
	doc, err := s.docs.marshal(ch.Record)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	ix := ch.Record.Index()
	id := ix.ID[:]
	enc := &encoded{change: ch, id: id, doc: doc, ix: ix}
	enc.keys.values = make([]any, 0, keyCols*(len(ix.People)+len(ix.Codes)+len(ix.Applicants)))
	for _, k := range []struct {
		field  string
		values []string
	}{{"person", ix.People}, {"code", ix.Codes}, {"applicant", ix.Applicants}} {
		for _, v := range k.values {
			enc.keys.values = append(enc.keys.values, k.field, v, id)
		}
	}
	enc.keys.sum = digest(enc.keys.values)
	enc.terms.values = make([]any, 0, termCols*len(ix.Terms))
	for _, t := range ix.Terms {
		enc.terms.values = append(enc.terms.values, id, string(t.Kind), day(t.Legal), day(t.Control))
	}
	enc.terms.sum = digest(enc.terms.values)
	if len(ix.Words) > 0 {
		enc.words.values = []any{wordsText(ix.Words)}
	}
	enc.words.sum = digest(enc.words.values)
	enc.notes.values = make([]any, 0, noteCols*len(ch.Notifications))
	for _, n := range ch.Notifications {
		doc, err := s.docs.marshal(n)
		if err != nil {
			return nil, fmt.Errorf("encode notification %s: %w", n.ID, err)
		}
		enc.notes.values = append(enc.notes.values, n.ID[:], n.AppealID[:], string(n.Status), n.Attempts,
			stamp(n.CreatedAt), stamp(n.NextAttempt), n.LastError, doc)
	}
	return enc, nil
}

// digest is the SHA-256 of values, each written with its length (appendValue), so that no
// two lists of values share a text.
func digest(values []any) []byte {
	h := sha256.New()
	var b []byte
	for _, v := range values {
		b = appendValue(b[:0], v)
		h.Write(b)
	}
	return h.Sum(nil)
}

// appendValue appends v's text to b: its kind, its length where it has one, the value, ';'.
// v is a value of the index's rows as written or as read back: a string, a []byte, an int64
// or nil (no date).
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		b = append(strconv.AppendInt(append(b, 's'), int64(len(v)), 10), ':')
		b = append(b, v...)
	case []byte:
		b = append(strconv.AppendInt(append(b, 'b'), int64(len(v)), 10), ':')
		b = append(b, v...)
	case int64:
		b = strconv.AppendInt(append(b, 'i'), v, 10)
	default: // nil: no date
		b = append(b, 'n')
	}
	return append(b, ';')
}

// writeWords queues the writes of the appeal's row of appeal_words under rowid, the appeals
// row's, unless its stored sum (nil on Create) shows the words unchanged: the old row's
// delete, the new row's insert. The writer runs them once the batch's savepoints are
// released (flushWords).
func (s *Store) writeWords(rowid int64, enc *encoded, stored []byte) {
	if stored != nil && bytes.Equal(stored, enc.words.sum) {
		return
	}
	w := wordsWrite{rowid: rowid, delete: stored != nil, insert: len(enc.words.values) > 0}
	if w.insert {
		w.id, w.words = enc.id, enc.words.values[0].(string)
	}
	if w.delete || w.insert {
		s.words = append(s.words, w)
	}
}

// wordsWrite is one appeal's change of appeal_words: its old row deleted, its new one
// inserted. FTS5 writes what it was given as a new segment of its index at every
// savepoint's release, and merges segments as they pile up: written in each write's own
// savepoint, every write would cost a segment and its merges; written after the batch's last
// release, the whole batch costs one.
type wordsWrite struct {
	rowid          int64
	delete, insert bool
	id             []byte
	words          string // the row's text (wordsText)
}

// flushWords runs the batch's writes of appeal_words, in their order.
func (s *Store) flushWords(tx *sql.Tx) error {
	if len(s.words) == 0 {
		return nil
	}
	del, ins := tx.Stmt(s.st.deleteWords), tx.Stmt(s.st.insertWords)
	for _, w := range s.words {
		if w.delete {
			if _, err := del.Exec(w.rowid); err != nil {
				return scrub(err)
			}
		}
		if w.insert {
			if _, err := ins.Exec(w.rowid, w.id, w.words); err != nil {
				return scrub(err)
			}
		}
	}
	return nil
}

// The rows' columns.
const (
	keyCols   = 3
	termCols  = 4
	eventCols = 4
	noteCols  = 8
)

// insert writes the rows that go with the appeals row: the appeal's keys and terms unless
// their stored sums (nil on Create) show them unchanged, and then only the rows that differ
// (see keep); the events numbered after base; the notifications.
func (s *Store) insert(tx *sql.Tx, enc *encoded, base int64, keysSum, termsSum []byte) error {
	events := make([]any, 0, eventCols*len(enc.change.Events))
	for i, ev := range enc.change.Events {
		ev.Seq = base + int64(i) + 1
		doc, err := s.docs.marshal(ev)
		if err != nil {
			return fmt.Errorf("encode event: %w", err)
		}
		events = append(events, enc.id, ev.Seq, stamp(ev.At), doc)
	}
	for _, t := range []struct {
		read, remove, insert *sql.Stmt // read, remove: nil for the tables only appended to
		cols                 int
		values               []any
		stored, sum          []byte // the sums, stored nil when the appeal is new
	}{
		{s.st.readKeys, s.st.deleteKey, s.st.insertKey, keyCols, enc.keys.values, keysSum, enc.keys.sum},
		{s.st.readTerms, s.st.deleteTerm, s.st.insertTerm, termCols, enc.terms.values, termsSum, enc.terms.sum},
		{nil, nil, s.st.insertEvent, eventCols, events, nil, nil},
		{nil, nil, s.st.insertNote, noteCols, enc.notes.values, nil, nil},
	} {
		values := t.values
		if t.read != nil && t.stored != nil {
			if bytes.Equal(t.stored, t.sum) {
				continue
			}
			var err error
			if values, err = keep(tx, t.read, t.remove, t.cols, enc.id, values); err != nil {
				return err
			}
		}
		if len(values) == 0 {
			continue
		}
		insert := tx.Stmt(t.insert)
		for row := values; len(row) > 0; row = row[t.cols:] {
			if _, err := insert.Exec(row[:t.cols]...); err != nil {
				if violated(err) == outboxID {
					return workflow.ErrExists
				}
				return scrub(err)
			}
		}
	}
	return nil
}

// keep brings the appeal's stored rows of a table toward values (rows of cols values): it
// deletes the stored rows that values does not hold, and returns the rows of values that are
// not stored, left to insert. A row that stays as it was is not written again: a key or a
// term more or less costs one row's writes, not all of the appeal's rows' (a term's five
// B-trees, a key's two). read yields each stored row's cols values, then what remove takes
// to delete it, or nothing more when remove takes the values themselves. Rows count as
// often as they occur (an appeal may hold two equal terms).
func keep(tx *sql.Tx, read, remove *sql.Stmt, cols int, id []byte, values []any) ([]any, error) {
	texts := make([]string, 0, len(values)/cols)
	want := make(map[string]int, len(values)/cols)
	for row := values; len(row) > 0; row = row[cols:] {
		texts = append(texts, rowText(row[:cols]))
		want[texts[len(texts)-1]]++
	}
	rows, err := tx.Stmt(read).Query(id)
	if err != nil {
		return nil, scrub(err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, scrub(err)
	}
	var gone [][]any
	for rows.Next() {
		row := make([]any, len(names))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, scrub(err)
		}
		if k := rowText(row[:cols]); want[k] > 0 {
			want[k]--
			continue
		}
		if len(row) > cols {
			row = row[cols:]
		}
		gone = append(gone, row)
	}
	if err := rows.Close(); err != nil {
		return nil, scrub(err)
	}
	del := tx.Stmt(remove)
	for _, args := range gone {
		if _, err := del.Exec(args...); err != nil {
			return nil, scrub(err)
		}
	}
	var left []any
	for i, k := range texts {
		if want[k] > 0 {
			want[k]--
			left = append(left, values[i*cols:(i+1)*cols]...)
		}
	}
	return left, nil
}

// rowText is a row's values as one text (appendValue), by which keep matches rows.
func rowText(row []any) string {
	var b []byte
	for _, v := range row {
		b = appendValue(b, v)
	}
	return string(b)
}
