package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// Small domains, so random filters hit often. The codes include the awkward ones a SQL
// translation trips on: a prefix without its dot, empty segments, a trailing dot, the
// characters just before and after '.' (- and /).
var (
	someStates = []appeal.State{appeal.StateReceived, appeal.StateRegistered, appeal.StateUnderReview, appeal.StateInExecution,
		appeal.StateAnswered, appeal.StateClosed, appeal.StateForwarded}
	somePeople = []string{"clerk-1", "head-1", "exec-1", "exec-2", "exec-3"}
	someCodes  = []string{"0005", "0005.0005", "0005.0005.0055", "0005.0005.0055.1122", "0005.0005.0056.1130",
		"0005.00050", "0005-0005", "0003.0008.0086.0555", "a..b", ".x", "0005.", "0005/1"}
	someNames = []string{"Иванов", "ИВАНОВ", "Петрова", "Сидоров", "Ёлкин", "Елкин"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// someDate is a day in March 2025, or (one time in four) no date.
func someDate(r *rand.Rand) deadline.Date {
	if r.IntN(4) == 0 {
		return deadline.Date{}
	}
	return deadline.NewDate(2025, 3, 1).AddDays(r.IntN(20))
}

// RandomRecord returns a record with a random index over small domains — state, number,
// people, codes, applicants, running and closed terms — so that random filters (RandomFilter)
// match often. Adapters use it to test their filter translation against workflow.Filter.Match
// beyond what Run does, e.g. with small pages.
func RandomRecord(r *rand.Rand) *workflow.Record {
	id := uuid.Must(uuid.NewV7())
	a := appeal.New(id, t0, appeal.ChannelWebForm)
	a.State = pick(r, someStates)
	if r.IntN(2) == 0 {
		a.Number = fmt.Sprintf("ОГ-%d/2025", r.IntN(5))
	}
	if r.IntN(3) > 0 {
		a.Responsible = pick(r, somePeople)
	}
	for range r.IntN(3) {
		a.Questions = append(a.Questions, appeal.Question{Code: pick(r, someCodes)})
	}
	for range r.IntN(3) {
		a.Applicants = append(a.Applicants, appeal.Applicant{Surname: pick(r, someNames)})
	}
	rec := &workflow.Record{Appeal: a, Series: "ОГ"}
	randomTerms(r, rec)
	return rec
}

// randomTerms gives rec random limits, assignments and requests, some closed.
func randomTerms(r *rand.Rand, rec *workflow.Record) {
	d := &rec.Deadlines
	*d = workflow.Deadlines{}
	for _, l := range []*workflow.Limit{&d.Registration, &d.Competence, &d.Notice, &d.Consideration} {
		if r.IntN(3) > 0 {
			l.Legal = someDate(r)
			if l.Control = l.Legal; !l.Legal.IsZero() {
				l.Control = l.Legal.AddDays(-r.IntN(3))
			}
			if r.IntN(4) == 0 {
				l.Closed = someDate(r)
			}
		}
	}
	d.Consideration.From = someDate(r)
	rec.Assignments = nil
	for i := range r.IntN(3) {
		as := workflow.Assignment{ID: fmt.Sprint(i + 1), Executor: pick(r, somePeople), Due: someDate(r)}
		if r.IntN(3) == 0 {
			as.Closed = someDate(r)
		}
		rec.Assignments = append(rec.Assignments, as)
	}
	rec.Requests = nil
	for i := range r.IntN(2) {
		due := someDate(r)
		rec.Requests = append(rec.Requests, workflow.InterAgencyRequest{ID: fmt.Sprint(i + 1), Body: "ФНС",
			Due: deadline.Deadline{Legal: due, Control: due}})
	}
}

// RandomFilter sets each field of a filter with some chance; After is one of ids.
func RandomFilter(r *rand.Rand, ids []uuid.UUID) workflow.Filter {
	var f workflow.Filter
	maybe := func() bool { return r.IntN(4) == 0 }
	if maybe() {
		f.States = []appeal.State{pick(r, someStates), pick(r, someStates)}
	}
	if maybe() {
		f.TermKinds = []workflow.TermKind{pick(r, workflow.TermKinds()), pick(r, workflow.TermKinds())}
	}
	for _, d := range []*deadline.Date{&f.DueFrom, &f.DueTo, &f.ControlFrom, &f.ControlTo, &f.RegisteredFrom, &f.RegisteredTo} {
		if maybe() {
			*d = someDate(r)
		}
	}
	if maybe() {
		f.Person = pick(r, somePeople)
	}
	if maybe() {
		f.Code = pick(r, append(someCodes, "0005.000", "a.", "a", "0003.0008"))
	}
	if maybe() {
		f.Applicant = workflow.ApplicantKey(appeal.Applicant{Surname: pick(r, someNames)})
	}
	if maybe() {
		f.Number = fmt.Sprintf("ОГ-%d/2025", r.IntN(5))
	}
	if maybe() && len(ids) > 0 {
		f.After = pick(r, ids)
	}
	if maybe() {
		f.Limit = 1 + r.IntN(30)
	}
	return f
}

// byID returns a copy of recs in ascending id order, and their ids.
func byID(recs []*workflow.Record) ([]*workflow.Record, []uuid.UUID) {
	recs = slices.Clone(recs)
	slices.SortFunc(recs, func(a, b *workflow.Record) int { return compareIDs(a.Appeal.ID, b.Appeal.ID) })
	ids := make([]uuid.UUID, len(recs))
	for i, rec := range recs {
		ids[i] = rec.Appeal.ID
	}
	return recs, ids
}

// CheckFilters runs n random filters on s and compares List and Count (when s is a
// workflow.Counter) with workflow.Filter.Match over recs, which must be what s holds. Most
// filters must select some records but not all, or the check proves little.
func CheckFilters(t *testing.T, s workflow.Store, r *rand.Rand, recs []*workflow.Record, n int) {
	t.Helper()
	recs, ids := byID(recs)
	counter, _ := s.(workflow.Counter)
	some := 0
	for i := range n {
		f := RandomFilter(r, ids)
		var want []uuid.UUID
		for _, rec := range recs {
			if f.Match(rec.Index()) && (f.Limit == 0 || len(want) < f.Limit) {
				want = append(want, rec.Appeal.ID)
			}
		}
		if len(want) > 0 && len(want) < len(recs) {
			some++
		}
		got := collect(t, s, f)
		if want == nil {
			want = []uuid.UUID{}
		}
		if got == nil {
			got = []uuid.UUID{}
		}
		require.Equal(t, want, got, "filter %d: %+v", i, f)
		if counter != nil {
			c, err := counter.Count(t.Context(), f)
			require.NoError(t, err)
			require.Equal(t, len(want), c, "count %d: %+v", i, f)
		}
	}
	require.Greater(t, some, n/4, "most filters select some records, not all")
}

// testListRandom stores random records, changes the terms, states, people and codes of some,
// twice (so that an index that forgets the old values, or keeps them, fails), and checks
// random filters against Match.
func testListRandom(t *testing.T, s workflow.Store) {
	r := rand.New(rand.NewPCG(59, 2006))
	recs := make([]*workflow.Record, 120)
	for i := range recs {
		recs[i] = RandomRecord(r)
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: recs[i]}))
	}
	for range 2 {
		for _, rec := range recs[:60] {
			randomTerms(r, rec)
			rec.Appeal.State = pick(r, someStates)
			if r.IntN(2) == 0 {
				rec.Appeal.Responsible = pick(r, somePeople)
			}
			if r.IntN(2) == 0 && len(rec.Appeal.Questions) > 0 {
				rec.Appeal.Questions[r.IntN(len(rec.Appeal.Questions))].Code = pick(r, someCodes)
			}
			require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec}))
		}
	}
	CheckFilters(t, s, r, recs, 300)
}
