package deadline

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"sync"
	"time"
)

// The embedded production calendar; provenance and checks are in data/SOURCE.md.
var (
	//go:embed data/ru.csv
	ruCSV []byte
	//go:embed data/ru_decree_nonworking.csv
	decreeCSV []byte
)

// Years covered by the embedded production calendar (data/ru.csv). 2027 is
// provisional: see data/SOURCE.md. Other years of MinYear–MaxYear use the
// estimate of ТК РФ ст. 112 (see Calendar) until a host loads them with
// LoadCSV and CalendarOptions.Years.
const (
	FirstCoveredYear = 2015
	LastCoveredYear  = 2027
)

// DayKind says why a day is working or not.
type DayKind uint8

// Day kinds. The first six mirror the kinds of data/ru.csv plus the default
// Mon–Fri rule.
const (
	Workday          DayKind = iota + 1 // Mon–Fri with no calendar row: working
	Weekend                             // Sat or Sun with no calendar row: day off
	Holiday                             // нерабочий праздничный день, TK art. 112 p.1
	NonWorking                          // перенесенный выходной: a weekday off by a transfer
	WorkingWeekend                      // рабочая суббота/воскресенье: a weekend made working
	Preholiday                          // предпраздничный день: shortened, always working (TK art. 95)
	DecreeNonWorking                    // non-working by a Presidential decree of 2020–2021 (opt-in overlay)
	HostDayOff                          // a day off added by the host, e.g. a regional holiday
	HostWorkday                         // a working day added by the host
)

var dayKindRussian = [...]string{
	"",
	"рабочий день",
	"выходной день",
	"нерабочий праздничный день",
	"перенесенный выходной день",
	"рабочий выходной день (перенос)",
	"предпраздничный рабочий день",
	"нерабочий день по указу Президента",
	"нерабочий день (региональный или установленный организацией)",
	"рабочий день (установлен организацией)",
}

// String returns the kind in Russian, as Explain prints it.
func (k DayKind) String() string {
	if int(k) < len(dayKindRussian) {
		return dayKindRussian[k]
	}
	return fmt.Sprintf("DayKind(%d)", uint8(k))
}

var dayKindNames = [...]string{"", "workday", "weekend", "holiday", "nonworking", "working-weekend",
	"preholiday", "decree-nonworking", "host-day-off", "host-workday"}

// MarshalText encodes k as its machine name ("holiday"), as in data/ru.csv
// where the kinds coincide.
func (k DayKind) MarshalText() ([]byte, error) {
	if int(k) < len(dayKindNames) && k != 0 {
		return []byte(dayKindNames[k]), nil
	}
	return nil, fmt.Errorf("deadline: unknown day kind %d", uint8(k))
}

// Working reports whether days of this kind are working days.
func (k DayKind) Working() bool {
	switch k {
	case Workday, WorkingWeekend, Preholiday, HostWorkday:
		return true
	}
	return false
}

// Day describes one date of a Calendar.
type Day struct {
	// Date is the day; Kind why it is working or not; Working whether it is.
	Date    Date    `json:"date"`
	Kind    DayKind `json:"kind"`
	Working bool    `json:"working"`
	// Name names the day when it has one: the holiday of TK art. 112
	// ("День Победы"), the decree's basis, or the name a host gave. On an
	// estimated day it ends with "оценка по ст. 112 ТК РФ".
	Name string `json:"name,omitempty"`
	// Covered is true when the date lies in a year of an official production
	// calendar: embedded (FirstCoveredYear–LastCoveredYear) or loaded by the
	// host (CalendarOptions.Years).
	Covered bool `json:"covered"`
	// Estimated is true when the day's kind comes from the estimate of TK
	// art. 112 (its holidays and the weekend carry-over, no government
	// transfers), not from an official calendar or a host override: the
	// official calendar of the year, once published, may differ. Estimated
	// days are never Covered; a host override in an uncovered year is
	// neither Covered nor Estimated.
	Estimated bool `json:"estimated,omitempty"`
}

// estimateNote ends the Name of an estimated day.
const estimateNote = "оценка по ст. 112 ТК РФ"

// Override is a host's change to the calendar: a regional holiday (for
// example Tatarstan's Республика көне) or a working day of its own.
type Override struct {
	// Date is the day the override changes.
	Date    Date
	Working bool   // true: working day; false: day off
	Name    string // shown by Explain, e.g. "День Республики Татарстан"
}

