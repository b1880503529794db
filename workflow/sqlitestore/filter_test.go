package sqlitestore

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// domain holds the few values random records and filters draw from, so that filters hit often.
// Codes include the awkward ones: a prefix without its dot, empty segments, a trailing dot.
var domain = struct {
	states  []appeal.State
	people  []string
	codes   []string
	names   []string
	numbers []string
}{
	states: []appeal.State{appeal.StateReceived, appeal.StateRegistered, appeal.StateUnderReview, appeal.StateInExecution,
		appeal.StateAnswered, appeal.StateClosed, appeal.StateForwarded},
	people: []string{"clerk-1", "head-1", "exec-1", "exec-2", "exec-3"},
	codes: []string{"0005", "0005.0005", "0005.0005.0055", "0005.0005.0055.1122", "0005.0005.0056.1130", "0005.00050",
		"0005-0005", "0003.0008.0086.0555", "a..b", ".x", "0005.", "0005/1"},
	names:   []string{"Иванов", "ИВАНОВ", "Петрова", "Сидоров", "Ёлкин", "Елкин"},
	numbers: []string{"ОГ-1/2025", "ОГ-2/2025", "ОГ-3/2025", "Ж-1/2025"},
}

func one[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// march returns a day of March 2025, or the zero date one time in five.
func march(r *rand.Rand) deadline.Date {
	if r.IntN(5) == 0 {
		return deadline.Date{}
	}
	return deadline.NewDate(2025, time.March, 1+r.IntN(25))
}

// limitOf returns a limit with random dates, running or closed.
func limitOf(r *rand.Rand) workflow.Limit {
	var l workflow.Limit
	l.Legal = march(r)
	if !l.Legal.IsZero() {
		l.Control = l.Legal.AddDays(-r.IntN(4))
	}
	if r.IntN(4) == 0 {
		l.Closed = march(r)
	}
	return l
}

// recordParts each complete a random record one way.
var recordParts = []func(r *rand.Rand, rec *workflow.Record){
	func(r *rand.Rand, rec *workflow.Record) { rec.Appeal.State = one(r, domain.states) },
	func(r *rand.Rand, rec *workflow.Record) { rec.Appeal.Number = one(r, domain.numbers) },
	func(r *rand.Rand, rec *workflow.Record) { rec.Appeal.Responsible = one(r, domain.people) },
	func(r *rand.Rand, rec *workflow.Record) {
		for range 1 + r.IntN(3) {
			rec.Appeal.Questions = append(rec.Appeal.Questions, appeal.Question{Code: one(r, domain.codes)})
		}
	},
	func(r *rand.Rand, rec *workflow.Record) {
		for range 1 + r.IntN(2) {
			rec.Appeal.Applicants = append(rec.Appeal.Applicants, appeal.Applicant{Surname: one(r, domain.names), GivenName: "Анна"})
		}
	},
	func(r *rand.Rand, rec *workflow.Record) { rec.Deadlines.Registration = limitOf(r) },
	func(r *rand.Rand, rec *workflow.Record) { rec.Deadlines.Competence = limitOf(r) },
	func(r *rand.Rand, rec *workflow.Record) { rec.Deadlines.Notice = limitOf(r) },
	func(r *rand.Rand, rec *workflow.Record) {
		rec.Deadlines.Consideration = limitOf(r)
		rec.Deadlines.Consideration.From = march(r)
	},
	func(r *rand.Rand, rec *workflow.Record) {
		for i := range 1 + r.IntN(3) {
			l := limitOf(r)
			rec.Assignments = append(rec.Assignments, workflow.Assignment{ID: fmt.Sprint(i + 1), Executor: one(r, domain.people),
				Due: l.Legal, Closed: l.Closed})
		}
	},
	func(r *rand.Rand, rec *workflow.Record) {
		l := limitOf(r)
		rec.Requests = []workflow.InterAgencyRequest{{ID: "1", Body: "ФНС", Due: l.Deadline, Closed: l.Closed}}
	},
}

// randomRecord builds a record from a random choice of parts.
func randomRecord(t *testing.T, r *rand.Rand) *workflow.Record {
	id, err := uuid.NewV7()
	require.NoError(t, err)
	rec := &workflow.Record{Appeal: appeal.New(id, t0, appeal.ChannelWebForm), Series: "ОГ"}
	for _, part := range recordParts {
		if r.IntN(3) > 0 {
			part(r, rec)
		}
	}
	return rec
}

// filterParts each set one field of a random filter.
var filterParts = []func(r *rand.Rand, f *workflow.Filter, ids []uuid.UUID){
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) {
		f.States = []appeal.State{one(r, domain.states), one(r, domain.states)}
	},
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) {
		f.TermKinds = []workflow.TermKind{one(r, workflow.TermKinds())}
	},
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) { f.DueFrom = march(r) },
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) { f.DueTo = march(r) },
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) { f.ControlFrom = march(r) },
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) { f.ControlTo = march(r) },
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) { f.RegisteredFrom = march(r) },
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) { f.RegisteredTo = march(r) },
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) { f.Person = one(r, domain.people) },
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) {
		f.Code = one(r, append([]string{"0005.000", "a", "a.", "0003.0008", "0005.0005.0055.1122.1"}, domain.codes...))
	},
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) {
		f.Applicant = workflow.ApplicantKey(appeal.Applicant{Surname: one(r, domain.names), GivenName: "Анна"})
	},
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) { f.Number = one(r, domain.numbers) },
	func(r *rand.Rand, f *workflow.Filter, ids []uuid.UUID) { f.After = one(r, ids) },
	func(r *rand.Rand, f *workflow.Filter, _ []uuid.UUID) { f.Limit = 1 + r.IntN(25) },
}

