package deadline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzParseDate: parse → String → parse round trips; what parses is Valid
// and marshals to the same text; a real day outside the years is refused
// with ErrDateRange.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-12-02", "2024-02-29", "2025-02-29", "0000-01-01", "9999-12-31", "", "2025-1-1", "-025-01-01", "2025-12-0\x00", "1899-12-31", "2200-01-01", "1900-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !d.IsZero() || !errors.Is(err, ErrBadDate) {
				t.Fatalf("error %v with a date: %v", err, d)
			}
			if errors.Is(err, ErrDateRange) {
				if y, e := strconv.Atoi(s[:4]); e != nil || y >= MinYear && y <= MaxYear {
					t.Fatalf("%q: range error for year %v", s, s[:4])
				}
			}
			return
		}
		if !d.Valid() || d.String() != s {
			t.Fatalf("round trip %q → %v (valid %v)", s, d, d.Valid())
		}
		if b, err := d.MarshalText(); err != nil || string(b) != s {
			t.Fatalf("MarshalText(%v) = %q, %v", d, b, err)
		}
		if again, err := ParseDate(d.String()); err != nil || again != d {
			t.Fatalf("parse(String(%v)) = %v, %v", d, again, err)
		}
		if d.norm() != d || d.AddDays(1).AddDays(-1) != d {
			t.Fatalf("%v is not normal", d)
		}
		var back Date
		if err := back.UnmarshalText([]byte(s)); err != nil || back != d {
			t.Fatalf("UnmarshalText(%q) = %v, %v", s, back, err)
		}
	})
}

// FuzzDateString: for any fields, String is "" only for the zero Date; a
// Valid date's String parses back to it; MarshalText succeeds exactly when
// the normalized date is in the years, and reads back.
func FuzzDateString(f *testing.F) {
	f.Add(2025, 12, 2)
	f.Add(1, 1, 1)
	f.Add(9999, 12, 31)
	f.Add(2199, 12, 32)
	f.Add(0, 0, 0)
	f.Add(-40000, 5, 1)
	f.Fuzz(func(t *testing.T, y, m, d int) {
		y, m, d = y%100000, m%1000, d%100000 // keep the day number far from overflow
		date := Date{y, time.Month(m), d}
		s := date.String()
		if (s == "") != date.IsZero() {
			t.Fatalf("%#v.String() = %q", date, s)
		}
		if date.Valid() {
			if p, err := ParseDate(s); err != nil || p != date {
				t.Fatalf("ParseDate(%q) = %v, %v; want %#v", s, p, err, date)
			}
		}
		b, err := date.MarshalText()
		n := date.norm()
		if (err == nil) != (date.IsZero() || n.Valid()) {
			t.Fatalf("%#v.MarshalText() = %q, %v", date, b, err)
		}
		if err == nil && !date.IsZero() {
			var back Date
			if err := back.UnmarshalText(b); err != nil || back != n || string(b) != s {
				t.Fatalf("%#v: MarshalText %q, String %q, back %v %v", date, b, s, back, err)
			}
		}
		if err != nil && !errors.Is(err, ErrDateRange) {
			t.Fatalf("%#v.MarshalText() error %v is not ErrDateRange", date, err)
		}
	})
}

// FuzzLoadCSV: LoadCSV never panics; a refused file gives a *CSVError
// with a line inside the file and one of the rules (so no text of the
// file); a loaded file puts exactly its rows on the calendar, its years
// covered and not estimated.
func FuzzLoadCSV(f *testing.F) {
	f.Add([]byte(file2028))
	f.Add(ruCSV[:len(ruCSV)/2])
	f.Add([]byte("date,kind\n2028-01-01,holiday\n"))
	f.Add([]byte("date,kind\n\"2028-01-01\",holiday\n"))
	f.Add([]byte(strings.Replace(file2028, "2028-11-06", "2028-11-07", 1)))
	rules := []string{ruleTooLarge, ruleSyntax, ruleFields, ruleHeader, ruleNoRows, ruleDate, ruleDateRange,
		ruleRepeat, ruleKind, ruleHoliday, ruleNonWorking, ruleWorking, ruleMissing}
	f.Fuzz(func(t *testing.T, data []byte) {
		y, err := LoadCSV(bytes.NewReader(data))
		if err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) || ce.Line < 0 || ce.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("error %v (%T)", err, err)
			}
			if !slices.ContainsFunc(rules, func(r string) bool { return strings.HasPrefix(ce.Rule, r) }) {
				t.Fatalf("rule %q is not one of LoadCSV's", ce.Rule)
			}
			return
		}
		cal := Russia(CalendarOptions{Years: []Years{y}})
		rows := map[Date]DayKind{}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("loaded, but not CSV: %v", err)
		}
		for _, rec := range recs[1:] {
			rows[must(ParseDate(rec[0]))] = csvKinds[rec[1]]
		}
		for _, year := range y.List() {
			for d := NewDate(year, time.January, 1); d.Year == year; d = d.AddDays(1) {
				day := cal.Day(d)
				want, ok := rows[d]
				if !ok {
					want = weekdayKind(d.days())
				}
				if day.Kind != want || !day.Covered || day.Estimated {
					t.Fatalf("%v: %+v, want %v, covered", d, day, want)
				}
			}
		}
	})
}

