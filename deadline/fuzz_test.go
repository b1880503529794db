package deadline

import (
	"testing"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-12-02", "2024-02-29", "2025-02-29", "0000-01-01", "9999-12-31", "", "2025-1-1", "-025-01-01", "2025-12-0\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("error with a date: %v", d)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("round trip %q → %v", s, d)
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

// FuzzCounting checks the counting invariants for every rule and policy:
// nominal = from + N (ГК 191); legal is the first working day ≥ nominal
// (ГК 193); control is a working day in [from, legal]; working-day
// arithmetic round-trips.
func FuzzCounting(f *testing.F) {
	for _, s := range []struct {
		off        int32
		rule, shft uint8
		n          int16
		decree     bool
	}{{0, 5, 0, 30, false}, {4000, 1, 1, 3, true}, {-100, 7, 0, -15, false}, {5000, 9, 1, 200, true}, {1900, 5, 2, 1, false}} {
		f.Add(s.off, s.rule, s.shft, s.n, s.decree)
	}
	cals := []*Calendar{Russia(), Russia(WithDecreeNonWorking(), WithOverrides(Override{Date: NewDate(2030, 8, 30), Name: "x"}))}
	f.Fuzz(func(t *testing.T, off int32, rule, shift uint8, n int16, decree bool) {
		cal := cals[0]
		if decree {
			cal = cals[1]
		}
		from := NewDate(2015, 1, 1).AddDays(int(off % 20000))
		c := NewCounter(cal, Policy{ControlShift: Shift(shift % 2), ControlCountsEventDay: shift&2 != 0})
		r := Rule(rule % uint8(ruleEnd+1))
		d, err := c.Due(r, from)
		if !r.Valid() {
			if err == nil {
				t.Fatalf("rule %d accepted", r)
			}
			r = Consideration
			d, _ = c.Due(r, from)
		}
		check(t, cal, d, from)
		if x, err := c.Extend(d, int(n%40), "причина"); err == nil {
			check(t, cal, x, d.Legal)
			if x.Nominal != d.Legal.AddDays(x.ExtendedBy) || x.ExtendedBy > MaxExtensionDays {
				t.Fatalf("extension %+v of %+v", x, d)
			}
		}
		e := c.Explain(d)
		if len(e.Steps) < 5 || e.String() == "" {
			t.Fatalf("explanation too short: %v", e)
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
}
