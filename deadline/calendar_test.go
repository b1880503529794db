package deadline

import (
	"fmt"
	"testing"
	"time"
)

// TestPublishedYearTotals checks every year's working days and hours
// against the published totals in data/SOURCE.md (hours = 8 × working days −
// preholiday days, 40-hour week).
func TestPublishedYearTotals(t *testing.T) {
	published := map[int][2]int{ // year: working days, hours
		2015: {247, 1971}, 2016: {247, 1974}, 2017: {247, 1973}, 2018: {247, 1970},
		2019: {247, 1970}, 2020: {248, 1979}, 2021: {247, 1972}, 2022: {247, 1973},
		2023: {247, 1973}, 2024: {248, 1979}, 2025: {247, 1972}, 2026: {247, 1972},
		2027: {247, 1972}, // provisional, see SOURCE.md
	}
	cal := Russia()
	for y := FirstCoveredYear; y <= LastCoveredYear; y++ {
		first := NewDate(y, time.January, 1)
		days := cal.WorkingDaysBetween(first.AddDays(-1), NewDate(y, time.December, 31))
		short := 0
		for d := first; d.Year == y; d = d.AddDays(1) {
			if cal.Day(d).Kind == Preholiday {
				short++
			}
		}
		want := published[y]
		if days != want[0] || 8*days-short != want[1] {
			t.Errorf("%d: %d working days, %d hours; published %d / %d", y, days, 8*days-short, want[0], want[1])
		}
	}
}

// TestMonthTotals2026 checks 2026 month by month (SOURCE.md; Penzastat 13.01.2026).
func TestMonthTotals2026(t *testing.T) {
	want := []int{15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22}
	cal := Russia()
	for m := time.January; m <= time.December; m++ {
		got := cal.WorkingDaysBetween(NewDate(2026, m, 0), NewDate(2026, m+1, 0))
		if got != want[m-1] {
			t.Errorf("2026-%02d: %d working days, want %d", m, got, want[m-1])
		}
	}
}

func TestDayKinds(t *testing.T) {
	cal := Russia()
	tests := []struct {
		date    string
		kind    DayKind
		working bool
		name    string
	}{
		{"2026-01-01", Holiday, false, "Новогодние каникулы"},
		{"2026-01-07", Holiday, false, "Рождество Христово"},
		{"2026-01-09", NonWorking, false, ""},         // 3 Jan transferred (Пост. № 1466)
		{"2026-05-09", Holiday, false, "День Победы"}, // a Saturday holiday
		{"2026-05-11", NonWorking, false, ""},         // TK 112 p.2 automatic transfer
		{"2026-05-08", Preholiday, true, ""},          // shortened Friday
		{"2025-11-01", Preholiday, true, ""},          // shortened working Saturday
		{"2024-11-02", Preholiday, true, ""},          // shortened working Saturday (SOURCE.md dispute)
		{"2024-04-27", WorkingWeekend, true, ""},      // full working Saturday
		{"2025-12-02", Workday, true, ""},             // ordinary Tuesday
		{"2025-12-06", Weekend, false, ""},            // ordinary Saturday
		{"2020-04-06", Workday, true, ""},             // decree day: working by default
		{"2020-04-30", Preholiday, true, ""},          // SOURCE.md correction
		{"2030-01-01", Workday, true, ""},             // uncovered: Mon–Fri only
	}
	for _, tt := range tests {
		d, _ := ParseDate(tt.date)
		got := cal.Day(d)
		if got.Kind != tt.kind || got.Working != tt.working || got.Name != tt.name || cal.IsWorking(d) != tt.working {
			t.Errorf("%s: %+v, want kind %v working %v name %q", tt.date, got, tt.kind, tt.working, tt.name)
		}
	}
}

func TestCoverage(t *testing.T) {
	cal := Russia()
	first, last := cal.Coverage()
	if first != NewDate(2015, 1, 1) || last != NewDate(2027, 12, 31) {
		t.Errorf("Coverage = %v..%v", first, last)
	}
	for _, tt := range []struct {
		d    Date
		want bool
	}{{NewDate(2014, 12, 31), false}, {first, true}, {last, true}, {NewDate(2028, 1, 1), false}} {
		if cal.Covers(tt.d) != tt.want || cal.Day(tt.d).Covered != tt.want {
			t.Errorf("Covers(%v) = %v, want %v", tt.d, cal.Covers(tt.d), tt.want)
		}
	}
}

func TestDecreeOverlay(t *testing.T) {
	cal := Russia(WithDecreeNonWorking())
	d := cal.Day(NewDate(2020, 4, 6))
	if d.Working || d.Kind != DecreeNonWorking || d.Name != "Нерабочие дни (Указ Президента от 02.04.2020 №239)" {
		t.Errorf("2020-04-06 with overlay: %+v", d)
	}
	if Russia().IsWorking(NewDate(2020, 4, 6)) != true {
		t.Error("the overlay leaked into the default calendar")
	}
	// 2020: 248 working days minus 36 − (weekend-free) decree weekdays of 2020.
	got := cal.WorkingDaysBetween(NewDate(2019, 12, 31), NewDate(2020, 12, 31))
	if got != 248-29 {
		t.Errorf("2020 with overlay: %d working days, want %d", got, 248-29)
	}
}

