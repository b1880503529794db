package suggest

import (
	"io"
	"math"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/classifier"
)

// maxPhrase is the most words a vocabulary term may have.
const maxPhrase = 6

// maxWords is how many of a text's words a Suggestion names.
const maxWords = 6

// Options configure a Model. The zero value is ready to use.
type Options struct {
	// Vocabulary replaces the embedded vocabulary (data/vocabulary.csv): a CSV with the header
	// code,main,terms — a topic, question or refinement code; for a topic, optionally the 4th
	// block of the question its terms lean to; the terms, separated by «;». Rows for codes the
	// classifier lacks are skipped. nil keeps the embedded one.
	Vocabulary io.Reader
	// MaxHistory bounds the memory of what the model learned: the number of (word, code) pairs
	// it counts. 0 means DefaultMaxHistory. When a Learn or Rebuild would pass it, every count
	// is halved and the pairs that fall below one are dropped: words seen once go first, and
	// old evidence weighs less than new (see Model.Learn). Rebuild holds up to one such history
	// per CPU while it reads.
	MaxHistory int
}

// DefaultMaxHistory is the (word, code) pairs a Model keeps when Options.MaxHistory is 0:
// about 30 MB for a store's letters (100,000 appeals made 257,000 pairs in 6.8 MB), at most about
// 100 MB if every word came once.
const DefaultMaxHistory = 1 << 20

// Suggestion is one code suggested for a text.
type Suggestion struct {
	Code  classifier.Code `json:"code"`  // a question, or a refinement when the text names one
	Title string          `json:"title"` // the code's title
	// Score ranks the suggestions of one call, higher first: the evidence for the code, in
	// units of a word's rarity, times 0.8 when an earlier suggestion has its topic (so the list
	// spreads over topics). It is not a probability and is comparable only within a call.
	Score float64  `json:"score"`
	Words []string `json:"words"` // the text's words that led to the code, as written, the strongest first
}

// Model suggests classifier codes for appeal texts from the built-in knowledge and from the
// codes clerks gave before. It is safe for concurrent use.
type Model struct {
	cls     *classifier.Classifier
	k       *knowledge
	scratch sync.Pool // of *scratch

	mu   sync.RWMutex
	hist *history
}

// New returns a model over cls — the embedded edition or an organization's subset of it; the
// model suggests only codes cls can assign. The built-in knowledge is cls's titles and the
// vocabulary; the history starts empty (see Learn and Rebuild). A bad Options.Vocabulary
// fails with a *VocabularyError.
func New(cls *classifier.Classifier, opts Options) (*Model, error) {
	k, err := newKnowledge(cls, opts.Vocabulary)
	if err != nil {
		return nil, err
	}
	limit := opts.MaxHistory
	if limit <= 0 {
		limit = DefaultMaxHistory
	}
	m := &Model{cls: cls, k: k, hist: newHistory(len(k.nodes), limit)}
	m.scratch.New = func() any { return newScratch(k) }
	return m, nil
}

// scratch is the working memory of one Suggest.
type scratch struct {
	norm      textnorm.Normalizer
	toks      []string
	uniq      []string // the distinct toks, in order
	set       map[string]struct{}
	picked    []picked  // the words of uniq the history reads
	questions []int32   // the questions of s.top
	vals      []float64 // explain: per suggestion and slot, the evidence
	slotTok   []string  // explain: per slot, the text's token
	ids       []int32   // per token: the known token it stands for, -1 for none
	fuzzy     []bool
	next      []int32  // per token: the next token with the same id, -1 after the last
	first     []int32  // per known token: its first position in toks, valid when seen[id] == gen
	last      []int32  // per known token: its last position so far
	count     []int32  // per known token: occurrences
	slot      []int32  // per known token: its index in ds
	seen      []uint32 // per known token: the gen of the call that saw it
	gen       uint32
	ds        []int32 // the distinct known tokens of the text
	fired     []fired
	words     []int32   // the matched tokens of the term being matched
	byTok     [][]int32 // per slot of ds: the fired terms that matched the token
	best      []float64 // per node: the best share of the current token
	stamp     []uint32  // per node: the token pass that set best
	pass      uint32
	touch     []int32
	know      []float64 // per node: knowledge evidence
	hist      []float64 // per node: history evidence
	top       []ranked
	cand      []ranked // rank: the questions weighed
	buf       []byte
}

