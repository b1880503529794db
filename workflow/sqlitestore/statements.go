package sqlitestore

import (
	"database/sql"
	"errors"
	"fmt"
)

// statements are the store's fixed statements, prepared once: SQLite parses a statement in
// about the time it takes to run a small one. The writer's are prepared on its one
// connection; the readers' on each reader when it first runs them. (List and Count build
// their text from the filter and are parsed each time, once a page.)
type statements struct {
	// The writer's.
	savepoint, release, rollbackTo                    *sql.Stmt
	version, insertAppeal, updateAppeal, holder, draw *sql.Stmt
	readKeys, deleteKey, insertKey                    *sql.Stmt
	readTerms, deleteTerm, insertTerm                 *sql.Stmt
	deleteWords, insertWords                          *sql.Stmt
	insertEvent, insertNote, claim, updateNote        *sql.Stmt
	// The readers'.
	get, history, exists, due, byRowid *sql.Stmt

	all []*sql.Stmt // every one prepared, to close
}

// byRowidSQL reads the appeals of a JSON array of rowids, in its order.
const byRowidSQL = `SELECT appeals.version, appeals.doc FROM json_each(?) AS j
	CROSS JOIN appeals ON appeals.rowid = j.value ORDER BY j.key`

// prepare prepares the statements.
func prepare(writer, readers *sql.DB) (*statements, error) {
	st := &statements{}
	for _, p := range []struct {
		stmt **sql.Stmt
		db   *sql.DB
		sql  string
	}{
		{&st.savepoint, writer, `SAVEPOINT w`},
		{&st.release, writer, `RELEASE w`},
		{&st.rollbackTo, writer, `ROLLBACK TO w`},
		{&st.version, writer, `SELECT rowid, version, last_seq, keys_sum, terms_sum, words_sum FROM appeals WHERE id = ?`},
		{&st.insertAppeal, writer, `INSERT INTO appeals (id, version, last_seq, state, number, series, registered_on,
			intake_key, keys_sum, terms_sum, words_sum, doc) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.updateAppeal, writer, `UPDATE appeals SET version = version + 1, last_seq = ?, state = ?, number = ?,
			series = ?, registered_on = ?, intake_key = ?, keys_sum = ?, terms_sum = ?, words_sum = ?, doc = ? WHERE id = ?`},
		{&st.holder, writer, `SELECT id FROM appeals WHERE intake_key = ?`},
		{&st.draw, writer, `INSERT INTO numbering (series, year, last) VALUES (?, ?, 1)
			ON CONFLICT (series, year) DO UPDATE SET last = last + 1 RETURNING last`},
		{&st.readKeys, writer, `SELECT field, value, appeal_id FROM appeal_keys WHERE appeal_id = ?`},
		{&st.deleteKey, writer, `DELETE FROM appeal_keys WHERE field = ? AND value = ? AND appeal_id = ?`},
		{&st.insertKey, writer, `INSERT INTO appeal_keys (field, value, appeal_id) VALUES (?, ?, ?)`},
		{&st.readTerms, writer, `SELECT appeal_id, kind, legal, control, rowid FROM appeal_terms WHERE appeal_id = ?`},
		{&st.deleteTerm, writer, `DELETE FROM appeal_terms WHERE rowid = ?`},
		{&st.insertTerm, writer, `INSERT INTO appeal_terms (appeal_id, kind, legal, control) VALUES (?, ?, ?, ?)`},
		{&st.deleteWords, writer, `DELETE FROM appeal_words WHERE rowid = ?`},
		{&st.insertWords, writer, `INSERT INTO appeal_words (rowid, id, words) VALUES (?, ?, ?)`},
		{&st.insertEvent, writer, `INSERT INTO events (appeal_id, seq, at, doc) VALUES (?, ?, ?, ?)`},
		{&st.insertNote, writer, `INSERT INTO outbox (id, appeal_id, status, attempts, created_at, next_attempt,
			last_error, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.claim, writer, claimSQL},
		{&st.updateNote, writer, `UPDATE outbox SET status = ?, next_attempt = ?, last_error = ? WHERE id = ?`},
		{&st.get, readers, `SELECT version, doc FROM appeals WHERE id = ?`},
		{&st.history, readers, `SELECT seq, doc FROM events WHERE appeal_id = ? ORDER BY seq`},
		{&st.exists, readers, `SELECT 1 FROM appeals WHERE id = ?`},
		{&st.due, readers, dueSQL},
		{&st.byRowid, readers, byRowidSQL},
	} {
		var err error
		if *p.stmt, err = p.db.Prepare(p.sql); err != nil {
			return nil, errors.Join(fmt.Errorf("sqlitestore: prepare: %w", scrub(err)), st.close())
		}
		st.all = append(st.all, *p.stmt)
	}
	return st, nil
}

// close closes the statements prepared.
func (st *statements) close() error {
	var errs []error
	for _, s := range st.all {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
