package suggest

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/classifier"
)

// The embedded knowledge, with its provenance in data/SOURCE.md.
var (
	//go:embed data/vocabulary.csv
	embeddedVocabulary string
	//go:embed data/refinements.csv
	embeddedRefinements string
)

// Weights of the sources of built-in knowledge, per matched term before its idf.
const (
	weightVocabulary = 1.0  // a term of the vocabulary
	weightTitle      = 0.5  // a word of the node's own title
	weightTopicTitle = 0.35 // a word of a question's topic title, given to the topic
	// A question gets this share of its topic's evidence; the topic's main question (the
	// vocabulary's main column) gets topicMain on top.
	topicShare = 0.6
	topicMain  = 0.4
	// A word read through one wrong, missing or extra letter counts this much.
	weightFuzzy = 0.7
	// fuzzyMinRunes is the shortest token looked up with a letter wrong: shorter ones have
	// too many neighbours.
	fuzzyMinRunes = 5
	// partialMaxTerms: a phrase whose rarest word is in more terms than this needs all its
	// words.
	partialMaxTerms = 4
)

// VocabularyError reports a row of a vocabulary that New refused. It names the line and the
// rule, never the row's text.
type VocabularyError struct {
	Line int // 1-based line of the CSV; 0 when the problem is not one row's
	Err  error
}

// Error names the line.
func (e *VocabularyError) Error() string {
	if e.Line == 0 {
		return "suggest: vocabulary: " + e.Err.Error()
	}
	return fmt.Sprintf("suggest: vocabulary: line %d: %v", e.Line, e.Err)
}

// Unwrap returns the cause.
func (e *VocabularyError) Unwrap() error { return e.Err }

// node is one node of the classifier the model was built over.
type node struct {
	code     classifier.Code
	title    string
	level    classifier.Level
	topic    int32 // the topic of a question or refinement, the node itself for a topic; -1 above
	question int32 // the question of a refinement, the node itself for a question; -1 otherwise
	main     int32 // for a topic: the question its shared terms lean to, -1 for none
	// assignable: a question or refinement that may be suggested (in a subset, a question
	// kept only as the parent of chosen refinements is not; its refinements are).
	assignable bool
	firstRef   int32 // a question's refinements are nodes[firstRef:endRef]
	endRef     int32
}

// term is a word or a phrase of the knowledge and the nodes it speaks for.
type term struct {
	tokens []int32 // known-token ids, in the order written
	anchor int32   // the rarest of tokens, under which the term is indexed
	// partial: the anchor is rare enough that the phrase counts, weakened, when only some of
	// its words are found.
	partial bool
	post    []posting
	idf     float32
}

type posting struct {
	node   int32
	weight float32
}

// knowledge is the built-in evidence: the classifier's titles and the vocabulary, as terms
// over known tokens. It is immutable once built.
type knowledge struct {
	nodes    []node
	byCode   map[classifier.Code]int32
	tokens   map[string]int32   // known token → id
	text     []string           // id → token
	fuzzy    map[string][]int32 // a known token with one letter replaced by '*' → the tokens
	byToken  [][]int32          // token id → the terms anchored at it
	terms    []term
	termKey  map[string]int32 // tokens joined by spaces → term, while building
	question []int32          // the question nodes, in document order
}

func newKnowledge(cls *classifier.Classifier, vocabulary io.Reader) (*knowledge, error) {
	k := &knowledge{byCode: make(map[classifier.Code]int32), tokens: make(map[string]int32), termKey: make(map[string]int32)}
	k.addNodes(cls)
	var n textnorm.Normalizer
	var toks []string
	for i := range k.nodes {
		nd := &k.nodes[i]
		weight := weightTitle
		target := int32(i)
		switch nd.level {
		case classifier.Topic:
			weight = weightTopicTitle
		case classifier.Section, classifier.Theme, classifier.Refinement:
			// A refinement's title is a fragment («по старости», «за выслугу лет») whose
			// telling words data/refinements.csv gives; its «лет» would speak for every
			// refinement of the kind.
			continue
		}
		for _, t := range subjectTokens(toks, &n, titleSubject(nd.title)) {
			if !titleNoise[t] {
				k.add([]string{t}, target, weight)
			}
		}
	}
	if vocabulary == nil {
		vocabulary = strings.NewReader(embeddedVocabulary)
	}
	if err := k.readVocabulary(vocabulary, &n); err != nil {
		return nil, err
	}
	if err := k.readRefinements(strings.NewReader(embeddedRefinements), &n); err != nil {
		panic("suggest: the embedded refinement terms do not load: " + err.Error())
	}
	k.finish()
	return k, nil
}

// titleNoise are title tokens that say nothing about a subject: every other title is «of the
// Russian Federation».
var titleNoise = map[string]bool{"российск": true, "федерац": true, "рф": true, "вопрос": true, "ин": true}

