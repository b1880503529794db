package suggest

import (
	"context"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/fz59/appeals/classifier"
)

// The history's scoring: a Bernoulli naive Bayes log-likelihood ratio of each word against its
// frequency in all the texts learned, counting only words that speak for a code.
const (
	historyWeight = 1.0 // the history's evidence against the knowledge's, per unit
	// historySmoothing pulls a code's word frequency toward the background, in texts.
	historySmoothing = 3.0
	// historyCommon: a word in more than this share of the texts learned says nothing.
	historyCommon = 0.25
	// historyWorld is how many texts without any given word the background assumes besides
	// those learned: with few texts learned, a word they all share is still rare in letters.
	historyWorld = 100.0
	// historyMaxWord caps what one word may say for a code: a rare word seen once with a code
	// is a hint, not a proof.
	historyMaxWord = 4.0
	// historyThreshold is taken off each code's history evidence: a few shared everyday words
	// («месяц», «жители») are not evidence, and with little history every word looks rare.
	historyThreshold = 8.0
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
	words map[string]*word
}

type word struct {
	texts float32 // texts that had the word
	codes []count
}

type count struct {
	node int32
	n    float32
}

func newHistory(nodes, limit int) *history {
	return &history{limit: limit, n: make([]float32, nodes), words: make(map[string]*word)}
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
			h.words[t] = w
		}
		w.texts = max(w.texts+sign, 0)
		for _, nd := range nodes {
			h.count(w, nd, sign)
		}
		if len(w.codes) == 0 {
			delete(h.words, t)
		}
	}
	for h.pairs > h.limit {
		h.decay()
	}
}

// count adds sign to the word's count for the node, dropping a count that reaches zero.
func (h *history) count(w *word, nd int32, sign float32) {
	for i := range w.codes {
		if w.codes[i].node == nd {
			w.codes[i].n += sign
			if w.codes[i].n <= 0 {
				w.codes = slices.Delete(w.codes, i, i+1)
				h.pairs--
			}
			return
		}
	}
	if sign > 0 {
		w.codes = append(w.codes, count{node: nd, n: sign})
		h.pairs++
	}
}

// decay halves every count and drops the pairs that fall below one.
func (h *history) decay() {
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
		if len(kept) == 0 {
			delete(h.words, t)
		}
	}
	for i := range h.n {
		h.n[i] /= 2
	}
	h.texts /= 2
}

// evidence calls fn with each node the word speaks for and what it says.
func (h *history) evidence(w *word, fn func(node int32, v float64)) {
	if float64(w.texts) > historyCommon*(h.texts+historyWorld) {
		return
	}
	background := (float64(w.texts) + 1) / (h.texts + historyWorld)
	for _, c := range w.codes {
		p := (float64(c.n) + historySmoothing*background) / (float64(h.n[c.node]) + historySmoothing)
		if v := math.Log(p / background); v > 0 {
			fn(c.node, min(v, historyMaxWord))
		}
	}
}

// score adds the history's evidence for the distinct words uniq to out, per node.
func (h *history) score(uniq []string, out []float64) {
	for _, t := range uniq {
		if w := h.words[t]; w != nil {
			h.evidence(w, func(node int32, v float64) { out[node] += v })
		}
	}
	for i := range out {
		out[i] = max(out[i]-historyThreshold, 0)
	}
}

// explain calls fn with each of the distinct words uniq that speaks for the node, and what it
// says.
func (h *history) explain(uniq []string, node int32, fn func(tok string, v float64)) {
	for _, t := range uniq {
		if w := h.words[t]; w != nil {
			h.evidence(w, func(nd int32, v float64) {
				if nd == node {
					fn(t, v)
				}
			})
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
			h.words[t] = ow
			h.pairs += len(ow.codes)
			continue
		}
		w.texts += ow.texts
		for _, c := range ow.codes {
			h.count(w, c.node, c.n)
		}
	}
	for h.pairs > h.limit {
		h.decay()
	}
}

// distinct returns the distinct tokens of toks, sorted, in dst's storage.
func distinct(dst, toks []string) []string {
	dst = append(dst[:0], toks...)
	slices.Sort(dst)
	return slices.Compact(dst)
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
	s.uniq = distinct(s.uniq, s.toks)
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
