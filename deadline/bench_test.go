package deadline

import "testing"

var (
	sinkDeadline Deadline
	sinkDate     Date
)

func BenchmarkDue(b *testing.B) {
	c := NewCounter(nil, Policy{})
	from := NewDate(2025, 12, 2)
	b.ReportAllocs()
	for b.Loop() {
		sinkDeadline, _ = c.Due(Consideration, from)
	}
}

func BenchmarkAddWorkingDays30(b *testing.B) {
	cal := Russia()
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
