// Package report computes the reports on appeals (отчеты) from the records a store lists:
// the terms expiring in a period, the questions by classifier code, control by responsible
// and by executor, the missed terms an inspection asks for, the breakdown of a period by
// month, channel, kind, result and extension, and the monthly intake by section. Results are
// plain Go rows; Table lays each out with a stable column order and Russian titles for the
// CSV files written here, the XLSX sheets of report/reportxlsx and the charts of
// report/reportchart (kept apart so that this package builds neither excelize nor gonum/plot).
//
//	rp, err := report.New(report.Options{Period: p, Today: today, Counter: eng.Counter()})
//	rows, err := rp.Summary(ctx, eng.List(ctx, auditor, p.Registered()))
//	err = report.WriteCSV(w, report.SummaryTable, rows)
//
// # Input and memory
//
// Every report ranges once over Records — the stream Engine.List returns, so the engine's
// authorization and access log apply — and holds one record at a time: the sums grow with
// the codes, the staff and the months, never with the appeals. The two listings,
// ExpiringTerms and MissedTerms, hand each row to a callback as they find it (a CSVWriter's
// or a reportxlsx Sheet's Write), so a list of any length goes into a file without being held.
// Rows come in the store's order (ids ascending). Each report selects its appeals itself;
// Period.Registered and Period.Due are filters that only save reading.
//
// # What each report counts
//
// The period's appeals are those registered within it (the start of the consideration term,
// Index.RegisteredOn): Codes, Summary and Intake count them. ExpiringTerms lists the running
// terms of every kind whose legal date lies within the period, with their status on Today
// (on time, due soon by the control date, overdue past the legal date; deadline.Counter.Status).
// Control counts for each responsible person the consideration term of their appeals, and for
// each executor their assignments: open today, of them due soon and overdue, and closed
// within the period on time or late (closed: the step done, or the appeal out of
// consideration). MissedTerms lists the terms of the law — registration, the competence
// decision (forwarding), copies to several bodies, the art. 11 notice, a request to another
// body, the answer — whose legal date within the period was missed: done late, or overdue on
// Today, with the days late.
//
// Lateness is read from the record: Record.Terms gives every term's legal date and the day
// it closed, which is what Event.Late recorded when the step was done, so the reports need no
// history. The history adds two things only it has: the command that closed a late term, and
// the copies term (art. 8 p.4), which never runs and so appears only in Event.Late.
// MissedTerms reads it, through Options.History (a Store, or EngineHistory for an actor), for
// the appeals whose record shows a late step or copies sent, and leaves both out without it.
//
// # Rounding
//
// Shares are percentages with one decimal place (Places), computed in integers and given as
// shopspring/decimal values. The shares of one whole — the rows of a Summary group, of a
// Codes level, of an Intake month, of the missed kinds — use the largest-remainder method
// (Shares): each share is rounded down to 0.1 %, and the tenths still missing go one each to
// the largest remainders, ties to the earlier row, so that they add up to exactly 100.0 %
// (thirds give 33.4, 33.3, 33.3). A share may therefore read 0.1 below its own rounding
// (3 of 7 beside four 1 of 7 is 42.8). A share of something else — the on-time share of each
// person in Control — is a Ratio, rounded half up. Averages (days late) are rounded half up
// to one place (Average: 4.25 is 4.3).
//
// # Files
//
// A CSV file (CSVWriter, WriteCSV) is RFC 4180, comma-separated, UTF-8 without a byte-order
// mark: a header of the table's Russian titles, then a line per row; dates as 2006-01-02,
// decimals with a dot and one place, yes/no as «да»/«нет», kinds, statuses and roles in
// Russian. Rows carry ids, registration numbers, dates and staff ids, never an applicant's
// personal data.
package report
