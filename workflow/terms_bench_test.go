package workflow_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/google/uuid"
)

// openRecord is a registered appeal in execution as the engine leaves it: registered on reg,
// its competence decision made, consideration running, one assignment due on the control date
// and, for every third, an unanswered request.
func openRecord(b *testing.B, cnt *deadline.Counter, reg deadline.Date, i int) *workflow.Record {
	b.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		b.Fatal(err)
	}
	a := card()
	a.ID, a.State, a.Number = id, appeal.StateInExecution, "Ж-2025-"+strconv.Itoa(i)
	a.ReceivedAt = reg.In(msk).Add(9 * time.Hour)
	a.RegisteredAt = a.ReceivedAt
	a.Responsible = "exec-" + strconv.Itoa(i%50)
	a.Questions = []appeal.Question{{Code: qUtilities, Status: appeal.StatusInWork}}
	cons, err := cnt.Due(deadline.Consideration, reg)
	if err != nil {
		b.Fatal(err)
	}
	comp, _ := cnt.Due(deadline.Forwarding, reg)
	regl, _ := cnt.Due(deadline.Registration, reg)
	rec := &workflow.Record{Appeal: a, Series: "Ж", Deadlines: workflow.Deadlines{
		Registration:  workflow.Limit{Deadline: regl, Closed: reg},
		Competence:    workflow.Limit{Deadline: comp, Closed: reg.AddDays(1)},
		Consideration: workflow.Limit{Deadline: cons},
	}}
	rec.Assignments = []workflow.Assignment{{ID: "1", Executor: a.Responsible, Task: "Ответ", From: reg, Due: cons.Control}}
	if i%3 == 0 {
		q, _ := cnt.Due(deadline.InterAgencyRequest, reg.AddDays(2))
		rec.Requests = []workflow.InterAgencyRequest{{ID: "1", Body: "ФНС", By: a.Responsible, SentAt: a.RegisteredAt, Due: q}}
	}
	return rec
}

// openStore holds n open appeals registered evenly over the 30 days before 2025-12-01.
func openStore(b *testing.B, n int) (*memstore.Store, *workflow.Engine) {
	b.Helper()
	st := memstore.New(memstore.Options{})
	eng, err := workflow.New(st, workflow.Options{Org: workflow.Organization{Name: "Администрация", Location: msk}})
	if err != nil {
		b.Fatal(err)
	}
	first := deadline.NewDate(2025, time.November, 1)
	for i := range n {
		rec := openRecord(b, eng.Counter(), first.AddDays(i%30), i)
		if err := st.Create(b.Context(), workflow.Change{Record: rec}); err != nil {
			b.Fatal(err)
		}
	}
	return st, eng
}

// BenchmarkMonitor runs the all-terms Monitor over 100,000 open appeals on memstore: "day" is
// one morning's run that queues the day's reminders (a fresh store each time), "again" the
// same day's second run, which finds the terms and queues nothing.
func BenchmarkMonitor(b *testing.B) {
	const n = 100_000
	day := time.Date(2025, time.December, 3, 7, 0, 0, 0, msk)
	b.Run("day", func(b *testing.B) {
		queued := 0
		for range b.N {
			b.StopTimer()
			_, eng := openStore(b, n)
			b.StartTimer()
			q, err := eng.Monitor(b.Context(), day)
			if err != nil {
				b.Fatal(err)
			}
			queued += q
		}
		b.ReportMetric(float64(queued)/float64(b.N), "reminders/op")
		b.ReportMetric(float64(n), "appeals")
	})
	b.Run("again", func(b *testing.B) {
		_, eng := openStore(b, n)
		if _, err := eng.Monitor(b.Context(), day); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			q, err := eng.Monitor(b.Context(), day)
			if err != nil || q != 0 {
				b.Fatal(q, err)
			}
		}
		b.ReportMetric(float64(n), "appeals")
	})
}

// BenchmarkTermFilter is the query "any term due in the next 3 days" over 1,000,000 indexed
// open appeals on memstore: counted, the first page listed (a worklist screen), and every
// match listed; beside it, the same count done by the obvious alternative, loading every
// record and checking its terms. Run with -benchtime 3x (the set-up takes a while).
func BenchmarkTermFilter(b *testing.B) {
	if testing.Short() {
		b.Skip("1,000,000 appeals")
	}
	const n = 1_000_000
	st, _ := openStore(b, n)
	today := deadline.NewDate(2025, time.December, 3)
	f := workflow.Filter{DueFrom: today, DueTo: today.AddDays(3)}
	matches, err := st.Count(b.Context(), f)
	if err != nil || matches == 0 {
		b.Fatal(matches, err)
	}
	b.Run("count", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.Count(b.Context(), f); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(matches), "matches")
	})
	b.Run("page", func(b *testing.B) {
		pf := f
		pf.Limit = 100
		for b.Loop() {
			for _, err := range st.List(b.Context(), pf) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			for _, err := range st.List(b.Context(), f) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("scan-records", func(b *testing.B) {
		for b.Loop() {
			got := 0
			for rec, err := range st.List(b.Context(), workflow.Filter{}) {
				if err != nil {
					b.Fatal(err)
				}
				for _, t := range rec.RunningTerms() {
					if !t.Deadline.Legal.Before(f.DueFrom) && !t.Deadline.Legal.After(f.DueTo) {
						got++
						break
					}
				}
			}
			if got != matches {
				b.Fatal(got, matches)
			}
		}
	})
}
