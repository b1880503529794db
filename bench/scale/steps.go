package main

import (
	"context"
	"fmt"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/classifier/suggest"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/sstu"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/report"
)

// after runs the steps on the stored year, on the end day: the monitor, the month's export,
// the reports, the lookups for a sample, the restart (Warm) with suggestions, and the search.
func (s *scenario) after(ctx context.Context, bars func(desc string, total int64) progress) error {
	today := endDay.In(msk).Add(8 * time.Hour)
	s.now.Store(today.UnixNano())
	month := previousMonth(endDay)
	type job struct {
		name  string
		total int64
		fn    func(st *step, bar progress) error
	}
	jobs := []job{
		{"monitor (all terms)", -1, func(st *step, _ progress) error {
			return s.single(st, func() (int64, error) {
				n, err := s.eng.Monitor(ctx, today)
				return int64(n), err
			})
		}},
		{"SSTU export " + month.String(), -1, func(st *step, _ progress) error { return s.export(ctx, st, month) }},
		{"report: control", -1, func(st *step, bar progress) error { return s.control(ctx, st, bar, month) }},
		{"report: missed terms", -1, func(st *step, bar progress) error { return s.missed(ctx, st, bar, month) }},
		{"similar: index query", int64(s.sampleSize()), func(st *step, bar progress) error { return s.similar(ctx, st, bar) }},
		{"applicant history", int64(max(1, s.sampleSize()/20)), func(st *step, bar progress) error { return s.history(ctx, st, bar) }},
		{"warm (restart: index + suggester)", -1, func(st *step, bar progress) error { return s.warm(ctx, st, bar) }},
		{"suggest", int64(s.sampleSize()), func(st *step, bar progress) error { return s.suggest(ctx, st, bar) }},
		{"search (last 30 days)", int64(max(1, s.sampleSize()/50)), func(st *step, bar progress) error { return s.search(ctx, st, bar) }},
	}
	for _, j := range jobs {
		st := &step{name: j.name}
		s.steps = append(s.steps, st)
		bar := bars(j.name, j.total)
		err := j.fn(st, bar)
		bar.finish()
		if err != nil {
			return fmt.Errorf("%s: %w", j.name, err)
		}
	}
	return nil
}

// previousMonth is the month before d's.
func previousMonth(d deadline.Date) sstu.Month {
	t := time.Date(d.Year, d.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	return sstu.Month{Year: t.Year(), Month: t.Month()}
}

func (s *scenario) sampleSize() int { return max(1, min(s.cfg.sample, s.cfg.n)) }

// single measures one call that does n things.
func (s *scenario) single(st *step, fn func() (int64, error)) error {
	s.sampler.begin(st)
	t0 := time.Now()
	n, err := fn()
	st.lat.add(time.Since(t0))
	s.sampler.end(st)
	st.n = n
	return err
}

// sample measures fn on k appeals spread over the year (from index from on), one latency each.
func (s *scenario) sample(st *step, bar progress, k, from int, fn func(i int) error) error {
	k = max(1, min(k, s.cfg.n-from))
	s.sampler.begin(st)
	defer s.sampler.end(st)
	for j := range k {
		i := from + j*(s.cfg.n-from)/k
		t0 := time.Now()
		if err := fn(i); err != nil {
			return err
		}
		st.lat.add(time.Since(t0))
		st.n++
		bar.add(1)
	}
	return nil
}

func (s *scenario) export(ctx context.Context, st *step, m sstu.Month) error {
	dir, err := os.MkdirTemp(s.cfg.dir, "scale-sstu-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	return s.single(st, func() (int64, error) {
		res, err := s.eng.ExportSSTU(ctx, clerk, workflow.SSTUExport{Month: m, Dest: &sstu.Dir{Path: dir}, Blobs: synthBlobs{}})
		if err == nil && res.Refused > 0 {
			// Appeals whose answer is drafted, with the questions' results set, but not yet
			// sent on the day of the export: the report wants the answer with a result.
			s.cfg.warn(fmt.Sprintf("%s: %d of %d records refused, the first: %v", st.name, res.Refused, res.Seen, res.Refusals[0]))
		}
		return int64(res.Exported), err
	})
}

// counted yields recs, counting them in st and on the bar.
func counted(st *step, bar progress, recs iter.Seq2[*workflow.Record, error]) iter.Seq2[*workflow.Record, error] {
	return func(yield func(*workflow.Record, error) bool) {
		for rec, err := range recs {
			if err == nil {
				st.n++
				if st.n%1024 == 0 {
					bar.add(1024)
				}
			}
			if !yield(rec, err) {
				return
			}
		}
	}
}

// control counts every appeal for the control report (by responsible and by executor).
func (s *scenario) control(ctx context.Context, st *step, bar progress, m sstu.Month) error {
	return s.report(st, m, func(rp *report.Reporter, _ report.Period) error {
		_, err := rp.Control(ctx, counted(st, bar, s.eng.List(ctx, auditor, workflow.Filter{})))
		return err
	})
}

// missed lists the month's missed terms, reading the appeals registered from two months
// before it.
func (s *scenario) missed(ctx context.Context, st *step, bar progress, m sstu.Month) error {
	return s.report(st, m, func(rp *report.Reporter, p report.Period) error {
		f := workflow.Filter{RegisteredFrom: p.From.AddDays(-60), RegisteredTo: p.To}
		_, err := rp.MissedTerms(ctx, counted(st, bar, s.eng.List(ctx, auditor, f)), func(report.MissedTerm) error { return nil })
		return err
	})
}

