package report_test

import (
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/report"
	"github.com/fz59/appeals/workflow/report/internal/dataset"
	"github.com/stretchr/testify/require"
)

func day(y int, m time.Month, d int) deadline.Date { return deadline.NewDate(y, m, d) }

var counter = deadline.NewCounter(nil, deadline.Policy{Location: time.FixedZone("MSK", 3*60*60)})

// newReporter reports on the data set's period and day, without a history.
func newReporter(t testing.TB) *report.Reporter {
	t.Helper()
	rp, err := report.New(report.Options{Period: dataset.Period, Today: dataset.Today, Counter: counter})
	require.NoError(t, err)
	return rp
}

// openRecord is appeal n registered on reg, in execution, its consideration running.
func openRecord(n int, reg deadline.Date) *workflow.Record {
	a := appeal.New(dataset.AppealID(n), reg.In(time.UTC), appeal.ChannelPost)
	a.State, a.Kind, a.Number, a.Responsible = appeal.StateInExecution, appeal.Complaint, "Ж-1", "exec-1"
	a.Questions = []appeal.Question{{Code: dataset.QHousing, Status: appeal.StatusInWork}}
	cons, err := counter.Due(deadline.Consideration, reg)
	if err != nil {
		panic(err)
	}
	return &workflow.Record{Appeal: a, Deadlines: workflow.Deadlines{Consideration: workflow.Limit{Deadline: cons}}}
}

// lateRecord is appeal n registered on 3 November 2025 and answered 3 days after its legal date.
func lateRecord(n int) *workflow.Record {
	rec := openRecord(n, day(2025, time.November, 3))
	rec.Appeal.State = appeal.StateAnswered
	c := &rec.Deadlines.Consideration
	c.Closed = c.Legal.AddDays(3)
	return rec
}

// records streams recs.
func records(recs ...*workflow.Record) report.Records {
	return func(yield func(*workflow.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}
