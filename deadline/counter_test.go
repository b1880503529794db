package deadline

import (
	"encoding/json"
	"errors"
	"testing"
)

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRulesTable pins every rule's days, event and article (law.md A1).
func TestRulesTable(t *testing.T) {
	want := []struct {
		rule    Rule
		days    int
		from    Start
		article string
	}{
		{Registration, 3, Receipt, "ст. 8 ч. 2"},
		{Forwarding, 7, Registered, "ст. 8 ч. 3"},
		{ForwardingMigration, 5, Registered, "ст. 8 ч. 3.1"},
		{CopyToBodies, 7, Registered, "ст. 8 ч. 4"},
		{Consideration, 30, Registered, "ст. 12 ч. 1"},
		{ConsiderationMigration, 20, Registered, "ст. 12 ч. 1.1"},
		{InterAgencyRequest, 15, RequestReceipt, "ст. 10 ч. 2"},
		{Art11Return, 7, Registered, "ст. 11 ч. 2"},
		{Art11Notice, 7, Registered, "ст. 11 ч. 4, 4.1, 5.1"},
	}
	all := Rules()
	if len(all) != len(want) {
		t.Fatalf("Rules() has %d rules, want %d", len(all), len(want))
	}
	for i, w := range want {
		got := all[i]
		if got.Rule != w.rule || got.Days != w.days || got.From != w.from || got.Article != w.article || got.Title == "" {
			t.Errorf("%v: %+v, want %+v", w.rule, got, w)
		}
		if r, err := ParseRule(got.Name); err != nil || r != w.rule || r.String() != got.Name {
			t.Errorf("ParseRule(%q) = %v, %v", got.Name, r, err)
		}
	}
	if _, err := ParseRule("nope"); !errors.Is(err, ErrUnknownRule) {
		t.Errorf("ParseRule(nope) err = %v", err)
	}
	all[0].Days = 99
	if Registration.Info().Days != 3 {
		t.Error("Rules() returned the internal table")
	}
}

// TestDueWorkedCases: calendar days from the day after the event (ГК 191);
// legal = next working day (ГК 193); control = previous working day.
func TestDueWorkedCases(t *testing.T) {
	c := NewCounter(nil, Policy{})
	tests := []struct {
		name                    string
		rule                    Rule
		from                    string
		nominal, legal, control string
	}{
		{"art. 12 p.1 consideration across New Year (law.md A4)", Consideration, "2025-12-02", "2026-01-01", "2026-01-12", "2025-12-30"},
		{"art. 12 p.1 consideration into the May holidays (law.md A4)", Consideration, "2026-04-09", "2026-05-09", "2026-05-12", "2026-05-08"},
		{"art. 11 p.4 notice across New Year (law.md A4)", Art11Notice, "2025-12-25", "2026-01-01", "2026-01-12", "2025-12-30"},
		{"art. 8 p.2 registration on an ordinary Friday", Registration, "2025-12-02", "2025-12-05", "2025-12-05", "2025-12-05"},
		{"art. 8 p.2 registration landing on a Saturday", Registration, "2025-12-03", "2025-12-06", "2025-12-08", "2025-12-05"},
		{"art. 8 p.2 registration landing on a shortened working Saturday", Registration, "2025-10-29", "2025-11-01", "2025-11-01", "2025-11-01"},
		{"art. 8 p.2 receipt on 1 Jan: control never before the event", Registration, "2026-01-01", "2026-01-04", "2026-01-12", "2026-01-12"},
		{"art. 8 p.3 forwarding onto a transferred day off (9 Jan 2026)", Forwarding, "2026-01-02", "2026-01-09", "2026-01-12", "2026-01-12"},
		{"art. 8 p.3.1 migration forwarding onto 23 Feb", ForwardingMigration, "2026-02-18", "2026-02-23", "2026-02-24", "2026-02-20"},
		{"art. 8 p.4 copies onto 8 Mar (Sunday) and transferred 9 Mar", CopyToBodies, "2026-03-01", "2026-03-08", "2026-03-10", "2026-03-06"},
		{"art. 12 p.1.1 migration consideration onto 12 Jun", ConsiderationMigration, "2026-05-23", "2026-06-12", "2026-06-15", "2026-06-11"},
		{"art. 10 p.2 inter-agency request onto 4 Nov", InterAgencyRequest, "2026-10-20", "2026-11-04", "2026-11-05", "2026-11-03"},
		{"art. 11 p.2 return onto a working Saturday 2024-11-02", Art11Return, "2024-10-26", "2024-11-02", "2024-11-02", "2024-11-02"},
		{"art. 12 p.1 decree day 2020-04-06 is working by default (ВС РФ 21.04.2020)", Consideration, "2020-03-07", "2020-04-06", "2020-04-06", "2020-04-06"},
		{"art. 12 p.1 in an estimated year, an ordinary Wednesday", Consideration, "2028-05-01", "2028-05-31", "2028-05-31", "2028-05-31"},
		{"art. 12 p.1 onto 1 January 2028: ТК 112 ч. 1 holidays in the estimate", Consideration, "2027-12-02", "2028-01-01", "2028-01-10", "2027-12-30"},
		{"art. 8 p.3 onto 4 November 2028 (Saturday), carried to Monday by ТК 112 ч. 2", Forwarding, "2028-10-28", "2028-11-04", "2028-11-07", "2028-11-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := c.Due(tt.rule, mustDate(t, tt.from))
			if err != nil {
				t.Fatal(err)
			}
			if d.Nominal.String() != tt.nominal || d.Legal.String() != tt.legal || d.Control.String() != tt.control {
				t.Errorf("Due(%v, %s) = nominal %v legal %v control %v; want %s %s %s",
					tt.rule, tt.from, d.Nominal, d.Legal, d.Control, tt.nominal, tt.legal, tt.control)
			}
			if d.Rule != tt.rule || d.From.String() != tt.from || d.Days != tt.rule.Info().Days {
				t.Errorf("Due kept rule/from/days wrong: %+v", d)
			}
		})
	}
}

