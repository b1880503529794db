package sqlitestore

import (
	"bytes"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/storetest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSearch runs the search suite with pages small enough to turn many times: a search reads
// 56 ids and then 7 records at a time.
func TestSearch(t *testing.T) {
	t.Parallel()
	storetest.RunSearch(t, func(t *testing.T) workflow.Store {
		s := newStore(t)
		s.pageSize = 7
		return s
	})
}

func TestEngineSearch(t *testing.T) {
	t.Parallel()
	storetest.CheckEngineSearch(t, newStore(t))
}

// TestSearchPlan checks with EXPLAIN QUERY PLAN that the full-text index drives every search:
// appeals are only looked up by rowid (for a filter on their own columns, and to read the
// records found), never scanned, and neither are the keys' and terms' tables.
func TestSearchPlan(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := deadline.NewDate(2025, time.March, 3)
	match := matchQuery([]string{"крыш", "подвал"})
	for _, f := range []workflow.Filter{
		{},
		{States: []appeal.State{appeal.StateRegistered}},
		{RegisteredFrom: d},
		{Number: "ОГ-1/2025"},
		{Person: "exec-1"},
		{Code: "0005.0005"},
		{Applicant: "иванов и|"},
		{DueTo: d, TermKinds: []workflow.TermKind{workflow.TermAssignment}},
		{After: uuid.Max},
		{States: []appeal.State{appeal.StateRegistered}, Person: "exec-1", ControlTo: d, After: uuid.Max},
	} {
		q, args := foundSQL(match, f, 4000)
		plan := queryPlan(t, s, q, args...)
		assert.Contains(t, plan, "SCAN appeal_words VIRTUAL TABLE INDEX", "%+v", f)
		assert.NotRegexp(t, `SCAN appeal(s|_keys|_terms)\b`, plan, "%+v", f)
		own := len(f.States) > 0 || !f.RegisteredFrom.IsZero() || f.Number != ""
		assert.Equal(t, own, strings.Contains(plan, "SEARCH appeals EXISTS USING"), "%+v: the appeal's own columns read, and only then", f)
	}
	plan := queryPlan(t, s, byRowidSQL, "[1,2]")
	assert.Contains(t, plan, "SEARCH appeals USING INTEGER PRIMARY KEY (rowid=?)")
	assert.NotContains(t, plan, "SCAN appeals")
}

// TestSearchWordsWritten: a Save that keeps a record's words leaves the full-text index as it
// was, one that changes them rewrites the record's row there, as Create wrote it.
func TestSearchWordsWritten(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	segments := func() (n int) { // each write of the index adds to its data
		require.NoError(t, s.readers.QueryRowContext(ctx, `SELECT count(*) FROM appeal_words_data`).Scan(&n))
		return n
	}
	before := segments()
	rec := newRecord(t, "")
	rec.Words = []string{"крыш", "подвал"}
	require.NoError(t, s.Create(ctx, workflow.Change{Record: rec}))
	created := segments()
	require.Greater(t, created, before, "Create writes the words")

	rec.Appeal.Summary = "Другое"
	require.NoError(t, s.Save(ctx, workflow.Change{Record: rec}))
	assert.Equal(t, created, segments(), "a Save that keeps the words does not write them")

	rec.Words = []string{"крыш"}
	require.NoError(t, s.Save(ctx, workflow.Change{Record: rec}))
	assert.Greater(t, segments(), created, "a Save that changes them does")
	var n int
	require.NoError(t, s.readers.QueryRowContext(ctx, `SELECT count(*) FROM appeal_words WHERE appeal_words MATCH ?`,
		matchQuery([]string{"подвал"})).Scan(&n))
	assert.Zero(t, n, "the word removed")
}

// FuzzAppendWord checks how a word is written for the full-text index: never empty, only of
// the characters the tokenizer keeps in a token and does not fold (a-z, 0-9, а-я, '.', '-',
// '/', '_'), and no two words alike, so that a MATCH of a word finds exactly the records
// that hold it.
func FuzzAppendWord(f *testing.F) {
	for _, w := range []string{"", "крыш", "IVANOV", "ёлка", "ЕЛКА", "й", `"`, "a b", "_", "_5f_", "\xff", "\xef\xbf\xbd", "д5", "12.03.2025", "東京"} {
		f.Add(w, "_")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ea, eb := string(appendWord(nil, a)), string(appendWord(nil, b))
		if (a == b) != (ea == eb) {
			t.Fatalf("%q and %q are written %q and %q", a, b, ea, eb)
		}
		if ea == "" || !utf8.ValidString(ea) {
			t.Fatalf("%q is written %q", a, ea)
		}
		for _, r := range ea {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'а' && r <= 'я' || r == '.' || r == '-' || r == '/' || r == '_') {
				t.Fatalf("%q is written %q, with %q", a, ea, r)
			}
		}
	})
}

// TestBatchWords: the words of a batch's writes reach the search table after the batch's last
// savepoint (wordsWrite), and only those of the writes that stood: in one transaction, a
// create, a write that created a card and was then refused, and a save that changes a card's
// words.
func TestBatchWords(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	changed := newRecord(t, "")
	changed.Words = []string{"ленина"}
	require.NoError(t, s.Create(ctx, workflow.Change{Record: changed}))

	release := make(chan struct{})
	busy := make(chan error, 1)
	go func() { busy <- s.exec(ctx, func(*sql.Tx) error { <-release; return nil }) }()
	time.Sleep(20 * time.Millisecond) // the writer holds the busy write

	created, refused := newRecord(t, ""), newRecord(t, "")
	created.Words, refused.Words = []string{"садовая"}, []string{"садовая"}
	edit := changed.Clone()
	edit.Words = []string{"садовая"}
	errRefused := errors.New("refused after its card")
	errs := make(chan error, 3)
	go func() { errs <- s.Create(ctx, workflow.Change{Record: created}) }()
	enc, err := s.encode(workflow.Change{Record: refused})
	require.NoError(t, err)
	go func() {
		errs <- s.exec(ctx, func(tx *sql.Tx) error {
			if err := s.createTx(tx, workflow.Change{Record: refused}, enc); err != nil {
				return err
			}
			return errRefused
		})
	}()
	go func() { errs <- s.Save(ctx, workflow.Change{Record: edit}) }()
	time.Sleep(50 * time.Millisecond) // all queued behind the busy write
	close(release)
	require.NoError(t, <-busy)
	var refusals int
	for range 3 {
		if err := <-errs; err != nil {
			require.ErrorIs(t, err, errRefused)
			refusals++
		}
	}
	require.Equal(t, 1, refusals)

	indexed := func(word string) []uuid.UUID {
		rows, err := s.readers.QueryContext(ctx, `SELECT id FROM appeal_words WHERE appeal_words MATCH ? ORDER BY id`,
			matchQuery([]string{word}))
		require.NoError(t, err)
		defer rows.Close()
		var ids []uuid.UUID
		for rows.Next() {
			var id []byte
			require.NoError(t, rows.Scan(&id))
			ids = append(ids, uuid.UUID(id))
		}
		require.NoError(t, rows.Err())
		return ids
	}
	want := []uuid.UUID{changed.Appeal.ID, created.Appeal.ID}
	slices.SortFunc(want, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	assert.Equal(t, want, indexed("садовая"), "the created card and the changed one, not the refused")
	assert.Empty(t, indexed("ленина"), "the changed card's old words are gone")
}
