package memstore

import (
	"slices"

	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// days indexes the running terms by day, so that a filter bounded by a term's legal or
// control date reads the records of those days instead of every record: "what is due in the
// next three days" among a million appeals touches the few thousand that are.
type days struct {
	legal, control map[deadline.Date]map[uuid.UUID]int32 // day → record → running terms on it
}

func newDays() days {
	return days{legal: make(map[deadline.Date]map[uuid.UUID]int32), control: make(map[deadline.Date]map[uuid.UUID]int32)}
}

// update replaces the terms of record id, old by new.
func (d days) update(id uuid.UUID, old, new []workflow.IndexTerm) {
	for _, t := range old {
		unmark(d.legal, t.Legal, id)
		unmark(d.control, t.Control, id)
	}
	for _, t := range new {
		mark(d.legal, t.Legal, id)
		mark(d.control, t.Control, id)
	}
}

func mark(m map[deadline.Date]map[uuid.UUID]int32, day deadline.Date, id uuid.UUID) {
	set := m[day]
	if set == nil {
		set = make(map[uuid.UUID]int32)
		m[day] = set
	}
	set[id]++
}

func unmark(m map[deadline.Date]map[uuid.UUID]int32, day deadline.Date, id uuid.UUID) {
	set := m[day]
	if set[id]--; set[id] <= 0 {
		delete(set, id)
		if len(set) == 0 {
			delete(m, day)
		}
	}
}

// candidates returns, ascending, the ids of the records with a running term whose legal date
// (or, when the filter bounds only the control date, whose control date) lies within the
// filter's bounds; ok is false when the filter bounds neither, and every record is a
// candidate. Candidates still go through Filter.Match.
func (d days) candidates(f workflow.Filter) (ids []uuid.UUID, ok bool) {
	m, from, to := d.legal, f.DueFrom, f.DueTo
	if from.IsZero() && to.IsZero() {
		m, from, to = d.control, f.ControlFrom, f.ControlTo
	}
	if from.IsZero() && to.IsZero() {
		return nil, false
	}
	for day, set := range m {
		if !from.IsZero() && day.Before(from) || !to.IsZero() && day.After(to) {
			continue
		}
		for id := range set {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, compareIDs)
	return slices.Compact(ids), true
}