// TestDueEstimated: Estimated is set exactly when a day the dates were
// placed by lies in a year without an official calendar (ТК 112 estimate).
func TestDueEstimated(t *testing.T) {
	tests := []struct {
		name      string
		p         Policy
		rule      Rule
		from      string
		legal     string
		control   string
		estimated bool
	}{
		{"covered years only", Policy{}, Consideration, "2025-12-02", "2026-01-12", "2025-12-30", false},
		{"nominal in 2027, legal moved into 2028", Policy{}, Consideration, "2027-12-01", "2028-01-10", "2027-12-30", true},
		{"nominal in 2028", Policy{}, Consideration, "2027-12-10", "2028-01-10", "2027-12-30", true},
		{"event in 2014, every day relied on in 2015", Policy{}, Consideration, "2014-12-20", "2015-01-19", "2015-01-19", false},
		{"control moved back into 2014", Policy{}, Consideration, "2014-12-10", "2015-01-12", "2014-12-31", true},
		{"control next working day stays in 2015", Policy{ControlShift: NextWorkingDay}, Consideration, "2014-12-10", "2015-01-12", "2015-01-12", false},
		// Registration from 1 January 2015 (art. 8 p.2): every day to the
		// nominal 4 January is off, so the control date is the legal one; the
		// working day before (31 December 2014, estimated) was not relied on.
		{"no working day left, the day before the event is not relied on", Policy{}, Registration, "2015-01-01", "2015-01-12", "2015-01-12", false},
		{"no working day left in an estimated January", Policy{}, Registration, "2028-01-01", "2028-01-10", "2028-01-10", true},
		{"event day counts, control on the last day of 2027", Policy{ControlCountsEventDay: true}, Registration, "2027-12-27", "2027-12-30", "2027-12-29", false},
		{"far in the estimate", Policy{}, Consideration, "2150-06-01", "2150-07-01", "2150-07-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewCounter(nil, tt.p).Due(tt.rule, mustDate(t, tt.from))
			if err != nil {
				t.Fatal(err)
			}
			if d.Legal.String() != tt.legal || d.Control.String() != tt.control || d.Estimated != tt.estimated {
				t.Errorf("legal %v control %v estimated %v; want %s %s %v", d.Legal, d.Control, d.Estimated, tt.legal, tt.control, tt.estimated)
			}
		})
	}
}

