package deadline

import (
	"testing"
	"time"
)

// TestEstimateAgainstEmbedded compares the ТК 112 estimate with the real
// calendar of every embedded year. ст. 112 ч. 2 lets the government move
// two of the January days off that fall on a weekend to other days, and
// ч. 5 any other day off; the estimate moves none. So, every year:
//   - the kinds agree wherever working or not agrees (holidays, the ч. 2
//     carry-over, the shortened days of ст. 95 are all predicted);
//   - the real year has exactly two days off more (the January pair);
//   - the days that differ are those transfers: two per year at least,
//     a few more in years with working Saturdays — bounded here by 8.
func TestEstimateAgainstEmbedded(t *testing.T) {
	cal := Russia(CalendarOptions{})
	const maxDiffer = 8
	for y := FirstCoveredYear; y <= LastCoveredYear; y++ {
		k := make([]DayKind, daysInYear(y))
		estimateYear(y, k)
		differ, offReal, offEst := 0, 0, 0
		var moved []string
		for i, est := range k {
			day := cal.Day(NewDate(y, time.January, 1+i))
			if !day.Working {
				offReal++
			}
			if !est.Working() {
				offEst++
			}
			if day.Working != est.Working() {
				differ++
				moved = append(moved, day.Date.String()[5:])
				continue
			}
			if day.Kind != est {
				t.Errorf("%v: estimate %v, calendar %v", day.Date, est, day.Kind)
			}
		}
		t.Logf("%d: %d days differ %v", y, differ, moved)
		if offReal-offEst != 2 {
			t.Errorf("%d: %d days off, estimate %d: want the two January days of ст. 112 ч. 2 more", y, offReal, offEst)
		}
		if differ < 2 || differ > maxDiffer {
			t.Errorf("%d: %d days differ from the estimate, want 2–%d", y, differ, maxDiffer)
		}
	}
}

// TestEstimateCarryOver: ст. 112 ч. 2 — a holiday on a Saturday or Sunday
// moves the day off to the next working day, except 1–8 January. Where an
// embedded year shows the automatic transfer, the estimate agrees.
func TestEstimateCarryOver(t *testing.T) {
	tests := []struct {
		name             string
		holiday, movedTo string // movedTo "" : no carry-over
	}{
		{"ст. 112 ч. 2: 9 May 2026, Saturday → Monday 11 May", "2026-05-09", "2026-05-11"},
		{"ст. 112 ч. 2: 8 March 2026, Sunday → Monday 9 March", "2026-03-08", "2026-03-09"},
		{"ст. 112 ч. 2: 1 May 2027, Saturday → Monday 3 May", "2027-05-01", "2027-05-03"},
		{"ст. 112 ч. 2: 9 May 2027, Sunday → Monday 10 May", "2027-05-09", "2027-05-10"},
		{"ст. 112 ч. 2: 12 June 2027, Saturday → Monday 14 June", "2027-06-12", "2027-06-14"},
		{"ст. 112 ч. 2: 4 November 2023, Saturday → Monday 6 November", "2023-11-04", "2023-11-06"},
		{"ст. 112 ч. 2: 23 February 2020, Sunday → Monday 24 February", "2020-02-23", "2020-02-24"},
		{"ст. 112 ч. 2 exception: 1 January 2028, Saturday, not carried over", "2028-01-01", ""},
		{"ст. 112 ч. 2 exception: 7 January 2029, Sunday, not carried over", "2029-01-07", ""},
		{"ст. 112 ч. 2: 4 November 2029, Sunday → Monday 5 November", "2029-11-04", "2029-11-05"},
		{"ст. 112 ч. 2: 1 May 2032, Saturday → Monday 3 May", "2032-05-01", "2032-05-03"},
		{"ст. 112 ч. 2: 9 May 2032, Sunday → Monday 10 May", "2032-05-09", "2032-05-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mustDate(t, tt.holiday)
			k := make([]DayKind, daysInYear(h.Year))
			estimateYear(h.Year, k)
			at := func(d Date) DayKind { return k[d.DaysSince(NewDate(d.Year, time.January, 1))] }
			if at(h) != Holiday {
				t.Fatalf("%v is %v in the estimate", h, at(h))
			}
			after := h.AddDays(1) // the days after the holidays around h
			for at(after) == Holiday {
				after = after.AddDays(1)
			}
			for d := after; d.DaysSince(after) < 3; d = d.AddDays(1) {
				want := weekdayKind(d.days())
				if d.String() == tt.movedTo {
					want = NonWorking
				}
				if at(d) != want {
					t.Errorf("%v: estimate %v, want %v", d, at(d), want)
				}
			}
			if cal := Russia(CalendarOptions{}); tt.movedTo != "" && cal.Covers(h) && cal.Day(mustDate(t, tt.movedTo)).Kind != NonWorking {
				t.Errorf("the embedded calendar does not carry %v to %v", h, tt.movedTo)
			}
		})
	}
}