// CalendarOptions change the production calendar Russia returns. The zero value is the
// calendar as embedded, with the ТК 112 estimate for the other years.
type CalendarOptions struct {
	// Overrides are a host's changes on top of the calendar (a regional holiday, a working
	// day of its own); a later override of the same date wins. Overrides dated outside
	// MinYear–MaxYear are ignored.
	Overrides []Override
	// DecreeNonWorking opts into the 2020–2021 Presidential-decree non-working days
	// (data/ru_decree_nonworking.csv). By default they are working days: the Supreme Court
	// (Обзор по COVID-19 № 1, 21.04.2020, q. 5) held they are not non-working days under ГК
	// art. 193.
	DecreeNonWorking bool
	// Years are official calendars read by LoadCSV, each put in place of what the Calendar had
	// for its years: the ТК 112 estimate, or the embedded data (a provisional 2027, say). Those
	// years become covered. When several give the same year, the last wins.
	Years []Years
}

func (o CalendarOptions) zero() bool {
	return len(o.Overrides) == 0 && !o.DecreeNonWorking && len(o.Years) == 0
}

// Calendar answers whether a day is working and does working-day
// arithmetic in O(1). A Calendar is immutable once built and safe for
// concurrent use.
//
// Its tables span the supported years MinYear–MaxYear. A year has the
// official production calendar when it is embedded or loaded (Covers is
// true); any other year of the span has the estimate of ТК РФ ст. 112:
// its holidays (1–8 January, 23 February, 8 March, 1 and 9 May, 12 June,
// 4 November) are days off, a holiday on a Saturday or Sunday moves the day
// off to the next working day (ч. 2), except the January ones, whose two
// days the government moves each year by a resolution that cannot be
// predicted, and the working day before a holiday is shortened (ст. 95).
// The official calendar will differ by those transfers; every such day is
// Estimated, and so is every Deadline that relied on one. Before 2013 the
// holidays of ст. 112 were different, so the estimate is rough there.
// Dates outside MinYear–MaxYear have the Mon–Fri rule only.
type Calendar struct {
	// day holds one packed word per day of MinYear–MaxYear (the day* constants).
	day     []uint64
	prefix  []int32          // prefix[i] = working days in table days [0, i)
	workIdx []int32          // workIdx[k] = table offset of the k-th working day
	names   map[int32]string // names of decree and host days, by table offset
	months  []int32          // months[k] = table offset of the first day of month k from MinYear-01; one more at the end
	covFrom int64            // first covered day number
	covTo   int64            // last covered day number
}

// The table spans MinYear-01-01 (day number tableFirst) to MaxYear-12-31:
// tableLen days (checked by the tests).
const (
	tableFirst int64 = -25567
	tableLen   int64 = 109573
	tableLast        = tableFirst + tableLen - 1
)

// A table day is one uint64: the civil date (so that a day number becomes
// a Date by one load), its kind and flags, and the distance to the nearest
// working day on each side (so that a due date moves by one load).
const (
	dayCivil    = 1<<21 - 1 // year<<9 | month<<5 | day
	dayKindPos  = 21        // 4 bits of DayKind
	dayWorking  = 1 << 25
	dayCovered  = 1 << 26
	dayEstim    = 1 << 27
	dayEstimFwd = 1 << 28 // some day of [this, next working day] is estimated
	dayEstimBwd = 1 << 29 // some day of [previous working day, this] is estimated
	dayNextPos  = 32      // 16 bits: days to the next working day
	dayPrevPos  = 48      // 16 bits: days back to the previous working day
	dayFar      = 0xFFFF  // the working day is not within dayFar days in the table
)

var (
	baseOnce  sync.Once
	baseYears Years
	baseCal   *Calendar
	baseErr   error
)

// Russia returns the Russian production calendar 2015–2027 (embedded),
// with the ТК 112 estimate for the other years and the options applied.
// With zero options it returns one shared Calendar. It panics only if the
// embedded data are corrupt, which the package's tests rule out; no
// argument can make it panic.
func Russia(opt CalendarOptions) *Calendar {
	baseOnce.Do(func() {
		if baseYears, baseErr = LoadCSV(bytes.NewReader(ruCSV)); baseErr != nil {
			baseErr = fmt.Errorf("deadline: embedded ru.csv: %w", baseErr)
			return
		}
		baseCal, baseErr = buildRussia(CalendarOptions{})
	})
	if baseErr != nil {
		// The embedded data are checked by the tests; a failure here is a
		// build defect, reported loudly rather than hidden.
		panic(baseErr)
	}
	if opt.zero() {
		return baseCal
	}
	c, err := buildRussia(opt)
	if err != nil {
		panic(err) // unreachable: the same embedded data parsed above
	}
	return c
}

