package suggest

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/fz59/appeals/classifier"
)

// The history's scoring: a Bernoulli naive Bayes log-likelihood ratio of each word against its
// frequency in all the texts learned, counting only words that speak for a code.
const (
	historyWeight = 1.0 // the history's evidence against the knowledge's, per unit
	// historySmoothing pulls a code's word frequency toward the background, in texts.
	historySmoothing = 3.0
	// historyCommon: a word in more than this share of the texts learned says nothing; once
	// historyCommonAfter texts are learned, such a word stops counting its codes at all.
	historyCommon      = 0.25
	historyCommonAfter = 1000
	// historyWorld is how many texts without any given word the background assumes besides
	// those learned: with few texts learned, a word they all share is still rare in letters.
	historyWorld = 100.0
	// historyMaxWord caps what one word may say for a code: a rare word seen once with a code
	// is a hint, not a proof.
	historyMaxWord = 4.0
	// historyOnce weighs a word that came with a code once (after decays: less than twice):
	// with few texts learned, an everyday word («месяц», «жители») shared with one of them
	// looks rare.
	historyOnce = 0.5
	// historyThreshold is taken off each code's history evidence, for the same reason: a few
	// shared words are not yet evidence.
	historyThreshold = 4.0
	// historyQueryWords: the history reads this many of a text's words, the rarest; frequent
	// words say little and come with many codes.
	historyQueryWords = 24
	// maxCodesPerWord: a word keeps the codes it came with most; past this many, those it came
	// with least (all at the lowest count) are dropped.
	maxCodesPerWord = 48
	// maxLearnWords bounds the distinct words one text teaches.
	maxLearnWords = 512
)

// history is what the model learned from classified texts: per word, the codes whose texts
// had it.
type history struct {
	limit int       // most (word, code) pairs kept
	pairs int       // (word, code) pairs now
	texts float64   // texts learned (halved at each decay)
	n     []float32 // per node: texts learned with it
	// words holds pointers, so that a count changes without assigning the key again: a
	// map assignment stores the key given, and a text's token would keep the whole text's
	// tokens alive.
	words map[string]*word
}

type word struct {
	texts float32 // texts that had the word
	codes []count // sorted by node
}

type count struct {
	node int32
	n    float32
}

func newHistory(nodes, limit int) *history {
	return &history{limit: limit, n: make([]float32, nodes), words: make(map[string]*word)}
}

// common reports whether w is in so many of the texts learned that it stops counting codes.
func (h *history) common(w *word) bool {
	return h.texts >= historyCommonAfter && float64(w.texts) > historyCommon*(h.texts+historyWorld)
}

// add counts one text with the distinct words uniq under the nodes (a question, and the
// refinement when the code was one), sign +1 to learn it and -1 to forget it.
func (h *history) add(uniq []string, nodes []int32, sign float32) {
	for _, nd := range nodes {
		h.n[nd] = max(h.n[nd]+sign, 0)
	}
	h.texts = max(h.texts+float64(sign), 0)
	for _, t := range uniq {
		w := h.words[t]
		if w == nil {
			if sign < 0 {
				continue
			}
			w = &word{}
			h.words[strings.Clone(t)] = w // textnorm's tokens of a text share one allocation
		}
		w.texts = max(w.texts+sign, 0)
		for _, nd := range nodes {
			h.count(w, nd, sign)
		}
		h.tidy(t, w)
	}
	for h.pairs > h.limit {
		h.decay()
	}
}

// count adds v to the word's count for the node, dropping a count that reaches zero.
func (h *history) count(w *word, nd int32, v float32) {
	i, found := slices.BinarySearchFunc(w.codes, nd, func(c count, nd int32) int { return cmp.Compare(c.node, nd) })
	switch {
	case found:
		if w.codes[i].n += v; w.codes[i].n <= 0 {
			w.codes = slices.Delete(w.codes, i, i+1)
			h.pairs--
		}
	case v > 0:
		w.codes = slices.Insert(w.codes, i, count{node: nd, n: v})
		h.pairs++
	}
}