// TestDueRange: dates outside MinYear–MaxYear are refused with ErrDateRange,
// before and after counting.
func TestDueRange(t *testing.T) {
	c := NewCounter(nil, Policy{})
	for _, tt := range []struct {
		name string
		from Date
		ok   bool
	}{
		{"year 1", Date{1, 1, 1}, false},
		{"the day before MinYear", Date{MinYear - 1, 12, 31}, false},
		{"year 9999", Date{9999, 12, 1}, false},
		{"the first day", Date{MinYear, 1, 1}, true},
		{"ends on the last day", NewDate(MaxYear, 12, 1), true},
		{"would end after MaxYear", NewDate(MaxYear, 12, 2), false},
		{"month 13 of MaxYear normalizes out of range", Date{MaxYear, 13, 1}, false},
		{"day 0 of January 2200 is 2199-12-31, +30 ends after MaxYear", Date{MaxYear + 1, 1, 0}, false},
		{"month 0 of 2026 normalizes to December 2025", Date{2026, 0, 2}, true},
	} {
		d, err := c.Due(Consideration, tt.from)
		if tt.ok != (err == nil) || !tt.ok && (!errors.Is(err, ErrDateRange) || d != Deadline{}) {
			t.Errorf("%s: Due(%v) = %+v, %v", tt.name, tt.from, d, err)
		}
		if err == nil && (!d.Legal.Valid() || !d.From.Valid()) {
			t.Errorf("%s: dates out of range: %+v", tt.name, d)
		}
	}
	d, err := c.Due(Consideration, Date{2026, 0, 2})
	if err != nil || d.From != NewDate(2025, 12, 2) || d.Legal.String() != "2026-01-12" {
		t.Errorf("normalized from: %+v %v", d, err)
	}
	late, err := c.Due(Consideration, NewDate(MaxYear, 11, 20))
	if err != nil {
		t.Fatal(err)
	}
	if x, err := c.Extend(late, 30, "x"); !errors.Is(err, ErrDateRange) || x != late {
		t.Errorf("extension past MaxYear: %+v %v", x, err)
	}
	bad := Deadline{Rule: Consideration, From: NewDate(MaxYear, 12, 1), Legal: Date{MaxYear + 1, 1, 5}}
	if _, err := c.Extend(bad, 10, "x"); !errors.Is(err, ErrDateRange) {
		t.Errorf("extending a legal date out of range: %v", err)
	}
}

func TestDueErrors(t *testing.T) {
	c := NewCounter(nil, Policy{})
	if _, err := c.Due(0, NewDate(2026, 1, 1)); !errors.Is(err, ErrUnknownRule) {
		t.Errorf("rule 0: %v", err)
	}
	if _, err := c.Due(ruleEnd, NewDate(2026, 1, 1)); !errors.Is(err, ErrUnknownRule) {
		t.Errorf("rule end: %v", err)
	}
	if _, err := c.Due(Consideration, Date{}); !errors.Is(err, ErrNoDate) {
		t.Errorf("zero date: %v", err)
	}
}

func TestPolicy(t *testing.T) {
	from := mustDate(t, "2025-12-02")
	tests := []struct {
		name           string
		p              Policy
		legal, control string
	}{
		{"defaults: control previous working day", Policy{}, "2026-01-12", "2025-12-30"},
		{"control next working day (ГК 193) equals legal", Policy{ControlShift: NextWorkingDay}, "2026-01-12", "2026-01-12"},
		{"event day counts: control from 2025-12-31 (off) → 2025-12-30", Policy{ControlCountsEventDay: true}, "2026-01-12", "2025-12-30"},
	}
	for _, tt := range tests {
		d, err := NewCounter(nil, tt.p).Due(Consideration, from)
		if err != nil || d.Legal.String() != tt.legal || d.Control.String() != tt.control {
			t.Errorf("%s: legal %v control %v (%v)", tt.name, d.Legal, d.Control, err)
		}
	}
	// The event day counts on a working day: registered 2026-03-02, +30 = 2026-04-01 (Wed) → control 2026-03-31.
	d, _ := NewCounter(nil, Policy{ControlCountsEventDay: true}).Due(Consideration, mustDate(t, "2026-03-02"))
	if d.Legal.String() != "2026-04-01" || d.Control.String() != "2026-03-31" {
		t.Errorf("event day counts: %+v", d)
	}
	// The decree overlay pauses: 2020-03-07 + 30 = 2020-04-06 (decree day) → legal 2020-05-12? No:
	// next working day after the decree weeks and the May holidays is 2020-05-12.
	d, _ = NewCounter(Russia(CalendarOptions{DecreeNonWorking: true}), Policy{}).Due(Consideration, mustDate(t, "2020-03-07"))
	if d.Legal.String() != "2020-05-12" || d.Control.String() != "2020-03-27" {
		t.Errorf("decree overlay: legal %v control %v", d.Legal, d.Control)
	}
}