// titleSubject drops a title's exclusions, «(за исключением …)» and «(кроме …)»: their words
// name what the node is not about.
func titleSubject(title string) string {
	var b strings.Builder
	depth, skip := 0, 0
	for i, r := range title {
		switch {
		case r == '(':
			depth++
			if skip == 0 {
				rest := strings.ToLower(title[i+1:])
				if strings.HasPrefix(rest, "за исключением") || strings.HasPrefix(rest, "кроме") {
					skip = depth
				}
			}
		case r == ')':
			if depth == skip {
				skip = 0
				depth--
				continue
			}
			depth--
		}
		if skip == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (k *knowledge) addNodes(cls *classifier.Classifier) {
	for n := range cls.All() {
		k.byCode[n.Code] = int32(len(k.nodes))
		k.nodes = append(k.nodes, node{code: n.Code, title: n.Title, level: n.Level, topic: -1, question: -1, main: -1,
			assignable: n.Level.Assignable() && cls.Assignable(n.Code) == nil})
	}
	for i := range k.nodes {
		nd := &k.nodes[i]
		switch nd.level {
		case classifier.Topic:
			nd.topic = int32(i)
		case classifier.Question:
			nd.topic, nd.question = k.byCode[nd.code.Parent()], int32(i)
			nd.firstRef, nd.endRef = int32(i+1), int32(i+1)
			k.question = append(k.question, int32(i))
		case classifier.Refinement:
			q := k.byCode[nd.code.Parent()]
			nd.topic, nd.question = k.nodes[q].topic, q
			k.nodes[q].endRef = int32(i + 1) // a question's refinements follow it in document order
		}
	}
}

// add gives the term of toks to the node with the weight, keeping the larger weight when the
// term already speaks for the node.
func (k *knowledge) add(toks []string, target int32, weight float64) {
	key := strings.Join(toks, " ")
	ti, ok := k.termKey[key]
	if !ok {
		t := term{tokens: make([]int32, len(toks))}
		for j, s := range toks {
			id, known := k.tokens[s]
			if !known {
				id = int32(len(k.text))
				k.tokens[s] = id
				k.text = append(k.text, s)
			}
			t.tokens[j] = id
		}
		ti = int32(len(k.terms))
		k.termKey[key] = ti
		k.terms = append(k.terms, t)
	}
	t := &k.terms[ti]
	for j := range t.post {
		if t.post[j].node == target {
			t.post[j].weight = max(t.post[j].weight, float32(weight))
			return
		}
	}
	t.post = append(t.post, posting{node: target, weight: float32(weight)})
}

var vocabularyHeader = []string{"code", "main", "terms"}

// readVocabulary reads rows of code,main,terms: a question, refinement or topic, for a topic
// optionally the 4th block of the question its terms lean to, and terms separated by «;».
// Rows for codes the classifier does not have (another edition, or outside a subset) are
// skipped.
func (k *knowledge) readVocabulary(r io.Reader, n *textnorm.Normalizer) error {
	return readTerms(r, vocabularyHeader, func(line int, rec []string) error {
		code, err := classifier.Parse(rec[0])
		if err != nil {
			return fmt.Errorf("code: %w", err)
		}
		if code.Level() < classifier.Topic {
			return fmt.Errorf("code %s is a %s; terms belong to topics, questions and refinements", code, code.Level())
		}
		at, ok := k.byCode[code]
		if !ok {
			return nil
		}
		if rec[1] != "" {
			if code.Level() != classifier.Topic {
				return fmt.Errorf("main is set for %s, a %s; only a topic has a main question", code, code.Level())
			}
			main, err := classifier.Parse(code.String()[:15] + rec[1])
			if err != nil || main.Parent() != code {
				return fmt.Errorf("main must be the 4th block of a question of topic %s", code)
			}
			if q, ok := k.byCode[main]; ok { // a main question outside a subset is ignored
				k.nodes[at].main = q
			}
		}
		return k.addTerms(rec[2], n, func(toks []string) { k.add(toks, at, weightVocabulary) })
	})
}

var refinementsHeader = []string{"refinement", "terms"}

// readRefinements reads rows of refinement,terms: terms for every refinement with that 5th
// block (the refinements are one shared dictionary).
func (k *knowledge) readRefinements(r io.Reader, n *textnorm.Normalizer) error {
	byNumber := make(map[string][]int32)
	for i, nd := range k.nodes {
		if nd.level == classifier.Refinement {
			s := nd.code.String()
			byNumber[s[len(s)-4:]] = append(byNumber[s[len(s)-4:]], int32(i))
		}
	}
	return readTerms(r, refinementsHeader, func(line int, rec []string) error {
		if len(rec[0]) != 4 || strings.Trim(rec[0], "0123456789") != "" {
			return errors.New("refinement must be 4 digits")
		}
		return k.addTerms(rec[1], n, func(toks []string) {
			for _, at := range byNumber[rec[0]] {
				k.add(toks, at, weightVocabulary)
			}
		})
	})
}

// addTerms calls add with the tokens of each «;»-separated term of terms.
func (k *knowledge) addTerms(terms string, n *textnorm.Normalizer, add func([]string)) error {
	var toks []string
	for t := range strings.SplitSeq(terms, ";") {
		if strings.TrimSpace(t) == "" {
			continue
		}
		toks = subjectTokens(toks, n, t)
		if len(toks) == 0 {
			continue // a term of stop words only
		}
		if len(toks) > maxPhrase {
			return fmt.Errorf("a term has %d words; at most %d are matched", len(toks), maxPhrase)
		}
		add(toks)
	}
	return nil
}

// readTerms reads a CSV with the header, calling row for each record with its line.
func readTerms(r io.Reader, header []string, row func(line int, rec []string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // the header is checked as a whole, then every row for its fields
	head, err := cr.Read()
	if err != nil {
		return &VocabularyError{Line: 1, Err: fmt.Errorf("header: %w", err)}
	}
	head[0] = strings.TrimPrefix(head[0], "\uFEFF")
	if strings.Join(head, ",") != strings.Join(header, ",") {
		return &VocabularyError{Line: 1, Err: fmt.Errorf("header must be %s", strings.Join(header, ","))}
	}
	cr.FieldsPerRecord = len(header)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			if pe, ok := errors.AsType[*csv.ParseError](err); ok {
				return &VocabularyError{Line: pe.Line, Err: pe.Err}
			}
			return &VocabularyError{Err: err}
		}
		if err := row(line, rec); err != nil {
			return &VocabularyError{Line: line, Err: err}
		}
	}
}

// finish computes each term's idf and anchor, and the indexes used when matching.
func (k *knowledge) finish() {
	termsOf := make([]int, len(k.text)) // how many terms each token is in
	for _, t := range k.terms {
		for _, id := range t.tokens {
			termsOf[id]++
		}
	}
	k.dropSharedRefinements()
	nq := float64(max(len(k.question), 1))
	k.byToken = make([][]int32, len(k.text))
	for i := range k.terms {
		t := &k.terms[i]
		if len(t.post) == 0 {
			continue // it spoke for refinements only through their question
		}
		t.idf = float32(math.Log(1 + nq/float64(len(t.post))))
		t.anchor = t.tokens[0]
		for _, id := range t.tokens[1:] {
			if termsOf[id] < termsOf[t.anchor] {
				t.anchor = id
			}
		}
		t.partial = termsOf[t.anchor] <= partialMaxTerms
		k.byToken[t.anchor] = append(k.byToken[t.anchor], int32(i))
	}
	k.fuzzy = make(map[string][]int32)
	var buf []byte
	for id, s := range k.text {
		if utf8.RuneCountInString(s) < fuzzyMinRunes {
			continue
		}
		for i := 0; i < len(s); {
			_, size := utf8.DecodeRuneInString(s[i:])
			buf = wildcard(buf, s, i, size)
			k.fuzzy[string(buf)] = append(k.fuzzy[string(buf)], int32(id))
			i += size
		}
	}
	k.termKey = nil
}

// dropSharedRefinements drops a term's refinement postings when the term speaks for the
// refinement's question or topic too: «пенсия» in the title of «…других видов пенсий» says
// nothing about which kind of pension a letter is about.
func (k *knowledge) dropSharedRefinements() {
	for i := range k.terms {
		t := &k.terms[i]
		kept := t.post[:0]
		for _, p := range t.post {
			nd := &k.nodes[p.node]
			if nd.level != classifier.Refinement || !speaksFor(t, nd.question) && !speaksFor(t, nd.topic) {
				kept = append(kept, p)
			}
		}
		t.post = kept
	}
}

func speaksFor(t *term, node int32) bool {
	for _, p := range t.post {
		if p.node == node {
			return true
		}
	}
	return false
}

// resolve returns the known token a text token stands for, and whether it was read with one
// letter wrong («атоплен» for «отоплен»); -1 when it stands for none. Only a wrong letter is
// forgiven, not a missing or extra one: «сколько» must not read as «скользко».
func (k *knowledge) resolve(tok string, buf *[]byte) (int32, bool) {
	if id, ok := k.tokens[tok]; ok {
		return id, false
	}
	if utf8.RuneCountInString(tok) < fuzzyMinRunes {
		return -1, false
	}
	best, bestPrefix := int32(-1), -1
	for i := 0; i < len(tok); {
		_, size := utf8.DecodeRuneInString(tok[i:])
		*buf = wildcard(*buf, tok, i, size)
		for _, id := range k.fuzzy[string(*buf)] {
			if p := commonPrefix(tok, k.text[id]); p > bestPrefix {
				best, bestPrefix = id, p
			}
		}
		i += size
	}
	return best, best >= 0
}

// wildcard returns s with the rune at s[i:i+size] replaced by '*', in buf's storage.
func wildcard(buf []byte, s string, i, size int) []byte {
	return append(append(append(buf[:0], s[:i]...), '*'), s[i+size:]...)
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
