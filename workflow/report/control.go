package report

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/shopspring/decimal"
)

// ControlRow is one person's terms on control (контроль исполнения): the appeals they answer
// for as the responsible, or the assignments they execute.
type ControlRow struct {
	// Role is RecipientResponsible (the consideration term of the appeals whose Responsible
	// the person is) or RecipientExecutor (the person's assignments).
	Role workflow.RecipientRole
	// Person is the staff id; empty for the appeals nobody is responsible for yet.
	Person string
	// Open counts the terms still running; DueSoon and Overdue are those of them due soon (by
	// the control date) and overdue (past the legal date) on Today.
	Open, DueSoon, Overdue int
	// DoneOnTime and DoneLate count the terms closed within the period, by their legal date.
	DoneOnTime, DoneLate int
	// OnTimeShare is DoneOnTime's share of the terms closed within the period, in percent
	// (Ratio); not Valid when none closed.
	OnTimeShare decimal.NullDecimal
}

// ControlTable lays out ControlRow.
var ControlTable = Table[ControlRow]{Name: "control", Title: "Контроль исполнения", Columns: []Column[ControlRow]{
	{"Роль", func(r ControlRow) Value { return roleTitle(r.Role) }},
	{"Сотрудник", func(r ControlRow) Value { return personTitle(r.Person) }},
	{"На контроле", func(r ControlRow) Value { return r.Open }},
	{"Из них срок истекает", func(r ControlRow) Value { return r.DueSoon }},
	{"Из них просрочено", func(r ControlRow) Value { return r.Overdue }},
	{"Исполнено в срок", func(r ControlRow) Value { return r.DoneOnTime }},
	{"Исполнено с нарушением срока", func(r ControlRow) Value { return r.DoneLate }},
	{"Исполнено в срок, %", func(r ControlRow) Value { return r.OnTimeShare }},
}}

// personTitle is the staff id, or «не назначен».
func personTitle(p string) string {
	if p == "" {
		return "не назначен"
	}
	return p
}

type controlKey struct {
	role   workflow.RecipientRole
	person string
}

// Control counts, for every responsible person and every executor, the terms on control
// today — open, of them due soon and overdue — and those closed within the period, on time
// and late: for the responsible the consideration term of their appeals (the answer), for an
// executor each assignment's own date. A term closes when its step is done or the appeal leaves
// consideration (answered, forwarded, an art. 11 outcome, withdrawn). Rows come responsible
// first, then executors, each by staff id, with the appeals nobody is responsible for last;
// memory grows with the staff, not with the appeals. Give it every appeal the actor may read
// (a narrower filter drops closed appeals from "done").
func (rp *Reporter) Control(ctx context.Context, recs Records) ([]ControlRow, error) {
	rows := map[controlKey]*ControlRow{}
	count := func(role workflow.RecipientRole, person string, d deadline.Deadline, closed deadline.Date) {
		k := controlKey{role, person}
		r := rows[k]
		if r == nil {
			r = &ControlRow{Role: role, Person: person}
			rows[k] = r
		}
		switch {
		case closed.IsZero():
			r.Open++
			switch rp.opt.Counter.Status(d, rp.opt.Today, closed) {
			case deadline.DueSoon:
				r.DueSoon++
			case deadline.Overdue:
				r.Overdue++
			}
		case !rp.opt.Period.Contains(closed):
		case closed.After(d.Legal):
			r.DoneLate++
		default:
			r.DoneOnTime++
		}
	}
	err := each(ctx, "control", recs, func(rec *workflow.Record) error {
		for _, t := range rec.Terms() {
			switch t.Kind {
			case workflow.TermConsideration:
				count(workflow.RecipientResponsible, rec.Appeal.Responsible, t.Deadline, t.Closed)
			case workflow.TermAssignment:
				count(workflow.RecipientExecutor, t.Staff, t.Deadline, t.Closed)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]ControlRow, 0, len(rows))
	for _, k := range slices.SortedFunc(maps.Keys(rows), compareControl) {
		r := rows[k]
		r.OnTimeShare = Ratio(r.DoneOnTime, r.DoneOnTime+r.DoneLate)
		out = append(out, *r)
	}
	return out, nil
}

// compareControl orders the responsible before the executors, each by staff id, the unnamed
// last.
func compareControl(a, b controlKey) int {
	if a.role != b.role {
		if a.role == workflow.RecipientResponsible {
			return -1
		}
		return 1
	}
	if (a.person == "") != (b.person == "") {
		if a.person == "" {
			return 1
		}
		return -1
	}
	return cmp.Compare(a.person, b.person)
}