func buildRussia(cfg CalendarOptions) (*Calendar, error) {
	kind := make([]DayKind, tableLen)
	// src[y-MinYear] is 1 + the index in sources of the data for year y,
	// 0 for the estimate.
	sources := append([]Years{baseYears}, cfg.Years...)
	var src [MaxYear - MinYear + 1]int
	for i, s := range sources {
		for _, y := range s.years {
			src[y-MinYear] = i + 1
		}
	}
	for y := MinYear; y <= MaxYear; y++ {
		first := daysFromCivil(y, time.January, 1) - tableFirst
		days := kind[first : first+int64(daysInYear(y))]
		if src[y-MinYear] == 0 {
			estimateYear(y, days)
			continue
		}
		for i := range days {
			days[i] = weekdayKind(tableFirst + first + int64(i))
		}
	}
	for i, s := range sources {
		for _, r := range s.rows {
			if src[r.year-MinYear] == i+1 {
				kind[r.z-tableFirst] = r.kind
			}
		}
	}
	c := &Calendar{names: map[int32]string{}}
	if cfg.DecreeNonWorking {
		rows, err := readCSV(decreeCSV, 3)
		if err != nil {
			return nil, fmt.Errorf("deadline: embedded ru_decree_nonworking.csv: %w", err)
		}
		for _, r := range rows {
			d, err := ParseDate(r[0])
			if err != nil {
				return nil, fmt.Errorf("deadline: embedded ru_decree_nonworking.csv: %w", err)
			}
			c.setDay(kind, d.days(), DecreeNonWorking, r[2])
		}
	}
	for _, o := range cfg.Overrides {
		if o.Date.IsZero() {
			continue
		}
		k := HostDayOff
		if o.Working {
			k = HostWorkday
		}
		c.setDay(kind, o.Date.days(), k, o.Name)
	}
	c.index(kind, &src)
	return c, nil
}

// setDay gives day number z kind k and name; days outside the table are ignored.
func (c *Calendar) setDay(kind []DayKind, z int64, k DayKind, name string) {
	i := z - tableFirst
	if i < 0 || i >= tableLen {
		return
	}
	kind[i] = k
	if name == "" {
		delete(c.names, int32(i))
		return
	}
	c.names[int32(i)] = name
}

func readCSV(b []byte, fields int) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = fields
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no header")
	}
	return rows[1:], nil
}

// index packs the days and builds the prefix counts and the working-day index.
func (c *Calendar) index(kind []DayKind, src *[MaxYear - MinYear + 1]int) {
	c.day = make([]uint64, tableLen)
	c.prefix = make([]int32, tableLen+1)
	c.workIdx = make([]int32, 0, tableLen*5/7+8)
	c.covFrom, c.covTo = tableLast+1, tableFirst-1
	c.months = make([]int32, 0, (MaxYear-MinYear+1)*12+1)
	y, m, d := MinYear, time.January, 1
	for i, k := range kind {
		if d == 1 {
			c.months = append(c.months, int32(i))
		}
		w := uint64(y)<<9 | uint64(m)<<5 | uint64(d) | uint64(k)<<dayKindPos
		c.prefix[i+1] = c.prefix[i]
		if k.Working() {
			w |= dayWorking
			c.prefix[i+1]++
			c.workIdx = append(c.workIdx, int32(i))
		}
		switch z := tableFirst + int64(i); {
		case src[y-MinYear] != 0:
			w |= dayCovered
			c.covFrom, c.covTo = min(c.covFrom, z), max(c.covTo, z)
		case k != HostDayOff && k != HostWorkday:
			w |= dayEstim
		}
		c.day[i] = w
		if d++; d > daysIn(y, m) {
			if d, m = 1, m+1; m > time.December {
				m, y = time.January, y+1
			}
		}
	}
	c.months = append(c.months, int32(tableLen))
	// The distances to the nearest working days, and whether the days in
	// between are estimated, one pass each way.
	last, estim := int64(-1), false
	for i, w := range c.day {
		if w&dayWorking != 0 {
			last, estim = int64(i), false
		}
		estim = estim || w&dayEstim != 0
		dist := uint64(dayFar)
		if last >= 0 && int64(i)-last < dayFar {
			dist = uint64(int64(i) - last)
		}
		w |= dist << dayPrevPos
		if estim {
			w |= dayEstimBwd
		}
		c.day[i] = w
	}
	last, estim = -1, false
	for i := tableLen - 1; i >= 0; i-- {
		w := c.day[i]
		if w&dayWorking != 0 {
			last, estim = i, false
		}
		estim = estim || w&dayEstim != 0
		dist := uint64(dayFar)
		if last >= 0 && last-i < dayFar {
			dist = uint64(last - i)
		}
		w |= dist << dayNextPos
		if estim {
			w |= dayEstimFwd
		}
		c.day[i] = w
	}
}

