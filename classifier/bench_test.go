package classifier

import (
	"strings"
	"testing"
)

var benchQueries = []struct{ name, query string }{
	{"3-letter", "пер"},
	{"2-word", "пересел авар"},
	{"code-prefix", "0005.0005.00"},
}

// BenchmarkLookup looks up every code of the edition in turn.
func BenchmarkLookup(b *testing.B) {
	c := Embedded()
	var all []Code
	for n := range c.All() {
		all = append(all, n.Code)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := c.Lookup(all[i]); !ok {
			b.Fatal("not found")
		}
		if i++; i == len(all) {
			i = 0
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("0005.0005.0055.1122"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	c := Embedded()
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(c.Search(q.query, 10)) == 0 {
					b.Fatal("no match")
				}
			}
		})
	}
}

// BenchmarkNaiveSearch is the baseline Search is measured against: lower-case every title (and
// code) on each query and keep the nodes that contain every query word.
func BenchmarkNaiveSearch(b *testing.B) {
	var nodes []Node
	for n := range Embedded().All() {
		nodes = append(nodes, n)
	}
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(naiveSearch(nodes, q.query, 10)) == 0 {
					b.Fatal("no match")
				}
			}
		})
	}
}

func naiveSearch(nodes []Node, query string, limit int) []Node {
	words := strings.Fields(strings.ToLower(query))
	var out []Node
	for _, n := range nodes {
		text := n.Code.String() + " " + strings.ToLower(n.Title)
		all := true
		for _, w := range words {
			if !strings.Contains(text, w) {
				all = false
				break
			}
		}
		if all {
			out = append(out, n)
		}
	}
	return out[:min(limit, len(out))]
}
