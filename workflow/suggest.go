package workflow

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/classifier/suggest"
)

// Suggestion is a classifier code the engine suggests for an appeal's text (Options.
// Suggester), with the score that ranks it and the words of the text that led to it.
type Suggestion struct {
	// Code is a question or refinement code, canonical.
	Code string `json:"code"`
	// Score ranks the suggestions of one appeal, higher first; comparable only among them.
	Score float64 `json:"score"`
	// Words are the text's own words that led to the code, the strongest first.
	Words []string `json:"words,omitempty"`
}

// Pick is a code the clerk chose at classification, with its rank among the suggestions the
// record carried then (1 = the first; 0 = not suggested), so that the suggestions' accuracy in
// use can be measured from the history.
type Pick struct {
	// Code is the code chosen and Rank its place among the suggestions.
	Code string `json:"code"`
	Rank int    `json:"rank"`
}

// suggestionsShown is how many suggestions a record keeps.
const suggestionsShown = 10

// suggestText is the text suggestions and learning read: the clerk's summary and the letter.
func suggestText(a *appeal.Appeal) string {
	if a.Summary == "" {
		return a.Text
	}
	return a.Summary + "\n" + a.Text
}

// suggest sets the record's suggestions from its text, when the engine has a Suggester.
func (c *change) suggest() {
	m := c.e.opt.Suggester
	if m == nil {
		return
	}
	got := m.Suggest(suggestText(c.rec.Appeal), suggestionsShown)
	c.rec.Suggestions = c.rec.Suggestions[:0]
	for _, s := range got {
		c.rec.Suggestions = append(c.rec.Suggestions, Suggestion{Code: s.Code.String(), Score: s.Score, Words: s.Words})
	}
	if len(c.rec.Suggestions) == 0 {
		c.rec.Suggestions = nil
	}
	c.changed("suggestions")
}

// picks are the ranks, among the record's suggestions, of the codes chosen.
func picks(suggested []Suggestion, codes []string) []Pick {
	out := make([]Pick, len(codes))
	for i, code := range codes {
		out[i] = Pick{Code: code, Rank: slices.IndexFunc(suggested, func(s Suggestion) bool { return s.Code == code }) + 1}
	}
	return out
}

// learn teaches the Suggester the codes a classification added and makes it forget those it
// removed. The model is the engine's own memory, not the store's: a save that fails after it
// leaves at most a stale example, which the next Warm replaces.
func (e *Engine) learn(text string, before, after []string) {
	m := e.opt.Suggester
	if m == nil {
		return
	}
	for _, code := range before {
		if !slices.Contains(after, code) {
			if c, err := classifier.Parse(code); err == nil {
				_ = m.Forget(text, c) // a code of another edition is no evidence
			}
		}
	}
	for _, code := range after {
		if !slices.Contains(before, code) {
			if c, err := classifier.Parse(code); err == nil {
				_ = m.Learn(text, c)
			}
		}
	}
}

// Warm fills the engine's in-memory helpers from the store: the similarity index with every
// appeal, and the Suggester's history with every classified one. Call it once at start, before
// serving. It reads the store once, and normalizes the texts on every core. On an error the
// index (and the suggester) may hold part of the store; start again with a new engine.
func (e *Engine) Warm(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches, wait := e.warmBatches(ctx)
	defer wait()
	var putErr, listErr error
	// Each batch is put in the index in the store's order, then learned from.
	examples := func(yield func(suggest.Example) bool) {
		learning := true
		for b := range batches {
			<-b.done
			if b.err != nil {
				listErr = b.err
			}
			for _, d := range b.docs {
				if putErr != nil {
					break
				}
				if putErr = e.similar.Put(d); putErr != nil {
					cancel() // the rest is drained, not put
				}
			}
			if putErr != nil || !learning {
				continue
			}
			for _, rec := range b.recs {
				if learning && !yieldExamples(rec, yield) {
					learning = false
					cancel()
				}
			}
		}
	}
	if m := e.opt.Suggester; m != nil {
		if _, err := m.Rebuild(ctx, examples); err != nil && putErr == nil && listErr == nil {
			return fmt.Errorf("workflow: warm: %w", err)
		}
	} else {
		examples(func(suggest.Example) bool { return true })
	}
	if putErr != nil {
		return fmt.Errorf("workflow: warm: %w", putErr)
	}
	if listErr != nil {
		return fmt.Errorf("workflow: warm: %w", listErr)
	}
	return nil
}

// yieldExamples yields the record's classified questions with its text, for the Suggester's
// history; false when yield stopped.
func yieldExamples(rec *Record, yield func(suggest.Example) bool) bool {
	text := suggestText(rec.Appeal)
	if strings.TrimSpace(text) == "" {
		return true
	}
	for _, q := range rec.Appeal.Questions {
		if c, err := classifier.Parse(q.Code); err == nil && !yield(suggest.Example{Text: text, Code: c}) {
			return false
		}
	}
	return true
}

func cloneSuggestions(ss []Suggestion) []Suggestion {
	if ss == nil {
		return nil
	}
	out := make([]Suggestion, len(ss))
	for i, s := range ss {
		s.Words = slices.Clone(s.Words)
		out[i] = s
	}
	return out
}

// warmBatch is the number of records a Warm worker makes documents of at a time.
const warmBatch = 256

// warmBatchOf is a run of records listed by Warm and their similarity documents, which a
// worker makes and then closes done; err ends the listing.
type warmBatchOf struct {
	recs []*Record
	docs []similar.Document
	err  error
	done chan struct{}
}

// warmBatches lists the store in batches, in its order, while workers on every core make
// each batch's documents: normalizing the texts is most of a restart. The batches come out in
// the store's order, each to be waited on (done); the last may carry the listing's error.
// The caller must drain the channel, which closes after the last; wait then waits for the
// goroutines.
func (e *Engine) warmBatches(ctx context.Context) (batches <-chan *warmBatchOf, wait func()) {
	workers := runtime.GOMAXPROCS(0)
	work, ordered := make(chan *warmBatchOf, workers), make(chan *warmBatchOf, 2*workers)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(ordered)
		defer close(work)
		// The consumer drains every batch, even after a failure, so a send always returns;
		// a cancelled ctx ends the listing with its error.
		b := &warmBatchOf{done: make(chan struct{})}
		send := func() {
			work <- b
			ordered <- b
			b = &warmBatchOf{done: make(chan struct{})}
		}
		for rec, err := range e.store.List(ctx, Filter{}) {
			if err != nil {
				b.err = err
				break
			}
			if b.recs = append(b.recs, rec); len(b.recs) == warmBatch {
				send()
			}
		}
		if len(b.recs) > 0 || b.err != nil {
			send()
		}
	})
	for range workers {
		wg.Go(func() {
			var n textnorm.Normalizer
			for b := range work {
				b.docs = make([]similar.Document, len(b.recs))
				for i, rec := range b.recs {
					b.docs[i] = document(rec, &n)
				}
				close(b.done)
			}
		})
	}
	return ordered, wg.Wait
}
