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
	cal := Russia(CalendarOptions{})
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
	cal := Russia(CalendarOptions{})
	for m := time.January; m <= time.December; m++ {
		got := cal.WorkingDaysBetween(NewDate(2026, m, 0), NewDate(2026, m+1, 0))
		if got != want[m-1] {
			t.Errorf("2026-%02d: %d working days, want %d", m, got, want[m-1])
		}
	}
}

func TestDayKinds(t *testing.T) {
	cal := Russia(CalendarOptions{})
	const est = "; " + estimateNote
	tests := []struct {
		date             string
		kind             DayKind
		working          bool
		name             string
		covered, estimed bool
	}{
		{"2026-01-01", Holiday, false, "Новогодние каникулы", true, false},
		{"2026-01-07", Holiday, false, "Рождество Христово", true, false},
		{"2026-01-09", NonWorking, false, "", true, false},         // 3 Jan transferred (Пост. № 1466)
		{"2026-05-09", Holiday, false, "День Победы", true, false}, // a Saturday holiday
		{"2026-05-11", NonWorking, false, "", true, false},         // TK 112 p.2 automatic transfer
		{"2026-05-08", Preholiday, true, "", true, false},          // shortened Friday
		{"2025-11-01", Preholiday, true, "", true, false},          // shortened working Saturday
		{"2024-11-02", Preholiday, true, "", true, false},          // shortened working Saturday (SOURCE.md dispute)
		{"2024-04-27", WorkingWeekend, true, "", true, false},      // full working Saturday
		{"2025-12-02", Workday, true, "", true, false},             // ordinary Tuesday
		{"2025-12-06", Weekend, false, "", true, false},            // ordinary Saturday
		{"2020-04-06", Workday, true, "", true, false},             // decree day: working by default
		{"2020-04-30", Preholiday, true, "", true, false},          // SOURCE.md correction
		// Estimated years: the ТК 112 estimate (no government transfers).
		{"2028-01-01", Holiday, false, "Новогодние каникулы" + est, false, true},     // ст. 112 ч. 1, a Saturday
		{"2028-01-07", Holiday, false, "Рождество Христово" + est, false, true},      // ст. 112 ч. 1
		{"2028-01-10", Workday, true, estimateNote, false, true},                     // ч. 2: January is not carried over
		{"2028-11-04", Holiday, false, "День народного единства" + est, false, true}, // a Saturday
		{"2028-11-06", NonWorking, false, estimateNote, false, true},                 // ч. 2: carried to Monday
		{"2028-11-03", Preholiday, true, estimateNote, false, true},                  // ст. 95: Friday before the holiday
		{"2028-12-29", Workday, true, estimateNote, false, true},                     // a Friday, then Saturday, Sunday, 1 January
		{"2026-12-30", Workday, true, "", true, false},                               // the embedded data: 31 Dec off by transfer
		{"2030-01-01", Holiday, false, "Новогодние каникулы" + est, false, true},
		{"2014-11-04", Holiday, false, "День народного единства" + est, false, true}, // before the data
		{"2199-12-31", Preholiday, true, estimateNote, false, true},                  // last day of the table, a Tuesday before 1 January (ст. 95)
		{"2199-12-28", Weekend, false, estimateNote, false, true},                    // a Saturday
		{"1900-01-01", Holiday, false, "Новогодние каникулы" + est, false, true},     // first day of the table
		{"1899-12-31", Weekend, false, "вне 1900–2199: учтены только субботы и воскресенья", false, true},
		{"2200-01-01", Workday, true, "вне 1900–2199: учтены только субботы и воскресенья", false, true},
	}
	for _, tt := range tests {
		d := NewDate(0, 1, 1)
		fmt.Sscanf(tt.date, "%d-%d-%d", &d.Year, &d.Month, &d.Day)
		got := cal.Day(d)
		want := Day{Date: d, Kind: tt.kind, Working: tt.working, Name: tt.name, Covered: tt.covered, Estimated: tt.estimed}
		if got != want || cal.IsWorking(d) != tt.working || cal.Covers(d) != tt.covered || cal.Estimated(d) != tt.estimed {
			t.Errorf("%s: %+v, want %+v", tt.date, got, want)
		}
	}
}

