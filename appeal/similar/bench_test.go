package similar

import (
	"flag"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal/similar/internal/lettergen"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/google/uuid"
)

// big adds the benchmarks against 1,000,000 appeals (minutes to build, a few GiB).
var big = flag.Bool("similar.big", false, "also benchmark against 1,000,000 indexed appeals")

// corpus is an index of generated letters, with some of them kept to query.
type corpus struct {
	x        *MemIndex
	queries  []Document
	build    time.Duration
	buildCPU time.Duration // CPU time of the build, all cores
	perAdd   time.Duration // the index's own share of build: Put alone
	heapUsed uint64        // heap held by the index
}

var (
	corpora   = map[int]*corpus{}
	corporaMu sync.Mutex
)

// indexOf builds (once) an index of n generated letters, normalizing and signing them on
// every core.
func indexOf(b *testing.B, n int) *corpus {
	corporaMu.Lock()
	defer corporaMu.Unlock()
	if c, ok := corpora[n]; ok {
		return c
	}
	b.Logf("building an index of %d letters", n)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpu0 := time.Now(), cpuTime()

	letters := make(chan lettergen.Letter, 256)
	docs := make(chan Document, 256)
	go func() {
		g := lettergen.New(uint64(n))
		for range n {
			letters <- g.Next()
		}
		close(letters)
	}()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var nz textnorm.Normalizer
			var tokens []string
			for l := range letters {
				tokens = nz.AppendTokens(tokens[:0], l.Text)
				docs <- Document{ID: l.ID, ReceivedAt: l.Received, Applicants: []string{l.Key},
					Address: AddressKey(l.Address, &nz), Signature: Sign(tokens)}
			}
		})
	}
	go func() { wg.Wait(); close(docs) }()

	c := &corpus{x: NewMemIndex(Options{})}
	every := n / 500 // 500 queries
	var put time.Duration
	i := 0
	for d := range docs {
		t := time.Now()
		if err := c.x.Put(d); err != nil {
			b.Fatal(err)
		}
		put += time.Since(t)
		if i%every == 0 {
			c.queries = append(c.queries, d)
		}
		i++
	}
	c.build, c.buildCPU = time.Since(start), cpuTime()-cpu0
	c.perAdd = put / time.Duration(n)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	c.heapUsed = after.HeapAlloc - before.HeapAlloc
	corpora[n] = c
	b.Logf("built in %v (CPU %v): %.1f µs an appeal (Put %.2f µs), %d bytes an appeal",
		c.build, c.buildCPU, float64(c.build.Microseconds())/float64(n), float64(c.perAdd.Nanoseconds())/1e3, c.heapUsed/uint64(n))
	return c
}

// bruteForce is the similar-appeal lookup by scanning every document: the matches at least
// SimilarScore similar, best first.
func (x *MemIndex) bruteForce(d Document) []Match {
	x.mu.RLock()
	defer x.mu.RUnlock()
	q := d.Signature.sketch()
	var out []Match
	for i := range x.slots {
		s := &x.slots[i]
		if s.id == uuid.Nil || s.id == d.ID {
			continue
		}
		if score := similarity(q, x.sketch(uint32(i))); score >= x.opts.SimilarScore {
			out = append(out, Match{ID: s.id, Score: score})
		}
	}
	slices.SortFunc(out, bestFirst)
	return out
}

// top is the best k of a query's duplicates and similar appeals at least minScore similar.
func top(r Result, minScore float64, k int) []Match {
	var all []Match
	for _, m := range append(r.Duplicates, r.Similar...) {
		if m.Score >= minScore {
			all = append(all, m)
		}
	}
	slices.SortFunc(all, bestFirst)
	return all[:min(k, len(all))]
}

// meanCandidates is the mean number of candidates of the corpus's queries, and of them the
// band hits (with repeats).
func meanCandidates(c *corpus) (unique, hits float64) {
	for _, q := range c.queries {
		var keys [Bands]uint32
		bandKeys(&q.Signature, &keys)
		c.x.mu.RLock()
		unique += float64(len(c.x.candidates(&query{low: q.Signature.lowBits(), shingles: q.Signature.Shingles, keys: &keys}, nil)))
		var one [1]uint32
		for b, k := range keys {
			hits += float64(len(c.x.inBand(b, k, &one)))
		}
		c.x.mu.RUnlock()
	}
	n := float64(len(c.queries))
	return unique / n, hits / n
}

// recallAt5 is the share of the brute force's best five that the index's answer has.
func recallAt5(c *corpus) (recall float64, queries int) {
	found, want := 0, 0
	for _, q := range c.queries {
		exact := c.x.bruteForce(q)
		exact = exact[:min(5, len(exact))]
		if len(exact) == 0 {
			continue
		}
		queries++
		got := top(c.x.Query(q), c.x.opts.SimilarScore, 5)
		for _, m := range exact {
			want++
			if slices.ContainsFunc(got, func(g Match) bool { return g.ID == m.ID }) {
				found++
			}
		}
	}
	return float64(found) / float64(want), queries
}

// BenchmarkQuery measures the similar-appeal lookup against 100,000 (and with -similar.big
// 1,000,000) indexed appeals, by the index and by a brute-force scan, with the index's
// recall@5 against the brute force, its build time and its memory an appeal.
func BenchmarkQuery(b *testing.B) {
	sizes := []int{100_000}
	if *big {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("n=%d/index", n), func(b *testing.B) {
			c := indexOf(b, n)
			recall, withMatches := recallAt5(c)
			i, cpu0 := 0, cpuTime()
			for b.Loop() {
				c.x.Query(c.queries[i%len(c.queries)])
				i++
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1e3, "cpu-µs/op")
			unique, hits := meanCandidates(c)
			b.ReportMetric(unique, "candidates/query")
			b.ReportMetric(hits, "band-hits/query")
			b.ReportMetric(recall, "recall@5")
			b.ReportMetric(float64(withMatches), "queries-with-matches")
			b.ReportMetric(float64(c.heapUsed)/float64(n), "bytes/appeal")
			b.ReportMetric(float64(c.buildCPU.Nanoseconds())/float64(n)/1e3, "build-cpu-µs/appeal")
			b.ReportMetric(float64(c.perAdd.Nanoseconds())/1e3, "put-µs/appeal")
		})
		b.Run(fmt.Sprintf("n=%d/brute-force", n), func(b *testing.B) {
			c := indexOf(b, n)
			i, cpu0 := 0, cpuTime()
			for b.Loop() {
				c.x.bruteForce(c.queries[i%len(c.queries)])
				i++
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1e3, "cpu-µs/op")
		})
	}
}

// BenchmarkSign measures the signature of a letter of about 1,500 characters from its
// tokens, and its normalization before.
func BenchmarkSign(b *testing.B) {
	tokens := textnorm.Tokens(base + base)
	b.Run("sign", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Sign(tokens)
		}
	})
	b.Run("normalize+sign", func(b *testing.B) {
		var n textnorm.Normalizer
		var tokens []string
		b.ReportAllocs()
		for b.Loop() {
			tokens = n.AppendTokens(tokens[:0], base+base)
			Sign(tokens)
		}
	})
}
