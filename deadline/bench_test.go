package deadline

import "testing"

var (
	sinkDeadline Deadline
	sinkDate     Date
)

// BenchmarkDue: a covered year, an estimated one (ТК 112), and the slow
// path (a control date with no working day left).
func BenchmarkDue(b *testing.B) {
	c := NewCounter(nil, Policy{})
	for _, bc := range []struct {
		name string
		rule Rule
		from Date
	}{
		{"covered", Consideration, NewDate(2025, 12, 2)},
		{"estimated", Consideration, NewDate(2028, 12, 2)},
		{"no-working-day-left", Registration, NewDate(2026, 1, 1)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkDeadline, _ = c.Due(bc.rule, bc.from)
			}
		})
	}
}

func BenchmarkRussia(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Russia(CalendarOptions{DecreeNonWorking: true})
	}
}

func BenchmarkAddWorkingDays30(b *testing.B) {
	cal := Russia(CalendarOptions{})
	from := NewDate(2025, 12, 2)
	b.ReportAllocs()
	for b.Loop() {
		sinkDate = cal.AddWorkingDays(from, 30)
	}
}

func BenchmarkExplain(b *testing.B) {
	c := NewCounter(nil, Policy{})
	d, _ := c.Due(Consideration, NewDate(2025, 12, 2))
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Explain(d).String()
	}
}
