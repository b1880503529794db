package sstu

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"iter"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
)

// Run with, e.g.:
//
//	go test -run '^$' -bench Export -cpu 2 ./sstu/                      # 1 worker beside 2
//	go test -run '^$' -bench 'Month|Naive' -benchtime 1x -timeout 30m ./sstu/
//
// Each benchmark reports appeals/s and the peak of live heap objects (sampled every 5 ms)
// during the export; the zip parts go to io.Discard.

// discard is a Destination that keeps nothing.
type discard struct{}

func (discard) Create(string) (io.WriteCloser, error) { return nopCloser{io.Discard}, nil }
func (discard) Commit() error                         { return nil }
func (discard) Abort() error                          { return nil }

// peakHeap samples the live heap until stop is called and returns the peak in bytes.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// benchExport exports n appeals from in per op with the given workers (0: GOMAXPROCS). The
// peak heap is above the heap before the export, so a month built beforehand does not count.
func benchExport(b *testing.B, workers, n int, in iter.Seq2[*Entry, error]) {
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		stop := peakHeap()
		start := time.Now()
		x := newExporter()
		x.Workers = workers
		prog, err := x.Export(context.Background(), march24, in, discard{})
		el := time.Since(start)
		peak := stop()
		if err != nil || prog.Exported != n {
			b.Fatal(err, prog.Exported)
		}
		b.ReportMetric(float64(n)/el.Seconds(), "appeals/s")
		b.ReportMetric(float64(peak-min(peak, ms.HeapAlloc))/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(prog.Bytes)/(1<<20), "zip-MiB")
	}
}

// BenchmarkExport compares one worker with two on a month of 20,000 appeals built beforehand,
// every tenth with a 20 KB answer: the ratio of their appeals/s is the parallel speed-up of
// the export itself, without the cost of making the entries.
func BenchmarkExport(b *testing.B) {
	const n = 20_000
	var month []*Entry
	for e := range synth(n, 10, 20_000) {
		month = append(month, e)
	}
	in := func(yield func(*Entry, error) bool) {
		for _, e := range month {
			if !yield(e, nil) {
				return
			}
		}
	}
	for _, w := range []int{1, 2} {
		b.Run("workers="+strconv.Itoa(w), func(b *testing.B) { benchExport(b, w, n, in) })
	}
}

// BenchmarkMonth100kAnswers: 100,000 appeals, 1.3 questions each, every fifth with a 100 KB
// answer.
func BenchmarkMonth100kAnswers(b *testing.B) { benchExport(b, 0, 100_000, synth(100_000, 5, 100_000)) }

// BenchmarkMonth1M: 1,000,000 appeals without attachments.
func BenchmarkMonth1M(b *testing.B) { benchExport(b, 0, 1_000_000, synth(1_000_000, 0, 0)) }

// BenchmarkMonth100k: 100,000 appeals without attachments, the pair of BenchmarkNaive100k.
func BenchmarkMonth100k(b *testing.B) { benchExport(b, 0, 100_000, synth(100_000, 0, 0)) }

// BenchmarkNaive100k is the baseline: build all records, json.Marshal each, archive/zip.
func BenchmarkNaive100k(b *testing.B) { benchNaive(b, synth(100_000, 0, 0), 100_000) }

// BenchmarkNaive100kAnswers is the baseline with the answers of BenchmarkMonth100kAnswers,
// read whole into the records.
func BenchmarkNaive100kAnswers(b *testing.B) { benchNaive(b, synth(100_000, 5, 100_000), 100_000) }

func benchNaive(b *testing.B, in iter.Seq2[*Entry, error], n int) {
	for b.Loop() {
		runtime.GC()
		stop := peakHeap()
		start := time.Now()
		var recs []naiveRecord
		for e := range in {
			recs = append(recs, naiveRecord{FileName(e.Appeal.ID), withContent(b, testOrg.Record(e))})
		}
		zw := zip.NewWriter(io.Discard)
		for _, r := range recs {
			w, err := zw.Create(r.name)
			if err != nil {
				b.Fatal(err)
			}
			data, err := json.Marshal(r.rec)
			if err != nil {
				b.Fatal(err)
			}
			w.Write(data)
		}
		zw.Close()
		el := time.Since(start)
		peak := stop()
		b.ReportMetric(float64(n)/el.Seconds(), "appeals/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	}
}

type naiveRecord struct {
	name string
	rec  Record
}

// BenchmarkLargeRecord reads and validates the largest record the default limits take: five
// questions with the same 6.7 MB answer, 45 MB of JSON in one entry. It reports the peak of
// live heap objects above the heap before, and the bytes allocated:
//
//	go test -run '^$' -bench LargeRecord -benchtime 1x ./sstu/
func BenchmarkLargeRecord(b *testing.B) {
	a := card(1, appeal.StatusExplained)
	for _, code := range []string{"0001.0001.0001.0001", "0001.0001.0001.0002", "0001.0001.0002.0003", "0001.0001.0003.0004"} {
		q := a.Questions[0]
		q.Code = code
		a.Questions = append(a.Questions, q)
	}
	var m Memory
	res, err := newExporter().Export(context.Background(), march24, one(entryFor(a, 6_700_000, 1)), &m)
	if err != nil || res.Exported != 1 {
		b.Fatal(err, res.Refusals)
	}
	parts := m.Parts()
	for _, run := range []struct {
		name string
		f    func() int
	}{
		{"Validator.Zip", func() int { return len((&Validator{}).Zip(parts...)) }},
		{"Reader.Zip", func() int {
			n := 0
			for _, err := range (&Reader{}).Zip(parts...) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			return n - 1
		}},
	} {
		b.Run(run.name, func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				stop := peakHeap()
				var n int
				alloc := allocs(func() { n = run.f() })
				peak := stop()
				if n != 0 {
					b.Fatal(n, "problems")
				}
				b.ReportMetric(float64(peak-min(peak, ms.HeapAlloc))/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(alloc)/(1<<20), "alloc-MiB")
			}
		})
	}
}
