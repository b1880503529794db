// Package deadline owns 59-FZ time limits: the civil Date, the Russian
// production calendar (производственный календарь, 2015–2027, embedded),
// the rules as data with their articles, the counting policy, extensions
// (продление срока), explanations and statuses (due soon, overdue).
//
// Periods are calendar days from the day after the event (ГК art. 191).
// Every Deadline carries both the legal latest date (next working day, ГК
// art. 193) and the internal control date (previous working day):
//
//	c := deadline.NewCounter(deadline.Russia(), deadline.Policy{})
//	d, err := c.Due(deadline.Consideration, registeredOn) // 2025-12-02 → Legal 2026-01-12, Control 2025-12-30
//	fmt.Println(c.Explain(d))                             // the steps, as a Russian sentence
//
// Convert moments to days with DateOf in the organization's zone; hosts
// whose regulations count working days use Calendar.AddWorkingDays and
// Calendar.WorkingDaysBetween, both O(1). Outside the covered years the
// calendar falls back to Mon–Fri and Calendar.Covers says so.
package deadline
