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
// provisional: see data/SOURCE.md.
const (
	FirstCoveredYear = 2015
	LastCoveredYear  = 2027
)

// Overrides are accepted for these years only, which bounds the calendar's
// tables to a few megabytes whatever a host passes.
const (
	minOverrideYear = 1900
	maxOverrideYear = 2199
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
	Date    Date    `json:"date"`
	Kind    DayKind `json:"kind"`
	Working bool    `json:"working"`
	// Name names the day when it has one: the holiday of TK art. 112
	// ("День Победы"), the decree's basis, or the name a host gave.
	Name string `json:"name,omitempty"`
	// Covered is false when the date lies outside the production calendar and
	// only the Mon–Fri rule (plus host overrides) was applied.
	Covered bool `json:"covered"`
}

// Override is a host's change to the calendar: a regional holiday (for
// example Tatarstan's Республика көне) or a working day of its own.
type Override struct {
	Date    Date
	Working bool   // true: working day; false: day off
	Name    string // shown by Explain, e.g. "День Республики Татарстан"
}

// CalendarOption configures Russia.
type CalendarOption func(*calendarConfig)

type calendarConfig struct {
	overrides []Override
	decree    bool
}

// WithOverrides applies host overrides on top of the production calendar;
// a later override of the same date wins. Overrides dated outside 1900–2199
// are ignored (the calendar's tables stay bounded).
func WithOverrides(o ...Override) CalendarOption {
	o = append([]Override(nil), o...)
	return func(c *calendarConfig) { c.overrides = append(c.overrides, o...) }
}

// WithDecreeNonWorking opts into the 2020–2021 Presidential-decree
// non-working days (data/ru_decree_nonworking.csv). By default they are
// working days: the Supreme Court (Обзор по COVID-19 № 1, 21.04.2020, q. 5)
// held they are not non-working days under ГК art. 193.
func WithDecreeNonWorking() CalendarOption {
	return func(c *calendarConfig) { c.decree = true }
}

// Calendar answers whether a day is working and does working-day
// arithmetic in O(1). A Calendar is immutable once built and safe for
// concurrent use.
//
// Inside its table (the covered years plus any override years) it uses the
// data; outside it falls back to Mon–Fri, and Covers reports that.
type Calendar struct {
	first   int64 // day number of the table's first day
	kind    []DayKind
	name    []uint16 // index into names, 0 = none
	names   []string // names[0] == ""
	prefix  []int32  // prefix[i] = working days in table days [0, i)
	workIdx []int32  // workIdx[k] = table offset of the k-th working day
	civil   []uint32 // civil[i] = table day i packed as year<<9 | month<<5 | day
	covFrom int64    // first covered day number
	covTo   int64    // last covered day number
}

var (
	baseOnce sync.Once
	baseCal  *Calendar
	baseErr  error
)

// Russia returns the Russian production calendar 2015–2027 (embedded),
// with the options applied. Without options it returns one shared Calendar.
// It panics only if the embedded data are corrupt, which the package's
// tests rule out; no argument can make it panic.
func Russia(opts ...CalendarOption) *Calendar {
	baseOnce.Do(func() { baseCal, baseErr = buildRussia(calendarConfig{}) })
	if baseErr != nil {
		// The embedded data are checked by the tests; a failure here is a
		// build defect, reported loudly rather than hidden.
		panic(baseErr)
	}
	if len(opts) == 0 {
		return baseCal
	}
	var cfg calendarConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	c, err := buildRussia(cfg)
	if err != nil {
		panic(err) // unreachable: the same embedded data parsed above
	}
	return c
}

func buildRussia(cfg calendarConfig) (*Calendar, error) {
	firstYear, lastYear := FirstCoveredYear, LastCoveredYear
	var overrides []Override
	for _, o := range cfg.overrides {
		y := o.Date.norm().Year
		if y < minOverrideYear || y > maxOverrideYear || o.Date.IsZero() {
			continue
		}
		firstYear, lastYear = min(firstYear, y), max(lastYear, y)
		overrides = append(overrides, o)
	}
	c := &Calendar{
		first:   daysFromCivil(firstYear, time.January, 1),
		covFrom: daysFromCivil(FirstCoveredYear, time.January, 1),
		covTo:   daysFromCivil(LastCoveredYear, time.December, 31),
		names:   []string{""},
	}
	n := daysFromCivil(lastYear, time.December, 31) - c.first + 1
	c.kind = make([]DayKind, n)
	c.name = make([]uint16, n)
	for i := range c.kind {
		c.kind[i] = weekdayKind(c.first + int64(i))
	}
	rows, err := readCSV(ruCSV, 2)
	if err != nil {
		return nil, fmt.Errorf("deadline: embedded ru.csv: %w", err)
	}
	for _, r := range rows {
		k, ok := csvKinds[r[1]]
		if !ok {
			return nil, fmt.Errorf("deadline: embedded ru.csv: unknown kind %q", r[1])
		}
		if err := c.set(r[0], k, holidayName(k, r[0])); err != nil {
			return nil, err
		}
	}
	if cfg.decree {
		rows, err := readCSV(decreeCSV, 3)
		if err != nil {
			return nil, fmt.Errorf("deadline: embedded ru_decree_nonworking.csv: %w", err)
		}
		for _, r := range rows {
			if err := c.set(r[0], DecreeNonWorking, r[2]); err != nil {
				return nil, err
			}
		}
	}
	for _, o := range overrides {
		k := HostDayOff
		if o.Working {
			k = HostWorkday
		}
		c.setDay(o.Date.days(), k, o.Name)
	}
	c.index()
	return c, nil
}