// fired is a term found in the text.
type fired struct {
	term  int32
	share float64 // the evidence each matched word brings: idf × match weight / words
}

type ranked struct {
	node  int32 // the question
	score float64
}

func newScratch(k *knowledge) *scratch {
	nt, nn := len(k.text), len(k.nodes)
	return &scratch{
		first: make([]int32, nt), last: make([]int32, nt), count: make([]int32, nt), slot: make([]int32, nt),
		seen: make([]uint32, nt), best: make([]float64, nn), stamp: make([]uint32, nn),
		know: make([]float64, nn), hist: make([]float64, nn),
	}
}

// Suggest returns up to n codes for text, best first: questions, or refinements where the text
// names one, each with the words that led to it. A text with no word the model knows gets no
// suggestions; n below 1 gives nil.
func (m *Model) Suggest(text string, n int) []Suggestion {
	if n <= 0 {
		return nil
	}
	s := m.scratch.Get().(*scratch)
	defer m.scratch.Put(s)
	s.toks = subjectTokens(s.toks, &s.norm, text)
	m.matchKnowledge(s)
	clear(s.hist)
	s.distinct()
	m.mu.RLock() // held until what the history says for the chosen questions is noted
	s.picked = m.hist.pick(s.picked, s.uniq)
	m.hist.score(s.picked, s.hist)
	m.rank(s, n)
	s.questions = s.questions[:0]
	for _, r := range s.top {
		s.questions = append(s.questions, r.node)
	}
	nslot := len(s.ds) + len(s.picked) // explain's slots: the known tokens, then the history's words
	s.vals = slices.Grow(s.vals[:0], len(s.top)*nslot)[:len(s.top)*nslot]
	clear(s.vals)
	m.hist.explain(s.picked, s.questions, func(i, j int, v float64) { s.vals[i*nslot+len(s.ds)+j] += historyWeight * v })
	m.mu.RUnlock()
	out := make([]Suggestion, 0, len(s.top))
	for _, r := range s.top {
		code := m.refine(s, r.node)
		out = append(out, Suggestion{Code: m.k.nodes[code].code, Title: m.k.nodes[code].title, Score: r.score})
	}
	m.explain(s, text, out)
	return out
}

// matchKnowledge finds the terms of the knowledge in s.toks and sets s.know: per node, the sum
// over the text's words of the best evidence any matched term gives through that word. A word
// counts once for a node however many of its terms it is in.
func (m *Model) matchKnowledge(s *scratch) {
	k := m.k
	s.gen++
	if s.gen == 0 { // wrapped: forget every mark
		clear(s.seen)
		s.gen = 1
	}
	s.ids, s.fuzzy, s.next, s.ds = s.ids[:0], s.fuzzy[:0], s.next[:0], s.ds[:0]
	for i, t := range s.toks {
		id, fz := k.resolve(t, &s.buf)
		s.ids, s.fuzzy, s.next = append(s.ids, id), append(s.fuzzy, fz), append(s.next, -1)
		if id < 0 {
			continue
		}
		if s.seen[id] != s.gen {
			s.seen[id], s.first[id], s.count[id], s.slot[id] = s.gen, int32(i), 0, int32(len(s.ds))
			s.ds = append(s.ds, id)
		} else {
			s.next[s.last[id]] = int32(i)
		}
		s.last[id] = int32(i)
		s.count[id]++
	}
	s.fired = s.fired[:0]
	for len(s.byTok) < len(s.ds) {
		s.byTok = append(s.byTok, nil)
	}
	for i := range s.ds {
		s.byTok[i] = s.byTok[i][:0]
	}
	for _, id := range s.ds {
		for _, ti := range k.byToken[id] {
			t := &k.terms[ti]
			s.words = s.words[:0]
			w := s.match(t)
			if w == 0 {
				continue
			}
			f := fired{term: ti, share: w * float64(t.idf) / float64(len(s.words))}
			for _, tok := range s.words {
				s.byTok[s.slot[tok]] = append(s.byTok[s.slot[tok]], int32(len(s.fired)))
			}
			s.fired = append(s.fired, f)
		}
	}
	clear(s.know)
	for slot := range s.ds {
		s.bestOf(k, slot, func(node int32, v float64) { s.know[node] += v })
	}
}