// TestExtend: art. 12 p.2 — once, up to 30 days, from the legal due date, with a reason.
func TestExtend(t *testing.T) {
	c := NewCounter(nil, Policy{})
	d, _ := c.Due(Consideration, mustDate(t, "2025-12-02")) // legal 2026-01-12
	x, err := c.Extend(d, 30, "направлен запрос в другой орган (ст. 10 ч. 2)")
	if err != nil {
		t.Fatal(err)
	}
	if !x.Extended || x.ExtendedBy != 30 || x.Nominal.String() != "2026-02-11" || x.Legal.String() != "2026-02-11" || x.Control.String() != "2026-02-11" {
		t.Errorf("extended: %+v", x)
	}
	if x.Rule != Consideration || x.From != d.From || x.Days != 30 {
		t.Errorf("extension changed the base: %+v", x)
	}
	// Extension landing on 23 Feb 2026: legal 2026-01-26 + 28 = 2026-02-23 → 24 Feb / 20 Feb.
	d2, _ := c.Due(Consideration, mustDate(t, "2025-12-27")) // +30 = 2026-01-26 (Mon)
	x2, err := c.Extend(d2, 28, "выезд на место")
	if err != nil || x2.Legal.String() != "2026-02-24" || x2.Control.String() != "2026-02-20" {
		t.Errorf("extension onto 23 Feb: %+v %v", x2, err)
	}
	mig, _ := c.Due(ConsiderationMigration, mustDate(t, "2026-03-02"))
	if _, err := c.Extend(mig, 30, "запрос"); err != nil {
		t.Errorf("art. 12 p.1.1 term is extendable (law.md Decisions): %v", err)
	}
	reg, _ := c.Due(Registration, mustDate(t, "2026-03-02"))
	errs := []struct {
		name string
		d    Deadline
		days int
		why  string
		want error
	}{
		{"31 days", d, 31, "x", ErrExtensionTooLong},
		{"0 days", d, 0, "x", ErrExtensionTooShort},
		{"no reason", d, 10, "  ", ErrNoReason},
		{"twice", x, 5, "x", ErrAlreadyExtended},
		{"registration is not extendable", reg, 5, "x", ErrNotExtendable},
		{"zero deadline", Deadline{}, 5, "x", ErrNoDate},
	}
	for _, tt := range errs {
		got, err := c.Extend(tt.d, tt.days, tt.why)
		if !errors.Is(err, tt.want) || got != tt.d {
			t.Errorf("%s: err %v, want %v; deadline changed: %v", tt.name, err, tt.want, got != tt.d)
		}
	}
}

// TestStatus: due soon uses the control date, overdue the legal date (law.md Decisions).
func TestStatus(t *testing.T) {
	c := NewCounter(nil, Policy{})
	d, _ := c.Due(Consideration, mustDate(t, "2025-12-02")) // control 2025-12-30, legal 2026-01-12
	tests := []struct {
		at, done string
		want     Status
	}{
		{"2025-12-26", "", OnTime},
		{"2025-12-27", "", DueSoon},
		{"2025-12-30", "", DueSoon},
		{"2026-01-12", "", DueSoon},
		{"2026-01-13", "", Overdue},
		{"2026-01-20", "2026-01-12", DoneOnTime},
		{"2026-01-20", "2026-01-13", DoneLate},
		{"", "", StatusUnknown},
	}
	for _, tt := range tests {
		var at, done Date
		if tt.at != "" {
			at = mustDate(t, tt.at)
		}
		if tt.done != "" {
			done = mustDate(t, tt.done)
		}
		if got := c.Status(d, at, done); got != tt.want {
			t.Errorf("Status(at %s, done %s) = %v, want %v", tt.at, tt.done, got, tt.want)
		}
	}
	if got := NewCounter(nil, Policy{DueSoonDays: 10}).Status(d, mustDate(t, "2025-12-20"), Date{}); got != DueSoon {
		t.Errorf("threshold 10: %v", got)
	}
	if got := NewCounter(nil, Policy{DueSoonDays: -1}).Status(d, mustDate(t, "2025-12-30"), Date{}); got != OnTime {
		t.Errorf("due soon disabled: %v", got)
	}
	if got := c.Status(Deadline{}, mustDate(t, "2025-12-30"), Date{}); got != StatusUnknown {
		t.Errorf("zero deadline: %v", got)
	}
}

func TestDeadlineJSON(t *testing.T) {
	c := NewCounter(nil, Policy{})
	d, _ := c.Due(Consideration, mustDate(t, "2025-12-02"))
	for _, in := range []Deadline{d, {}} {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var out Deadline
		if err := json.Unmarshal(b, &out); err != nil || out != in {
			t.Errorf("round trip %s: %+v %v", b, out, err)
		}
	}
	if b, _ := json.Marshal(DueSoon); string(b) != `"due-soon"` {
		t.Errorf("Status JSON %s", b)
	}
}
