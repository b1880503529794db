package pgstore

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/storetest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// TestFilterTranslation checks the SQL translation against workflow.Filter.Match, the one
// definition, on random records and filters, with pages small enough to turn several times.
func TestFilterTranslation(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	s.pageSize = 7
	r := rand.New(rand.NewPCG(59, 2006))
	recs := make([]*workflow.Record, 150)
	for i := range recs {
		recs[i] = storetest.RandomRecord(r)
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: recs[i]}))
	}
	storetest.CheckFilters(t, s, r, recs, 400)
}

// TestIndexesServeFilters checks that every filter field is served by its index: with
// sequential scans priced out, the plan of each one-field filter uses the named index, and a
// search's words the GIN index on them.
func TestIndexesServeFilters(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := deadline.NewDate(2025, time.March, 3)
	conn, err := s.pool.Acquire(t.Context())
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(t.Context(), "SET enable_seqscan = off")
	require.NoError(t, err)

	type planCase struct {
		filter workflow.Filter
		index  string
		words  []string // a search's
	}
	cases := []planCase{
		{workflow.Filter{States: []appeal.State{appeal.StateRegistered}}, "appeals_state", nil},
		{workflow.Filter{DueFrom: d, DueTo: d}, "appeal_terms_legal", nil},
		{workflow.Filter{DueTo: d}, "appeal_terms_legal", nil},
		{workflow.Filter{ControlTo: d}, "appeal_terms_control", nil},
		{workflow.Filter{ControlFrom: d, ControlTo: d, TermKinds: []workflow.TermKind{workflow.TermAssignment}}, "appeal_terms_control", nil},
		{workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermRegistration}}, "appeal_terms_appeal", nil},
		{workflow.Filter{RegisteredFrom: d}, "appeals_registered_on", nil},
		{workflow.Filter{Person: "exec-1"}, "appeals_people", nil},
		{workflow.Filter{Code: "0005.0005"}, "appeals_code_paths", nil},
		{workflow.Filter{Applicant: "иванов иван|"}, "appeals_applicants", nil},
		{workflow.Filter{Number: "ОГ-1/2025"}, "appeals_number", nil},
		{workflow.Filter{After: uuid.Max}, "appeals_pkey", nil},
		{workflow.Filter{}, "appeals_words", []string{"крыш", "подвал"}},
	}
	for _, tc := range cases {
		q, args := pageSQL(tc.filter, tc.words, 500)
		rows, err := conn.Query(t.Context(), "EXPLAIN "+q, args...)
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