// bestOf calls fn once per node with the best share the token in ds[slot] brings it.
func (s *scratch) bestOf(k *knowledge, slot int, fn func(node int32, v float64)) {
	s.pass++
	if s.pass == 0 {
		clear(s.stamp)
		s.pass = 1
	}
	s.touch = s.touch[:0]
	for _, fi := range s.byTok[slot] {
		f := &s.fired[fi]
		for _, p := range k.terms[f.term].post {
			v := f.share * float64(p.weight)
			switch {
			case s.stamp[p.node] != s.pass:
				s.stamp[p.node], s.best[p.node] = s.pass, v
				s.touch = append(s.touch, p.node)
			case v > s.best[p.node]:
				s.best[p.node] = v
			}
		}
	}
	for _, node := range s.touch {
		fn(node, s.best[node])
	}
}

// Match weights.
const (
	// partialPhrase is what a phrase weighs when only some of its words are in the text, its
	// rarest among them, times the share of its words found.
	partialPhrase = 0.5
	// repeatWeight: each doubling of a word's repetitions adds this share of its weight.
	repeatWeight = 0.35
)

// match returns the weight of t in the text and appends its matched tokens to s.words: 0 when
// t is absent; for a word 1, more when repeated; for a phrase 1 when its words stand within a
// few words of each other in any order, partialPhrase times the share found when only some
// are, its rarest word among them and that word rare (term.partial). A word read with a
// letter wrong weighs weightFuzzy of that.
func (s *scratch) match(t *term) float64 {
	if len(t.tokens) == 1 {
		s.words = append(s.words, t.anchor)
		w := 1 + repeatWeight*math.Log2(float64(s.count[t.anchor]))
		if s.fuzzy[s.first[t.anchor]] {
			w *= weightFuzzy
		}
		return w
	}
	window := len(t.tokens) + 1
	bestP, bestN := int32(-1), 0
	for p := s.first[t.anchor]; p >= 0; p = s.next[p] {
		n := 0
		for _, id := range t.tokens {
			if s.near(id, int(p), window) >= 0 {
				n++
			}
		}
		if n > bestN {
			bestP, bestN = p, n
		}
		if n == len(t.tokens) {
			break
		}
	}
	w := 1.0
	for _, id := range t.tokens {
		if q := s.near(id, int(bestP), window); q >= 0 {
			s.words = append(s.words, id)
			if s.fuzzy[q] {
				w *= weightFuzzy
			}
		}
	}
	if bestN < len(t.tokens) {
		if !t.partial {
			return 0
		}
		w *= partialPhrase * float64(bestN) / float64(len(t.tokens))
	}
	return w
}

// near returns a position of token id within window of p, or -1.
func (s *scratch) near(id int32, p, window int) int {
	if s.seen[id] != s.gen {
		return -1
	}
	for q := max(p-window, 0); q <= min(p+window, len(s.ids)-1); q++ {
		if s.ids[q] == id {
			return q
		}
	}
	return -1
}

// score is a question's evidence: its own, its share of its topic's, and what the history
// says for it.
func (m *Model) score(s *scratch, q int32) float64 {
	nd := &m.k.nodes[q]
	v := s.know[q] + historyWeight*s.hist[q]
	if nd.topic >= 0 {
		v += m.share(q) * s.know[nd.topic]
	}
	return v
}

// share is the part of its topic's evidence a question gets.
func (m *Model) share(q int32) float64 {
	if t := m.k.nodes[q].topic; t >= 0 && m.k.nodes[t].main == q {
		return topicShare + topicMain
	}
	return topicShare
}

