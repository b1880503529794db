package pgstore

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// List implements workflow.Store by keyset pagination on id: each page is one indexed query
// of at most 500 rows, read whole before its records are yielded, so no connection is held
// while the loop body runs (it may call the store) and memory stays bounded by one page.
// Each page reads a fresh snapshot: a record changed meanwhile is yielded as it is when its
// page is read, if it still matches.
func (s *Store) List(ctx context.Context, f workflow.Filter) iter.Seq2[*workflow.Record, error] {
	return s.pages(ctx, "list", f, nil)
}

// Search implements workflow.Searcher as List, with one more condition: words @> the words,
// served by the GIN index on words (or, for words most records hold, by the primary key's
// order, as the planner finds cheaper). Words are matched as they are, element by element and
// byte for byte: they are textnorm's tokens already (see the migration). With no words, it is
// List.
func (s *Store) Search(ctx context.Context, words []string, f workflow.Filter) iter.Seq2[*workflow.Record, error] {
	return s.pages(ctx, "search", f, words)
}

// pages yields the records that match f and hold every one of words (any, when there are
// none) page by page, for op (List or Search).
func (s *Store) pages(ctx context.Context, op string, f workflow.Filter, words []string) iter.Seq2[*workflow.Record, error] {
	return func(yield func(*workflow.Record, error) bool) {
		after, left := f.After, f.Limit
		for {
			n := s.pageSize
			if f.Limit > 0 {
				n = min(n, left)
			}
			page, last, err := s.page(ctx, f, words, after, n)
			if err != nil {
				yield(nil, fmt.Errorf("pgstore: %s: %w", op, err))
				return
			}
			for _, rec := range page {
				if !yield(rec, nil) {
					return
				}
			}
			if len(page) < n {
				return
			}
			after, left = last, left-len(page)
			if f.Limit > 0 && left == 0 {
				return
			}
		}
	}
}

// page reads up to n records matching f and holding words with an id greater than after (any
// id when after is uuid.Nil), ascending, and returns the last id read.
func (s *Store) page(ctx context.Context, f workflow.Filter, words []string, after uuid.UUID, n int) ([]*workflow.Record, uuid.UUID, error) {
	f.After = after
	q, args := pageSQL(f, words, n)
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, uuid.Nil, scrub(err)
	}
	defer rows.Close()
	page := make([]*workflow.Record, 0, n)
	var last uuid.UUID
	for rows.Next() {
		var (
			version int64
			doc     []byte
		)
		if err := rows.Scan(&last, &version, &doc); err != nil {
			return nil, uuid.Nil, scrub(err)
		}
		rec, err := decodeRecord(version, doc)
		if err != nil {
			return nil, uuid.Nil, err
		}
		page = append(page, rec)
	}
	return page, last, scrub(rows.Err())
}

// pageSQL is the query of a page of up to n records matching f (After included) and holding
// words, with its arguments.
func pageSQL(f workflow.Filter, words []string, n int) (string, []any) {
	where, args := filterSQL(f)
	if len(words) > 0 {
		args = append(args, words)
		if where == "" {
			where = " WHERE"
		} else {
			where += " AND"
		}
		where += " words @> $" + strconv.Itoa(len(args)) + "::text[]"
	}
	args = append(args, n)
	return `SELECT id, version, doc FROM appeals` + where + ` ORDER BY id LIMIT $` + strconv.Itoa(len(args)), args
}

// Count implements workflow.Counter with one query: how many records List(ctx, f) would
// yield now, After and Limit included.
func (s *Store) Count(ctx context.Context, f workflow.Filter) (int, error) {
	where, args := filterSQL(f)
	q := `SELECT count(*) FROM appeals` + where
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q = `SELECT count(*) FROM (SELECT FROM appeals` + where + ` LIMIT $` + strconv.Itoa(len(args)) + `) m`
	}
	var n int
	if err := s.pool.QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("pgstore: count: %w", scrub(err))
	}
	return n, nil
}

// filterSQL translates workflow.Filter.Match (all but Limit) into a WHERE clause on the
// indexed columns, with its arguments. Every set field becomes one predicate an index
// serves: btree on state, registered_on, number and id; GIN on the arrays; the term
// conditions one EXISTS on appeal_terms, served by its date indexes.
func filterSQL(f workflow.Filter) (string, []any) {
	var (
		conds []string
		args  []any
	)
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1))
	}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		add("state = ANY(?::text[])", states)
	}
	if terms, targs := termSQL(f, len(args)); terms != "" {
		conds = append(conds, terms)
		args = append(args, targs...)
	}
	// A NULL date (not registered) fails any bound, as in Match.
	if !f.RegisteredFrom.IsZero() {
		add("registered_on >= ?", date(f.RegisteredFrom))
	}
	if !f.RegisteredTo.IsZero() {
		add("registered_on <= ?", date(f.RegisteredTo))
	}
	if f.Person != "" {
		add("people @> ARRAY[?::text]", f.Person)
	}
	if f.Code != "" {
		add("code_paths @> ARRAY[?::text]", f.Code) // see codePaths
	}
	if f.Applicant != "" {
		add("applicants @> ARRAY[?::text]", f.Applicant)
	}
	if f.Number != "" {
		add("number = ?", f.Number)
	}
	if f.After != uuid.Nil {
		add("id > ?", f.After) // uuid compares bytewise, as workflow's compareIDs
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// termSQL translates the filter's term conditions into one EXISTS over appeal_terms, with its
// arguments numbered after the n already taken: one running term must meet them all, as in
// Filter.Match.
func termSQL(f workflow.Filter, n int) (string, []any) {
	var (
		conds []string
		args  []any
	)
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.Replace(cond, "?", "$"+strconv.Itoa(n+len(args)), 1))
	}
	if len(f.TermKinds) > 0 {
		kinds := make([]string, len(f.TermKinds))
		for i, k := range f.TermKinds {
			kinds[i] = string(k)
		}
		add("t.kind = ANY(?::text[])", kinds)
	}
	for _, b := range []struct {
		cond string
		d    deadline.Date
	}{{"t.legal >= ?", f.DueFrom}, {"t.legal <= ?", f.DueTo}, {"t.control >= ?", f.ControlFrom}, {"t.control <= ?", f.ControlTo}} {
		if !b.d.IsZero() {
			add(b.cond, date(b.d))
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return "EXISTS (SELECT 1 FROM appeal_terms t WHERE t.appeal_id = appeals.id AND " + strings.Join(conds, " AND ") + ")", args
}