// TestTableSpan pins the table's constants to the supported years.
func TestTableSpan(t *testing.T) {
	if tableFirst != daysFromCivil(MinYear, time.January, 1) || tableLast != daysFromCivil(MaxYear, time.December, 31) {
		t.Errorf("table %d..%d, years %d..%d", tableFirst, tableLast, daysFromCivil(MinYear, 1, 1), daysFromCivil(MaxYear, 12, 31))
	}
	if got := len(Russia(CalendarOptions{}).day); int64(got) != tableLen {
		t.Errorf("table has %d days, want %d", got, tableLen)
	}
}

func TestCoverage(t *testing.T) {
	cal := Russia(CalendarOptions{})
	first, last := cal.Coverage()
	if first != NewDate(2015, 1, 1) || last != NewDate(2027, 12, 31) {
		t.Errorf("Coverage = %v..%v", first, last)
	}
	for _, tt := range []struct {
		d    Date
		want bool
	}{{NewDate(2014, 12, 31), false}, {first, true}, {last, true}, {NewDate(2028, 1, 1), false}, {NewDate(1800, 1, 1), false}} {
		day := cal.Day(tt.d)
		if cal.Covers(tt.d) != tt.want || day.Covered != tt.want || day.Estimated == tt.want {
			t.Errorf("Covers(%v) = %v, Day %+v; want covered %v and estimated the opposite", tt.d, cal.Covers(tt.d), day, tt.want)
		}
	}
}

