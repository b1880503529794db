package workflow

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/classifier"
	"github.com/google/uuid"
)

// Searcher is an optional Store ability: finding records by words, server-side. Engine.Search
// uses it when the store has it and scans List otherwise; storetest.RunSearch is the suite an
// adapter that has it passes.
type Searcher interface {
	// Search yields the records whose Index.Words hold every one of words (normalized tokens,
	// at least one) and that match f, in ascending id order, with f.After and f.Limit applied
	// as List applies them, streaming as List does.
	Search(ctx context.Context, words []string, f Filter) iter.Seq2[*Record, error]
}

// maxWords bounds the words a record is found by: the first this many distinct tokens.
const maxWords = 2000

// words computes the record's search words (Record.Words): the distinct tokens of the
// number, the applicants' names, e-mails, phones and postal addresses, the summary, the
// text and the titles of the question codes, by the module's one normalizer; a field whose
// text is k's takes k's tokens instead of normalizing it again.
func (e *Engine) words(rec *Record, k known) []string {
	var n textnorm.Normalizer
	var toks []string
	for _, f := range e.searchFields(rec) {
		if k.tokens != nil && f.text == k.text {
			toks = append(toks, k.tokens...)
		} else {
			toks = n.AppendTokens(toks, f.text)
		}
	}
	if len(toks) > maxWords { // keep the first maxWords distinct, in the fields' order
		seen := make(map[string]bool, maxWords)
		toks = slices.DeleteFunc(toks, func(t string) bool {
			if seen[t] || len(seen) == maxWords {
				return true
			}
			seen[t] = true
			return false
		})
	}
	slices.Sort(toks)
	return ownWords(slices.Compact(toks))
}

// known are the tokens of a text already normalized: at receipt, the text the similarity
// document was made of.
type known struct {
	text   string
	tokens []string
}

// addWords is the record's words when the fields they came from, base, gain texts (a number
// drawn, a question's title) and lose nothing: base with the texts' tokens, without reading
// the other fields again. When the union passes maxWords it is words(rec), which keeps the
// first in the fields' order; below, the union is what words(rec) would give.
func (e *Engine) addWords(base []string, rec *Record, texts ...string) []string {
	var n textnorm.Normalizer
	var toks []string
	for _, t := range texts {
		toks = n.AppendTokens(toks, t)
	}
	slices.Sort(toks)
	toks = slices.Compact(toks)
	union := make([]string, 0, len(base)+len(toks))
	i, j := 0, 0
	for i < len(base) || j < len(toks) {
		switch {
		case j == len(toks) || i < len(base) && base[i] < toks[j]:
			union = append(union, base[i])
			i++
		case i == len(base) || toks[j] < base[i]:
			union = append(union, toks[j])
			j++
		default:
			union = append(union, base[i])
			i++
			j++
		}
	}
	switch {
	case len(union) > maxWords:
		return e.words(rec, known{})
	case len(union) == len(base):
		return base
	}
	return ownWords(union)
}

// field is one searchable part of a record with its weight in the ranking.
type field struct {
	text   string
	weight float64
}

// ownWords returns the sorted distinct words ws cut from one string of their own: tokens
// share the normalizer's buffer, and a record's words are one allocation, not one each.
func ownWords(ws []string) []string {
	var size int
	for _, t := range ws {
		size += len(t)
	}
	var b strings.Builder
	b.Grow(size)
	for _, t := range ws {
		b.WriteString(t)
	}
	all, off := b.String(), 0
	out := make([]string, len(ws))
	for i, t := range ws {
		out[i] = all[off : off+len(t)]
		off += len(t)
	}
	return out
}

// searchFields are the parts of a record search looks at, the most telling first.
func (e *Engine) searchFields(rec *Record) []field {
	a := rec.Appeal
	fs := []field{{a.Number, 8}}
	for _, p := range a.Applicants {
		fs = append(fs, field{p.Surname + " " + p.GivenName + " " + p.Patronymic + " " + p.OrganizationName + " " +
			p.Email + " " + p.Phone, 5}, field{p.PostalAddress, 4})
	}
	fs = append(fs, field{a.Summary, 3})
	for _, q := range a.Questions {
		if title, ok := e.codeTitle(q.Code); ok {
			fs = append(fs, field{title, 2})
		}
	}
	return append(fs, field{a.Text, 1})
}

// codeTitle is the title of a question's code in the engine's classifier.
func (e *Engine) codeTitle(c string) (string, bool) {
	code, err := classifier.Parse(c)
	if err != nil {
		return "", false
	}
	node, ok := e.opt.Classifier.Lookup(code)
	return node.Title, ok
}

