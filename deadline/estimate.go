package deadline

import "time"

// tk112 lists the non-working holidays of ТК РФ ст. 112 ч. 1 (edition in
// force since 2013), in date order.
var tk112 = [...]struct {
	month time.Month
	day   int
	name  string
}{
	{time.January, 1, "Новогодние каникулы"},
	{time.January, 2, "Новогодние каникулы"},
	{time.January, 3, "Новогодние каникулы"},
	{time.January, 4, "Новогодние каникулы"},
	{time.January, 5, "Новогодние каникулы"},
	{time.January, 6, "Новогодние каникулы"},
	{time.January, 7, "Рождество Христово"},
	{time.January, 8, "Новогодние каникулы"},
	{time.February, 23, "День защитника Отечества"},
	{time.March, 8, "Международный женский день"},
	{time.May, 1, "Праздник Весны и Труда"},
	{time.May, 9, "День Победы"},
	{time.June, 12, "День России"},
	{time.November, 4, "День народного единства"},
}

// holidayName returns the name of the ст. 112 holiday on month-day, or "".
func holidayName(m time.Month, d int) string {
	for _, h := range tk112 {
		if h.month == m && h.day == d {
			return h.name
		}
	}
	return ""
}

// estimateYear fills days, the days of year y from 1 January, with the
// estimate of ТК РФ ст. 112 for a year without an official calendar:
//   - the holidays of ч. 1 are days off (Holiday);
//   - a holiday on a Saturday or Sunday moves the day off to the next
//     working day (ч. 2), which becomes NonWorking — except the January
//     holidays (абзацы второй и третий ч. 1): of those that fall on a
//     weekend the government moves two to other days of the year by a
//     resolution (ч. 2 and ч. 5), which cannot be known in advance, so none
//     is moved here;
//   - a working day right before a holiday is shortened (ст. 95 ч. 1:
//     Preholiday), 31 December included.
//
// The official calendar then differs only by the government's transfers:
// TestEstimateAgainstEmbedded measures by how much for every embedded year.
func estimateYear(y int, days []DayKind) {
	z0 := daysFromCivil(y, time.January, 1)
	for i := range days {
		days[i] = weekdayKind(z0 + int64(i))
	}
	for _, h := range tk112 {
		days[daysFromCivil(y, h.month, h.day)-z0] = Holiday
	}
	for _, h := range tk112 {
		i := daysFromCivil(y, h.month, h.day) - z0
		if h.month == time.January || !isWeekend(z0+i) {
			continue
		}
		for j := i + 1; j < int64(len(days)); j++ {
			if days[j] == Workday {
				days[j] = NonWorking
				break
			}
		}
	}
	for i, k := range days {
		if k == Workday && (i+1 == len(days) || days[i+1] == Holiday) {
			days[i] = Preholiday
		}
	}
}

// daysInYear returns 365 or 366.
func daysInYear(y int) int {
	if daysIn(y, time.February) == 29 {
		return 366
	}
	return 365
}