// FuzzCounting checks the counting invariants for every rule and policy
// over the whole range of years: nominal = from + N (ГК 191); legal is the
// first working day ≥ nominal (ГК 193); control is a working day in [from,
// legal]; Estimated says exactly whether a day walked over was estimated
// (against a day-by-day walk); dates that would leave the years are refused;
// working-day arithmetic round-trips.
func FuzzCounting(f *testing.F) {
	for _, s := range []struct {
		off        int32
		rule, shft uint8
		n          int16
		cal        uint8
	}{{41000, 5, 0, 30, 0}, {45000, 1, 1, 3, 1}, {40900, 7, 0, -15, 0}, {46000, 9, 1, 200, 1}, {42900, 5, 2, 1, 0},
		{46720, 1, 0, 3, 0}, {0, 5, 3, 30, 2}, {109560, 5, 0, 30, 0}, {-5, 1, 0, 1, 1}} {
		f.Add(s.off, s.rule, s.shft, s.n, s.cal)
	}
	cals := []*Calendar{
		Russia(CalendarOptions{}),
		Russia(CalendarOptions{DecreeNonWorking: true, Overrides: []Override{{Date: NewDate(2030, 8, 30), Name: "x"}}}),
		Russia(CalendarOptions{Years: []Years{must(LoadCSV(strings.NewReader(file2028)))}, Overrides: []Override{{Date: NewDate(2028, 1, 9), Working: true}}}),
	}
	f.Fuzz(func(t *testing.T, off int32, rule, shift uint8, n int16, which uint8) {
		cal := cals[int(which)%len(cals)]
		from := NewDate(MinYear, 1, 1).AddDays(int(off % 110000))
		p := Policy{ControlShift: Shift(shift % 2), ControlCountsEventDay: shift&2 != 0}
		c := NewCounter(cal, p)
		r := Rule(rule % uint8(ruleEnd+1))
		d, err := c.Due(r, from)
		if !r.Valid() {
			if err == nil {
				t.Fatalf("rule %d accepted", r)
			}
			r = Consideration
			d, err = c.Due(r, from)
		}
		if err != nil {
			if !errors.Is(err, ErrDateRange) || from.Valid() && walkDue(cal, p, from.days(), from.days()+int64(r.Info().Days)).legal <= tableLast {
				t.Fatalf("Due(%v, %v): %v", r, from, err)
			}
			return
		}
		check(t, cal, d, from)
		if want := walkDue(cal, p, from.days(), d.Nominal.days()); want != (walked{d.Legal.days(), d.Control.days(), d.Estimated}) {
			t.Fatalf("Due(%v, %v) = %+v; the walk says %+v", r, from, d, want)
		}
		if x, err := c.Extend(d, int(n%40), "причина"); err == nil {
			check(t, cal, x, d.Legal)
			if x.Nominal != d.Legal.AddDays(x.ExtendedBy) || x.ExtendedBy > MaxExtensionDays {
				t.Fatalf("extension %+v of %+v", x, d)
			}
			want := walkDue(cal, p, d.Legal.days(), x.Nominal.days())
			if want.estimated = want.estimated || d.Estimated; want != (walked{x.Legal.days(), x.Control.days(), x.Estimated}) {
				t.Fatalf("Extend(%+v) = %+v; the walk says %+v", d, x, want)
			}
		}
		e := c.Explain(d)
		if len(e.Steps) < 5 || e.String() == "" || e.Estimated != d.Estimated || (e.Steps[0].Kind == StepUncovered) != d.Estimated {
			t.Fatalf("explanation: %v", e)
		}
		w := cal.AddWorkingDays(from, int(n))
		if n > 0 && (cal.WorkingDaysBetween(from, w) != int(n) || !cal.IsWorking(w)) {
			t.Fatalf("AddWorkingDays(%v, %d) = %v", from, n, w)
		}
		if n < 0 && (!cal.IsWorking(w) || cal.WorkingDaysBetween(w.AddDays(-1), from.AddDays(-1)) != -int(n)) {
			t.Fatalf("AddWorkingDays(%v, %d) = %v", from, n, w)
		}
	})
}

type walked struct {
	legal, control int64
	estimated      bool
}

// walkDue places a period from ev to nom day by day, as the policy says.
func walkDue(cal *Calendar, p Policy, ev, nom int64) walked {
	var w walked
	lo := nom
	for w.legal = nom; !cal.working(w.legal); w.legal++ {
	}
	ctl := nom
	if p.ControlCountsEventDay {
		ctl--
	}
	if p.ControlShift == NextWorkingDay {
		for ; !cal.working(ctl); ctl++ {
		}
	} else {
		for ; !cal.working(ctl); ctl-- {
		}
	}
	lo = min(lo, ctl)
	if ctl < ev {
		ctl, lo = w.legal, ev
	}
	w.control = ctl
	for z := lo; z <= w.legal; z++ {
		w.estimated = w.estimated || cal.estimated(z)
	}
	return w
}

func check(t *testing.T, cal *Calendar, d Deadline, from Date) {
	t.Helper()
	if d.Nominal.DaysSince(from) < 0 || d.Nominal.DaysSince(from) != d.Days && d.Nominal.DaysSince(from) != d.ExtendedBy {
		t.Fatalf("nominal %v not from %v + days: %+v", d.Nominal, from, d)
	}
	if d.Legal.Before(d.Nominal) || !cal.IsWorking(d.Legal) || cal.WorkingDaysBetween(d.Nominal.AddDays(-1), d.Legal.AddDays(-1)) != 0 {
		t.Fatalf("legal %v is not the first working day ≥ %v", d.Legal, d.Nominal)
	}
	if !cal.IsWorking(d.Control) || d.Control.Before(from) || d.Control.After(d.Legal) {
		t.Fatalf("control %v not a working day in [%v, %v]", d.Control, from, d.Legal)
	}
	if !d.From.Valid() || !d.Nominal.Valid() || !d.Legal.Valid() || !d.Control.Valid() {
		t.Fatalf("a date out of range: %+v", d)
	}
}
