package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture is the set of records the filter cases run on, in ascending id order. Each is named
// by its role; the comment gives what its index holds.
var fixture = []struct {
	name string
	spec spec
}{
	// Running terms (legal/control): registration 03-06.
	{"draft", spec{due: day0.AddDays(3), codes: []string{"0005.0005.0055.1122"}, applicant: ivanov, intake: "form-1"}},
	// Registered 03-03. Competence 03-10/03-10, consideration 04-02/03-31.
	{"registered", spec{state: appeal.StateRegistered, number: "ОГ-1/2025", registered: day0, due: day0.AddDays(30),
		responsible: "clerk-1", codes: []string{"0005.0005.0056.1130", "0005.0005.0055.1122"}, applicant: petrova}},
	// Registered 03-04; the same applicant as draft, spelled otherwise. Consideration
	// 04-03/04-01, assignments a and b 03-29, request 03-19.
	{"executing", spec{state: appeal.StateInExecution, number: "ОГ-2/2025", registered: day0.AddDays(1), due: day0.AddDays(31),
		responsible: "head-1", executors: []string{"exec-1", "exec-2"}, codes: []string{"0003.0008.0086.0555"}, request: true,
		applicant: appeal.Applicant{Surname: "ИВАНОВ", GivenName: " Иван ", Patronymic: "Иванович", Email: "Ivanov@Example.org"}}},
	// Closed: nothing runs; registered 03-05.
	{"closed", spec{state: appeal.StateClosed, number: "ОГ-3/2025", registered: day0.AddDays(2), due: day0.AddDays(32),
		responsible: "exec-1", codes: []string{"0005.0005"}, applicant: romashka}},
	// Forwarded: nothing runs; registered 03-08.
	{"forwarded", spec{state: appeal.StateForwarded, number: "ОГ-4/2025", registered: day0.AddDays(5), due: day0.AddDays(35),
		responsible: "clerk-1", codes: []string{"0001.0001.0001.0001"}, applicant: sidorov}},
	// Registered 03-13. Consideration 05-02/04-30 (extended), assignment a 04-27.
	{"extended", spec{state: appeal.StateUnderReview, number: "ОГ-5/2025", registered: day0.AddDays(10), due: day0.AddDays(60),
		responsible: "head-1", executors: []string{"exec-2"}, codes: []string{"0005.0005.0055.1122"}, applicant: sidorov}},
}