// report measures one report of month m as one call; fn counts the records it reads in st.
func (s *scenario) report(st *step, m sstu.Month, fn func(*report.Reporter, report.Period) error) error {
	last := time.Date(m.Year, m.Month+1, 0, 0, 0, 0, 0, time.UTC) // the month's last day
	p := report.Period{From: deadline.NewDate(m.Year, m.Month, 1), To: deadline.NewDate(last.Year(), last.Month(), last.Day())}
	rp, err := report.New(report.Options{Period: p, Today: endDay, Counter: s.eng.Counter(), History: s.store})
	if err != nil {
		return err
	}
	s.sampler.begin(st)
	defer s.sampler.end(st)
	t0 := time.Now()
	err = fn(rp, p)
	st.lat.add(time.Since(t0))
	return err
}

// similar queries the engine's index for a sample of stored appeals, as the engine does at
// receipt: the document of the card (normalized text, signature, applicant keys), then the
// lookup.
func (s *scenario) similar(ctx context.Context, st *step, bar progress) error {
	var n textnorm.Normalizer
	found := 0
	err := s.sample(st, bar, s.sampleSize(), 0, func(i int) error {
		rec, err := s.store.Get(ctx, s.ids[i])
		if err != nil {
			return err
		}
		var keys []string
		for _, p := range rec.Appeal.Applicants {
			keys = append(keys, workflow.ApplicantKeys(p)...)
		}
		res := s.index.Query(similar.NewDocument(rec.Appeal, keys, &n))
		found += len(res.Similar) + len(res.Duplicates)
		return nil
	})
	if err == nil && found == 0 {
		err = fmt.Errorf("no similar appeal found for %d appeals", st.n)
	}
	return err
}

func (s *scenario) history(ctx context.Context, st *step, bar progress) error {
	return s.sample(st, bar, max(1, s.sampleSize()/20), 0, func(i int) error {
		_, err := s.eng.ApplicantHistory(ctx, auditor, s.ids[i])
		return err
	})
}

// warm builds what a restarted engine builds before serving (Engine.Warm): a fresh similarity
// index of every stored appeal, and a suggester trained on every classified one.
func (s *scenario) warm(ctx context.Context, st *step, bar progress) error {
	model, err := suggest.New(classifier.Embedded(), suggest.Options{})
	if err != nil {
		return err
	}
	index := similar.NewMemIndex(similar.Options{})
	eng, err := workflow.New(s.store, workflow.Options{Clock: s.clock, Org: org, Similar: index, Suggester: model})
	if err != nil {
		return err
	}
	err = s.single(st, func() (int64, error) { return int64(index.Len()), eng.Warm(ctx) })
	st.n = int64(index.Len())
	s.model = model
	return err
}

// suggest suggests codes for the texts of a sample of stored appeals, with the warmed model.
func (s *scenario) suggest(ctx context.Context, st *step, bar progress) error {
	if s.model == nil {
		return fmt.Errorf("no suggester: warm did not run")
	}
	hits := 0
	err := s.sample(st, bar, s.sampleSize(), 0, func(i int) error {
		rec, err := s.store.Get(ctx, s.ids[i])
		if err != nil {
			return err
		}
		got := s.model.Suggest(rec.Appeal.Text, 10)
		for _, q := range rec.Appeal.Questions {
			for _, g := range got {
				if g.Code.String() == q.Code {
					hits++
				}
			}
		}
		return nil
	})
	s.suggestHits = hits
	return err
}

// search runs searches a clerk types — an applicant's name, a registration number, words of a
// letter — over the appeals registered in the last 30 days, each for a sample appeal of those.
func (s *scenario) search(ctx context.Context, st *step, bar progress) error {
	from := s.cfg.n - s.cfg.n*25/s.days
	f := workflow.Filter{RegisteredFrom: endDay.AddDays(-30)}
	k := 0
	return s.sample(st, bar, max(1, s.sampleSize()/50), max(0, from), func(i int) error {
		rec, err := s.store.Get(ctx, s.ids[i])
		if err != nil {
			return err
		}
		k++
		q := searchQuery(rec, k)
		res, err := s.eng.Search(ctx, auditor, workflow.SearchInput{Query: q, Filter: f})
		if err == nil && res.Total == 0 && rec.Appeal.Number != "" && !rec.Appeal.RegisteredAt.Before(f.RegisteredFrom.In(msk)) {
			err = fmt.Errorf("search %d found nothing", k)
		}
		return err
	})
}

// searchQuery is the k-th kind of query for rec: the number, the applicant's name, or two
// words of the letter.
func searchQuery(rec *workflow.Record, k int) string {
	a := rec.Appeal
	switch {
	case k%3 == 0 && a.Number != "":
		return a.Number
	case k%3 == 1 && len(a.Applicants) > 0:
		return a.Applicants[0].Surname + " " + a.Applicants[0].GivenName
	}
	var words []string
	for w := range strings.FieldsSeq(a.Text) {
		if w = strings.Trim(w, ".,!?:;«»()"); len([]rune(w)) > 5 {
			words = append(words, w)
		}
		if len(words) == 2 {
			break
		}
	}
	return strings.Join(words, " ")
}
