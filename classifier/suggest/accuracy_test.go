package suggest

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fz59/appeals/classifier"
)

// labelled is one text of testdata/appeals.jsonl: a citizen's letter and the codes a clerk
// would accept, the main one first.
type labelled struct {
	ID    string            `json:"id"`
	Split string            `json:"split"` // "train" or "test" (held out)
	Codes []classifier.Code `json:"codes"`
	Text  string            `json:"text"`
}

func readLabelled(t testing.TB) (train, test []labelled) {
	f, err := os.Open("testdata/appeals.jsonl")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l labelled
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		switch l.Split {
		case "train":
			train = append(train, l)
		case "test":
			test = append(test, l)
		default:
			t.Fatalf("%s: split %q", l.ID, l.Split)
		}
	}
	require.NoError(t, sc.Err())
	return train, test
}

// accuracy is the share of texts whose accepted code is among the first k suggestions.
type accuracy struct {
	question1, question3, topic1, topic3 float64
}

func (a accuracy) String() string {
	return fmt.Sprintf("question top-1 %.2f top-3 %.2f, topic top-1 %.2f top-3 %.2f", a.question1, a.question3, a.topic1, a.topic3)
}

// questionOf is the code's question: the first four blocks.
func questionOf(c classifier.Code) classifier.Code {
	if c.Level() == classifier.Refinement {
		return c.Parent()
	}
	return c
}

func topicOf(c classifier.Code) classifier.Code { return questionOf(c).Parent() }

// rankOf returns the 1-based rank of the first suggestion whose key is among the accepted
// codes' keys, or 0.
func rankOf(got []Suggestion, want []classifier.Code, key func(classifier.Code) classifier.Code) int {
	for i, s := range got {
		for _, w := range want {
			if key(s.Code) == key(w) {
				return i + 1
			}
		}
	}
	return 0
}

func evaluate(m *Model, set []labelled, misses func(l labelled, got []Suggestion)) accuracy {
	var a accuracy
	for _, l := range set {
		got := m.Suggest(l.Text, 3)
		q, tp := rankOf(got, l.Codes, questionOf), rankOf(got, l.Codes, topicOf)
		if q == 1 {
			a.question1++
		}
		if q > 0 {
			a.question3++
		}
		if tp == 1 {
			a.topic1++
		}
		if tp > 0 {
			a.topic3++
		}
		if misses != nil && q == 0 {
			misses(l, got)
		}
	}
	n := float64(len(set))
	return accuracy{a.question1 / n, a.question3 / n, a.topic1 / n, a.topic3 / n}
}

func trained(t testing.TB, set []labelled) *Model {
	m, err := New(classifier.Embedded(), Options{})
	require.NoError(t, err)
	for _, l := range set {
		require.NoError(t, m.Learn(l.Text, l.Codes[0]))
	}
	return m
}

var showMisses = flag.Bool("suggest.misses", false, "log the texts TestAccuracy misses, with what was suggested")

// TestAccuracy measures the suggestions on testdata/appeals.jsonl (see testdata/SOURCE.md): top-1
// and top-3, at the question (first four blocks) and the topic (first three) level, with the
// built-in knowledge alone on both halves, and with the history of one half on the other. The
// floors sit a little under what the set gives, so that a change that loses accuracy fails.
func TestAccuracy(t *testing.T) {
	train, test := readLabelled(t)
	require.Len(t, train, 173)
	require.Len(t, test, 173)
	m, err := New(classifier.Embedded(), Options{})
	require.NoError(t, err)
	var misses func(labelled, []Suggestion)
	if *showMisses {
		misses = func(l labelled, got []Suggestion) {
			var b strings.Builder
			for _, s := range got {
				fmt.Fprintf(&b, "\n    %s %.1f %s %v", s.Code, s.Score, s.Title, s.Words)
			}
			t.Logf("miss %s, want %v: %s%s", l.ID, l.Codes, l.Text, b.String())
		}
	}
	knowTrain, knowTest := evaluate(m, train, misses), evaluate(m, test, misses)
	histTest, histTrain := evaluate(trained(t, train), test, nil), evaluate(trained(t, test), train, nil)
	seenTest := seen(train, test)
	t.Logf("knowledge alone, held-out half: %v", knowTest)
	t.Logf("knowledge alone, train half:    %v", knowTrain)
	t.Logf("with the train half's history, held-out half: %v", histTest)
	t.Logf("with the held-out half's history, train half: %v", histTrain)
	t.Logf("held-out texts whose question the train half has (%d): knowledge alone %v; with history %v",
		len(seenTest), evaluate(m, seenTest, nil), evaluate(trained(t, train), seenTest, nil))

	floor := accuracy{question1: 0.58, question3: 0.80, topic1: 0.70, topic3: 0.86}
	for name, a := range map[string]accuracy{"knowledge/held-out": knowTest, "knowledge/train": knowTrain,
		"history/held-out": histTest, "history/train": histTrain} {
		assert.GreaterOrEqual(t, a.question1, floor.question1, "%s: question top-1", name)
		assert.GreaterOrEqual(t, a.question3, floor.question3, "%s: question top-3", name)
		assert.GreaterOrEqual(t, a.topic1, floor.topic1, "%s: topic top-1", name)
		assert.GreaterOrEqual(t, a.topic3, floor.topic3, "%s: topic top-3", name)
	}
	// Where the history has seen the question, it must help.
	seenKnow, seenHist := evaluate(m, seenTest, nil), evaluate(trained(t, train), seenTest, nil)
	assert.Greater(t, seenHist.question1, seenKnow.question1, "history on questions it was taught")
}

// seen returns the texts of set whose main question some text of from has.
func seen(from, set []labelled) []labelled {
	taught := make(map[classifier.Code]bool)
	for _, l := range from {
		taught[questionOf(l.Codes[0])] = true
	}
	var out []labelled
	for _, l := range set {
		if taught[questionOf(l.Codes[0])] {
			out = append(out, l)
		}
	}
	return out
}