// date converts day number z to a Date, by table lookup inside the table.
func (c *Calendar) date(z int64) Date {
	if i := uint64(z - tableFirst); i < uint64(len(c.day)) {
		return civil(c.day[i])
	}
	return fromDays(z)
}

// civil returns the Date of a table day's word.
func civil(w uint64) Date { return Date{int(w >> 9 & 4095), time.Month(w >> 5 & 15), int(w & 31)} }

// offset returns the table offset of d when d is Valid, by one lookup:
// the hot path of Counter.Due.
func (c *Calendar) offset(d Date) (int64, bool) {
	k := (d.Year-MinYear)*12 + int(d.Month) - 1
	if uint(d.Month-1) >= 12 || uint(k) >= uint(len(c.months)-1) || d.Day < 1 {
		return 0, false
	}
	first := c.months[k]
	if d.Day > int(c.months[k+1]-first) {
		return 0, false
	}
	return int64(first) + int64(d.Day) - 1, true
}

// dates converts the days of a placed deadline, each distinct day once:
// most deadlines do not move.
func (c *Calendar) dates(nom, legal, ctl int64) (n, l, k Date) {
	n = c.date(nom)
	l, k = n, n
	if legal != nom {
		l = c.date(legal)
	}
	switch ctl {
	case legal:
		k = l
	case nom:
	default:
		k = c.date(ctl)
	}
	return n, l, k
}

func weekdayKind(z int64) DayKind {
	if isWeekend(z) {
		return Weekend
	}
	return Workday
}

// isWeekend reports whether day number z is a Saturday or Sunday.
func isWeekend(z int64) bool {
	w := mod7(z + 4) // day 0 (1970-01-01) was a Thursday
	return w == int64(time.Saturday) || w == int64(time.Sunday)
}

func mod7(z int64) int64 {
	m := z % 7
	if m < 0 {
		m += 7
	}
	return m
}

// Covers reports whether d lies in a year of an official production
// calendar: embedded, or loaded (CalendarOptions.Years).
func (c *Calendar) Covers(d Date) bool {
	i := uint64(d.days() - tableFirst)
	return i < uint64(len(c.day)) && c.day[i]&dayCovered != 0
}

// Coverage returns the first and last covered day. The years between them
// are all covered unless a host loaded a year apart from the others (2030
// without 2028–2029); Covers answers for each day.
func (c *Calendar) Coverage() (first, last Date) {
	return fromDays(c.covFrom), fromDays(c.covTo)
}

// Estimated reports whether d's kind is an estimate: the ТК 112 estimate of
// a year without an official calendar, or the Mon–Fri rule outside
// MinYear–MaxYear. It is Day(d).Estimated.
func (c *Calendar) Estimated(d Date) bool { return c.estimated(d.days()) }

func (c *Calendar) estimated(z int64) bool {
	i := uint64(z - tableFirst)
	return i >= uint64(len(c.day)) || c.day[i]&dayEstim != 0
}

// IsWorking reports whether d is a working day.
func (c *Calendar) IsWorking(d Date) bool { return c.working(d.days()) }

func (c *Calendar) working(z int64) bool {
	if i := uint64(z - tableFirst); i < uint64(len(c.day)) {
		return c.day[i]&dayWorking != 0
	}
	return !isWeekend(z)
}

// Day describes d: its kind, whether it is working, its name if any.
func (c *Calendar) Day(d Date) Day {
	z := d.days()
	i := z - tableFirst
	if i < 0 || i >= int64(len(c.day)) {
		k := weekdayKind(z)
		return Day{Date: fromDays(z), Kind: k, Working: k.Working(), Estimated: true,
			Name: fmt.Sprintf("вне %d–%d: учтены только субботы и воскресенья", MinYear, MaxYear)}
	}
	w := c.day[i]
	day := Day{Date: c.date(z), Kind: DayKind(w >> dayKindPos & 15), Working: w&dayWorking != 0,
		Covered: w&dayCovered != 0, Estimated: w&dayEstim != 0}
	if n, ok := c.names[int32(i)]; ok {
		day.Name = n
	} else if day.Kind == Holiday {
		day.Name = holidayName(day.Date.Month, day.Date.Day)
	}
	if day.Estimated {
		if day.Name != "" {
			day.Name += "; "
		}
		day.Name += estimateNote
	}
	return day
}