func TestDecreeOverlay(t *testing.T) {
	cal := Russia(CalendarOptions{DecreeNonWorking: true})
	d := cal.Day(NewDate(2020, 4, 6))
	if d.Working || d.Kind != DecreeNonWorking || d.Name != "Нерабочие дни (Указ Президента от 02.04.2020 №239)" {
		t.Errorf("2020-04-06 with overlay: %+v", d)
	}
	if Russia(CalendarOptions{}).IsWorking(NewDate(2020, 4, 6)) != true {
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
	tat := Russia(CalendarOptions{Overrides: []Override{
		{Date: NewDate(2027, 8, 30), Name: "День Республики Татарстан"},
		{Date: NewDate(2031, 8, 29), Name: "День Республики Татарстан"}, // uncovered year
		{Date: NewDate(2026, 1, 10), Working: true, Name: "рабочая суббота организации"},
		{Date: NewDate(1, 1, 1), Name: "ignored: outside 1900–2199"},
	}})
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
	if !Russia(CalendarOptions{}).IsWorking(NewDate(2027, 8, 30)) {
		t.Error("override leaked into the default calendar")
	}
}

// TestWorkingArithmeticAgreesWithWalk checks the O(1) arithmetic against a
// day-by-day walk, inside the table, across its edges and outside it.
func TestWorkingArithmeticAgreesWithWalk(t *testing.T) {
	cals := map[string]*Calendar{
		"russia": Russia(CalendarOptions{}),
		"host":   Russia(CalendarOptions{Overrides: []Override{{Date: NewDate(2030, 6, 3), Name: "x"}}, DecreeNonWorking: true}),
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
	cal := Russia(CalendarOptions{})
	// New Year 2026: 31 Dec 2025 and 1–11 Jan 2026 off; 12 Jan is the first working day.
	tests := []struct {
		a, b Date
		want int
	}{
		{NewDate(2025, 12, 30), NewDate(2026, 1, 11), 0},
		{NewDate(2025, 12, 30), NewDate(2026, 1, 12), 1},
		{NewDate(2026, 1, 12), NewDate(2025, 12, 30), -1},
		{NewDate(2026, 1, 12), NewDate(2026, 1, 12), 0},
		{NewDate(2028, 1, 2), NewDate(2028, 1, 9), 0},  // estimated: 1–8 January off (ТК 112 ч. 1)
		{NewDate(2028, 1, 2), NewDate(2028, 1, 16), 5}, // estimated: the next week works
		{NewDate(2200, 1, 2), NewDate(2200, 1, 9), 5},  // outside the table: Mon–Fri
	}
	for _, tt := range tests {
		if got := cal.WorkingDaysBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("WorkingDaysBetween(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestShortenedSaturdays: a preholiday row is a working day whatever the
// weekday; data/SOURCE.md lists the nine Saturdays.
func TestShortenedSaturdays(t *testing.T) {
	cal := Russia(CalendarOptions{})
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

// TestNextPreviousWorkingDay: the day itself when working, else the
// nearest working day after (ГК art. 193) or before.
func TestNextPreviousWorkingDay(t *testing.T) {
	cal := Russia(CalendarOptions{})
	tests := []struct {
		day, next, prev string
	}{
		{"2026-01-01", "2026-01-12", "2025-12-30"}, // New Year: 31 Dec and 1–11 Jan off
		{"2025-12-02", "2025-12-02", "2025-12-02"}, // a working Tuesday
		{"2025-11-01", "2025-11-01", "2025-11-01"}, // a working Saturday
		{"2026-05-09", "2026-05-12", "2026-05-08"},
		{"2028-01-01", "2028-01-10", "2027-12-30"}, // into the estimate
		{"2028-11-05", "2028-11-07", "2028-11-03"}, // ТК 112 ч. 2 carry-over, estimated
		{"1900-01-01", "1900-01-09", "1899-12-29"}, // the table's first day, then Mon–Fri before it
		{"2199-12-28", "2199-12-30", "2199-12-27"},
		{"2200-01-04", "2200-01-06", "2200-01-03"}, // outside the table: Mon–Fri only (4 Jan 2200 is a Saturday)
	}
	for _, tt := range tests {
		d := NewDate(0, 1, 1)
		fmt.Sscanf(tt.day, "%d-%d-%d", &d.Year, &d.Month, &d.Day)
		if got := cal.NextWorkingDay(d).String(); got != tt.next {
			t.Errorf("NextWorkingDay(%s) = %s, want %s", tt.day, got, tt.next)
		}
		if got := cal.PreviousWorkingDay(d).String(); got != tt.prev {
			t.Errorf("PreviousWorkingDay(%s) = %s, want %s", tt.day, got, tt.prev)
		}
	}
}

// TestTableDistances checks every day's packed distances and estimate
// flags against a day-by-day walk, on the shared calendar and on one whose
// host closed for longer than the packed distances reach (dayFar days).
func TestTableDistances(t *testing.T) {
	var closed []Override
	for d := NewDate(2019, 1, 1); d.Year <= MaxYear+1; d = d.AddDays(1) {
		closed = append(closed, Override{Date: d})
	}
	if len(closed) <= dayFar {
		t.Fatal("the closed run is too short")
	}
	cals := map[string]*Calendar{"russia": Russia(CalendarOptions{}), "closed from 2019": Russia(CalendarOptions{Overrides: closed})}
	for name, cal := range cals {
		step := int64(1)
		if name != "russia" {
			step = 97
		}
		for z := tableFirst - 10; z <= tableLast+10; z += step {
			next, nextEst := cal.next(z)
			prev, prevEst := cal.prev(z)
			wn, wp := z, z
			for !cal.working(wn) {
				wn++
			}
			for !cal.working(wp) {
				wp--
			}
			if next != wn || prev != wp || nextEst != walkEstimated(cal, z, wn) || prevEst != walkEstimated(cal, wp, z) {
				t.Fatalf("%s: day %v: next %v %v prev %v %v; walk says %v %v, %v %v", name, fromDays(z),
					fromDays(next), nextEst, fromDays(prev), prevEst, fromDays(wn), walkEstimated(cal, z, wn), fromDays(wp), walkEstimated(cal, wp, z))
			}
		}
	}
}

func walkEstimated(cal *Calendar, lo, hi int64) bool {
	for z := lo; z <= hi; z++ {
		if cal.estimated(z) {
			return true
		}
	}
	return false
}
