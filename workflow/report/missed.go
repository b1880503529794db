package report

import (
	"context"
	"fmt"
	"slices"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/shopspring/decimal"
)

// missedKinds are the 59-FZ terms an inspection asks about, in the order reports print them:
// registration (art. 8 p.2), the competence decision — consideration here, forwarding or an
// art. 11 route (art. 8 pp.3, 3.1) —, copies to several bodies (art. 8 p.4), the art. 11
// notice, the other body's answer to a request (art. 10 p.2) and the answer (art. 12).
// Assignments are the organization's own dates, not the law's: Control counts them.
var missedKinds = []workflow.TermKind{workflow.TermRegistration, workflow.TermCompetence, workflow.TermCopies,
	workflow.TermNotice, workflow.TermRequest, workflow.TermConsideration}

// MissedTerm is a term of the law whose legal date within the period was missed: the step
// was done after it (DoneLate), or on Today it is still not done (Overdue).
type MissedTerm struct {
	TermRef
	// Legal is the legal date missed; Closed the day the step was done (zero while overdue).
	Legal, Closed deadline.Date
	// Days is how many days late: Closed − Legal, or Today − Legal while overdue.
	Days int
	// Status is DoneLate or Overdue.
	Status deadline.Status
	// Staff is who had to act (the responsible, or the requester), when named.
	Staff string
	// Command is the step that closed the term, read from the history (Options.History);
	// empty while overdue or without a history.
	Command workflow.Command
}

// MissedTable lays out MissedTerm: the list an inspection asks for.
var MissedTable = Table[MissedTerm]{Name: "missed_terms", Title: "Нарушенные сроки", Columns: append(termRefColumns(func(r MissedTerm) TermRef { return r.TermRef }),
	Column[MissedTerm]{"Дата по закону", func(r MissedTerm) Value { return r.Legal }},
	Column[MissedTerm]{"Дата исполнения", func(r MissedTerm) Value { return r.Closed }},
	Column[MissedTerm]{"Дней просрочки", func(r MissedTerm) Value { return r.Days }},
	Column[MissedTerm]{"Состояние", func(r MissedTerm) Value { return statusTitle(r.Status) }},
	Column[MissedTerm]{"Сотрудник", func(r MissedTerm) Value { return r.Staff }},
	Column[MissedTerm]{"Чем закрыт", func(r MissedTerm) Value { return commandTitle(r.Command) }},
)}

// MissedKind sums the missed terms of one kind; the row with an empty Kind sums them all.
type MissedKind struct {
	// Kind is the term's kind; "" for the total.
	Kind workflow.TermKind
	// DoneLate, Overdue and Total (their sum) count the missed terms.
	DoneLate, Overdue, Total int
	// Share is Total's share of all missed terms, in percent: the kinds add up to exactly 100
	// (Shares).
	Share decimal.Decimal
	// AverageDays is the mean of Days, rounded half up to one place (Average); not Valid when
	// Total is 0. MaxDays is the largest.
	AverageDays decimal.NullDecimal
	MaxDays     int
}

// MissedKindsTable lays out MissedKind.
var MissedKindsTable = Table[MissedKind]{Name: "missed_by_kind", Title: "Нарушенные сроки по видам", Columns: []Column[MissedKind]{
	{"Срок", func(r MissedKind) Value { return kindOrTotal(r.Kind) }},
	{"Исполнено с нарушением", func(r MissedKind) Value { return r.DoneLate }},
	{"Не исполнено, просрочено", func(r MissedKind) Value { return r.Overdue }},
	{"Всего нарушений", func(r MissedKind) Value { return r.Total }},
	{"Доля, %", func(r MissedKind) Value { return r.Share }},
	{"Дней просрочки в среднем", func(r MissedKind) Value { return r.AverageDays }},
	{"Дней просрочки наибольшее", func(r MissedKind) Value { return r.MaxDays }},
}}

func kindOrTotal(k workflow.TermKind) string {
	if k == "" {
		return "всего"
	}
	return k.Title()
}