func date(s string) deadline.Date {
	d, err := deadline.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// listCases are the filter cases: the filter, the fixture record whose id is the After
// cursor (if any), and the names expected, in order.
// listCase is a filter of the fixture's records and the names of those it selects.
type listCase struct {
	name   string
	filter workflow.Filter
	after  string
	want   []string
}

// resolve is the case's filter, its After named in byName, and the ids it wants.
func (tc listCase) resolve(byName map[string]uuid.UUID) (workflow.Filter, []uuid.UUID) {
	f := tc.filter
	if tc.after != "" {
		f.After = byName[tc.after]
	}
	want := []uuid.UUID{}
	for _, n := range tc.want {
		want = append(want, byName[n])
	}
	return f, want
}

var listCases = []listCase{
	{"all", workflow.Filter{}, "", []string{"draft", "registered", "executing", "closed", "forwarded", "extended"}},
	{"state", workflow.Filter{States: []appeal.State{appeal.StateRegistered}}, "", []string{"registered"}},
	{"states", workflow.Filter{States: []appeal.State{appeal.StateClosed, appeal.StateUnderReview, appeal.StateInExecution}}, "", []string{"executing", "closed", "extended"}},
	{"state none", workflow.Filter{States: []appeal.State{appeal.StateWithdrawn}}, "", nil},
	{"due from inclusive", workflow.Filter{DueFrom: date("2025-04-02")}, "", []string{"registered", "executing", "extended"}},
	{"due to inclusive", workflow.Filter{DueTo: date("2025-04-02")}, "", []string{"draft", "registered", "executing"}},
	{"due one day", workflow.Filter{DueFrom: date("2025-04-03"), DueTo: date("2025-04-03")}, "", []string{"executing"}},
	{"due any skips no deadline", workflow.Filter{DueFrom: date("2000-01-01")}, "", []string{"draft", "registered", "executing", "extended"}},
	{"due empty range", workflow.Filter{DueFrom: date("2025-04-04"), DueTo: date("2025-04-26")}, "", nil},
	{"term registration", workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermRegistration}}, "", []string{"draft"}},
	{"term competence", workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermCompetence}}, "", []string{"registered"}},
	{"term assignment", workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermAssignment}}, "", []string{"executing", "extended"}},
	{"term request", workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermRequest}}, "", []string{"executing"}},
	{"term notice none", workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermNotice}}, "", nil},
	{"term assignment due", workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermAssignment}, DueTo: date("2025-03-29")}, "", []string{"executing"}},
	{"terms two kinds due", workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermConsideration, workflow.TermCompetence}, DueTo: date("2025-03-10")}, "", []string{"registered"}},
	{"kind and bound on one term", workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermConsideration}, DueTo: date("2025-03-31")}, "", nil},
	{"control to inclusive", workflow.Filter{ControlTo: date("2025-03-31")}, "", []string{"draft", "registered", "executing"}},
	{"control one day", workflow.Filter{ControlFrom: date("2025-04-01"), ControlTo: date("2025-04-01")}, "", []string{"executing"}},
	{"control and due on one term", workflow.Filter{ControlFrom: date("2025-03-31"), DueTo: date("2025-04-02")}, "", []string{"registered"}},
	{"person responsible", workflow.Filter{Person: "clerk-1"}, "", []string{"registered", "forwarded"}},
	{"person executor", workflow.Filter{Person: "exec-2"}, "", []string{"executing", "extended"}},
	{"person executor or responsible", workflow.Filter{Person: "exec-1"}, "", []string{"executing", "closed"}},
	{"person unknown", workflow.Filter{Person: "nobody"}, "", nil},
	{"code exact", workflow.Filter{Code: "0005.0005.0056.1130"}, "", []string{"registered"}},
	{"code subtree", workflow.Filter{Code: "0005.0005"}, "", []string{"draft", "registered", "closed", "extended"}},
	{"code theme", workflow.Filter{Code: "0005.0005.0055"}, "", []string{"draft", "registered", "extended"}},
	{"code section", workflow.Filter{Code: "0005"}, "", []string{"draft", "registered", "closed", "extended"}},
	{"code partial segment", workflow.Filter{Code: "0005.000"}, "", nil},
	{"code longer than any", workflow.Filter{Code: "0005.0005.0055.1122.0001"}, "", nil},
	{"applicant folded", workflow.Filter{Applicant: workflow.ApplicantKey(ivanov)}, "", []string{"draft", "executing"}},
	{"applicant organization", workflow.Filter{Applicant: workflow.ApplicantKey(romashka)}, "", []string{"closed"}},
	{"applicant unknown", workflow.Filter{Applicant: "петров|"}, "", nil},
	{"registered from inclusive", workflow.Filter{RegisteredFrom: date("2025-03-05")}, "", []string{"closed", "forwarded", "extended"}},
	{"registered to inclusive", workflow.Filter{RegisteredTo: date("2025-03-04")}, "", []string{"registered", "executing"}},
	{"registered one day", workflow.Filter{RegisteredFrom: date("2025-03-08"), RegisteredTo: date("2025-03-08")}, "", []string{"forwarded"}},
	{"number", workflow.Filter{Number: "ОГ-2/2025"}, "", []string{"executing"}},
	{"number unknown", workflow.Filter{Number: "ОГ-2"}, "", nil},
	{"fields ANDed", workflow.Filter{States: []appeal.State{appeal.StateInExecution, appeal.StateUnderReview}, Person: "exec-2", Code: "0005", DueTo: date("2025-12-31")}, "", []string{"extended"}},
	{"after", workflow.Filter{}, "registered", []string{"executing", "closed", "forwarded", "extended"}},
	{"after last", workflow.Filter{}, "extended", nil},
	{"after with filter", workflow.Filter{Person: "clerk-1"}, "registered", []string{"forwarded"}},
	{"limit", workflow.Filter{Limit: 2}, "", []string{"draft", "registered"}},
	{"limit above matches", workflow.Filter{Person: "clerk-1", Limit: 5}, "", []string{"registered", "forwarded"}},
	{"limit with filter", workflow.Filter{Person: "clerk-1", Limit: 1}, "", []string{"registered"}},
	{"after and limit", workflow.Filter{Limit: 2}, "registered", []string{"executing", "closed"}},
}

// collect returns the ids List yields for f, failing on an error.
func collect(t *testing.T, s workflow.Store, f workflow.Filter) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	for rec, err := range s.List(t.Context(), f) {
		require.NoError(t, err)
		ids = append(ids, rec.Appeal.ID)
	}
	return ids
}

func testList(t *testing.T, s workflow.Store) {
	ids := newIDs(t, len(fixture))
	byName := make(map[string]uuid.UUID)
	// Created in reverse, so a store that returns insertion order fails.
	for i := len(fixture) - 1; i >= 0; i-- {
		create(t, s, ids[i], fixture[i].spec)
		byName[fixture[i].name] = ids[i]
	}
	counter, _ := s.(workflow.Counter)
	for _, tc := range listCases {
		t.Run(tc.name, func(t *testing.T) {
			f, want := tc.resolve(byName)
			got := append([]uuid.UUID{}, collect(t, s, f)...)
			assert.Equal(t, want, got, "want %v", tc.want)
			if counter != nil {
				n, err := counter.Count(t.Context(), f)
				require.NoError(t, err)
				assert.Equal(t, len(want), n, "Count")
			}
		})
	}
}

