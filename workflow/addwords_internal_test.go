package workflow

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/classifier"
	"github.com/stretchr/testify/require"
)

// The words a registration or a classification adds to (addWords, classifiedWords) are the
// words computed again from the whole record, for random cards: with and without codes
// before, codes added and taken away, and texts past maxWords distinct tokens.
func TestAddWordsIsWords(t *testing.T) {
	e := &Engine{opt: Options{Classifier: classifier.Embedded()}}
	var codes []string
	for n := range e.opt.Classifier.All() {
		codes = append(codes, n.Code.String())
	}
	r := rand.New(rand.NewPCG(59, 8))
	vocab := strings.Fields("дом крыша подвал вода отопление двор мусор лифт дорога свет ремонт управляющая компания прошу")
	text := func() string {
		var b strings.Builder
		n := r.IntN(40)
		if r.IntN(10) == 0 {
			n = maxWords + r.IntN(100) // distinct tokens past the cap
		}
		for i := range n {
			if i > 40 {
				fmt.Fprintf(&b, "слово%d ", i)
				continue
			}
			b.WriteString(vocab[r.IntN(len(vocab))] + " ")
		}
		return b.String()
	}
	someCodes := func(n int) []appeal.Question {
		qs := make([]appeal.Question, 0, n)
		for range n {
			if c := codes[r.IntN(len(codes))]; !slices.ContainsFunc(qs, func(q appeal.Question) bool { return q.Code == c }) {
				qs = append(qs, appeal.Question{Code: c})
			}
		}
		return qs
	}
	for i := range 300 {
		a := &appeal.Appeal{Text: text(), Summary: text()[:0], Questions: someCodes(r.IntN(3)),
			Applicants: []appeal.Applicant{{Surname: "Иванова", GivenName: "Мария", PostalAddress: "ул. Садовая, д. 17"}}}
		rec := &Record{Appeal: a}
		rec.Words = e.words(rec, known{})

		a.Number = fmt.Sprintf("Ж-%d/2025", i)
		require.Equal(t, e.words(rec, known{}), e.addWords(rec.Words, rec, a.Number), "card %d: registered", i)
		rec.Words = e.words(rec, known{})

		c := &change{e: e, rec: rec}
		for step := range 3 {
			before := make([]string, len(a.Questions))
			for k, q := range a.Questions {
				before[k] = q.Code
			}
			switch {
			case step == 2 && len(a.Questions) > 0: // one taken away
				a.Questions = a.Questions[1:]
			default:
				a.Questions = append(a.Questions, someCodes(1+r.IntN(2))...)
				a.Questions = slices.CompactFunc(a.Questions, func(x, y appeal.Question) bool { return x.Code == y.Code })
			}
			require.Equal(t, e.words(rec, known{}), c.classifiedWords(before), "card %d: classified, step %d", i, step)
			rec.Words = e.words(rec, known{})
		}
	}
}

// The words of a card whose document's tokens are known (at receipt) are the words computed
// from scratch: with a text, with a summary alone, with both, with both the same, and past
// maxWords.
func TestWordsTakeKnownTokens(t *testing.T) {
	e := &Engine{opt: Options{Classifier: classifier.Embedded()}}
	var long strings.Builder
	for i := range maxWords + 50 {
		fmt.Fprintf(&long, "слово%d ", i)
	}
	for _, tc := range []struct{ text, summary string }{
		{"Во дворе дома 5 не вывозят мусор", ""},
		{"  ", "Не вывозят мусор"},
		{"Протекает крыша над квартирой 4", "Протечка крыши"},
		{"Протечка крыши", "Протечка крыши"},
		{long.String(), "Много слов"},
	} {
		a := &appeal.Appeal{Number: "Ж-1/2025", Text: tc.text, Summary: tc.summary, Questions: []appeal.Question{{Code: "0005.0005.0056.1153"}},
			Applicants: []appeal.Applicant{{Surname: "Иванова", GivenName: "Мария", PostalAddress: "ул. Садовая, д. 17"}}}
		rec := &Record{Appeal: a}
		var n textnorm.Normalizer
		text := similar.DocumentText(a)
		require.Equal(t, e.words(rec, known{}), e.words(rec, known{text, n.AppendTokens(nil, text)}), "text %.20q, summary %q", tc.text, tc.summary)
	}
}