// tidy keeps the word t within its bounds: a common word drops its codes, a word with too
// many codes those at the lowest count, and a word with neither codes nor commonness goes.
func (h *history) tidy(t string, w *word) {
	switch {
	case h.common(w):
		h.pairs -= len(w.codes)
		w.codes = nil
	case len(w.codes) > maxCodesPerWord:
		least := w.codes[0].n
		for _, c := range w.codes {
			least = min(least, c.n)
		}
		kept := w.codes[:0]
		for _, c := range w.codes {
			if c.n > least {
				kept = append(kept, c)
			}
		}
		h.pairs -= len(w.codes) - len(kept)
		w.codes = kept
	case len(w.codes) == 0:
		delete(h.words, t)
	}
}

// decay halves every count and drops the pairs that fall below one.
func (h *history) decay() {
	for i := range h.n {
		h.n[i] /= 2
	}
	h.texts /= 2
	for t, w := range h.words {
		w.texts /= 2
		kept := w.codes[:0]
		for _, c := range w.codes {
			if c.n /= 2; c.n >= 1 {
				kept = append(kept, c)
			}
		}
		h.pairs -= len(w.codes) - len(kept)
		w.codes = kept
		h.tidy(t, w)
	}
}

// picked is a word of a text the history has.
type picked struct {
	tok string
	w   *word
}

// pick returns the historyQueryWords rarest of the distinct words uniq that the history has
// and that are not common, in dst's storage.
func (h *history) pick(dst []picked, uniq []string) []picked {
	dst = dst[:0]
	for _, t := range uniq {
		if w := h.words[t]; w != nil && len(w.codes) > 0 && float64(w.texts) <= historyCommon*(h.texts+historyWorld) {
			dst = append(dst, picked{t, w})
		}
	}
	if len(dst) > historyQueryWords {
		slices.SortFunc(dst, func(a, b picked) int {
			if c := cmp.Compare(a.w.texts, b.w.texts); c != 0 {
				return c
			}
			return strings.Compare(a.tok, b.tok)
		})
		dst = dst[:historyQueryWords]
	}
	return dst
}

// weigh returns what a count of word w (whose background frequency is bg) says for its node:
// the log-likelihood ratio, capped, halved for a word seen once with the node, 0 when it
// speaks against it.
func (h *history) weigh(c count, bg float64) float64 {
	p := (float64(c.n) + historySmoothing*bg) / (float64(h.n[c.node]) + historySmoothing)
	v := math.Log(p / bg)
	if v <= 0 {
		return 0
	}
	v = min(v, historyMaxWord)
	if c.n < 2 {
		v *= historyOnce
	}
	return v
}

// background is the share of texts with the word, counting historyWorld texts without it.
func (h *history) background(w *word) float64 {
	return (float64(w.texts) + 1) / (h.texts + historyWorld)
}

// score adds the history's evidence for the picked words to out, per node, less
// historyThreshold.
func (h *history) score(words []picked, out []float64) {
	for _, p := range words {
		bg := h.background(p.w)
		for _, c := range p.w.codes {
			out[c.node] += h.weigh(c, bg)
		}
	}
	for i := range out {
		out[i] = max(out[i]-historyThreshold, 0)
	}
}

// explain calls fn with the index in nodes of each node a picked word speaks for, the word's
// index in words, and what it says.
func (h *history) explain(words []picked, nodes []int32, fn func(node, word int, v float64)) {
	for j, p := range words {
		bg := h.background(p.w)
		for _, c := range p.w.codes {
			for i, n := range nodes {
				if n == c.node {
					if v := h.weigh(c, bg); v > 0 {
						fn(i, j, v)
					}
				}
			}
		}
	}
}

// merge adds o's counts to h.
func (h *history) merge(o *history) {
	for i, v := range o.n {
		h.n[i] += v
	}
	h.texts += o.texts
	for t, ow := range o.words {
		w := h.words[t]
		if w == nil {
			h.words[t] = ow // o's keys are its own
			h.pairs += len(ow.codes)
			w = ow
		} else {
			w.texts += ow.texts
			for _, c := range ow.codes {
				h.count(w, c.node, c.n)
			}
		}
		h.tidy(t, w)
	}
	for h.pairs > h.limit {
		h.decay()
	}
}