// Ranking across topics.
const (
	// sameTopic: a question whose topic an earlier suggestion already has ranks at this share of
	// its score, so that the first suggestions spread over topics when the evidence is close.
	sameTopic = 0.8
	// rankSpare: how many questions past n are weighed for the spread.
	rankSpare = 6
)

// rank puts the n best questions with any evidence in s.top, best first, each with its score
// times sameTopic when an earlier one has its topic; ties go to document order.
func (m *Model) rank(s *scratch, n int) {
	s.cand = s.cand[:0]
	for _, q := range m.k.question {
		if !m.suggestible(q) {
			continue
		}
		v := m.score(s, q)
		if v <= 0 || len(s.cand) == n+rankSpare && v <= s.cand[len(s.cand)-1].score {
			continue
		}
		at, _ := slices.BinarySearchFunc(s.cand, v, func(r ranked, v float64) int {
			if r.score >= v {
				return -1
			}
			return 1
		})
		if len(s.cand) < n+rankSpare {
			s.cand = append(s.cand, ranked{})
		}
		copy(s.cand[at+1:], s.cand[at:len(s.cand)-1])
		s.cand[at] = ranked{node: q, score: v}
	}
	s.top = s.top[:0]
	for len(s.top) < n && len(s.cand) > 0 {
		best, bestScore := 0, -1.0
		for i, c := range s.cand {
			v := c.score
			if m.topicListed(s.top, c.node) {
				v *= sameTopic
			}
			if v > bestScore {
				best, bestScore = i, v
			}
		}
		s.top = append(s.top, ranked{node: s.cand[best].node, score: bestScore})
		s.cand = slices.Delete(s.cand, best, best+1)
	}
}

// topicListed reports whether a question of q's topic is in top.
func (m *Model) topicListed(top []ranked, q int32) bool {
	for _, r := range top {
		if m.k.nodes[r.node].topic == m.k.nodes[q].topic {
			return true
		}
	}
	return false
}

// suggestible reports whether the question, or one of its refinements, may be assigned.
func (m *Model) suggestible(q int32) bool {
	nd := &m.k.nodes[q]
	if nd.assignable {
		return true
	}
	for r := nd.firstRef; r < nd.endRef; r++ {
		if m.k.nodes[r].assignable {
			return true
		}
	}
	return false
}

// refine returns the node to suggest for question q: its refinement with the most evidence
// when the text names one, else q itself; a question that is not assignable (in a subset, the
// parent of chosen refinements only) gives its best refinement even without evidence.
func (m *Model) refine(s *scratch, q int32) int32 {
	nd := &m.k.nodes[q]
	best, bestScore := int32(-1), 0.0
	for r := nd.firstRef; r < nd.endRef; r++ {
		if !m.k.nodes[r].assignable {
			continue
		}
		v := s.know[r] + historyWeight*s.hist[r]
		if best < 0 && !nd.assignable || v > bestScore {
			best, bestScore = r, v
		}
	}
	if best < 0 {
		return q
	}
	return best
}

