package suggest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

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

func TestAccuracyReport(t *testing.T) {
	train, test := readLabelled(t)
	m, err := New(classifier.Embedded(), Options{})
	require.NoError(t, err)
	show := func(l labelled, got []Suggestion) {
		if os.Getenv("SUGGEST_MISSES") == "" {
			return
		}
		var b strings.Builder
		for _, s := range got {
			fmt.Fprintf(&b, "\n      %s %.1f %s %v", s.Code, s.Score, s.Title[:min(len(s.Title), 60)], s.Words)
		}
		t.Logf("MISS %s want %v %s%s", l.ID, l.Codes, l.Text[:min(len(l.Text), 150)], b.String())
	}
	t.Logf("knowledge, train half: %v", evaluate(m, train, show))
	t.Logf("knowledge, held-out half: %v", evaluate(m, test, show))
	t.Logf("history of the train half, held-out half: %v", evaluate(trained(t, train), test, nil))
	t.Logf("history of the held-out half, train half: %v", evaluate(trained(t, test), train, nil))
	seenT, seenH := seen(train, test), seen(test, train)
	t.Logf("held-out texts whose question the train half teaches (%d): knowledge %v; history %v", len(seenT), evaluate(m, seenT, nil), evaluate(trained(t, train), seenT, nil))
	t.Logf("train texts whose question the held-out half teaches (%d): knowledge %v; history %v", len(seenH), evaluate(m, seenH, nil), evaluate(trained(t, test), seenH, nil))
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
