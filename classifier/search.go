package classifier

import (
	"errors"
	"maps"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MatchKind says why a node matched a search. Kinds rank in the order declared.
type MatchKind int

// The kinds of match, best first.
const (
	// ExactCode: the query is the node's code, e.g. "0005.0005.0055.1122" or "5.5.55.1122".
	ExactCode MatchKind = 1 + iota
	// CodePrefix: the query is the start of the node's code, e.g. "0005.0005.00" or "5.5.5".
	CodePrefix
	// AllWords: every query word starts a word of the title (or is the start of the node's own
	// number, e.g. "1122").
	AllWords
	// SomeWords: some query words do; nodes with more of them rank first.
	SomeWords
)

var matchKindNames = [...]string{ExactCode: "exact-code", CodePrefix: "code-prefix", AllWords: "all-words", SomeWords: "some-words"}

// String returns "exact-code", "code-prefix", "all-words" or "some-words".
func (k MatchKind) String() string {
	if k > 0 && int(k) < len(matchKindNames) {
		return matchKindNames[k]
	}
	return "match-kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText returns the String form, so that JSON carries the kind by name.
func (k MatchKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads the String form of a kind.
func (k *MatchKind) UnmarshalText(text []byte) error {
	for v, name := range matchKindNames {
		if name != "" && name == string(text) {
			*k = MatchKind(v)
			return nil
		}
	}
	return errors.New("classifier: unknown match kind; want " + strings.Join(matchKindNames[1:], ", "))
}

// Match is one search result: the node, its breadcrumbs and why it matched.
type Match struct {
	Node
	Path []Node    `json:"path"` // from the section down to the node, the node included
	Kind MatchKind `json:"kind"`
}

// maxQueryWords bounds the words of a query that take part in a search; the rest are ignored.
const maxQueryWords = 32

// Search finds up to limit nodes for what a clerk types: a code or the start of one
// ("0005.0005.0055.1122", "5.5.55", "0005.00"), a question's number ("1122"), or words. Each query
// word matches a title word that starts with it, ignoring case, with ё read as е: "пересел авар" finds
// «Переселение … аварийных домов …». Results come best first: the exact code, then the nodes under
// it or whose code starts so (in document order), then nodes matching every word, then nodes
// matching fewer; among word matches, more whole-word matches rank first, then document order.
// Digits with dots are read as a code only. Search never fails; a limit below 1 gives nil.
func (c *Classifier) Search(query string, limit int) []Match {
	query = strings.TrimSpace(query)
	if limit <= 0 || query == "" {
		return nil
	}
	s := c.scratch.Get().(*scratch)
	defer c.scratch.Put(s)
	s.picked = s.picked[:0]
	cq, isCode := parseCodeQuery(query)
	if isCode {
		c.searchCode(s, cq, limit)
	}
	if len(s.picked) < limit && !(strings.Contains(query, ".") && strings.Trim(query, "0123456789.") == "") {
		c.searchWords(s, query, limit)
	}
	return c.matches(s.picked)
}

// codeQuery is a query typed as a code or the start of one.
type codeQuery struct {
	code    Code   // the complete blocks typed
	n       int    // how many blocks are complete
	partial string // the digits typed so far of block n+1; empty after a trailing dot
}

// parseCodeQuery reads q as digits and dots, with every block but the last complete.
func parseCodeQuery(q string) (codeQuery, bool) {
	var cq codeQuery
	start := 0
	for i := 0; i < len(q); i++ {
		switch {
		case isDigit(q[i]):
		case q[i] == '.':
			v, ok := blockValue(q[start:i])
			if !ok || cq.n == maxBlocks-1 {
				return codeQuery{}, false
			}
			cq.code.b[cq.n] = v
			cq.n++
			start = i + 1
		default:
			return codeQuery{}, false
		}
	}
	cq.partial = q[start:]
	if len(cq.partial) > blockDigits {
		return codeQuery{}, false
	}
	// Zero blocks are padding: "0005.0000.0000.0000" and "5.0." name section 5.
	if cq.partial == "0000" {
		cq.partial = ""
	}
	for k := range cq.n {
		if cq.code.b[k] != 0 {
			continue
		}
		for j := k; j < cq.n; j++ {
			if cq.code.b[j] != 0 {
				return codeQuery{}, false
			}
		}
		if strings.Trim(cq.partial, "0") != "" {
			return codeQuery{}, false
		}
		cq.n, cq.partial = k, ""
		break
	}
	if cq.n == 0 && cq.partial == "" {
		return codeQuery{}, false
	}
	return cq, true
}

// blockValue reads a complete block of 1 to 4 digits.
func blockValue(s string) (uint16, bool) {
	if s == "" || len(s) > blockDigits {
		return 0, false
	}
	v := 0
	for i := range len(s) {
		v = v*10 + int(s[i]-'0')
	}
	return uint16(v), true
}

// blockHasPrefix reports whether digits (1 to 4) start block v written padded ("0055") or not ("55").
func blockHasPrefix(v uint16, digits string) bool {
	var buf [blockDigits]byte
	d := appendBlock(buf[:0], v)
	if string(d[:len(digits)]) == digits {
		return true
	}
	for len(d) > 1 && d[0] == '0' {
		d = d[1:]
	}
	return len(d) >= len(digits) && string(d[:len(digits)]) == digits
}

func (c *Classifier) searchCode(s *scratch, q codeQuery, limit int) {
	self, end := int32(-1), int32(len(c.nodes))
	if q.n > 0 {
		i, ok := c.indexOf(q.code)
		if !ok {
			return
		}
		self, end = i, c.nodes[i].end
	}
	exact := self
	if q.partial != "" {
		exact = -1
		if v, _ := blockValue(q.partial); v != 0 {
			code := q.code
			code.b[q.n] = v
			if i, ok := c.indexOf(code); ok {
				exact = i
			}
		}
	}
	if exact >= 0 {
		s.pick(exact, ExactCode)
	}
	for i := self + 1; i < end && len(s.picked) < limit; i = c.nodes[i].end {
		if q.partial != "" && !blockHasPrefix(c.nodes[i].Code.b[q.n], q.partial) {
			continue
		}
		for k := i; k < c.nodes[i].end && len(s.picked) < limit; k++ {
			if k != exact {
				s.pick(k, CodePrefix)
			}
		}
	}
}

func (c *Classifier) searchWords(s *scratch, query string, limit int) {
	s.buf = fold(s.buf[:0], query)
	m := 0
	for word := range strings.FieldsSeq(string(s.buf)) {
		if m == maxQueryWords {
			break
		}
		bit := uint32(1) << m
		m++
		lo, hi := c.words.prefixRange(word)
		for _, i := range c.words.postings(lo, hi) {
			if s.hit[i] == 0 {
				s.touched = append(s.touched, i)
			}
			s.hit[i] |= bit
		}
		if lo < hi && c.words.words[lo] == word {
			for _, i := range c.words.postings(lo, lo+1) {
				s.exact[i] |= bit
			}
		}
	}
	// Rank key, smallest best: words missed, words not matched whole, document order.
	want := limit - len(s.picked)
	s.top = s.top[:0]
	for _, i := range s.touched {
		missed := m - bits.OnesCount32(s.hit[i])
		partial := m - bits.OnesCount32(s.exact[i])
		s.hit[i], s.exact[i] = 0, 0
		if !s.isPicked(i) {
			s.top = insertTop(s.top, want, uint64(missed)<<48|uint64(partial)<<32|uint64(i))
		}
	}
	s.touched = s.touched[:0]
	for _, key := range s.top {
		kind := AllWords
		if key>>48 != 0 {
			kind = SomeWords
		}
		s.pick(int32(uint32(key)), kind)
	}
}

// insertTop inserts key into top, kept sorted and at most k long.
func insertTop(top []uint64, k int, key uint64) []uint64 {
	if len(top) == k && key >= top[k-1] {
		return top
	}
	at, _ := slices.BinarySearch(top, key)
	if len(top) < k {
		top = append(top, 0)
	}
	copy(top[at+1:], top[at:len(top)-1])
	top[at] = key
	return top
}

func (c *Classifier) matches(picked []pick) []Match {
	if len(picked) == 0 {
		return nil
	}
	total := 0
	for _, p := range picked {
		total += int(c.nodes[p.i].Level)
	}
	paths := make([]Node, 0, total)
	out := make([]Match, len(picked))
	for k, p := range picked {
		from := len(paths)
		paths = c.appendPath(paths, p.i)
		out[k] = Match{Node: c.nodes[p.i].Node, Path: paths[from:len(paths):len(paths)], Kind: p.kind}
	}
	return out
}

type pick struct {
	i    int32
	kind MatchKind
}

// scratch is the working memory of one Search, pooled per Classifier.
type scratch struct {
	hit     []uint32 // per node: bit j is set when query word j starts a word of the node
	exact   []uint32 // per node: bit j is set when query word j is a whole word of the node
	touched []int32  // nodes with a bit set, to clear them after
	top     []uint64
	picked  []pick
	buf     []byte
}

func newScratch(nodes int) *scratch {
	return &scratch{hit: make([]uint32, nodes), exact: make([]uint32, nodes)}
}

func (s *scratch) pick(i int32, kind MatchKind) { s.picked = append(s.picked, pick{i, kind}) }

func (s *scratch) isPicked(i int32) bool {
	for _, p := range s.picked {
		if p.i == i {
			return true
		}
	}
	return false
}

// wordIndex maps each search word of the titles to the nodes that have it.
type wordIndex struct {
	words []string // distinct search words, sorted
	start []int32  // the nodes of words[k] are post[start[k]:start[k+1]]
	post  []int32  // node indexes, ascending within each word
}

func newWordIndex(nodes []entry) wordIndex {
	byWord := make(map[string][]int32)
	var buf []byte
	for i, e := range nodes {
		buf = fold(buf[:0], e.Title)
		// A node's own number is a word too, padded and not: "1122", "0007" and "7".
		own := e.Code.b[e.Level-1]
		buf = appendBlock(append(buf, ' '), own)
		buf = strconv.AppendUint(append(buf, ' '), uint64(own), 10)
		for w := range strings.FieldsSeq(string(buf)) {
			p, ok := byWord[w]
			if !ok {
				w = strings.Clone(w)
			}
			if len(p) == 0 || p[len(p)-1] != int32(i) {
				byWord[w] = append(p, int32(i))
			}
		}
	}
	idx := wordIndex{words: slices.Sorted(maps.Keys(byWord))}
	idx.start = make([]int32, 0, len(idx.words)+1)
	for _, w := range idx.words {
		idx.start = append(idx.start, int32(len(idx.post)))
		idx.post = append(idx.post, byWord[w]...)
	}
	idx.start = append(idx.start, int32(len(idx.post)))
	return idx
}

// prefixRange returns the range of words that start with p.
func (w *wordIndex) prefixRange(p string) (lo, hi int) {
	lo, _ = slices.BinarySearch(w.words, p)
	hi = lo + sort.Search(len(w.words)-lo, func(k int) bool { return !strings.HasPrefix(w.words[lo+k], p) })
	return lo, hi
}

// postings returns the nodes of words[lo:hi], each word's ascending; a node may repeat across words.
func (w *wordIndex) postings(lo, hi int) []int32 { return w.post[w.start[lo]:w.start[hi]] }

// fold appends the search form of s to b: lower case, ё as е, one space between runs of letters
// and digits, nothing else.
func fold(b []byte, s string) []byte {
	gap := false
	for _, r := range s {
		r = unicode.ToLower(r)
		if r == 'ё' {
			r = 'е'
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			gap = true
			continue
		}
		if gap && len(b) > 0 {
			b = append(b, ' ')
		}
		gap = false
		b = utf8.AppendRune(b, r)
	}
	return b
}
