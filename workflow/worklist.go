package workflow

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
)

// List streams the records that match f, in ascending id order (Store.List).
func (e *Engine) List(ctx context.Context, f Filter) iter.Seq2[*Record, error] {
	return e.store.List(ctx, f)
}

// WorkItem is one line of a worklist: the record and where its term stands.
type WorkItem struct {
	Record *Record
	// Status is the consideration term's status on the day asked: on time, due soon (by the
	// control date), overdue (past the legal date); done on time or late once answered.
	Status deadline.Status
	// Due is the term's legal date (LegalDue) and Control its control date (ControlDate).
	Due, Control deadline.Date
	// Assignments are the open assignments' statuses, in the record's order.
	Assignments []deadline.Status
}

// Worklist is a person's list of appeals awaiting registration or under consideration
// (f.Person, or everyone's when empty; f.States to choose other states) with the status of each term on the day of at in the organization's zone: what a
// clerk or an executor opens in the morning (контроль исполнения). Overdue items come first,
// then due soon, then by legal date.
func (e *Engine) Worklist(ctx context.Context, f Filter, at time.Time) ([]WorkItem, error) {
	if len(f.States) == 0 {
		f.States = append([]appeal.State{appeal.StateReceived}, working...)
	}
	today := e.counter.DateOf(at)
	var items []WorkItem
	for rec, err := range e.store.List(ctx, f) {
		if err != nil {
			return nil, fmt.Errorf("workflow: worklist: %w", err)
		}
		items = append(items, e.workItem(rec, today))
	}
	rank := func(s deadline.Status) int {
		switch s {
		case deadline.Overdue:
			return 0
		case deadline.DueSoon:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(items, func(a, b WorkItem) int {
		if r := rank(a.Status) - rank(b.Status); r != 0 {
			return r
		}
		return a.Due.Compare(b.Due)
	})
	return items, nil
}

// workItem is rec's line on day today.
func (e *Engine) workItem(rec *Record, today deadline.Date) WorkItem {
	d := rec.Deadlines.Consideration
	if rec.Appeal.RegisteredAt.IsZero() {
		d = rec.Deadlines.Registration
	}
	var done deadline.Date
	if rec.Answer != nil && !rec.Answer.SentAt.IsZero() {
		done = e.counter.DateOf(rec.Answer.SentAt)
	}
	it := WorkItem{Record: rec, Status: e.counter.Status(d, today, done), Due: d.Legal, Control: d.Control}
	for _, as := range rec.Assignments {
		if !as.Done() {
			ad := deadline.Deadline{Legal: as.Due, Control: as.Due, Nominal: as.Due}
			it.Assignments = append(it.Assignments, e.counter.Status(ad, today, deadline.Date{}))
		}
	}
	return it
}