func testListReindexOnSave(t *testing.T, s workflow.Store) {
	id := newID(t)
	rec := create(t, s, id, fixture[1].spec)
	rec.Appeal.Responsible = "clerk-2"
	rec.Appeal.State = appeal.StateUnderReview
	rec.Appeal.Questions[0].Code = "0002.0002.0002.0002"
	rec.Deadlines.Consideration.Legal = date("2025-06-01")
	rec.Deadlines.Competence.Closed = date("2025-03-05")
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec}))
	cons := []workflow.TermKind{workflow.TermConsideration}

	for _, tc := range []struct {
		f     workflow.Filter
		found bool
	}{
		{workflow.Filter{Person: "clerk-1"}, false},
		{workflow.Filter{Person: "clerk-2"}, true},
		{workflow.Filter{States: []appeal.State{appeal.StateRegistered}}, false},
		{workflow.Filter{States: []appeal.State{appeal.StateUnderReview}}, true},
		{workflow.Filter{Code: "0005.0005.0056"}, false},
		{workflow.Filter{Code: "0002"}, true},
		{workflow.Filter{TermKinds: cons, DueTo: date("2025-05-31")}, false},
		{workflow.Filter{TermKinds: cons, DueFrom: date("2025-06-01")}, true},
		{workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermCompetence}}, false},
	} {
		assert.Equal(t, tc.found, len(collect(t, s, tc.f)) == 1, "%+v", tc.f)
	}
}

// manyRecords stores n minimal records in random order and returns their ids, ascending.
func manyRecords(t *testing.T, s workflow.Store, n int) []uuid.UUID {
	t.Helper()
	ids := newIDs(t, n)
	order := rand.Perm(n)
	for _, i := range order {
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: build(ids[i], spec{codes: []string{"0001.0001.0001.0001"}})}))
	}
	return ids
}

func testListOrder(t *testing.T, s workflow.Store) {
	ids := manyRecords(t, s, 60)
	// Ids with high bytes first, not only time order, must sort bytewise too.
	extra := []uuid.UUID{uuid.MustParse("ffffffff-ffff-7fff-bfff-ffffffffffff"), uuid.MustParse("00000000-0000-7000-8000-000000000001")}
	for _, id := range extra {
		create(t, s, id, spec{})
	}
	want := append(slices.Clone(ids), extra...)
	slices.SortFunc(want, compareIDs)
	assert.Equal(t, want, collect(t, s, workflow.Filter{}))
}

func testListPaging(t *testing.T, s workflow.Store) {
	ids := manyRecords(t, s, 53)
	var got []uuid.UUID
	f := workflow.Filter{Limit: 7}
	for pages := 1; ; pages++ {
		page := collect(t, s, f)
		require.LessOrEqual(t, len(page), 7)
		got = append(got, page...)
		if len(page) == 0 {
			assert.Equal(t, 9, pages, "8 pages and an empty one")
			break
		}
		f.After = page[len(page)-1]
	}
	assert.Equal(t, ids, got)
}

// within runs fn and fails the test if it does not return in time: a store that holds a lock
// it should have released deadlocks here.
func within(t *testing.T, fn func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the store is still blocked after 5 s (a lock held across yield or after break?)")
	}
}

func testListEarlyBreak(t *testing.T, s workflow.Store) {
	ids := manyRecords(t, s, 10)
	within(t, func() error {
		n := 0
		for _, err := range s.List(t.Context(), workflow.Filter{}) {
			if err != nil {
				return err
			}
			if n++; n == 3 {
				break
			}
		}
		if err := s.Create(t.Context(), workflow.Change{Record: build(newID(t), spec{})}); err != nil {
			return err
		}
		rec, err := s.Get(t.Context(), ids[0])
		if err != nil {
			return err
		}
		return s.Save(t.Context(), workflow.Change{Record: rec})
	})
	assert.Len(t, collect(t, s, workflow.Filter{}), 11)
}

// testListWriteWhileIterating saves each record from inside the loop, as Monitor does.
func testListWriteWhileIterating(t *testing.T, s workflow.Store) {
	ids := manyRecords(t, s, 12)
	var seen []uuid.UUID
	within(t, func() error {
		for rec, err := range s.List(t.Context(), workflow.Filter{Code: "0001"}) {
			if err != nil {
				return err
			}
			seen = append(seen, rec.Appeal.ID)
			rec.Reminders = append(rec.Reminders, "due-soon")
			if err := s.Save(t.Context(), workflow.Change{Record: rec, Events: []workflow.Event{event(rec.Appeal.ID, "remind", "")}}); err != nil {
				return fmt.Errorf("save while listing: %w", err)
			}
		}
		return nil
	})
	assert.Equal(t, ids, seen, "each record once, in order")
	for rec, err := range s.List(t.Context(), workflow.Filter{}) {
		require.NoError(t, err)
		assert.Equal(t, int64(2), rec.Version)
		assert.Contains(t, rec.Reminders, "due-soon")
	}
}
