package pgstore

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// Small domains, so random filters hit often.
var (
	someStates = []appeal.State{appeal.StateReceived, appeal.StateRegistered, appeal.StateInExecution, appeal.StateClosed, appeal.StateForwarded}
	somePeople = []string{"clerk-1", "head-1", "exec-1", "exec-2"}
	someCodes  = []string{"0005", "0005.0005", "0005.0005.0055", "0005.0005.0055.1122", "0005.0005.0056.1130",
		"0005.00050", "0003.0008.0086.0555", "a..b", ".x", "0005."}
	someNames = []string{"Иванов", "ИВАНОВ", "Петрова", "Сидоров"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func someDate(r *rand.Rand) deadline.Date {
	if r.IntN(4) == 0 {
		return deadline.Date{}
	}
	return deadline.NewDate(2025, time.March, 1).AddDays(r.IntN(20))
}

// randomRecord returns a record with a random index over the small domains.
func randomRecord(t *testing.T, r *rand.Rand) *workflow.Record {
	id, err := uuid.NewV7()
	require.NoError(t, err)
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
	d := &rec.Deadlines
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
	for i := range r.IntN(3) {
		as := workflow.Assignment{ID: fmt.Sprint(i + 1), Executor: pick(r, somePeople), Due: someDate(r)}
		if r.IntN(3) == 0 {
			as.Closed = someDate(r)
		}
		rec.Assignments = append(rec.Assignments, as)
	}
	for i := range r.IntN(2) {
		due := someDate(r)
		rec.Requests = append(rec.Requests, workflow.InterAgencyRequest{ID: fmt.Sprint(i + 1), Body: "ФНС",
			Due: deadline.Deadline{Legal: due, Control: due}})
	}
	return rec
}

// randomFilter sets each field of a filter with some chance.
func randomFilter(r *rand.Rand, ids []uuid.UUID) workflow.Filter {
	var f workflow.Filter
	maybe := func() bool { return r.IntN(4) == 0 }
	if maybe() {
		f.States = []appeal.State{pick(r, someStates), pick(r, someStates)}
	}
	if maybe() {
		f.TermKinds = []workflow.TermKind{pick(r, workflow.TermKinds()), pick(r, workflow.TermKinds())}
	}
	if maybe() {
		f.DueFrom = someDate(r)
	}
	if maybe() {
		f.DueTo = someDate(r)
	}
	if maybe() {
		f.ControlFrom = someDate(r)
	}
	if maybe() {
		f.ControlTo = someDate(r)
	}
	if maybe() {
		f.RegisteredFrom = someDate(r)
	}
	if maybe() {
		f.RegisteredTo = someDate(r)
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
	if maybe() {
		f.After = pick(r, ids)
	}
	if maybe() {
		f.Limit = 1 + r.IntN(30)
	}
	return f
}

// TestFilterTranslation checks the SQL translation against workflow.Filter.Match, the one
// definition, on random records and filters, with pages small enough to turn several times.
func TestFilterTranslation(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	s.pageSize = 7
	r := rand.New(rand.NewPCG(59, 2006))

	recs := make([]*workflow.Record, 150)
	for i := range recs {
		recs[i] = randomRecord(t, r)
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: recs[i]}))
	}
	slices.SortFunc(recs, func(a, b *workflow.Record) int {
		return strings.Compare(string(a.Appeal.ID[:]), string(b.Appeal.ID[:]))
	})
	ids := make([]uuid.UUID, len(recs))
	for i, rec := range recs {
		ids[i] = rec.Appeal.ID
	}

	for i := range 400 {
		f := randomFilter(r, ids)
		var want []uuid.UUID
		for _, rec := range recs {
			if f.Match(rec.Index()) && (f.Limit == 0 || len(want) < f.Limit) {
				want = append(want, rec.Appeal.ID)
			}
		}
		var got []uuid.UUID
		for rec, err := range s.List(t.Context(), f) {
			require.NoError(t, err)
			got = append(got, rec.Appeal.ID)
		}
		require.Equal(t, want, got, "filter %d: %+v", i, f)
		n, err := s.Count(t.Context(), f)
		require.NoError(t, err)
		require.Equal(t, len(want), n, "count %d: %+v", i, f)
	}
}

func TestCodePaths(t *testing.T) {
	for _, tc := range []struct {
		codes []string
		want  []string
	}{
		{nil, nil},
		{[]string{"0005"}, []string{"0005"}},
		{[]string{"0005.0005.0055"}, []string{"0005", "0005.0005", "0005.0005.0055"}},
		{[]string{"0005.0005", "0005.0006"}, []string{"0005", "0005.0005", "0005.0006"}},
		{[]string{"a..b"}, []string{"a", "a.", "a..b"}},
		{[]string{".x"}, []string{"", ".x"}},
	} {
		assert.Equal(t, tc.want, codePaths(tc.codes), "%q", tc.codes)
	}
}

// TestIndexesServeFilters checks that every filter field is served by its index: with
// sequential scans priced out, the plan of each one-field filter uses the named index.
func TestIndexesServeFilters(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := deadline.NewDate(2025, time.March, 3)
	conn, err := s.pool.Acquire(t.Context())
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(t.Context(), "SET enable_seqscan = off")
	require.NoError(t, err)

	for _, tc := range []struct {
		filter workflow.Filter
		index  string
	}{
		{workflow.Filter{States: []appeal.State{appeal.StateRegistered}}, "appeals_state"},
		{workflow.Filter{DueFrom: d, DueTo: d}, "appeal_terms_legal"},
		{workflow.Filter{DueTo: d}, "appeal_terms_legal"},
		{workflow.Filter{ControlTo: d}, "appeal_terms_control"},
		{workflow.Filter{ControlFrom: d, ControlTo: d, TermKinds: []workflow.TermKind{workflow.TermAssignment}}, "appeal_terms_control"},
		{workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermRegistration}}, "appeal_terms_appeal"},
		{workflow.Filter{RegisteredFrom: d}, "appeals_registered_on"},
		{workflow.Filter{Person: "exec-1"}, "appeals_people"},
		{workflow.Filter{Code: "0005.0005"}, "appeals_code_paths"},
		{workflow.Filter{Applicant: "иванов иван|"}, "appeals_applicants"},
		{workflow.Filter{Number: "ОГ-1/2025"}, "appeals_number"},
		{workflow.Filter{After: uuid.Max}, "appeals_pkey"},
	} {
		where, args := filterSQL(tc.filter)
		rows, err := conn.Query(t.Context(), "EXPLAIN SELECT id, version, doc FROM appeals"+where+" ORDER BY id LIMIT 500", args...)
		require.NoError(t, err)
		var plan []string
		for rows.Next() {
			var line string
			require.NoError(t, rows.Scan(&line))
			plan = append(plan, line)
		}
		require.NoError(t, rows.Err())
		uses := regexp.MustCompile(`(Index Scan using|Index Only Scan using|Bitmap Index Scan on) ` + tc.index + `\b`)
		assert.Regexp(t, uses, strings.Join(plan, "\n"), "%+v", tc.filter)
	}
}
