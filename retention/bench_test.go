package retention

import (
	"io"
	"iter"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"
)

// manyFiles yields n closed files without allocating: it cycles through a
// small pool, varying the closing date, so that the benchmark measures the
// act, not the generator. Every 64Ki files it samples the live heap (as
// marked by the last GC, so garbage not yet collected does not count).
func manyFiles(n int, peak *uint64) iter.Seq2[File, error] {
	cats := [...]Category{CategoryOperational, CategoryPersonal, CategorySerious, CategoryOperational}
	pool := make([]File, 1000)
	for i := range pool {
		pool[i] = File{Number: "02-" + strconv.Itoa(i) + "/2020", Title: "Обращения граждан, том " + strconv.Itoa(i),
			Category: cats[i%len(cats)], Registered: date(2019, 1, 1+i%28), Volumes: 1 + i%3, Repeated: i%10 == 0}
	}
	return func(yield func(File, error) bool) {
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for i := range n {
			f := pool[i%len(pool)]
			f.Closed = date(2020+i%6, time.Month(1+i%12), 1+i%28)
			if i&0xFFFF == 0 {
				metrics.Read(live)
				*peak = max(*peak, live[0].Value.Uint64())
			}
			if !yield(f, nil) {
				return
			}
		}
	}
}

// BenchmarkAct1M drafts an act and a review list over 1,000,000 closed files
// per op, counting only and to CSV (retentionxlsx has the XLSX pair). Run it with
//
//	go test -run '^$' -bench Act1M -benchtime 1x ./retention/
func BenchmarkAct1M(b *testing.B) {
	const n = 1_000_000
	act := DestructionAct{Number: "1", Date: date(2027, 1, 1), Approval: "протокол ЭК № 1"}
	sched := Standard()
	run := func(b *testing.B, sheets func() (destroy, review Sheet, done func() error)) {
		var peak uint64
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mallocs := ms.Mallocs
		b.ReportAllocs()
		for b.Loop() {
			destroy, review, done := sheets()
			tot, err := sched.Draft(act, manyFiles(n, &peak), destroy, review)
			if err == nil {
				err = done()
			}
			if err != nil || tot.Files != n || tot.Destroy.Files == 0 || tot.Review.Files == 0 {
				b.Fatal(tot, err)
			}
		}
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.Mallocs-mallocs)/float64(b.N*n), "allocs/file")
		b.ReportMetric(float64(peak)/(1<<20), "peak-live-heap-MB")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/file")
	}
	nop := func() error { return nil }
	b.Run("count", func(b *testing.B) {
		run(b, func() (Sheet, Sheet, func() error) { return nil, nil, nop })
	})
	b.Run("csv", func(b *testing.B) {
		run(b, func() (Sheet, Sheet, func() error) {
			return NewCSVSheet(io.Discard), NewCSVSheet(io.Discard), nop
		})
	})
}
