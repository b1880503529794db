package deadline

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors of the counting API; test with errors.Is.
var (
	ErrUnknownRule       = errors.New("deadline: unknown rule")
	ErrNoDate            = errors.New("deadline: no date")
	ErrNotExtendable     = errors.New("deadline: rule cannot be extended (art. 12 p.2 extends consideration only)")
	ErrExtensionTooLong  = errors.New("deadline: extension longer than 30 days (art. 12 p.2)")
	ErrExtensionTooShort = errors.New("deadline: extension must be at least 1 day")
	ErrNoReason          = errors.New("deadline: extension needs a reason (art. 12 p.2)")
	ErrAlreadyExtended   = errors.New("deadline: already extended; art. 12 p.2 allows one extension")
)

// Shift says where a date that lands on a non-working day moves.
type Shift uint8

// Shifts for the control date.
const (
	// PreviousWorkingDay: the working day before (office-work practice,
	// e.g. Регламент Правительства Вологодской области п. 10.3.4). Default.
	PreviousWorkingDay Shift = iota
	// NextWorkingDay: the next working day (ГК art. 193); the control date
	// then equals the legal date.
	NextWorkingDay
)

// DefaultDueSoonDays is the due-soon threshold when Policy leaves it zero.
const DefaultDueSoonDays = 3

// Policy is the counting policy. Its zero value is the law's defaults
// (law.md, Decisions): the period starts the day after the event (ГК art.
// 191), the legal date moves to the next working day (ГК art. 193, КоАП art.
// 4.8 p.3), the control date to the previous one.
type Policy struct {
	// ControlShift moves the control date off a non-working day.
	ControlShift Shift
	// ControlCountsEventDay makes the control date count the event day as
	// day 1 (the office-work reading of "с даты регистрации"): it is then
	// computed from event + N − 1. The legal date is never affected.
	ControlCountsEventDay bool
	// DueSoonDays: a deadline is due soon when its control date is at most
	// this many calendar days away. Zero means DefaultDueSoonDays; negative
	// disables due soon.
	DueSoonDays int
	// Location is the organization's time zone, used by Counter.DateOf.
	// Nil means each time.Time's own location.
	Location *time.Location
}

// Counter computes deadlines on a Calendar under a Policy. It is immutable
// and safe for concurrent use.
type Counter struct {
	cal *Calendar
	p   Policy
}

// NewCounter returns a Counter; a nil cal means Russia(CalendarOptions{}).
func NewCounter(cal *Calendar, p Policy) *Counter {
	if cal == nil {
		cal = Russia(CalendarOptions{})
	}
	if p.DueSoonDays == 0 {
		p.DueSoonDays = DefaultDueSoonDays
	}
	return &Counter{cal: cal, p: p}
}

// Calendar returns the counter's calendar.
func (c *Counter) Calendar() *Calendar { return c.cal }

// DateOf returns the day of t in the organization's zone (Policy.Location).
func (c *Counter) DateOf(t time.Time) Date { return DateOf(t, c.p.Location) }

// Deadline is a computed time limit. It holds no slices: computing one does
// not allocate.
type Deadline struct {
	// Rule is the time limit.
	Rule Rule
	From Date // the event: receipt, registration or request receipt
	Days int  // the rule's calendar days
	// Nominal is From + Days (+ ExtendedBy): the last day before any move.
	Nominal Date
	// Legal (LegalDue, срок рассмотрения) is the latest lawful day: Nominal,
	// or the next working day if Nominal is not one (ГК art. 193).
	Legal Date
	// Control (ControlDate, контрольный срок) is the internal control date:
	// by default Nominal, or the previous working day. It is never before
	// From; if no working day is left, it equals Legal.
	Control Date
	// Extended is set by Extend (продление срока, art. 12 p.2).
	Extended   bool
	ExtendedBy int    // days of the extension
	Reason     string // the reason given for the extension
	// Estimated is set when a day the dates were placed by (Nominal and the
	// days up to Legal and Control, before and after an extension) is
	// Estimated on the Calendar: its year has no official production
	// calendar yet, so Legal and Control may move once it is loaded.
	Estimated bool
}

// Due computes the deadline of rule for an event on from. A from outside
// the years MinYear–MaxYear, or a deadline that would end after them, gives
// a *DateError wrapping ErrDateRange. It does not allocate on success.
func (c *Counter) Due(rule Rule, from Date) (d Deadline, err error) {
	if !rule.Valid() {
		return Deadline{}, ErrUnknownRule
	}
	days := rules[rule].Days
	cal := c.cal
	ev, ok := cal.offset(from)
	nom := ev + int64(days)
	if !ok || nom >= int64(len(cal.day)) || c.p.ControlShift != PreviousWorkingDay || c.p.ControlCountsEventDay {
		return c.dueSlow(rule, from, days)
	}
	// The hot path, for the default policy: the nominal day's word has the
	// distances to the working days on both sides and whether the days to
	// them are estimated, so the deadline takes one to three loads.
	w := cal.day[nom]
	legal, ctl := nom+int64(w>>dayNextPos&dayFar), nom-int64(w>>dayPrevPos&dayFar)
	if legal >= int64(len(cal.day)) || ctl < ev || w>>dayNextPos&dayFar == dayFar {
		return c.dueSlow(rule, from, days)
	}
	d.Rule, d.From, d.Days = rule, from, days
	d.Nominal = civil(w)
	d.Legal, d.Control = d.Nominal, d.Nominal
	if legal != nom {
		d.Legal = civil(cal.day[legal])
	}
	if ctl != nom {
		d.Control = civil(cal.day[ctl])
	}
	d.Estimated = w&(dayEstimFwd|dayEstimBwd) != 0
	return d, nil
}

