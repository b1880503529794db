// Package deadline owns 59-FZ time limits: the civil Date, the Russian
// production calendar (производственный календарь, 2015–2027, embedded),
// the rules as data with their articles, the counting policy, extensions
// (продление срока), explanations and statuses (due soon, overdue).
//
// Periods are calendar days from the day after the event (ГК art. 191).
// Every Deadline carries both the legal latest date (next working day, ГК
// art. 193) and the internal control date (previous working day):
//
//	c := deadline.NewCounter(deadline.Russia(deadline.CalendarOptions{}), deadline.Policy{})
//	d, err := c.Due(deadline.Consideration, registeredOn) // 2025-12-02 → Legal 2026-01-12, Control 2025-12-30
//	fmt.Println(c.Explain(d))                             // the steps, as a Russian sentence
//
// Convert moments to days with DateOf in the organization's zone; hosts
// whose regulations count working days use Calendar.AddWorkingDays and
// Calendar.WorkingDaysBetween, both O(1), and place a plain date with
// Calendar.NextWorkingDay and Calendar.PreviousWorkingDay.
//
// Dates are supported in the years MinYear–MaxYear (1900–2199): ParseDate,
// JSON, Due and Extend refuse others with ErrDateRange, and CheckTime
// checks a time.Time where it enters the system.
//
// Years without an official calendar get the estimate of ТК РФ ст. 112
// (its holidays and weekend carry-over, no government transfers): such days
// are Day.Estimated, a Deadline that relied on one is Deadline.Estimated,
// and Explain warns first. When the government publishes a year, load it:
//
//	y, err := deadline.LoadCSV(f) // date,kind rows, as data/ru.csv
//	cal := deadline.Russia(deadline.CalendarOptions{Years: []deadline.Years{y}})
//
// docs/calendar.md describes the data, the estimate and the range.
package deadline