// TestFilterTranslation checks the SQL translation against workflow.Filter.Match, the one
// definition, on random records and filters, with pages small enough to turn several times.
func TestFilterTranslation(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	s.pageSize = 7
	r := rand.New(rand.NewPCG(59, 2026))

	records, filters := 200, 600
	if raceEnabled {
		records, filters = 80, 120
	}
	var (
		recs []*workflow.Record // in id order, as List yields them
		ids  []uuid.UUID
	)
	for range records {
		rec := randomRecord(t, r)
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec}))
		i, _ := slices.BinarySearchFunc(ids, rec.Appeal.ID, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
		recs, ids = slices.Insert(recs, i, rec), slices.Insert(ids, i, rec.Appeal.ID)
	}

	// The ids Match selects, in id order, up to the limit: what List must yield.
	matching := func(f workflow.Filter) []uuid.UUID {
		out := []uuid.UUID{}
		for _, rec := range recs {
			if f.Limit > 0 && len(out) == f.Limit {
				break
			}
			if f.Match(rec.Index()) {
				out = append(out, rec.Appeal.ID)
			}
		}
		return out
	}
	listed := func(f workflow.Filter) []uuid.UUID {
		out := []uuid.UUID{}
		for rec, err := range s.List(t.Context(), f) {
			require.NoError(t, err)
			out = append(out, rec.Appeal.ID)
		}
		return out
	}
	some := 0 // filters that select neither none nor all
	for i := range filters {
		var f workflow.Filter
		for _, part := range filterParts {
			if r.IntN(5) == 0 {
				part(r, &f, ids)
			}
		}
		want := matching(f)
		require.Equal(t, want, listed(f), "List, filter %d: %+v", i, f)
		n, err := s.Count(t.Context(), f)
		require.NoError(t, err)
		require.Equal(t, len(want), n, "Count, filter %d: %+v", i, f)
		if len(want) > 0 && len(want) < len(recs) {
			some++
		}
	}
	require.Greater(t, some, filters/3, "most filters select some records")
}
