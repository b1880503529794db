package deadline

import (
	"errors"
	"fmt"
	"time"
)

// Date is a civil date (year, month, day) with no time zone inside. 59-FZ
// counts time limits in days, so deadlines are Dates; a time.Time becomes a
// Date only through the organization's *time.Location (see DateOf).
//
// Date is comparable with ==. The zero value means "no date".
type Date struct {
	// Year, Month and Day are the civil date's parts.
	Year  int
	Month time.Month
	Day   int
}

// The supported dates: years MinYear–MaxYear. The library stores, prints
// and counts only these; ParseDate, UnmarshalText, MarshalText, CheckTime,
// Counter.Due and Counter.Extend refuse any other with ErrDateRange. The
// range holds every date an appeals system meets (59-FZ dates from 2006,
// archives of the last century, retention periods up to 2100 and beyond)
// and is far inside what time.Time prints, so a time that passes CheckTime
// prints in every zone. The Calendar's tables cover exactly this range.
const (
	MinYear = 1900
	MaxYear = 2199
)

// ErrBadDate is the sentinel wrapped by every ParseDate and UnmarshalText
// failure and by ErrDateRange; test with errors.Is.
var ErrBadDate = errors.New("deadline: bad date")

// ErrDateRange is wrapped by every error about a date or time outside the
// years MinYear–MaxYear. It wraps ErrBadDate, so errors.Is(err, ErrBadDate)
// holds for it too.
var ErrDateRange = fmt.Errorf("%w: outside the years %d–%d", ErrBadDate, MinYear, MaxYear)

// DateError reports a string that is not a valid "YYYY-MM-DD" date, or a
// date or time outside the supported years (then it wraps ErrDateRange).
type DateError struct {
	// Reason says why, in a few words. The text that failed is not kept: a date field may
	// hold anything a user typed, and the error may reach a log.
	Reason string
	// OutOfRange is set when the date exists but lies outside MinYear–MaxYear.
	OutOfRange bool
}

// Error implements error.
func (e *DateError) Error() string {
	return "deadline: bad date: " + e.Reason
}

// Unwrap makes errors.Is(err, ErrBadDate) true, and errors.Is(err,
// ErrDateRange) when OutOfRange.
func (e *DateError) Unwrap() error {
	if e.OutOfRange {
		return ErrDateRange
	}
	return ErrBadDate
}

var rangeReason = fmt.Sprintf("year outside %d–%d", MinYear, MaxYear)

// rangeError is the *DateError for a date outside the supported years.
func rangeError(d Date) error {
	return &DateError{Reason: rangeReason, OutOfRange: true}
}

// CheckTime returns nil when t, in its own location, falls on a day of the
// supported years, and a *DateError wrapping ErrDateRange otherwise. Call it
// where moments enter the system (a decoded request, a row read back), so
// that a year-1 or year-9999 time is refused there and not when it is
// printed as JSON later. The zero time.Time is out of range.
func CheckTime(t time.Time) error {
	if y := t.Year(); y < MinYear || y > MaxYear {
		return &DateError{Reason: fmt.Sprintf("year %d outside %d–%d", y, MinYear, MaxYear), OutOfRange: true}
	}
	return nil
}

// NewDate returns the date year-month-day, normalizing out-of-range values
// the way time.Date does (2025-13-01 becomes 2026-01-01, day 0 is the last day
// of the previous month).
func NewDate(year int, month time.Month, day int) Date {
	return fromDays(daysFromCivil(year, month, day))
}

// DateOf returns the local calendar day of t in loc. An appeal received at
// 23:30 in Vladivostok is received that Vladivostok day, whatever the server's
// zone. A nil loc means t's own location.
func DateOf(t time.Time, loc *time.Location) Date {
	if loc != nil {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "2006-01-02". Any other form, or a day that does not
// exist (2025-02-29), gives a *DateError wrapping ErrBadDate; a real day
// outside the years MinYear–MaxYear gives one wrapping ErrDateRange.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, &DateError{Reason: "want YYYY-MM-DD"}
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, &DateError{Reason: "want YYYY-MM-DD"}
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, &DateError{Reason: "no such day"}
	}
	if y < MinYear || y > MaxYear {
		return Date{}, &DateError{Reason: rangeReason, OutOfRange: true}
	}
	return Date{y, time.Month(m), d}, nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// String returns "2006-01-02", normalized (2025-02-30 is "2025-03-02"), or
// "" for the zero Date only. A date outside the supported years still
// prints ("10000-01-01"), so that errors and logs can show it.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	n := d.norm()
	if n.Year < 0 || n.Year > 9999 {
		return fmt.Sprintf("%04d-%02d-%02d", n.Year, int(n.Month), n.Day)
	}
	b := make([]byte, 10)
	n.put(b)
	return string(b)
}

// Valid reports whether d is a day that exists (month 1–12, day within the
// month, as ParseDate accepts) in the years MinYear–MaxYear. The zero Date
// is not valid; NewDate's results are valid inside the years.
func (d Date) Valid() bool {
	return d.Year >= MinYear && d.Year <= MaxYear && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// Russian formats d as Russian documents write dates, "02.01.2006"; the zero Date is "".
func (d Date) Russian() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns d plus n calendar days (n may be negative).
func (d Date) AddDays(n int) Date { return fromDays(d.days() + int64(n)) }

// DaysSince returns d − o in days: positive when d is after o.
func (d Date) DaysSince(o Date) int { return int(d.days() - o.days()) }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	a, b := d.days(), o.days()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// Day 0 (1970-01-01) was a Thursday.
	w := (d.days() + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// In returns midnight at the start of d in loc (nil loc means UTC).
func (d Date) In(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText encodes d as "YYYY-MM-DD", normalized (the zero Date as
// empty text), so a Date is a JSON string. A date outside the years
// MinYear–MaxYear gives a *DateError wrapping ErrDateRange: what is written
// can always be read back.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	n := d.norm()
	if n.Year < MinYear || n.Year > MaxYear {
		return nil, rangeError(n)
	}
	b := make([]byte, 10)
	n.put(b)
	return b, nil
}

// put writes normal d, of years 0–9999, as "YYYY-MM-DD" into b[:10].
func (d Date) put(b []byte) {
	put(b[0:4], d.Year)
	b[4] = '-'
	put(b[5:7], int(d.Month))
	b[7] = '-'
	put(b[8:10], d.Day)
}

func put(b []byte, v int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
}

// UnmarshalText decodes "YYYY-MM-DD" as ParseDate does (so a date outside
// MinYear–MaxYear is refused with ErrDateRange); empty text gives the zero
// Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// norm returns d with out-of-range fields normalized.
func (d Date) norm() Date { return fromDays(d.days()) }

// days returns the number of days since 1970-01-01 (proleptic Gregorian).
func (d Date) days() int64 { return daysFromCivil(d.Year, d.Month, d.Day) }

// daysFromCivil is Howard Hinnant's days_from_civil, with month overflow
// folded into the year first so that any (y, m, d) is accepted.
func daysFromCivil(year int, month time.Month, day int) int64 {
	y, m := int64(year), int64(month)-1
	y += floorDiv(m, 12)
	m = m - floorDiv(m, 12)*12 + 1 // 1..12
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// fromDays is Hinnant's civil_from_days.
func fromDays(z int64) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{int(y), time.Month(m), int(d)}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