// distinct sets s.uniq to the distinct tokens of s.toks, in the order they first come.
func (s *scratch) distinct() {
	if s.set == nil {
		s.set = make(map[string]struct{})
	}
	clear(s.set)
	s.uniq = s.uniq[:0]
	for _, t := range s.toks {
		if _, dup := s.set[t]; !dup {
			s.set[t] = struct{}{}
			s.uniq = append(s.uniq, t)
		}
	}
}

// targets returns the nodes a text classified with code teaches: its question, and the
// refinement when the code is one. A code cls cannot assign is an error from
// classifier.Classifier.Assignable's family.
func (m *Model) targets(code classifier.Code) ([]int32, error) {
	if err := m.cls.Assignable(code); err != nil {
		return nil, err
	}
	at := m.k.byCode[code]
	nd := &m.k.nodes[at]
	if nd.level == classifier.Refinement {
		return []int32{nd.question, at}, nil
	}
	return []int32{at}, nil
}

// learnTokens returns the distinct subject words of text that a text teaches, in s.uniq.
func (m *Model) learnTokens(s *scratch, text string) []string {
	s.toks = subjectTokens(s.toks, &s.norm, text)
	s.distinct()
	if len(s.uniq) > maxLearnWords {
		s.uniq = s.uniq[:maxLearnWords]
	}
	return s.uniq
}

// Learn teaches the model that a clerk gave text the code (a question or a refinement): the
// engine calls it on each classification. The text's words then speak for the code in later
// suggestions, the more so the more often they came with it and the rarer they are elsewhere.
// Memory is bounded by Options.MaxHistory: when a Learn passes it, every count is halved and
// the (word, code) pairs that fall below one are dropped, so old and one-off evidence fades
// first. A code the model's classifier cannot assign fails with its error
// (classifier.ErrUnknownCode, classifier.ErrNotAssignable) and nothing is learned.
func (m *Model) Learn(text string, code classifier.Code) error {
	return m.apply(text, code, 1)
}

// Forget undoes a Learn of the same text and code, for a classification a clerk corrected:
// Forget the old code, Learn the new one. After a decay it takes away what remains of the text's
// evidence, and no count goes below zero.
func (m *Model) Forget(text string, code classifier.Code) error {
	return m.apply(text, code, -1)
}

func (m *Model) apply(text string, code classifier.Code, sign float32) error {
	nodes, err := m.targets(code)
	if err != nil {
		return fmt.Errorf("suggest: learn: %w", err)
	}
	s := m.scratch.Get().(*scratch)
	defer m.scratch.Put(s)
	uniq := m.learnTokens(s, text)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hist.add(uniq, nodes, sign)
	return nil
}

// Example is one classified text, as Rebuild reads them from the engine's store.
type Example struct {
	// Text is the appeal's text.
	Text string
	Code classifier.Code // a question or a refinement
}

// Rebuilt says what a Rebuild did.
type Rebuilt struct {
	Learned int // examples learned
	Skipped int // examples whose code the model's classifier cannot assign (another edition, outside a subset)
}

// Rebuild replaces everything the model learned with the examples, as the engine does at start
// from its store. Texts are read on all CPUs; suggestions keep using the old history until the
// new one is complete. On a cancelled ctx Rebuild stops, keeps the old history and returns
// ctx's error.
func (m *Model) Rebuild(ctx context.Context, examples iter.Seq[Example]) (Rebuilt, error) {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan Example, 256)
	parts := make([]*history, workers)
	skipped := make([]int, workers)
	learned := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		parts[w] = newHistory(len(m.k.nodes), m.hist.limit)
		wg.Go(func() {
			s := newScratch(m.k)
			for ex := range jobs {
				nodes, err := m.targets(ex.Code)
				if err != nil {
					skipped[w]++
					continue
				}
				parts[w].add(m.learnTokens(s, ex.Text), nodes, 1)
				learned[w]++
			}
		})
	}
	var err error
	for ex := range examples {
		if err = ctx.Err(); err != nil {
			break
		}
		jobs <- ex
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		return Rebuilt{}, err
	}
	h := newHistory(len(m.k.nodes), m.hist.limit)
	var r Rebuilt
	for w, p := range parts {
		h.merge(p)
		r.Learned += learned[w]
		r.Skipped += skipped[w]
	}
	m.mu.Lock()
	m.hist = h
	m.mu.Unlock()
	return r, nil
}