func TestOverrides(t *testing.T) {
	// Tatarstan: Республика көне, 30 Aug (a Sunday in 2026, so use 2027: Monday).
	tat := Russia(WithOverrides(
		Override{Date: NewDate(2027, 8, 30), Name: "День Республики Татарстан"},
		Override{Date: NewDate(2031, 8, 29), Name: "День Республики Татарстан"}, // uncovered year
		Override{Date: NewDate(2026, 1, 10), Working: true, Name: "рабочая суббота организации"},
		Override{Date: NewDate(1, 1, 1), Name: "ignored: outside 1900–2199"},
	))
	d := tat.Day(NewDate(2027, 8, 30))
	if d.Working || d.Kind != HostDayOff || d.Name != "День Республики Татарстан" {
		t.Errorf("2027-08-30: %+v", d)
	}
	if tat.IsWorking(NewDate(2031, 8, 29)) || tat.Covers(NewDate(2031, 8, 29)) {
		t.Error("override in an uncovered year: want a day off, still uncovered")
	}
	if !tat.IsWorking(NewDate(2026, 1, 10)) {
		t.Error("host working Saturday not working")
	}
	if !tat.IsWorking(NewDate(1, 1, 1)) {
		t.Error("year-1 override should be ignored (0001-01-01 was a Monday)")
	}
	if !Russia().IsWorking(NewDate(2027, 8, 30)) {
		t.Error("override leaked into the default calendar")
	}
}

// TestWorkingArithmeticAgreesWithWalk checks the O(1) arithmetic against a
// day-by-day walk, inside the table, across its edges and outside it.
func TestWorkingArithmeticAgreesWithWalk(t *testing.T) {
	cals := map[string]*Calendar{
		"russia": Russia(),
		"host":   Russia(WithOverrides(Override{Date: NewDate(2030, 6, 3), Name: "x"}), WithDecreeNonWorking()),
	}
	starts := []Date{
		NewDate(2014, 12, 20), NewDate(2015, 1, 1), NewDate(2025, 12, 2), NewDate(2025, 12, 31),
		NewDate(2026, 4, 30), NewDate(2027, 12, 25), NewDate(2030, 5, 30), NewDate(2031, 12, 28), NewDate(1999, 3, 6),
	}
	for name, cal := range cals {
		for _, s := range starts {
			for _, n := range []int{-40, -7, -1, 0, 1, 2, 5, 15, 30, 200} {
				want := walk(cal, s, n)
				got := cal.AddWorkingDays(s, n)
				if got != want {
					t.Errorf("%s: AddWorkingDays(%v, %d) = %v, walk says %v", name, s, n, got, want)
				}
				if n > 0 {
					if b := cal.WorkingDaysBetween(s, got); b != n {
						t.Errorf("%s: WorkingDaysBetween(%v, %v) = %d, want %d", name, s, got, b, n)
					}
				}
			}
		}
	}
}

func walk(cal *Calendar, d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if cal.IsWorking(d) {
			n--
		}
	}
	return d
}

func TestWorkingDaysBetween(t *testing.T) {
	cal := Russia()
	// New Year 2026: 31 Dec 2025 and 1–11 Jan 2026 off; 12 Jan is the first working day.
	tests := []struct {
		a, b Date
		want int
	}{
		{NewDate(2025, 12, 30), NewDate(2026, 1, 11), 0},
		{NewDate(2025, 12, 30), NewDate(2026, 1, 12), 1},
		{NewDate(2026, 1, 12), NewDate(2025, 12, 30), -1},
		{NewDate(2026, 1, 12), NewDate(2026, 1, 12), 0},
		{NewDate(2028, 1, 2), NewDate(2028, 1, 9), 5}, // uncovered: Mon–Fri
	}
	for _, tt := range tests {
		if got := cal.WorkingDaysBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("WorkingDaysBetween(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestShortenedSaturdays: a preholiday row is a working day whatever the
// weekday. data/SOURCE.md says "8 rows" but lists nine; the data have nine.
func TestShortenedSaturdays(t *testing.T) {
	cal := Russia()
	var got []string
	for d := NewDate(2015, 1, 1); d.Year <= 2027; d = d.AddDays(1) {
		if day := cal.Day(d); day.Kind == Preholiday && d.Weekday() == time.Saturday {
			if !day.Working {
				t.Errorf("%v is preholiday but not working", d)
			}
			got = append(got, d.String())
		}
	}
	want := "[2016-02-20 2018-04-28 2018-06-09 2018-12-29 2021-02-20 2022-03-05 2024-11-02 2025-11-01 2027-02-20]"
	if fmt.Sprint(got) != want {
		t.Errorf("shortened Saturdays %v, want %v", got, want)
	}
}
