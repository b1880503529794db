package deadline

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// file2028 is testdata/ru-2028.csv, an invented 2028 calendar as a
// resolution might set it: the fourteen holidays of ТК ст. 112 ч. 1,
// 4 November (a Saturday) carried to Monday 6 November (ч. 2), Saturday 1
// and 8 January moved to 10 January and 8 May (ч. 2, ч. 5), and a shortened
// day before 23 February (ст. 95).
var file2028 = func() string {
	b, err := os.ReadFile("testdata/ru-2028.csv")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

func TestLoadCSVEmbedded(t *testing.T) {
	y, err := LoadCSV(bytes.NewReader(ruCSV))
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for v := FirstCoveredYear; v <= LastCoveredYear; v++ {
		want = append(want, v)
	}
	if !slices.Equal(y.List(), want) || len(y.rows) != 298 {
		t.Errorf("embedded: years %v, %d rows", y.List(), len(y.rows))
	}
	y.List()[0] = 1 // List returns a copy
	if y.years[0] != FirstCoveredYear {
		t.Error("List returned the internal slice")
	}
}

// TestWithYears: a year loaded through CalendarOptions.Years replaces the estimate (or the embedded
// data) and is covered.
func TestWithYears(t *testing.T) {
	y2028, err := LoadCSV(strings.NewReader("\ufeff" + strings.ReplaceAll(file2028, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	cal := Russia(CalendarOptions{Years: []Years{y2028}})
	for _, tt := range []struct {
		date string
		kind DayKind
	}{
		{"2028-01-10", NonWorking}, // the estimate had a Workday
		{"2028-05-08", NonWorking},
		{"2028-02-22", Preholiday},
		{"2028-11-03", Workday}, // the estimate's preholiday is not in the file
		{"2028-11-06", NonWorking},
		{"2028-12-29", Workday},
	} {
		d := cal.Day(mustDate(t, tt.date))
		if d.Kind != tt.kind || !d.Covered || d.Estimated {
			t.Errorf("%s with 2028 loaded: %+v, want %v, covered", tt.date, d, tt.kind)
		}
	}
	if _, last := cal.Coverage(); last != NewDate(2028, 12, 31) {
		t.Errorf("coverage ends %v", last)
	}
	if !Russia(CalendarOptions{}).Estimated(NewDate(2028, 1, 10)) || Russia(CalendarOptions{}).Covers(NewDate(2028, 1, 10)) {
		t.Error("loaded years changed the shared calendar")
	}

	// A deadline into January 2028 is no longer estimated and moves past 10 January.
	c := NewCounter(cal, Policy{})
	d, err := c.Due(Consideration, mustDate(t, "2027-12-10"))
	if err != nil || d.Legal.String() != "2028-01-11" || d.Estimated {
		t.Errorf("Due with 2028 loaded: %+v %v", d, err)
	}

	// Loading 2027 replaces the provisional embedded year: its 31 December
	// (nonworking in ru.csv) is not in this file, so it is a working Friday.
	f2027 := strings.ReplaceAll(file2028, "2028-", "2027-")
	f2027 = strings.NewReplacer("2027-01-10,nonworking\n", "", "2027-05-08,nonworking\n", "",
		"2027-11-06,nonworking\n", "", "2027-02-22,preholiday\n", "").Replace(f2027)
	y2027, err := LoadCSV(strings.NewReader(f2027))
	if err != nil {
		t.Fatal(err)
	}
	cal = Russia(CalendarOptions{Years: []Years{y2027}})
	if d := cal.Day(NewDate(2027, 12, 31)); d.Kind != Workday || !d.Covered || d.Estimated {
		t.Errorf("2027-12-31 with 2027 loaded: %+v", d)
	}
	if Russia(CalendarOptions{}).Day(NewDate(2027, 12, 31)).Kind != NonWorking {
		t.Error("the embedded 2027 changed")
	}
	// The last of the loaded years wins.
	cal = Russia(CalendarOptions{Years: []Years{y2027, must(LoadCSV(bytes.NewReader(ruCSV)))}})
	if cal.Day(NewDate(2027, 12, 31)).Kind != NonWorking {
		t.Error("a later loaded year did not win")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestLoadCSVErrors: each rule, with the line it names; the message never
// quotes the file.
func TestLoadCSVErrors(t *testing.T) {
	row := func(old, new string) string { return strings.Replace(file2028, old, new, 1) }
	tests := []struct {
		name      string
		in        string
		line, yr  int
		rule      string
		notQuoted string
	}{
		{"empty file", "", 1, 0, ruleHeader, ""},
		{"header only", "date,kind\n", 0, 0, ruleNoRows, ""},
		{"another header", row("date,kind", "day,type"), 1, 0, ruleHeader, "type"},
		{"three fields", row("2028-01-03,holiday", "2028-01-03,holiday,x"), 4, 0, ruleFields, ""},
		{"bare quote", row("2028-01-03,holiday", `2028-01-03,holi"day`), 4, 0, ruleSyntax + `: bare " in non-quoted-field`, "holi"},
		{"no such day", row("2028-01-10,nonworking", "2028-02-30,nonworking"), 10, 0, ruleDate, "2028-02-30"},
		{"Russian date form", row("2028-01-10,nonworking", "10.01.2028,nonworking"), 10, 0, ruleDate, "10.01.2028"},
		{"year out of range", row("2028-01-10,nonworking", "2300-01-10,nonworking"), 10, 0, ruleDateRange, "2300"},
		{"unknown kind", row("2028-01-10,nonworking", "2028-01-10,Выходной"), 10, 0, ruleKind, "Выходной"},
		{"repeated date", row("2028-01-10,nonworking", "2028-01-08,holiday"), 10, 0, ruleRepeat, ""},
		{"holiday not of ст. 112", row("2028-01-10,nonworking", "2028-01-10,holiday"), 10, 0, ruleHoliday, ""},
		{"nonworking Saturday", row("2028-01-10,nonworking", "2028-01-15,nonworking"), 10, 0, ruleNonWorking, ""},
		{"working weekday", row("2028-01-10,nonworking", "2028-01-10,working"), 10, 0, ruleWorking, ""},
		{"holiday missing", row("2028-06-12,holiday\n", ""), 0, 2028, ruleMissing, ""},
		{"holiday given as nonworking", row("2028-03-08,holiday", "2028-03-08,nonworking"), 0, 2028, ruleMissing, ""},
		{"a second, incomplete year", file2028 + "2029-01-01,holiday\n", 0, 2029, ruleMissing, ""},
		{"too large", file2028 + strings.Repeat("\n", maxCSVBytes), 0, 0, ruleTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, err := LoadCSV(strings.NewReader(tt.in))
			var ce *CSVError
			if !errors.As(err, &ce) || !errors.Is(err, ErrCalendarCSV) {
				t.Fatalf("err = %v, want a *CSVError", err)
			}
			if ce.Line != tt.line || ce.Year != tt.yr || ce.Rule != tt.rule {
				t.Errorf("got line %d year %d rule %q; want line %d year %d rule %q", ce.Line, ce.Year, ce.Rule, tt.line, tt.yr, tt.rule)
			}
			if tt.notQuoted != "" && strings.Contains(err.Error(), tt.notQuoted) {
				t.Errorf("%q quotes the file", err)
			}
			if len(y.List()) != 0 || len(y.rows) != 0 {
				t.Errorf("a refused file loaded %v", y.List())
			}
		})
	}
	boom := errors.New("disk gone")
	if _, err := LoadCSV(iotest.ErrReader(boom)); !errors.Is(err, boom) || errors.Is(err, ErrCalendarCSV) {
		t.Errorf("read error: %v", err)
	}
}
