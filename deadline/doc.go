// Package deadline owns 59-FZ time limits: the civil Date, the Russian
// production calendar (производственный календарь) and, as they land, the
// rules, the counting policy, explanations and statuses.
//
//	d := deadline.NewDate(2025, time.December, 2)
//	fmt.Println(d.AddDays(30)) // 2026-01-01
package deadline