// MissedTerms streams to emit every term of the law (registration, competence, copies,
// art. 11 notice, request, answer; see MissedKind) whose legal date lies within the period
// and was missed — done late, or overdue on Today — with the appeal and the days late, and
// returns the sums by kind, then the total. It reads lateness from the record (Record.Terms:
// each term's legal date and the day it closed), so it needs nothing but the stream; with
// Options.History it also reads the history of each appeal with a late step or copies sent,
// for the command that closed each late term and for the copies term, which only the history
// records (Event.Late). Rows come in the order of the records and, within one, by kind;
// nothing but the sums is held, so the inspection's list may be of any length. Give it every
// appeal the actor may read. An error from emit stops the report and is returned wrapped.
func (rp *Reporter) MissedTerms(ctx context.Context, recs Records, emit func(MissedTerm) error) ([]MissedKind, error) {
	sums := make([]MissedKind, len(missedKinds))
	for i, k := range missedKinds {
		sums[i].Kind = k
	}
	daySums := make([]int, len(missedKinds))
	var rows []MissedTerm
	err := each(ctx, "missed terms", recs, func(rec *workflow.Record) error {
		var err error
		if rows, err = rp.missed(ctx, rec, rows[:0]); err != nil {
			return err
		}
		for _, r := range rows {
			i := slices.Index(missedKinds, r.Kind)
			s := &sums[i]
			if r.Status == deadline.Overdue {
				s.Overdue++
			} else {
				s.DoneLate++
			}
			s.Total++
			s.MaxDays = max(s.MaxDays, r.Days)
			daySums[i] += r.Days
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	total := MissedKind{}
	totalDays := 0
	counts := make([]int, len(sums))
	for i := range sums {
		s := &sums[i]
		s.AverageDays = Average(daySums[i], s.Total)
		counts[i] = s.Total
		total.DoneLate += s.DoneLate
		total.Overdue += s.Overdue
		total.Total += s.Total
		total.MaxDays = max(total.MaxDays, s.MaxDays)
		totalDays += daySums[i]
	}
	for i, sh := range Shares(counts) {
		sums[i].Share = sh
	}
	total.Share = Shares([]int{total.Total})[0]
	total.AverageDays = Average(totalDays, total.Total)
	return append(sums, total), nil
}

// missed appends the record's missed terms to rows, ordered by kind.
func (rp *Reporter) missed(ctx context.Context, rec *workflow.Record, rows []MissedTerm) ([]MissedTerm, error) {
	a := rec.Appeal
	row := func(t workflow.Term) MissedTerm {
		return MissedTerm{TermRef: termRef(rec, t), Legal: t.Deadline.Legal, Staff: t.Staff}
	}
	closedLate := false
	for _, t := range rec.Terms() {
		if !slices.Contains(missedKinds, t.Kind) || !rp.opt.Period.Contains(t.Deadline.Legal) {
			continue
		}
		switch {
		case t.Running() && rp.opt.Today.After(t.Deadline.Legal):
			r := row(t)
			r.Days, r.Status = rp.opt.Today.DaysSince(t.Deadline.Legal), deadline.Overdue
			rows = append(rows, r)
		case t.LateDays() > 0:
			r := row(t)
			r.Closed, r.Days, r.Status = t.Closed, t.LateDays(), deadline.DoneLate
			rows = append(rows, r)
			closedLate = true
		}
	}
	copies := slices.ContainsFunc(rec.Forwardings, func(f workflow.Forwarding) bool { return f.Copy })
	if rp.opt.History != nil && (closedLate || copies) {
		h, err := rp.opt.History.History(ctx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("history %s: %w", a.ID, err)
		}
		rows = rp.fromHistory(h, rows, row(workflow.Term{Kind: workflow.TermCopies, Article: copiesArticle, Staff: a.Responsible}))
	}
	slices.SortStableFunc(rows, func(x, y MissedTerm) int {
		return slices.Index(missedKinds, x.Kind) - slices.Index(missedKinds, y.Kind)
	})
	return rows, nil
}

// fromHistory names the command that closed each late row, and appends the copies sent late
// (rows like proto) whose legal date lies within the period.
func (rp *Reporter) fromHistory(h []workflow.Event, rows []MissedTerm, proto MissedTerm) []MissedTerm {
	for _, ev := range h {
		for _, l := range ev.Late {
			if l.Kind == workflow.TermCopies {
				if rp.opt.Period.Contains(l.Legal) {
					r := proto
					r.Legal, r.Closed, r.Days, r.Status, r.Command = l.Legal, rp.opt.Counter.DateOf(ev.At), l.Days, deadline.DoneLate, ev.Command
					rows = append(rows, r)
				}
				continue
			}
			for i := range rows {
				if r := &rows[i]; r.Kind == l.Kind && r.Ref == l.Ref && r.Status == deadline.DoneLate && r.Command == "" {
					r.Command = ev.Command
					break
				}
			}
		}
	}
	return rows
}

// copiesArticle is where the copies term comes from (art. 8 p.4).
var copiesArticle = deadline.CopyToBodies.Info().Article
