package bench

import (
	"encoding/csv"
	"os"
	"testing"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/rickar/cal/v2"
)

// rickarRussia sets up github.com/rickar/cal/v2 with the same production
// calendar as deadline.Russia(deadline.CalendarOptions{}): the deviations of ru.csv through its
// WorkdayFunc hook (its own ru package lacks transfers and working
// Saturdays, see deadline/data/SOURCE.md).
func rickarRussia(tb testing.TB) *cal.BusinessCalendar {
	tb.Helper()
	f, err := os.Open("../deadline/data/ru.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	type ymd struct {
		y int
		m time.Month
		d int
	}
	deviation := make(map[ymd]bool, len(rows))
	for _, r := range rows[1:] {
		t, err := time.Parse(time.DateOnly, r[0])
		if err != nil {
			tb.Fatal(err)
		}
		deviation[ymd{t.Year(), t.Month(), t.Day()}] = r[1] == "working" || r[1] == "preholiday"
	}
	c := cal.NewBusinessCalendar()
	c.WorkdayFunc = func(t time.Time) bool {
		y, m, d := t.Date()
		if w, ok := deviation[ymd{y, m, d}]; ok {
			return w
		}
		wd := t.Weekday()
		return wd != time.Saturday && wd != time.Sunday
	}
	return c
}

// rickarDue is the 30-day due date done with rickar/cal: + N calendar days,
// then the next (legal) and previous (control) workday.
func rickarDue(c *cal.BusinessCalendar, from time.Time, days int) (legal, control time.Time) {
	nominal := from.AddDate(0, 0, days)
	legal, control = nominal, nominal
	for !c.IsWorkday(legal) {
		legal = legal.AddDate(0, 0, 1)
	}
	for !c.IsWorkday(control) {
		control = control.AddDate(0, 0, -1)
	}
	return legal, control
}

var starts = []string{"2025-12-02", "2026-04-09", "2025-12-25", "2026-02-18", "2024-10-26", "2019-12-20"}

// TestSameAnswers makes sure both sides of each benchmark compute the same dates.
func TestSameAnswers(t *testing.T) {
	rc := rickarRussia(t)
	ours := deadline.NewCounter(deadline.Russia(deadline.CalendarOptions{}), deadline.Policy{})
	for _, s := range starts {
		from, _ := deadline.ParseDate(s)
		tf := from.In(time.UTC)
		d, err := ours.Due(deadline.Consideration, from)
		if err != nil {
			t.Fatal(err)
		}
		legal, control := rickarDue(rc, tf, 30)
		if deadline.DateOf(legal, nil) != d.Legal || deadline.DateOf(control, nil) != d.Control {
			t.Errorf("%s: ours %v/%v, rickar %v/%v", s, d.Legal, d.Control, legal, control)
		}
		for _, n := range []int{1, 5, 30} {
			if got, want := deadline.Russia(deadline.CalendarOptions{}).AddWorkingDays(from, n), deadline.DateOf(rc.WorkdaysFrom(tf, n), nil); got != want {
				t.Errorf("%s +%d working days: ours %v, rickar %v", s, n, got, want)
			}
		}
	}
}

// returnOnly hands back a Deadline without computing one.
//
//go:noinline
func returnOnly(rule deadline.Rule, from deadline.Date) (deadline.Deadline, error) {
	return deadline.Deadline{Rule: rule, From: from, Days: 30, Nominal: from, Legal: from, Control: from}, nil
}

var (
	sinkDeadline deadline.Deadline
	sinkDate     deadline.Date
	sinkTime     time.Time
)

// BenchmarkDueDate: the 30-day term from 2 December 2025 (legal 12 January,
// control 30 December). deadline-return-only is a function that computes
// nothing and returns a Deadline: the floor under any Due, the cost of
// handing back its 152 bytes.
func BenchmarkDueDate(b *testing.B) {
	from := deadline.NewDate(2025, time.December, 2)
	b.Run("deadline", func(b *testing.B) {
		c := deadline.NewCounter(deadline.Russia(deadline.CalendarOptions{}), deadline.Policy{})
		b.ReportAllocs()
		for b.Loop() {
			sinkDeadline, _ = c.Due(deadline.Consideration, from)
		}
	})
	b.Run("deadline-return-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkDeadline, _ = returnOnly(deadline.Consideration, from)
		}
	})
	b.Run("rickar-cal", func(b *testing.B) {
		c := rickarRussia(b)
		tf := from.In(time.UTC)
		b.ReportAllocs()
		for b.Loop() {
			sinkTime, _ = rickarDue(c, tf, 30)
		}
	})
}

func BenchmarkAddWorkingDays30(b *testing.B) {
	from := deadline.NewDate(2025, time.December, 2)
	b.Run("deadline", func(b *testing.B) {
		c := deadline.Russia(deadline.CalendarOptions{})
		b.ReportAllocs()
		for b.Loop() {
			sinkDate = c.AddWorkingDays(from, 30)
		}
	})
	b.Run("rickar-cal", func(b *testing.B) {
		c := rickarRussia(b)
		tf := from.In(time.UTC)
		b.ReportAllocs()
		for b.Loop() {
			sinkTime = c.WorkdaysFrom(tf, 30)
		}
	})
}
