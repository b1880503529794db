package report_test

import (
	"context"
	"flag"
	"io"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/report"
	"github.com/fz59/appeals/workflow/report/internal/dataset"
	"github.com/fz59/appeals/workflow/report/reportxlsx"
)

var benchAppeals = flag.Int("appeals", 20_000, "appeals in BenchmarkReports' store (the issue's run: 1000000)")

// BenchmarkReports runs every report over a memstore of -appeals appeals (dataset.Large;
// 20,000 by default; the run is -appeals 1000000 -benchtime 1x), reading all of them.
// It reports what the report holds beyond the store: "retained-MB" is the largest live heap
// beyond the store's, measured by a full collection after every tenth of the appeals read (a
// collection marks what is reachable then: the report's sums, the store's iteration, the
// record in hand; the budget is 64 MB). "alloc-B/appeal" is the garbage made per
// appeal read, most of it the store's copy of the record, which the collector reclaims as
// its settings say; "rows" counts a listing's rows. "missed-terms-csv" and "-xlsx" stream the
// inspection's list into a file (discarded) as a CSV file and an XLSX sheet. Beside them,
// "collect-then-count" is the obvious alternative: gather the records, then count the codes.
func BenchmarkReports(b *testing.B) {
	n := *benchAppeals
	if testing.Short() && n > 20_000 {
		b.Skip("large store in short mode")
	}
	st, cnt := dataset.Large(b, n)
	ctx := context.Background()
	rp, err := report.New(report.Options{Period: dataset.Year, Today: dataset.Today, Counter: cnt, History: st})
	if err != nil {
		b.Fatal(err)
	}
	var probe *heapProbe
	rows := 0 // rows a listing emitted
	all := func() report.Records { return probe.watch(st.List(ctx, workflow.Filter{})) }
	cases := []struct {
		name string
		run  func() error
	}{
		{"expiring-terms", func() error {
			return rp.ExpiringTerms(ctx, all(), func(report.TermRow) error { rows++; return nil })
		}},
		{"codes", func() error { _, err := rp.Codes(ctx, all()); return err }},
		{"control", func() error { _, err := rp.Control(ctx, all()); return err }},
		{"missed-terms-csv", func() error {
			w, err := report.NewCSVWriter(io.Discard, report.MissedTable)
			if err != nil {
				return err
			}
			if _, err := rp.MissedTerms(ctx, all(), func(m report.MissedTerm) error { rows++; return w.Write(m) }); err != nil {
				return err
			}
			return w.Flush()
		}},
		{"missed-terms-xlsx", func() error {
			wb, err := reportxlsx.New()
			if err != nil {
				return err
			}
			defer wb.Close()
			sh, err := reportxlsx.AddSheet(wb, report.MissedTable)
			if err != nil {
				return err
			}
			if _, err := rp.MissedTerms(ctx, all(), sh.Write); err != nil {
				return err
			}
			if err := sh.Close(); err != nil {
				return err
			}
			_, err = wb.WriteTo(io.Discard)
			return err
		}},
		{"summary", func() error { _, err := rp.Summary(ctx, all()); return err }},
		{"intake", func() error { _, err := rp.Intake(ctx, all()); return err }},
		{"collect-then-count", func() error {
			var recs []*workflow.Record
			for rec, err := range all() {
				if err != nil {
					return err
				}
				recs = append(recs, rec)
			}
			_, err := rp.Codes(ctx, func(yield func(*workflow.Record, error) bool) {
				for _, r := range recs {
					if !yield(r, nil) {
						return
					}
				}
			})
			return err
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			probe, rows = newHeapProbe(max(n/10, 1)), 0
			for b.Loop() {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(probe.retained)/(1<<20), "retained-MB")
			b.ReportMetric(float64(probe.store)/(1<<20), "store-MB")
			b.ReportMetric(float64(probe.allocated)/float64(probe.read), "alloc-B/appeal")
			if rows > 0 {
				b.ReportMetric(float64(rows)/float64(b.N), "rows")
			}
		})
	}
}

// heapProbe measures the live heap beyond the store while a report reads it.
type heapProbe struct {
	every     int    // records between collections
	store     uint64 // the live heap before: the store
	retained  uint64 // the largest live heap beyond it
	read      int    // records read
	allocated uint64 // bytes allocated while reading, collections aside
	samples   []metrics.Sample
}

func newHeapProbe(every int) *heapProbe {
	p := &heapProbe{every: every, samples: []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/allocs:bytes"}}}
	runtime.GC()
	metrics.Read(p.samples)
	p.store = p.samples[0].Value.Uint64()
	return p
}

// watch passes recs through, collecting fully after every p.every records and at the end to
// read the live heap.
func (p *heapProbe) watch(recs report.Records) report.Records {
	return func(yield func(*workflow.Record, error) bool) {
		metrics.Read(p.samples)
		from := p.samples[1].Value.Uint64()
		i := 0
		for rec, err := range recs {
			if i++; i%p.every == 0 {
				p.measure(&from)
			}
			if !yield(rec, err) {
				break
			}
		}
		p.measure(&from)
		p.read += i
	}
}

func (p *heapProbe) measure(from *uint64) {
	metrics.Read(p.samples)
	p.allocated += p.samples[1].Value.Uint64() - *from
	runtime.GC()
	metrics.Read(p.samples)
	*from = p.samples[1].Value.Uint64()
	if live := p.samples[0].Value.Uint64(); live > p.store {
		p.retained = max(p.retained, live-p.store)
	}
}