// explain fills each suggestion's Words: the text's words that gave its question, topic and
// refinement evidence, and those its history counts, the strongest first.
func (m *Model) explain(s *scratch, text string, out []Suggestion) {
	if len(out) == 0 {
		return
	}
	type source struct {
		sugg   int
		factor float64
	}
	sources := make(map[int32][]source, 3*len(out))
	for i := range out {
		q := s.top[i].node
		nd := &m.k.nodes[q]
		sources[q] = append(sources[q], source{i, 1})
		if nd.topic >= 0 {
			sources[nd.topic] = append(sources[nd.topic], source{i, m.share(q)})
		}
		if code := m.k.byCode[out[i].Code]; code != q {
			sources[code] = append(sources[code], source{i, 1})
		}
	}
	nslot := len(s.ds) + len(s.picked) // s.vals already has the history's part
	s.slotTok = s.slotTok[:0]
	for _, id := range s.ds {
		s.slotTok = append(s.slotTok, s.toks[s.first[id]])
	}
	for _, p := range s.picked {
		s.slotTok = append(s.slotTok, p.tok)
	}
	for slot := range s.ds {
		s.bestOf(m.k, slot, func(node int32, v float64) {
			for _, src := range sources[node] {
				s.vals[src.sugg*nslot+slot] += src.factor * v
			}
		})
	}
	need := make(map[string]string) // text token → the word as written
	best := make([][]int, len(out))
	for i := range out {
		vals := s.vals[i*nslot : (i+1)*nslot]
		var top []int // slots, strongest first
		for slot, v := range vals {
			if v <= 0 || len(top) == maxWords && v <= vals[top[maxWords-1]] {
				continue
			}
			at := len(top)
			for at > 0 && vals[top[at-1]] < v {
				at--
			}
			if len(top) < maxWords {
				top = append(top, 0)
			}
			copy(top[at+1:], top[at:len(top)-1])
			top[at] = slot
		}
		best[i] = top
		for _, slot := range top {
			need[s.slotTok[slot]] = ""
		}
	}
	surfaceWords(text, s.toks, need)
	for i, top := range best {
		words := make([]string, 0, len(top))
		for _, slot := range top {
			if w := need[s.slotTok[slot]]; w != "" && !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
		out[i].Words = words
	}
}

// surfaceWords fills need, from text token to "", with the word of text the token came from,
// as written: «Отопления» for «отоплен». The tokens are in the text's order and a stem starts its
// word, so one walk along both finds the words without stemming the text again; a token not
// found within a few words (an address, a word textnorm rewrote) leaves the walk where it was.
func surfaceWords(text string, toks []string, need map[string]string) {
	const lookahead = 8
	left := len(need)
	at := 0
	for _, tok := range toks {
		if left == 0 {
			return
		}
		from := at
		for range lookahead {
			start, end := nextWord(text, from)
			if start == end {
				break
			}
			if startsWord(text[start:end], tok) {
				if w, ok := need[tok]; ok && w == "" {
					need[tok] = text[start:end]
					left--
				}
				at = end
				break
			}
			from = end
		}
	}
}

// startsWord reports whether the folded token tok starts word, comparing letter by letter
// in lower case with ё as е (the folding of textnorm's tokens).
func startsWord(word, tok string) bool {
	i := 0
	for _, t := range tok {
		if i == len(word) {
			return false
		}
		r, size := decodeFast(word, i)
		if lowerRune(r) != t {
			return false
		}
		i += size
	}
	return true
}

func lowerRune(r rune) rune {
	switch {
	case r >= 'а' && r <= 'я', r >= 'a' && r <= 'z':
		return r
	case r >= 'А' && r <= 'Я':
		return r + 'а' - 'А'
	}
	if r = unicode.ToLower(r); r == 'ё' {
		return 'е'
	}
	return r
}

// nextWord returns the bounds of the first run of letters and digits in text at or after from;
// start == end when there is none.
func nextWord(text string, from int) (start, end int) {
	start = from
	for start < len(text) {
		r, size := decodeFast(text, start)
		if isWordRune(r) {
			break
		}
		start += size
	}
	end = start
	for end < len(text) {
		r, size := decodeFast(text, end)
		if !isWordRune(r) {
			break
		}
		end += size
	}
	return start, end
}

// decodeFast decodes the rune at text[i:], fast for ASCII and two-byte (Cyrillic) runes.
func decodeFast(text string, i int) (rune, int) {
	c := text[i]
	switch {
	case c < utf8.RuneSelf:
		return rune(c), 1
	case c&0xE0 == 0xC0 && i+1 < len(text) && text[i+1]&0xC0 == 0x80:
		return rune(c&0x1F)<<6 | rune(text[i+1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(text[i:])
}

// isWordRune reports whether r is a letter or digit, fast for Russian and ASCII.
func isWordRune(r rune) bool {
	switch {
	case r >= 'а' && r <= 'я', r >= 'А' && r <= 'Я', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == 'ё', r == 'Ё':
		return true
	case r < utf8.RuneSelf:
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
