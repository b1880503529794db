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

// bounds are the days a filter bounds, in the index it reads: the legal dates', or the
// control dates' when it bounds only those; ok is false when it bounds neither.
func (d days) bounds(f workflow.Filter) (m map[deadline.Date]map[uuid.UUID]int32, from, to deadline.Date, legal, ok bool) {
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		return d.legal, f.DueFrom, f.DueTo, true, true
	}
	if !f.ControlFrom.IsZero() || !f.ControlTo.IsZero() {
		return d.control, f.ControlFrom, f.ControlTo, false, true
	}
	return nil, from, to, false, false
}

func within(day, from, to deadline.Date) bool {
	return (from.IsZero() || !day.Before(from)) && (to.IsZero() || !day.After(to))
}

// countOnDays counts the records that match a filter bounded by days without listing them:
// each record on the days is counted once, on the earliest of its days within the bounds, so
// nothing is collected or sorted. ok is false when the filter bounds no day (or pages).
func (s *Store) countOnDays(f workflow.Filter) (n int, ok bool) {
	m, from, to, legal, ok := s.days.bounds(f)
	if !ok || f.After != uuid.Nil {
		return 0, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for day, set := range m {
		if !within(day, from, to) {
			continue
		}
		for id := range set {
			ix := &s.records[id].ix
			if earliest(ix.Terms, from, to, legal) == day && f.Match(*ix) {
				n++
			}
		}
	}
	if f.Limit > 0 {
		n = min(n, f.Limit)
	}
	return n, true
}

// earliest is the earliest legal (or control) date of the terms within the bounds.
func earliest(terms []workflow.IndexTerm, from, to deadline.Date, legal bool) deadline.Date {
	var first deadline.Date
	for _, t := range terms {
		day := t.Control
		if legal {
			day = t.Legal
		}
		if within(day, from, to) && (first.IsZero() || day.Before(first)) {
			first = day
		}
	}
	return first
}

// candidates returns, ascending, the ids of the records with a running term whose legal date
// (or, when the filter bounds only the control date, whose control date) lies within the
// filter's bounds; ok is false when the filter bounds neither, and every record is a
// candidate. Candidates still go through Filter.Match.
func (d days) candidates(f workflow.Filter) (ids []uuid.UUID, ok bool) {
	m, from, to, _, ok := d.bounds(f)
	if !ok {
		return nil, false
	}
	for day, set := range m {
		if !within(day, from, to) {
			continue
		}
		for id := range set {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, compareIDs)
	return slices.Compact(ids), true
}