// SearchInput is a search across the cards (поиск по обращениям).
type SearchInput struct {
	// Query is what a person typed: a number, a name, an address, words of the text or of a
	// question's title. Every word of it must be found.
	Query string
	// Filter narrows the search (states, terms, people, codes, …); its After and Limit are
	// ignored: use Offset and Limit.
	Filter Filter
	// Offset and Limit page the ranked hits; Limit 0 means 20.
	Offset, Limit int
}

// SearchResult is one page of ranked hits.
type SearchResult struct {
	// Hits are the page, best first.
	Hits []SearchHit
	// Total is how many records matched, up to MaxSearchHits; More reports that more matched
	// and were not ranked.
	Total int
	More  bool
}

// SearchHit is a record found, with its score: the fields the query's words were found in,
// weighted (the number most, then the applicant, the address, the summary, the questions'
// titles and the text).
type SearchHit struct {
	// Record is the record found.
	Record *Record
	// Score ranks it: higher is better.
	Score float64
}

// MaxSearchHits bounds the records a search ranks; a query that matches more says so
// (SearchResult.More) and should be narrowed.
const MaxSearchHits = 2000

// Search finds the appeals the actor may read whose number, applicants, address, summary, text
// or question titles hold every word of the query (normalized as the stored words are), within
// the filter, ranked and paged. It uses the store's Searcher when there is one and scans List
// otherwise.
func (e *Engine) Search(ctx context.Context, actor Actor, in SearchInput) (SearchResult, error) {
	var n textnorm.Normalizer
	words := n.AppendTokens(nil, in.Query)
	if len(words) == 0 {
		return SearchResult{}, nil
	}
	words = slices.Compact(slices.Sorted(slices.Values(slices.Clone(words))))
	f := in.Filter
	f.After, f.Limit = uuid.Nil, 0
	var found iter.Seq2[*Record, error]
	if s, ok := e.store.(Searcher); ok {
		found = s.Search(ctx, words, f)
	} else {
		found = func(yield func(*Record, error) bool) {
			for rec, err := range e.store.List(ctx, f) {
				if err != nil || hasWords(rec.Words, words) {
					if !yield(rec, err) {
						return
					}
				}
			}
		}
	}
	all := e.authorize(ctx, actor, command{name: CmdRead}, nil) == nil
	var res SearchResult
	var hits []SearchHit
	for rec, err := range found {
		if err != nil {
			return SearchResult{}, fmt.Errorf("workflow: search: %w", err)
		}
		if !all && e.authorize(ctx, actor, command{name: CmdRead}, rec) != nil {
			continue
		}
		if len(hits) == MaxSearchHits {
			res.More = true
			break
		}
		hits = append(hits, SearchHit{Record: rec, Score: e.score(rec, words, &n)})
	}
	res.Total = len(hits)
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return compareIDs(b.Record.Appeal.ID, a.Record.Appeal.ID) // newer first
	})
	limit := cmp.Or(in.Limit, 20)
	if in.Offset < len(hits) {
		hits = hits[in.Offset:min(len(hits), in.Offset+limit)]
	} else {
		hits = nil
	}
	for _, h := range hits {
		if e.opt.AccessLog != nil {
			if err := e.opt.AccessLog.Record(ctx, Read{Actor: actor.ID, At: e.opt.Clock(), Appeal: h.Record.Appeal.ID, Purpose: PurposeSearch}); err != nil {
				return SearchResult{}, fmt.Errorf("workflow: search: access log: %w", err)
			}
		}
	}
	res.Hits = hits
	return res, nil
}

// hasWords reports whether the sorted have holds every word of the sorted want.
func hasWords(have, want []string) bool {
	i := 0
	for _, w := range want {
		for i < len(have) && have[i] < w {
			i++
		}
		if i == len(have) || have[i] != w {
			return false
		}
	}
	return true
}

// score weighs where the words were found: each word counts the weight of the most telling
// field that holds it.
func (e *Engine) score(rec *Record, words []string, n *textnorm.Normalizer) float64 {
	best := make([]float64, len(words))
	var toks []string
	for _, f := range e.searchFields(rec) {
		toks = n.AppendTokens(toks[:0], f.text)
		for i, w := range words {
			if best[i] < f.weight && slices.Contains(toks, w) {
				best[i] = f.weight
			}
		}
	}
	s := 0.0
	for _, b := range best {
		s += b
	}
	return s
}