var csvKinds = map[string]DayKind{
	"holiday":    Holiday,
	"nonworking": NonWorking,
	"working":    WorkingWeekend,
	"preholiday": Preholiday,
}

// holidayNames are the holidays of TK art. 112 p.1 by "MM-DD".
var holidayNames = map[string]string{
	"01-01": "Новогодние каникулы", "01-02": "Новогодние каникулы", "01-03": "Новогодние каникулы",
	"01-04": "Новогодние каникулы", "01-05": "Новогодние каникулы", "01-06": "Новогодние каникулы",
	"01-08": "Новогодние каникулы", "01-07": "Рождество Христово",
	"02-23": "День защитника Отечества", "03-08": "Международный женский день",
	"05-01": "Праздник Весны и Труда", "05-09": "День Победы",
	"06-12": "День России", "11-04": "День народного единства",
}

func holidayName(k DayKind, date string) string {
	if k != Holiday || len(date) != 10 {
		return ""
	}
	return holidayNames[date[5:]]
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

func (c *Calendar) set(date string, k DayKind, name string) error {
	d, err := ParseDate(date)
	if err != nil {
		return fmt.Errorf("deadline: embedded calendar: %w", err)
	}
	c.setDay(d.days(), k, name)
	return nil
}

func (c *Calendar) setDay(z int64, k DayKind, name string) {
	i := z - c.first
	if i < 0 || i >= int64(len(c.kind)) {
		return
	}
	c.kind[i] = k
	c.name[i] = 0
	if name == "" {
		return
	}
	for j, s := range c.names {
		if s == name {
			c.name[i] = uint16(j)
			return
		}
	}
	c.names = append(c.names, name)
	c.name[i] = uint16(len(c.names) - 1)
}

// index builds the prefix counts and the working-day index.
func (c *Calendar) index() {
	c.prefix = make([]int32, len(c.kind)+1)
	c.workIdx = make([]int32, 0, len(c.kind)*5/7+8)
	c.civil = make([]uint32, len(c.kind))
	for i, k := range c.kind {
		d := fromDays(c.first + int64(i))
		c.civil[i] = uint32(d.Year)<<9 | uint32(d.Month)<<5 | uint32(d.Day)
		c.prefix[i+1] = c.prefix[i]
		if k.Working() {
			c.prefix[i+1]++
			c.workIdx = append(c.workIdx, int32(i))
		}
	}
}

// date converts day number z to a Date, by table lookup inside the table:
// the hot path of Counter.Due.
func (c *Calendar) date(z int64) Date {
	if i := uint64(z - c.first); i < uint64(len(c.civil)) {
		v := c.civil[i]
		return Date{int(v >> 9), time.Month(v >> 5 & 15), int(v & 31)}
	}
	return fromDays(z)
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

// Covers reports whether d lies in the years of the production calendar.
// Outside them the Calendar uses Mon–Fri (plus host overrides).
func (c *Calendar) Covers(d Date) bool {
	z := d.days()
	return z >= c.covFrom && z <= c.covTo
}

// Coverage returns the first and last day of the production calendar.
func (c *Calendar) Coverage() (first, last Date) {
	return fromDays(c.covFrom), fromDays(c.covTo)
}

// IsWorking reports whether d is a working day.
func (c *Calendar) IsWorking(d Date) bool { return c.working(d.days()) }

func (c *Calendar) working(z int64) bool {
	if i := z - c.first; i >= 0 && i < int64(len(c.kind)) {
		return c.kind[i].Working()
	}
	return !isWeekend(z)
}

// Day describes d: its kind, whether it is working, its name if any.
func (c *Calendar) Day(d Date) Day {
	z := d.days()
	day := Day{Date: fromDays(z), Kind: weekdayKind(z), Covered: z >= c.covFrom && z <= c.covTo}
	if i := z - c.first; i >= 0 && i < int64(len(c.kind)) {
		day.Kind, day.Name = c.kind[i], c.names[c.name[i]]
	}
	day.Working = day.Kind.Working()
	return day
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

// nextWorking returns the first working day on or after z.
func (c *Calendar) nextWorking(z int64) int64 { return c.nth(c.rank(z)) }

// prevWorking returns the last working day on or before z.
func (c *Calendar) prevWorking(z int64) int64 { return c.nth(c.rank(z+1) - 1) }

// rank returns the number of working days before day z, counted from the
// table's first day (negative before it). It is monotone in z.
func (c *Calendar) rank(z int64) int64 {
	i := z - c.first
	last := int64(len(c.kind))
	switch {
	case i < 0:
		return monFri(z) - monFri(c.first)
	case i > last:
		return int64(c.prefix[last]) + monFri(z) - monFri(c.first+last)
	}
	return int64(c.prefix[i])
}

// nth returns the working day of rank k: the inverse of rank.
func (c *Calendar) nth(k int64) int64 {
	total := int64(len(c.workIdx))
	switch {
	case k < 0:
		return monFriNth(k + monFri(c.first))
	case k >= total:
		return monFriNth(k - total + monFri(c.first+int64(len(c.kind))))
	}
	return c.first + int64(c.workIdx[k])
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
