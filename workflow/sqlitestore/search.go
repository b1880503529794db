package sqlitestore

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// Search implements workflow.Searcher on the full-text table appeal_words, in rounds (see
// find). A round's first query takes, in id order, the ids of up to eight pages of appeals
// (after the last id yielded) that hold every word and match the filter: the index gives the
// matches' ids itself (an unindexed column), so the filter's conditions on the id (people,
// codes, applicants, terms) cost no look-up of the appeal, and only those on its own columns
// (state, registration day, number) read its row. A record changed since is yielded only if
// it still holds the words. Words are matched as they are, byte for byte: they are
// textnorm's tokens already (see the migration for how they are written). With no words, it
// is List.
func (s *Store) Search(ctx context.Context, words []string, f workflow.Filter) iter.Seq2[*workflow.Record, error] {
	if len(words) == 0 {
		return s.List(ctx, f)
	}
	match := matchQuery(words)
	return s.find(ctx, "search", f, searchPages, func(g workflow.Filter, n int) (string, []any) { return foundSQL(match, g, n) },
		func(ix workflow.Index) bool { return holdsAll(ix.Words, words) })
}

// How many pages of ids a round of Search and of List takes. A round's query finds and sorts
// all the matches after the last id yielded, whatever its limit, so that the fewer the rounds,
// the less it repeats: Search's matches are FTS5's, List's those of an index range (a range
// of registration days, say); a List round holds 64 × 500 ids, some 770 KB.
const (
	searchPages = 8
	listPages   = 64
)

// find yields, in id order, the records that match f and keep (a record's index as read), in
// rounds: ids builds the query of the rowids and ids of up to n matches after g.After, in id
// order; the records are then read a page at a time by rowid and yielded, each page read
// whole first, so that the loop body, which may write, runs with no connection or read
// snapshot held. A record changed since its round's query is yielded only if it still
// matches (Filter.Match and keep).
func (s *Store) find(ctx context.Context, op string, f workflow.Filter, pages int, ids func(g workflow.Filter, n int) (string, []any),
	keep func(workflow.Index) bool) iter.Seq2[*workflow.Record, error] {
	return func(yield func(*workflow.Record, error) bool) {
		fail := func(err error) { yield(nil, fmt.Errorf("sqlitestore: %s: %w", op, err)) }
		left := f.Limit
		for g := f; ; { // g.After moves on
			n := pages * s.pageSize
			if f.Limit > 0 {
				n = min(n, left)
			}
			q, args := ids(g, n)
			found, err := s.found(ctx, q, args)
			if err != nil {
				fail(err)
				return
			}
			for page := range slices.Chunk(found, s.pageSize) {
				recs, err := s.byRowid(ctx, page)
				if err != nil {
					fail(err)
					return
				}
				for _, rec := range recs {
					if ix := rec.Index(); !f.Match(ix) || !keep(ix) {
						continue // changed since
					}
					if !yield(rec, nil) {
						return
					}
					if left--; left == 0 {
						return // f.Limit reached
					}
				}
			}
			if len(found) < n {
				return
			}
			g.After = found[len(found)-1].id
		}
	}
}

// match is an appeal found: its row and its id.
type match struct {
	rowid int64
	id    uuid.UUID
}

// found runs q, a query of (rowid, id) rows with its arguments, and returns its rows.
func (s *Store) found(ctx context.Context, q string, args []any) ([]match, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	rows, err := s.readers.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, scrub(err)
	}
	defer rows.Close()
	var out []match
	for rows.Next() {
		var (
			m  match
			id []byte
		)
		if err := rows.Scan(&m.rowid, &id); err != nil {
			return nil, scrub(err)
		}
		copy(m.id[:], id)
		out = append(out, m)
	}
	return out, scrub(rows.Err())
}

// foundSQL is found's query, with its arguments: the conditions of f on the id read the
// index's id column, which stands for the appeal's; those on the appeal's own columns one
// EXISTS on its row.
func foundSQL(query string, f workflow.Filter, n int) (string, []any) {
	byID, own := filterConds(f)
	var where conds
	where.add("appeal_words MATCH ?", query)
	where.sql, where.args = append(where.sql, byID.sql...), append(where.args, byID.args...)
	if len(own.sql) > 0 {
		where.add("EXISTS (SELECT 1 FROM appeals WHERE appeals.rowid = appeal_words.rowid AND "+own.and()+")", own.args...)
	}
	return `SELECT rowid, id FROM appeal_words WHERE ` + where.and() + ` ORDER BY id LIMIT ?`, append(where.args, n)
}

// byRowid reads the records of the appeals found, in their order.
func (s *Store) byRowid(ctx context.Context, found []match) ([]*workflow.Record, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	rowids := make([]byte, 0, 8*len(found))
	rowids = append(rowids, '[')
	for i, m := range found {
		if i > 0 {
			rowids = append(rowids, ',')
		}
		rowids = strconv.AppendInt(rowids, m.rowid, 10)
	}
	rows, err := s.st.byRowid.QueryContext(ctx, string(append(rowids, ']')))
	if err != nil {
		return nil, scrub(err)
	}
	return s.readRecords(rows, len(found))
}

// holdsAll reports whether have holds every one of words.
func holdsAll(have, words []string) bool {
	for _, w := range words {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// wordsText is the text of an appeal's appeal_words row: its words, each as appendWord
// writes it, joined by spaces.
func wordsText(words []string) string {
	var b []byte
	for i, w := range words {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendWord(b, w)
	}
	return string(b)
}

// matchQuery is the FTS5 query of appeals that hold every one of words: each written as
// appendWord writes it, quoted (the written form holds no quote), ANDed.
func matchQuery(words []string) string {
	var b []byte
	for i, w := range words {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(appendWord(append(b, '"'), w), '"')
	}
	return string(b)
}

// appendWord appends w written so that the table's tokenizer keeps it one token, as it is,
// and no two words alike: a-z, 0-9, а-я, '.', '-' and '/' as themselves (what textnorm's
// tokens are made of, bar ё, which it folds); any other character as '_', its code point in
// hex, '_' (a byte that is no UTF-8 as '_', 'x', its hex, '_'); the empty word as "_".
// Upper case, ё, spaces, quotes and other query syntax thus reach neither the tokenizer's
// folding nor the query parser.
func appendWord(b []byte, w string) []byte {
	if w == "" {
		return append(b, '_')
	}
	for i := 0; i < len(w); {
		r, size := utf8.DecodeRuneInString(w[i:])
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r >= 'а' && r <= 'я', r == '.', r == '-', r == '/':
			b = utf8.AppendRune(b, r)
		case r == utf8.RuneError && size == 1:
			b = append(strconv.AppendUint(append(b, '_', 'x'), uint64(w[i]), 16), '_')
		default:
			b = append(strconv.AppendUint(append(b, '_'), uint64(r), 16), '_')
		}
		i += size
	}
	return b
}
