package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/fz59/appeals/deadline"
)

// WorkItem is one line of a worklist: the record and where each of its running terms stands.
type WorkItem struct {
	// Record is the appeal's record.
	Record *Record
	// Terms are the running terms with their status on the day asked, soonest legal date
	// first (overdue ones, whose legal date has passed, therefore lead).
	Terms []TermStatus
	// Status is the most urgent of the terms' statuses: overdue, due soon, on time.
	Status deadline.Status
}

// TermStatus is a running term and its status on a day: on time, due soon (by the control
// date) or overdue (past the legal date).
type TermStatus struct {
	// Term is the term and Status where it stands.
	Term   Term
	Status deadline.Status
}

// Worklist is a person's list of appeals awaiting registration or under consideration
// (f.Person, or everyone's the actor may read when empty; f.States to choose other states)
// with every running
// term and its status on the day of at in the organization's zone: what a clerk or an
// executor opens in the morning (контроль исполнения). Overdue appeals come first, then due
// soon, then on time, each by its soonest legal date.
func (e *Engine) Worklist(ctx context.Context, actor Actor, f Filter, at time.Time) ([]WorkItem, error) {
	if len(f.States) == 0 {
		f.States = openStates
	}
	today := e.counter.DateOf(at)
	var items []WorkItem
	for rec, err := range e.list(ctx, actor, f, PurposeWorklist) {
		if err != nil {
			return nil, fmt.Errorf("workflow: worklist: %w", err)
		}
		items = append(items, e.workItem(rec, today))
	}
	slices.SortStableFunc(items, func(a, b WorkItem) int {
		if r := urgency(a.Status) - urgency(b.Status); r != 0 {
			return r
		}
		return soonest(a).Compare(soonest(b))
	})
	return items, nil
}

// urgency ranks a status for the worklist: overdue first.
func urgency(s deadline.Status) int {
	switch s {
	case deadline.Overdue:
		return 0
	case deadline.DueSoon:
		return 1
	case deadline.OnTime:
		return 2
	}
	return 3
}

// soonest is the item's earliest legal date, or a far one when nothing runs.
func soonest(it WorkItem) deadline.Date {
	if len(it.Terms) == 0 {
		return deadline.NewDate(9999, time.December, 31)
	}
	return it.Terms[0].Term.Deadline.Legal
}

// workItem is rec's line on day today.
func (e *Engine) workItem(rec *Record, today deadline.Date) WorkItem {
	it := WorkItem{Record: rec, Status: deadline.StatusUnknown}
	for _, t := range rec.RunningTerms() {
		st := e.counter.Status(t.Deadline, today, deadline.Date{})
		it.Terms = append(it.Terms, TermStatus{Term: t, Status: st})
		if urgency(st) < urgency(it.Status) {
			it.Status = st
		}
	}
	slices.SortStableFunc(it.Terms, func(a, b TermStatus) int { return a.Term.Deadline.Legal.Compare(b.Term.Deadline.Legal) })
	return it
}
