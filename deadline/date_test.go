package deadline

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDateAgreesWithTime(t *testing.T) {
	// Every day from 1900 to 2100 against the time package: conversion,
	// weekday, AddDays and DaysSince.
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	base := NewDate(1900, time.January, 1)
	for i := 0; i < 73050; i++ {
		tt := start.AddDate(0, 0, i)
		want := DateOf(tt, nil)
		got := base.AddDays(i)
		if got != want {
			t.Fatalf("AddDays(%d) = %v, want %v", i, got, want)
		}
		if got.Weekday() != tt.Weekday() {
			t.Fatalf("%v Weekday = %v, want %v", got, got.Weekday(), tt.Weekday())
		}
		if n := got.DaysSince(base); n != i {
			t.Fatalf("%v DaysSince = %d, want %d", got, n, i)
		}
		if !got.In(time.UTC).Equal(tt) {
			t.Fatalf("%v In(UTC) = %v", got, got.In(time.UTC))
		}
	}
}

func TestNewDateNormalizes(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2025, 13, 1, "2026-01-01"},
		{2025, 3, 0, "2025-02-28"},
		{2024, 2, 30, "2024-03-01"},
		{2025, 0, 1, "2024-12-01"},
		{2025, -11, 1, "2024-01-01"},
		{2025, 12, 32, "2026-01-01"},
	}
	for _, tt := range tests {
		got := NewDate(tt.y, tt.m, tt.d)
		want := time.Date(tt.y, tt.m, tt.d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		if got.String() != tt.want || tt.want != want {
			t.Errorf("NewDate(%d,%d,%d) = %v, want %v (time says %v)", tt.y, tt.m, tt.d, got, tt.want, want)
		}
	}
}

func TestDateOfUsesOrganizationZone(t *testing.T) {
	vlad, err := time.LoadLocation("Asia/Vladivostok")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	// 23:30 in Vladivostok on 2 Dec is 13:30 UTC the same day; 00:30 on 3 Dec
	// local is still 2 Dec in UTC/Moscow.
	at := time.Date(2025, 12, 3, 0, 30, 0, 0, vlad)
	if got := DateOf(at, vlad); got != NewDate(2025, 12, 3) {
		t.Errorf("DateOf(vlad) = %v", got)
	}
	if got := DateOf(at, time.UTC); got != NewDate(2025, 12, 2) {
		t.Errorf("DateOf(UTC) = %v", got)
	}
	if got := DateOf(at, nil); got != NewDate(2025, 12, 3) {
		t.Errorf("DateOf(nil) = %v", got)
	}
	if got := NewDate(2025, 12, 3).In(vlad); !got.Equal(time.Date(2025, 12, 3, 0, 0, 0, 0, vlad)) {
		t.Errorf("In(vlad) = %v", got)
	}
}

func TestParseDate(t *testing.T) {
	good := []string{"2025-12-02", "2024-02-29", "1900-01-01", "2199-12-31", "2000-02-29"}
	for _, s := range good {
		d, err := ParseDate(s)
		if err != nil || d.String() != s || !d.Valid() {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
	bad := []string{"", "2025-2-02", "2025-02-29", "2025-13-01", "2025-00-10", "2025-01-00",
		"2025/01/01", "+025-01-01", "2025-01-1x", "2025-04-31", " 2025-01-01", "1900-02-29", "2100-02-29"}
	for _, s := range bad {
		_, err := ParseDate(s)
		var de *DateError
		if !errors.Is(err, ErrBadDate) || errors.Is(err, ErrDateRange) || !errors.As(err, &de) || s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("ParseDate(%q) err = %v, want *DateError wrapping ErrBadDate only", s, err)
		}
	}
	// Real days outside the supported years: refused at the boundary.
	for _, s := range []string{"0000-01-01", "0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"} {
		_, err := ParseDate(s)
		var de *DateError
		if !errors.Is(err, ErrDateRange) || !errors.Is(err, ErrBadDate) || !errors.As(err, &de) || !de.OutOfRange {
			t.Errorf("ParseDate(%q) err = %v, want ErrDateRange", s, err)
		}
		var d Date
		if err := d.UnmarshalText([]byte(s)); !errors.Is(err, ErrDateRange) || !d.IsZero() {
			t.Errorf("UnmarshalText(%q) = %v, %v", s, d, err)
		}
	}
}

func TestDateValid(t *testing.T) {
	tests := []struct {
		d    Date
		want bool
	}{
		{Date{2025, 12, 2}, true},
		{Date{MinYear, 1, 1}, true},
		{Date{MaxYear, 12, 31}, true},
		{Date{2024, 2, 29}, true},
		{Date{}, false},
		{Date{MinYear - 1, 12, 31}, false},
		{Date{MaxYear + 1, 1, 1}, false},
		{Date{1, 1, 1}, false},
		{Date{9999, 12, 31}, false},
		{Date{2025, 2, 29}, false}, // not normal: NewDate would make it 1 March
		{Date{2025, 13, 1}, false},
		{Date{2025, 0, 1}, false},
		{Date{2025, 1, 0}, false},
		{Date{2025, 4, 31}, false},
	}
	for _, tt := range tests {
		if got := tt.d.Valid(); got != tt.want {
			t.Errorf("%#v.Valid() = %v, want %v", tt.d, got, tt.want)
		}
		if s := tt.d.String(); s == "" && !tt.d.IsZero() {
			t.Errorf("%#v.String() is empty", tt.d)
		}
		_, err := tt.d.MarshalText()
		if tt.want && err != nil {
			t.Errorf("%#v.MarshalText: %v", tt.d, err)
		}
	}
}

func TestDateStringOutOfRange(t *testing.T) {
	for d, want := range map[Date]string{
		{10000, 1, 1}: "10000-01-01",
		{1, 1, 1}:     "0001-01-01",
		{2025, 2, 30}: "2025-03-02",
		{-5, 3, 1}:    "-005-03-01",
		{2200, 1, 1}:  "2200-01-01",
	} {
		if got := d.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", d, got, want)
		}
	}
}

