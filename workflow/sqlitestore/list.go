package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strings"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// List implements workflow.Store by keyset pagination on id, in rounds as Search (see find):
// one query takes the rowids and ids of up to 64 pages of matches after the last id yielded
// (from an index alone for the states or a range of registration days); then the records
// are read a page (500) at a time. A page query that read the
// records themselves, sorted by id, read every record of an index range to sort them, at
// every page: a List of the 238,000 appeals registered in 90 days of 1,000,000 took 256 s.
func (s *Store) List(ctx context.Context, f workflow.Filter) iter.Seq2[*workflow.Record, error] {
	return s.find(ctx, "list", f, listPages, listSQL, func(workflow.Index) bool { return true })
}

// listSQL is List's query of the rowids and ids of up to n records that match f, in id
// order.
func listSQL(f workflow.Filter, n int) (string, []any) {
	where, args := filterSQL(f)
	return `SELECT rowid, id FROM appeals` + where + ` ORDER BY id LIMIT ?`, append(args, n)
}

// readRecords reads and closes rows of (version, doc), up to n of them.
func (s *Store) readRecords(rows *sql.Rows, n int) ([]*workflow.Record, error) {
	defer rows.Close()
	page := make([]*workflow.Record, 0, min(n, 64))
	for rows.Next() {
		var (
			version int64
			doc     sql.RawBytes
		)
		if err := rows.Scan(&version, &doc); err != nil {
			return nil, scrub(err)
		}
		rec, err := s.docs.record(version, doc)
		if err != nil {
			return nil, err
		}
		page = append(page, rec)
	}
	return page, scrub(rows.Err())
}

// Count implements workflow.Counter with one query: how many records List(ctx, f) would
// yield now, After and Limit included.
func (s *Store) Count(ctx context.Context, f workflow.Filter) (int, error) {
	if err := s.open(); err != nil {
		return 0, fmt.Errorf("sqlitestore: count: %w", err)
	}
	where, args := filterSQL(f)
	q := `SELECT count(*) FROM appeals` + where
	if f.Limit > 0 {
		q = `SELECT count(*) FROM (SELECT 1 FROM appeals` + where + ` LIMIT ?)`
		args = append(args, f.Limit)
	}
	var n int
	if err := s.readers.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlitestore: count: %w", scrub(err))
	}
	return n, nil
}

// filterSQL translates workflow.Filter.Match (all but Limit) into a WHERE clause on the
// indexed columns, with its arguments (see filterConds); "" when f selects everything.
func filterSQL(f workflow.Filter) (string, []any) {
	byID, own := filterConds(f)
	all := conds{sql: append(own.sql, byID.sql...), args: append(own.args, byID.args...)}
	if len(all.sql) == 0 {
		return "", nil
	}
	return " WHERE " + all.and(), all.args
}

// conds are SQL conditions to be ANDed, with their arguments in order.
type conds struct {
	sql  []string
	args []any
}

func (c *conds) add(cond string, args ...any) {
	c.sql = append(c.sql, cond)
	c.args = append(c.args, args...)
}

// and is the conditions ANDed.
func (c conds) and() string { return strings.Join(c.sql, " AND ") }

// filterConds translates workflow.Filter.Match (all but Limit) into conditions on an appeals
// row: byID those that read only its id (After, the people, codes and applicants, the terms),
// own those that read its own columns (state, registered_on, number). Every set field
// becomes one predicate an index serves: appeals' own on state, registered_on, number and
// id; appeal_keys' on (field, value) for people, codes and applicants; the term conditions
// one subquery on appeal_terms, served by its date indexes.
func filterConds(f workflow.Filter) (byID, own conds) {
	if len(f.States) > 0 {
		own.add("state IN ("+params(len(f.States))+")", anys(f.States)...)
	}
	// A NULL date (not registered) fails any bound, as in Match.
	if !f.RegisteredFrom.IsZero() {
		own.add("registered_on >= ?", day(f.RegisteredFrom))
	}
	if !f.RegisteredTo.IsZero() {
		own.add("registered_on <= ?", day(f.RegisteredTo))
	}
	if f.Number != "" {
		own.add("number = ?", f.Number)
	}
	if terms, targs := termSQL(f); terms != "" {
		byID.add(terms, targs...)
	}
	const key = "id IN (SELECT appeal_id FROM appeal_keys WHERE field = ? AND "
	if f.Person != "" {
		byID.add(key+"value = ?)", "person", f.Person)
	}
	if f.Code != "" {
		// The code c itself or one under it, in one range of the index: text compares
		// bytewise, so the values from c to c+"/" ('/' is the byte after '.') are c, those
		// that continue c with a byte before '.', and then exactly those that start with c+".".
		byID.add(key+"value >= ? AND value < ? AND (value = ? OR value >= ?))", "code", f.Code, f.Code+"/", f.Code, f.Code+".")
	}
	if f.Applicant != "" {
		byID.add(key+"value = ?)", "applicant", f.Applicant)
	}
	if f.After != uuid.Nil {
		byID.add("id > ?", f.After[:]) // blobs compare bytewise, as workflow's compareIDs
	}
	return byID, own
}

// termSQL translates the filter's term conditions into one subquery over appeal_terms, with
// its arguments: one running term must meet them all, as in Filter.Match.
func termSQL(f workflow.Filter) (string, []any) {
	var (
		conds []string
		args  []any
	)
	if len(f.TermKinds) > 0 {
		conds = append(conds, "kind IN ("+params(len(f.TermKinds))+")")
		args = append(args, anys(f.TermKinds)...)
	}
	for _, b := range []struct {
		cond string
		d    deadline.Date
	}{{"legal >= ?", f.DueFrom}, {"legal <= ?", f.DueTo}, {"control >= ?", f.ControlFrom}, {"control <= ?", f.ControlTo}} {
		if !b.d.IsZero() {
			conds = append(conds, b.cond)
			args = append(args, day(b.d))
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return "id IN (SELECT appeal_id FROM appeal_terms WHERE " + strings.Join(conds, " AND ") + ")", args
}

// params returns n comma-separated placeholders.
func params(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// anys converts string-kinded values to arguments.
func anys[S ~string](xs []S) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