// dueSlow is Due for any other case: another policy, a date to normalize
// or out of range, a control date with no working day left, a run of days
// off longer than the table's distances.
func (c *Counter) dueSlow(rule Rule, from Date, days int) (Deadline, error) {
	if !from.Valid() {
		if from.IsZero() {
			return Deadline{}, ErrNoDate
		}
		from = from.norm() // month 13 or day 0: normalize, then check
		if !from.Valid() {
			return Deadline{}, fmt.Errorf("due %v: %w", rule, rangeError(from))
		}
	}
	z := from.days()
	d := Deadline{Rule: rule, From: from, Days: days}
	if !c.place(&d, z, z+int64(days)) {
		return Deadline{}, fmt.Errorf("due %v from %v: %w", rule, from, errEndsLate)
	}
	return d, nil
}

// errEndsLate is the error of a deadline that would end after MaxYear.
var errEndsLate error = &DateError{Reason: fmt.Sprintf("the term would end after %d-12-31", MaxYear), OutOfRange: true}

// span places a period from event day ev (in the table) ending on nominal
// day nom: the legal and control days, and whether a day walked over is
// estimated. ok is false when the legal day would fall after MaxYear.
func (c *Counter) span(ev, nom int64) (legal, ctl int64, estim, ok bool) {
	cal := c.cal
	legal, estim = cal.next(nom)
	if legal > tableLast {
		return 0, 0, false, false
	}
	ctl = nom
	if c.p.ControlCountsEventDay {
		ctl--
	}
	var ctlEstim bool
	if c.p.ControlShift == NextWorkingDay {
		ctl, ctlEstim = cal.next(ctl)
	} else {
		ctl, ctlEstim = cal.prev(ctl)
	}
	if ctl < ev || ctl > legal {
		// No working day left: the control date relied on [ev, nom] being off.
		ctl, ctlEstim = legal, cal.estimatedIn(ev, nom)
	}
	return legal, ctl, estim || ctlEstim, true
}

// place sets Nominal, Legal, Control and Estimated (or-ed) of d for a
// period from ev ending on nom, as span; it reports span's ok.
func (c *Counter) place(d *Deadline, ev, nom int64) bool {
	legal, ctl, estim, ok := c.span(ev, nom)
	if ok {
		d.Nominal, d.Legal, d.Control = c.cal.dates(nom, legal, ctl)
		d.Estimated = d.Estimated || estim
	}
	return ok
}

// Extend extends a consideration deadline (продление срока, art. 12 p.2)
// by days (1–30), counted from its legal due date, once, with a reason.
// The result keeps Rule, From and Days and sets Extended; it is Estimated
// when d was or the extension's end is.
func (c *Counter) Extend(d Deadline, days int, reason string) (Deadline, error) {
	switch {
	case !d.Rule.Valid() || d.Legal.IsZero():
		return d, fmt.Errorf("extend %v: %w", d.Rule, ErrNoDate)
	case !d.Legal.Valid():
		return d, fmt.Errorf("extend %v: %w", d.Rule, rangeError(d.Legal))
	case !rules[d.Rule].Extendable:
		return d, fmt.Errorf("extend %v: %w", d.Rule, ErrNotExtendable)
	case d.Extended:
		return d, fmt.Errorf("extend %v from %v: %w", d.Rule, d.From, ErrAlreadyExtended)
	case days > MaxExtensionDays:
		return d, fmt.Errorf("extend %v by %d days: %w", d.Rule, days, ErrExtensionTooLong)
	case days < 1:
		return d, fmt.Errorf("extend %v by %d days: %w", d.Rule, days, ErrExtensionTooShort)
	case strings.TrimSpace(reason) == "":
		return d, fmt.Errorf("extend %v: %w", d.Rule, ErrNoReason)
	}
	z := d.Legal.days()
	out := d
	out.Extended, out.ExtendedBy, out.Reason = true, days, reason
	if !c.place(&out, z, z+int64(days)) {
		return d, fmt.Errorf("extend %v from %v: %w", d.Rule, d.From, errEndsLate)
	}
	return out, nil
}

// Status is where a deadline stands at a moment.
type Status uint8

// Statuses. Reminders and due soon use the control date; overdue uses the
// legal date (law.md, Decisions).
const (
	StatusUnknown Status = iota // zero Deadline or no moment given
	OnTime                      // not done, control date more than the threshold away
	DueSoon                     // not done, control date within the threshold or passed, legal date not passed
	Overdue                     // not done, legal date passed
	DoneOnTime                  // done on or before the legal date
	DoneLate                    // done after the legal date
)

var statusNames = [...]string{"unknown", "on-time", "due-soon", "overdue", "done-on-time", "done-late"}

// String returns the status's machine name ("due-soon").
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// MarshalText encodes s as its machine name ("due-soon").
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Status returns where d stands on day at; done is the day the step was
// done (the zero Date if not done). Convert moments with DateOf first, so
// that comparison is by day in the organization's zone.
func (c *Counter) Status(d Deadline, at Date, done Date) Status {
	if d.Legal.IsZero() {
		return StatusUnknown
	}
	if !done.IsZero() {
		if done.After(d.Legal) {
			return DoneLate
		}
		return DoneOnTime
	}
	switch {
	case at.IsZero():
		return StatusUnknown
	case at.After(d.Legal):
		return Overdue
	case c.p.DueSoonDays >= 0 && d.Control.DaysSince(at) <= c.p.DueSoonDays:
		return DueSoon
	}
	return OnTime
}
