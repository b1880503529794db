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
// serving; it reads the whole store, and normalizes the texts on every core.
func (e *Engine) Warm(ctx context.Context) error {
	if err := e.warmSimilar(ctx); err != nil {
		return fmt.Errorf("workflow: warm: %w", err)
	}
	m := e.opt.Suggester
	if m == nil {
		return nil
	}
	var listErr error
	examples := func(yield func(suggest.Example) bool) {
		for rec, err := range e.store.List(ctx, Filter{}) {
			if err != nil {
				listErr = err
				return
			}
			text := suggestText(rec.Appeal)
			if strings.TrimSpace(text) == "" {
				continue
			}
			for _, q := range rec.Appeal.Questions {
				if c, err := classifier.Parse(q.Code); err == nil && !yield(suggest.Example{Text: text, Code: c}) {
					return
				}
			}
		}
	}
	if _, err := m.Rebuild(ctx, examples); err != nil {
		return fmt.Errorf("workflow: warm: %w", err)
	}
	if listErr != nil {
		return fmt.Errorf("workflow: warm: %w", listErr)
	}
	return nil
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

// warmBatchOf is a run of records listed by Warm and their documents, which a worker makes
// and then closes done.
type warmBatchOf struct {
	recs []*Record
	docs []similar.Document
	done chan struct{}
}

// warmSimilar puts every stored appeal in the similarity index. Normalizing the texts is most
// of the work, so workers on every core make the documents while the store is read, and the
// documents are put in the store's order: a warmed index holds its lists in the order the
// commands would have made them.
func (e *Engine) warmSimilar(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	work, ordered := make(chan *warmBatchOf, workers), make(chan *warmBatchOf, 2*workers)
	var listErr error
	go func() {
		defer close(ordered)
		defer close(work)
		b := &warmBatchOf{done: make(chan struct{})}
		send := func() bool {
			for _, ch := range [2]chan *warmBatchOf{work, ordered} {
				select {
				case ch <- b:
				case <-ctx.Done():
					listErr = ctx.Err()
					return false
				}
			}
			b = &warmBatchOf{done: make(chan struct{})}
			return true
		}
		for rec, err := range e.store.List(ctx, Filter{}) {
			if err != nil {
				listErr = err
				return
			}
			if b.recs = append(b.recs, rec); len(b.recs) == warmBatch && !send() {
				return
			}
		}
		if len(b.recs) > 0 {
			send()
		}
	}()
	var wg sync.WaitGroup
	defer wg.Wait()
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
	var putErr error
	for b := range ordered {
		<-b.done
		for _, d := range b.docs {
			if putErr != nil {
				break
			}
			if putErr = e.similar.Put(d); putErr != nil {
				cancel() // the rest is drained, not put
			}
		}
	}
	if putErr != nil {
		return putErr
	}
	return listErr
}