func TestCheckTime(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	tests := []struct {
		name string
		t    time.Time
		ok   bool
	}{
		{"zero time (year 1)", time.Time{}, false},
		{"year 9999", time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC), false},
		{"first moment", time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"last moment", time.Date(MaxYear, 12, 31, 23, 59, 59, 0, msk), true},
		{"a moment before", time.Date(MinYear-1, 12, 31, 23, 59, 59, 0, time.UTC), false},
		{"a moment after", time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, msk), false},
		{"today", time.Date(2026, 5, 20, 10, 0, 0, 0, msk), true},
	}
	for _, tt := range tests {
		err := CheckTime(tt.t)
		var de *DateError
		if tt.ok != (err == nil) || !tt.ok && (!errors.Is(err, ErrDateRange) || !errors.As(err, &de)) {
			t.Errorf("%s: CheckTime = %v", tt.name, err)
		}
		if err == nil {
			if _, jerr := tt.t.MarshalJSON(); jerr != nil {
				t.Errorf("%s: passed CheckTime but JSON fails: %v", tt.name, jerr)
			}
		}
	}
}

func TestDateCompare(t *testing.T) {
	a, b := NewDate(2025, 12, 31), NewDate(2026, 1, 1)
	if !a.Before(b) || a.After(b) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("ordering of 2025-12-31 and 2026-01-01 is wrong")
	}
	if b.DaysSince(a) != 1 || a.DaysSince(b) != -1 {
		t.Error("DaysSince across New Year")
	}
}

func TestDateZeroAndJSON(t *testing.T) {
	var z Date
	if !z.IsZero() || z.String() != "" {
		t.Errorf("zero Date: IsZero=%v String=%q", z.IsZero(), z.String())
	}
	type card struct {
		Received Date `json:"received"`
		Answered Date `json:"answered"`
	}
	in := card{Received: NewDate(2025, 12, 2)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"received":"2025-12-02","answered":""}` {
		t.Errorf("json = %s", b)
	}
	var out card
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip = %+v, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"received":"2025-02-30"}`), &out); !errors.Is(err, ErrBadDate) {
		t.Errorf("bad JSON date err = %v", err)
	}
	for _, d := range []Date{{Year: 10000, Month: 1, Day: 1}, {Year: 1, Month: 1, Day: 1}, {Year: MaxYear, Month: 12, Day: 32}} {
		if _, err := json.Marshal(card{Received: d}); !errors.Is(err, ErrDateRange) {
			t.Errorf("%#v: JSON err = %v, want ErrDateRange", d, err)
		}
	}
	if err := json.Unmarshal([]byte(`{"received":"0001-01-01"}`), &out); !errors.Is(err, ErrDateRange) {
		t.Errorf("year-1 JSON date err = %v", err)
	}
}

func TestDateRussian(t *testing.T) {
	if got := NewDate(2026, time.January, 2).Russian(); got != "02.01.2026" {
		t.Fatalf("Russian() = %q", got)
	}
	if got := (Date{}).Russian(); got != "" {
		t.Fatalf("zero Russian() = %q", got)
	}
}
