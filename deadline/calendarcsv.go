package deadline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Years is the official production calendar of one or more whole years,
// read by LoadCSV and put on a Calendar by CalendarOptions.Years. The zero Years holds
// no year. A Years is immutable and may be shared.
type Years struct {
	years []int    // sorted, distinct
	rows  []calRow // sorted by day
}

// calRow is one row of a calendar CSV: a day that differs from Mon–Fri.
type calRow struct {
	z    int64 // day number
	year int
	kind DayKind
}

// List returns the years y holds, in order.
func (y Years) List() []int { return slices.Clone(y.years) }

// ErrCalendarCSV is wrapped by every *CSVError; test with errors.Is.
var ErrCalendarCSV = errors.New("deadline: bad calendar CSV")

// CSVError reports a calendar CSV that LoadCSV refuses: where, and the rule
// broken. It never quotes the file.
type CSVError struct {
	Line int    // 1-based line; 0 when the rule concerns the file or a year
	Year int    // the year a whole-year rule concerns; 0 otherwise
	Rule string // the rule broken, e.g. "kind: want holiday, nonworking, working or preholiday"
}

// Error implements error.
func (e *CSVError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("deadline: calendar CSV line %d: %s", e.Line, e.Rule)
	case e.Year > 0:
		return fmt.Sprintf("deadline: calendar CSV year %d: %s", e.Year, e.Rule)
	}
	return "deadline: calendar CSV: " + e.Rule
}

// Unwrap returns ErrCalendarCSV.
func (e *CSVError) Unwrap() error { return ErrCalendarCSV }

// maxCSVBytes bounds what LoadCSV reads: the embedded file for thirteen
// years is under 6 KiB.
const maxCSVBytes = 1 << 20

// The rules LoadCSV checks, as CSVError.Rule says them.
const (
	ruleTooLarge   = "larger than 1 MiB"
	ruleSyntax     = "CSV syntax"
	ruleFields     = "want 2 fields: date,kind"
	ruleHeader     = `want the header "date,kind"`
	ruleNoRows     = "no rows after the header"
	ruleDate       = "date: want YYYY-MM-DD"
	ruleDateRange  = "date: year outside 1900–2199"
	ruleRepeat     = "date: repeats an earlier line"
	ruleKind       = "kind: want holiday, nonworking, working or preholiday"
	ruleHoliday    = "holiday: not a holiday of ТК РФ ст. 112 ч. 1 (a day off by a transfer is nonworking)"
	ruleNonWorking = "nonworking: on a Saturday or Sunday, a day off already"
	ruleWorking    = "working: on a weekday, a working day already (a shortened day is preholiday)"
	ruleMissing    = "missing a holiday of ТК РФ ст. 112 ч. 1: a year lists all fourteen as holiday"
)

var csvKinds = map[string]DayKind{
	"holiday":    Holiday,
	"nonworking": NonWorking,
	"working":    WorkingWeekend,
	"preholiday": Preholiday,
}

// LoadCSV reads the official production calendar of whole years from CSV
// in the shape of the embedded data/ru.csv: the header "date,kind", then
// one row per day that differs from Mon–Fri, its kind one of holiday
// (нерабочий праздничный день, ТК ст. 112 ч. 1), nonworking (a weekday off
// by a transfer), working (a Saturday or Sunday made working) or preholiday
// (a shortened working day, ст. 95). The years of the rows are the years
// loaded, each complete: it lists the fourteen holidays of ст. 112. At most
// 1 MiB is read. A file
// that breaks a rule gives a *CSVError naming the line and the rule;
// nothing is loaded then. A leading UTF-8 byte-order mark is allowed.
//
// Load the year's calendar the day the government publishes it (ст. 112
// ч. 5: a month before the year at the latest) and pass it to Russia with
// CalendarOptions.Years.
func LoadCSV(r io.Reader) (Years, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxCSVBytes+1))
	if err != nil {
		return Years{}, fmt.Errorf("deadline: read calendar CSV: %w", err)
	}
	if len(b) > maxCSVBytes {
		return Years{}, &CSVError{Rule: ruleTooLarge}
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	cr.FieldsPerRecord = 2
	cr.ReuseRecord = true
	var (
		out     Years
		seen    = map[int64]bool{}
		holiday = map[int]int{} // year: holidays listed
	)
	for header := true; ; header = false {
		rec, err := cr.Read()
		if err == io.EOF {
			if header {
				return Years{}, &CSVError{Line: 1, Rule: ruleHeader}
			}
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if errors.Is(pe.Err, csv.ErrFieldCount) {
					return Years{}, &CSVError{Line: pe.StartLine, Rule: ruleFields}
				}
				return Years{}, &CSVError{Line: pe.StartLine, Rule: ruleSyntax + ": " + pe.Err.Error()}
			}
			return Years{}, &CSVError{Rule: ruleSyntax}
		}
		line, _ := cr.FieldPos(0)
		if header {
			if rec[0] != "date" || rec[1] != "kind" {
				return Years{}, &CSVError{Line: line, Rule: ruleHeader}
			}
			continue
		}
		row, rule := parseRow(rec[0], rec[1])
		if rule == "" && seen[row.z] {
			rule = ruleRepeat
		}
		if rule != "" {
			return Years{}, &CSVError{Line: line, Rule: rule}
		}
		seen[row.z] = true
		if row.kind == Holiday {
			holiday[row.year]++
		}
		out.rows = append(out.rows, row)
		if !slices.Contains(out.years, row.year) {
			out.years = append(out.years, row.year)
		}
	}
	if len(out.rows) == 0 {
		return Years{}, &CSVError{Rule: ruleNoRows}
	}
	slices.Sort(out.years)
	for _, y := range out.years {
		if holiday[y] != len(tk112) {
			return Years{}, &CSVError{Year: y, Rule: ruleMissing}
		}
	}
	slices.SortFunc(out.rows, func(a, b calRow) int { return int(a.z - b.z) })
	return out, nil
}

// parseRow checks one row; the rule it breaks, or "".
func parseRow(date, kind string) (calRow, string) {
	d, err := ParseDate(date)
	if err != nil {
		if de := (*DateError)(nil); errors.As(err, &de) && de.OutOfRange {
			return calRow{}, ruleDateRange
		}
		return calRow{}, ruleDate
	}
	k, ok := csvKinds[kind]
	if !ok {
		return calRow{}, ruleKind
	}
	z := d.days()
	weekend := isWeekend(z)
	switch {
	case k == Holiday && holidayName(d.Month, d.Day) == "":
		return calRow{}, ruleHoliday
	case k == NonWorking && weekend:
		return calRow{}, ruleNonWorking
	case k == WorkingWeekend && !weekend:
		return calRow{}, ruleWorking
	}
	return calRow{z: z, year: d.Year, kind: k}, ""
}