// NextWorkingDay returns d when it is a working day, else the first
// working day after it: where ГК art. 193 moves a term's last day.
func (c *Calendar) NextWorkingDay(d Date) Date {
	z, _ := c.next(d.days())
	return c.date(z)
}

// PreviousWorkingDay returns d when it is a working day, else the last
// working day before it: where office practice moves a control date.
func (c *Calendar) PreviousWorkingDay(d Date) Date {
	z, _ := c.prev(d.days())
	return c.date(z)
}

// next returns the first working day on or after z, and whether any day
// from z to it is estimated.
func (c *Calendar) next(z int64) (int64, bool) {
	if i := uint64(z - tableFirst); i < uint64(len(c.day)) {
		if w := c.day[i]; w>>dayNextPos&dayFar != dayFar {
			return z + int64(w>>dayNextPos&dayFar), w&dayEstimFwd != 0
		}
	}
	n := c.nth(c.rank(z))
	return n, c.estimatedIn(z, n)
}

// prev returns the last working day on or before z, and whether any day
// from it to z is estimated.
func (c *Calendar) prev(z int64) (int64, bool) {
	if i := uint64(z - tableFirst); i < uint64(len(c.day)) {
		if w := c.day[i]; w>>dayPrevPos&dayFar != dayFar {
			return z - int64(w>>dayPrevPos&dayFar), w&dayEstimBwd != 0
		}
	}
	p := c.nth(c.rank(z+1) - 1)
	return p, c.estimatedIn(p, z)
}

// estimatedIn reports whether any day of [lo, hi] is estimated: the slow
// path, for runs of days off longer than the table's distances.
func (c *Calendar) estimatedIn(lo, hi int64) bool {
	for z := lo; z <= hi; z++ {
		if c.estimated(z) {
			return true
		}
	}
	return false
}

// AddWorkingDays returns the n-th working day after d (n > 0) or before d
// (n < 0); d itself is not counted. n == 0 returns d. O(1).
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	return c.date(c.addWorking(d.days(), int64(n)))
}

func (c *Calendar) addWorking(z, n int64) int64 {
	switch {
	case n > 0:
		return c.nth(c.rank(z+1) + n - 1)
	case n < 0:
		return c.nth(c.rank(z) + n)
	}
	return z
}

// WorkingDaysBetween counts the working days in (a, b]: after a, up to and
// including b, so that WorkingDaysBetween(d, AddWorkingDays(d, n)) == n for
// n ≥ 0. When b is before a it is minus the count in (b, a]. O(1).
func (c *Calendar) WorkingDaysBetween(a, b Date) int {
	return int(c.rank(b.days()+1) - c.rank(a.days()+1))
}

// rank returns the number of working days before day z, counted from the
// table's first day (negative before it). It is monotone in z.
func (c *Calendar) rank(z int64) int64 {
	i := z - tableFirst
	last := int64(len(c.day))
	switch {
	case i < 0:
		return monFri(z) - monFri(tableFirst)
	case i > last:
		return int64(c.prefix[last]) + monFri(z) - monFri(tableFirst+last)
	}
	return int64(c.prefix[i])
}

// nth returns the working day of rank k: the inverse of rank.
func (c *Calendar) nth(k int64) int64 {
	total := int64(len(c.workIdx))
	switch {
	case k < 0:
		return monFriNth(k + monFri(tableFirst))
	case k >= total:
		return monFriNth(k - total + monFri(tableFirst+int64(len(c.day))))
	}
	return tableFirst + int64(c.workIdx[k])
}

// monFri returns the number of Mon–Fri days before day z, counted from
// Monday 1970-01-05 (day 4); negative before it.
func monFri(z int64) int64 {
	w := floorDiv(z-4, 7)
	return w*5 + min(z-4-w*7, 5)
}

// monFriNth returns the Mon–Fri day with monFri == k.
func monFriNth(k int64) int64 {
	w := floorDiv(k, 5)
	return 4 + w*7 + (k - w*5)
}
