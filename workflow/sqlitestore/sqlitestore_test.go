package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"modernc.org/sqlite"
)

// newRecord returns a record of the card newCard with an id of its own, a question and a
// responsible clerk.
func newRecord(t testing.TB, intake string) *workflow.Record {
	t.Helper()
	id, err := uuid.NewV7()
	require.NoError(t, err)
	card := newCard()
	card.ID, card.Responsible = id, "clerk-1"
	card.Questions = []appeal.Question{{Code: lifecycleCode}}
	return &workflow.Record{Appeal: card, IntakeKey: intake, Series: "ОГ"}
}

// noteOf returns a pending notification of the appeal to its applicant, due at t0.
func noteOf(appealID uuid.UUID) workflow.Notification {
	return workflow.Notification{ID: uuid.Must(uuid.NewV7()), AppealID: appealID, Kind: "registration", CreatedAt: t0,
		To:     workflow.Recipient{Role: workflow.RecipientApplicant, Channel: workflow.ChannelEmail, Address: "maria@example.org"},
		Status: workflow.NotificationPending, NextAttempt: t0}
}

// TestMigrationFiles keeps the list of migrations in step with the files under migrations/:
// each file is listed, in the order of its number, and nothing else.
func TestMigrationFiles(t *testing.T) {
	entries, err := os.ReadDir("migrations")
	require.NoError(t, err)
	require.Len(t, migrations, len(entries))
	for i, e := range entries {
		assert.True(t, strings.HasPrefix(e.Name(), fmt.Sprintf("%04d_", i+1)), "%s is migration %d", e.Name(), i+1)
		b, err := os.ReadFile(filepath.Join("migrations", e.Name()))
		require.NoError(t, err)
		assert.Equal(t, string(b), migrations[i], "%s is embedded as migration %d", e.Name(), i+1)
	}
}

func TestOpenMigrates(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "appeals.db")
	// Processes starting at once on a new file: the first migrates, the others find it done.
	var wg sync.WaitGroup
	stores := make([]*Store, 8)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(path, Options{}) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err)
		require.NoError(t, stores[i].Close())
	}
	s := openStore(t, path) // again: nothing to do
	var version int
	require.NoError(t, s.readers.QueryRow(`PRAGMA user_version`).Scan(&version))
	assert.Equal(t, len(migrations), version)
	rec := newRecord(t, "")
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec}))

	// A file from a newer version of the package is refused, and left as it was.
	newer := filepath.Join(t.TempDir(), "newer.db")
	n := openStore(t, newer)
	_, err := n.writer.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations)+1))
	require.NoError(t, err)
	require.NoError(t, n.Close())
	_, err = Open(newer, Options{})
	require.ErrorContains(t, err, "newer version")

	// A path is a path, whatever it holds; it does not end at '?' or '#'.
	odd := filepath.Join(t.TempDir(), "обращения 100% #1?.db")
	o := openStore(t, odd)
	require.NoError(t, o.Create(t.Context(), workflow.Change{Record: newRecord(t, "")}))
	_, err = os.Stat(odd)
	require.NoError(t, err, "the file is where the path says")

	_, err = Open("", Options{})
	require.Error(t, err)
	_, err = Open(filepath.Join(t.TempDir(), "no", "such", "dir.db"), Options{})
	require.Error(t, err)
}

// TestSettings checks the settings the package doc promises on the connections the store
// opened: WAL, synchronous=FULL, the busy timeout, the file mapped into memory, query-only
// readers, and a file only its owner may read.
func TestSettings(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "appeals.db")
	s, err := Open(path, Options{BusyTimeout: 1500 * time.Millisecond, Readers: 3})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	for _, db := range []struct {
		name      string
		q         func(string) (string, error)
		queryOnly string
	}{
		{"writer", pragma(s.writer), "0"},
		{"reader", pragma(s.readers), "1"},
	} {
		for _, want := range []struct{ pragma, value string }{
			{"journal_mode", "wal"}, {"synchronous", "2"}, {"busy_timeout", "1500"}, {"mmap_size", "1073741824"},
			{"query_only", db.queryOnly},
		} {
			got, err := db.q(want.pragma)
			require.NoError(t, err)
			assert.Equal(t, want.value, got, "%s: PRAGMA %s", db.name, want.pragma)
		}
	}
	assert.Equal(t, 3, s.readers.Stats().MaxOpenConnections)
	assert.Equal(t, 1, s.writer.Stats().MaxOpenConnections)
	if runtime.GOOS != "windows" {
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			fi, err := os.Stat(f)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "%s: personal data, for the owner only", filepath.Base(f))
		}
	}
}

// pragma returns a function that reads a PRAGMA's value on db.
func pragma(db *sql.DB) func(string) (string, error) {
	return func(p string) (string, error) {
		var v string
		err := db.QueryRow(`PRAGMA ` + p).Scan(&v)
		return v, err
	}
}

// TestRefusedWrites maps each refusal SQLite reports onto workflow's sentinels, and checks
// after each that it wrote nothing: no appeal, no version, no event, no notification, no
// number.
func TestRefusedWrites(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	holder := newRecord(t, "msg-1@mail")
	queued := noteOf(holder.Appeal.ID)
	require.NoError(t, s.Create(ctx, workflow.Change{Record: holder, Notifications: []workflow.Notification{queued}}))
	other := newRecord(t, "")
	require.NoError(t, s.Create(ctx, workflow.Change{Record: other}))
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	dropCard := &workflow.NumberDraw{Series: "ОГ", Year: 2025, Apply: func(ch *workflow.Change, _ int64) error { ch.Record = nil; return nil }}

	counts := func() [4]int {
		var c [4]int
		for i, table := range []string{"appeals", "events", "outbox", "numbering"} {
			require.NoError(t, s.readers.QueryRow(`SELECT count(*) FROM `+table).Scan(&c[i]))
		}
		return c
	}
	before := counts()
	withKey := other.Clone()
	withKey.IntakeKey = "msg-1@mail"
	fresh := newRecord(t, "")
	twice := noteOf(other.Appeal.ID)
	event := []workflow.Event{{AppealID: other.Appeal.ID, At: t0, Command: "edit"}}
	for _, tc := range []struct {
		name   string
		create bool
		ctx    context.Context
		ch     workflow.Change
		want   error
	}{
		{"save takes another's intake key", false, ctx, workflow.Change{Record: withKey, Events: event}, workflow.ErrDuplicate},
		{"create takes a queued notification's id", true, ctx, workflow.Change{Record: fresh, Events: event, Notifications: []workflow.Notification{queued}}, workflow.ErrExists},
		{"save queues one notification twice", false, ctx, workflow.Change{Record: other.Clone(), Events: event, Notifications: []workflow.Notification{twice, twice}}, workflow.ErrExists},
		{"create of a taken id", true, ctx, workflow.Change{Record: other.Clone(), Events: event}, workflow.ErrExists},
		{"save without a card", false, ctx, workflow.Change{Record: &workflow.Record{Version: 1}}, errNoAppeal},
		{"create without a record", true, ctx, workflow.Change{}, errNoAppeal},
		{"a draw whose Apply drops the card", false, ctx, workflow.Change{Record: other.Clone(), Events: event, Number: dropCard}, errNoAppeal},
		{"a canceled context", false, canceled, workflow.Change{Record: other.Clone(), Events: event}, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			write := s.Save
			if tc.create {
				write = s.Create
			}
			require.ErrorIs(t, write(tc.ctx, tc.ch), tc.want)
			assert.Equal(t, before, counts(), "nothing written")
		})
	}
	var dup *workflow.DuplicateError
	require.ErrorAs(t, s.Save(ctx, workflow.Change{Record: withKey}), &dup)
	assert.Equal(t, holder.Appeal.ID, dup.Existing, "the holder of the key")
	got, err := s.Get(ctx, other.Appeal.ID)
	require.NoError(t, err)
	assert.Equal(t, other, got)
}

// TestErrorsCarryNoPersonalData provokes SQLite errors whose messages would quote values and
// checks that what the store returns carries none of them, nor the *sqlite.Error itself.
func TestErrorsCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	const secret = "Конфиденциальная"
	require.NoError(t, s.Create(ctx, workflow.Change{Record: newRecord(t, secret+"@example.org")}))

	_, raw := s.writer.Exec(`SELECT '` + secret + `' FROM no_such_table`) // SQLite names the table
	_, quoted := s.writer.Exec(`SELECT ` + secret)                        // and the unknown column
	require.ErrorContains(t, quoted, secret, "SQLite's own message quotes the text")
	for _, err := range []error{
		s.Create(ctx, workflow.Change{Record: newRecord(t, secret+"@example.org")}), // unique intake key
		fmt.Errorf("wrapped: %w", scrub(raw)),
		scrub(quoted),
	} {
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret)
		var se *sqlite.Error
		assert.False(t, errors.As(err, &se), "no *sqlite.Error reachable: %v", err)
	}
	assert.ErrorContains(t, scrub(quoted), "SQLITE_ERROR", "the code stays")
}

func TestEventsAppendOnly(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	rec := newRecord(t, "")
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec, Events: []workflow.Event{{AppealID: rec.Appeal.ID, At: t0, Command: "receive"}}}))
	for _, stmt := range []string{`UPDATE events SET doc = x'a0'`, `DELETE FROM events`} {
		_, err := s.writer.Exec(stmt)
		require.Error(t, err, stmt)
		assert.Contains(t, err.Error(), "append-only")
	}
	h, err := s.History(t.Context(), rec.Appeal.ID)
	require.NoError(t, err)
	assert.Len(t, h, 1)
}

// TestBatchIsolation queues writes while the writer is busy, so that they share one
// transaction, and checks that each one's refusal undoes exactly its own rows: a create whose
// notification id is taken fails after its appeals row was written, and leaves no appeal.
func TestBatchIsolation(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	taken := noteOf(uuid.Nil)
	first := newRecord(t, "form-1")
	taken.AppealID = first.Appeal.ID
	require.NoError(t, s.Create(ctx, workflow.Change{Record: first, Notifications: []workflow.Notification{taken}}))

	release := make(chan struct{})
	busy := make(chan error, 1)
	go func() {
		busy <- s.exec(ctx, func(*sql.Tx) error { <-release; return nil })
	}()
	time.Sleep(20 * time.Millisecond) // the writer holds the busy write

	type outcome struct {
		rec *workflow.Record
		err error
	}
	results := make([]outcome, 12)
	var wg sync.WaitGroup
	for i := range results {
		rec := newRecord(t, fmt.Sprintf("form-%d", i+2))
		ch := workflow.Change{Record: rec, Notifications: []workflow.Notification{noteOf(rec.Appeal.ID)}}
		switch i % 3 {
		case 1:
			ch.Notifications = []workflow.Notification{taken} // refused after its appeals row
		case 2:
			rec.IntakeKey = "form-1" // refused at its appeals row
		}
		wg.Go(func() { results[i] = outcome{rec, s.Create(ctx, ch)} })
	}
	time.Sleep(50 * time.Millisecond) // all queued behind the busy write
	close(release)
	wg.Wait()
	require.NoError(t, <-busy)

	for i, r := range results {
		_, err := s.Get(ctx, r.rec.Appeal.ID)
		switch i % 3 {
		case 0:
			require.NoError(t, r.err)
			require.NoError(t, err, "stored")
		case 1:
			require.ErrorIs(t, r.err, workflow.ErrExists)
			require.ErrorIs(t, err, workflow.ErrNotFound, "its appeals row undone")
		case 2:
			require.ErrorIs(t, r.err, workflow.ErrDuplicate)
			require.ErrorIs(t, err, workflow.ErrNotFound)
		}
	}
	n, err := s.Count(ctx, workflow.Filter{})
	require.NoError(t, err)
	assert.Equal(t, 1+len(results)/3, n)
}

// TestApplyPanics: a panic in NumberDraw.Apply reaches the caller, as it would in memstore,
// and the store goes on working without having stored or spent anything.
func TestApplyPanics(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	rec := newRecord(t, "")
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec}))
	ch := workflow.Change{Record: rec.Clone(), Number: &workflow.NumberDraw{Series: "ОГ", Year: 2025,
		Apply: func(*workflow.Change, int64) error { panic("template bug") }}}
	assert.PanicsWithValue(t, "template bug", func() { _ = s.Save(t.Context(), ch) })

	var n int64
	ch.Number.Apply = func(ch *workflow.Change, drawn int64) error { n = drawn; return nil }
	require.NoError(t, s.Save(t.Context(), ch))
	assert.Equal(t, int64(1), n, "the panicking draw spent nothing")
}

func TestClose(t *testing.T) {
	t.Parallel()
	s, err := Open(filepath.Join(t.TempDir(), "appeals.db"), Options{})
	require.NoError(t, err)
	rec := newRecord(t, "")
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec}))
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "twice is harmless")

	ctx := t.Context()
	_, getErr := s.Get(ctx, rec.Appeal.ID)
	_, historyErr := s.History(ctx, rec.Appeal.ID)
	_, claimErr := s.ClaimNotifications(ctx, t0, 1, time.Minute)
	_, countErr := s.Count(ctx, workflow.Filter{})
	var listErr error
	for _, err := range s.List(ctx, workflow.Filter{}) {
		listErr = err
	}
	for _, err := range []error{getErr, historyErr, claimErr, countErr, listErr,
		s.Save(ctx, workflow.Change{Record: rec}), s.Create(ctx, workflow.Change{Record: newRecord(t, "")}),
		s.UpdateNotification(ctx, workflow.Notification{}), s.Backup(ctx, filepath.Join(t.TempDir(), "copy.db"))} {
		assert.ErrorIs(t, err, ErrClosed)
	}
}

// TestBackup copies the store while writers keep saving: the copy is a store of its own, as
// consistent as the file (every record the replay of its events), with every record saved
// before the backup began; a second backup replaces the first only once whole.
func TestBackup(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	before := make([]*workflow.Record, 20)
	for i := range before {
		before[i] = newRecord(t, "")
		require.NoError(t, s.Create(ctx, workflow.Change{Record: before[i], Events: []workflow.Event{{AppealID: before[i].Appeal.ID, At: t0, Command: "receive"}}}))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, rec := range before[:4] {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				assert.NoError(t, s.Save(ctx, workflow.Change{Record: rec, Events: []workflow.Event{{AppealID: rec.Appeal.ID, At: t0, Command: "edit"}}}))
			}
		})
	}
	dir := t.TempDir()
	copyPath := filepath.Join(dir, "nightly.db")
	require.NoError(t, os.WriteFile(copyPath, []byte("yesterday's copy"), 0o600))
	require.NoError(t, s.Backup(ctx, copyPath))
	require.NoError(t, s.Backup(ctx, copyPath), "again, over the last copy")
	close(stop)
	wg.Wait()

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left")
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(copyPath)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
	c := openStore(t, copyPath)
	n := 0
	for rec, err := range c.List(ctx, workflow.Filter{}) {
		require.NoError(t, err)
		h, err := c.History(ctx, rec.Appeal.ID)
		require.NoError(t, err)
		assert.Len(t, h, int(rec.Version), "a consistent snapshot: one event per version")
		n++
	}
	assert.Equal(t, len(before), n)

	err = s.Backup(ctx, filepath.Join(dir, "no", "such", "dir.db"))
	require.Error(t, err)
}

// TestIndexesServeFilters checks with EXPLAIN QUERY PLAN that each one-field filter is served
// by an index, and that the keys' and terms' tables are never scanned whole.
func TestIndexesServeFilters(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := deadline.NewDate(2025, time.March, 3)
	for _, tc := range []struct {
		filter workflow.Filter
		index  string
	}{
		{workflow.Filter{States: []appeal.State{appeal.StateRegistered}}, "appeals_state"},
		{workflow.Filter{DueFrom: d, DueTo: d}, "appeal_terms_legal"},
		{workflow.Filter{DueTo: d}, "appeal_terms_legal"},
		{workflow.Filter{ControlTo: d}, "appeal_terms_control"},
		{workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermRegistration}}, "appeal_terms_kind"},
		{workflow.Filter{TermKinds: []workflow.TermKind{workflow.TermAssignment}, DueTo: d}, "appeal_terms_"},
		{workflow.Filter{Person: "exec-1"}, "appeal_keys USING PRIMARY KEY (field=? AND value=?)"},
		{workflow.Filter{Code: "0005.0005"}, "appeal_keys USING PRIMARY KEY (field=? AND value>? AND value<?)"},
		{workflow.Filter{Applicant: "иванов и|"}, "appeal_keys USING PRIMARY KEY (field=? AND value=?)"},
		{workflow.Filter{Number: "ОГ-1/2025"}, "appeals_number"},
		{workflow.Filter{After: uuid.Max}, "(id>?)"},
	} {
		where, args := filterSQL(tc.filter)
		all := queryPlan(t, s, `SELECT id, version, doc FROM appeals`+where+` ORDER BY id LIMIT 500`, args...)
		assert.Contains(t, all, tc.index, "%+v", tc.filter)
		assert.NotRegexp(t, `SCAN appeal_(keys|terms)\b`, all, "%+v", tc.filter)
	}
}

// queryPlan returns the lines of the query's plan (EXPLAIN QUERY PLAN) on a reader.
func queryPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.readers.Query(`EXPLAIN QUERY PLAN `+query, args...)
	require.NoError(t, err)
	var plan []string
	for rows.Next() {
		var (
			id, parent, unused int
			detail             string
		)
		require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
		plan = append(plan, detail)
	}
	require.NoError(t, rows.Err())
	return strings.Join(plan, "\n")
}

// TestListHoldsNoConnection lists with one reader connection and reads from inside the loop:
// a List that kept its connection (or an open read) while yielding would wait for itself.
func TestListHoldsNoConnection(t *testing.T) {
	t.Parallel()
	s, err := Open(filepath.Join(t.TempDir(), "appeals.db"), Options{Readers: 1})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	s.pageSize = 2
	for range 5 {
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: newRecord(t, "")}))
	}
	done := make(chan int, 1)
	go func() {
		n := 0
		for rec, err := range s.List(t.Context(), workflow.Filter{}) {
			assert.NoError(t, err)
			got, err := s.Get(t.Context(), rec.Appeal.ID)
			assert.NoError(t, err)
			assert.NoError(t, s.Save(t.Context(), workflow.Change{Record: got}))
			n++
		}
		done <- n
	}()
	select {
	case n := <-done:
		assert.Equal(t, 5, n)
	case <-time.After(5 * time.Second):
		t.Fatal("List holds its connection while the loop body runs")
	}
}

// The planner finds FTS5's segments by their range of rowids, on a new file and on one that
// grew: statistics taken of the search words' tables when they were small would have it read
// the whole table at every segment FTS5 removes while merging.
func TestSearchWordsPlan(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "appeals.db")
	plan := func(s *Store) string {
		var id, parent, unused int
		var detail string
		require.NoError(t, s.writer.QueryRow(`EXPLAIN QUERY PLAN DELETE FROM appeal_words_data WHERE id >= ? AND id <= ?`, 1, 2).
			Scan(&id, &parent, &unused, &detail))
		return detail
	}
	s := openStore(t, path)
	assert.Contains(t, plan(s), "SEARCH appeal_words_data USING INTEGER PRIMARY KEY", "a new file")
	for range 3 {
		rec := newRecord(t, "")
		rec.Words = []string{"лифт"}
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec}))
	}
	require.NoError(t, s.Close())
	s = openStore(t, path)
	assert.Contains(t, plan(s), "SEARCH appeal_words_data USING INTEGER PRIMARY KEY", "opened again")
	var stats int
	require.NoError(t, s.writer.QueryRow(`SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'appeals'`).Scan(&stats))
	assert.NotZero(t, stats, "the other tables keep their statistics")
}

// A Save writes only the index rows that change: the appeal's key and term rows end as its
// index has them, no more and no fewer, and a key added costs that key's row, not all of
// them again.
func TestSaveWritesChangedIndexRows(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	rec := newRecord(t, "")
	rec.Appeal.Questions = append(rec.Appeal.Questions, appeal.Question{Code: "0003.0008.0086.0555"})
	d0 := deadline.NewDate(2025, time.March, 3)
	rec.Assignments = []workflow.Assignment{{ID: "1", Executor: "exec-1", Due: d0.AddDays(20)}, {ID: "2", Executor: "exec-2", Due: d0.AddDays(20)}}
	require.NoError(t, s.Create(ctx, workflow.Change{Record: rec}))
	stored := func() (keys, terms []string) {
		for _, q := range []struct {
			sql  string
			into *[]string
		}{
			{`SELECT field || ' ' || value FROM appeal_keys WHERE appeal_id = ?`, &keys},
			{`SELECT kind || ' ' || ifnull(legal, '-') || ' ' || ifnull(control, '-') FROM appeal_terms WHERE appeal_id = ?`, &terms},
		} {
			rows, err := s.readers.Query(q.sql, rec.Appeal.ID[:])
			require.NoError(t, err)
			for rows.Next() {
				var v string
				require.NoError(t, rows.Scan(&v))
				*q.into = append(*q.into, v)
			}
			require.NoError(t, rows.Close())
		}
		slices.Sort(keys)
		slices.Sort(terms)
		return keys, terms
	}
	want := func() (keys, terms []string) {
		ix := rec.Index()
		for _, k := range []struct {
			field  string
			values []string
		}{{"person", ix.People}, {"code", ix.Codes}, {"applicant", ix.Applicants}} {
			for _, v := range k.values {
				keys = append(keys, k.field+" "+v)
			}
		}
		for _, tm := range ix.Terms {
			terms = append(terms, fmt.Sprintf("%s %v %v", tm.Kind, day(tm.Legal), day(tm.Control)))
		}
		slices.Sort(keys)
		slices.Sort(terms)
		return keys, terms
	}
	changes := func() int64 {
		var n int64
		require.NoError(t, s.writer.QueryRow(`SELECT total_changes()`).Scan(&n))
		return n
	}
	for _, step := range []struct {
		name   string
		edit   func()
		writes int64 // rows: the appeals row, the key and term rows that change
	}{
		{"an executor more", func() {
			rec.Assignments = append(rec.Assignments, workflow.Assignment{ID: "3", Executor: "exec-3", Due: d0.AddDays(25)})
		}, 1 + 1 + 1},
		{"an assignment closed", func() { rec.Assignments[0].Closed = d0.AddDays(5) }, 1 + 1},
		{"a code changed", func() { rec.Appeal.Questions[1].Code = "0005.0005.0055.1122" }, 1 + 2},
		{"nothing indexed", func() { rec.Appeal.Summary = "О ремонте" }, 1},
		{"two terms moved to one day", func() {
			rec.Assignments[1].Due, rec.Assignments[2].Due = d0.AddDays(30), d0.AddDays(30)
		}, 1 + 2 + 2},
	} {
		step.edit()
		before := changes()
		require.NoError(t, s.Save(ctx, workflow.Change{Record: rec}), step.name)
		assert.Equal(t, step.writes, changes()-before, "%s: rows written", step.name)
		gotKeys, gotTerms := stored()
		wantKeys, wantTerms := want()
		assert.Equal(t, wantKeys, gotKeys, step.name)
		assert.Equal(t, wantTerms, gotTerms, step.name)
	}
}

// List's query of a range of registration days reads the index alone: were it to look up
// every appeal of the range, a List of a quarter of a large file would read the whole quarter
// for every round.
func TestListRangePlan(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	f := workflow.Filter{RegisteredFrom: deadline.NewDate(2025, time.March, 1), RegisteredTo: deadline.NewDate(2025, time.May, 31)}
	q, args := listSQL(f, 100)
	rows, err := s.readers.Query(`EXPLAIN QUERY PLAN `+q, args...)
	require.NoError(t, err)
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
		plan = append(plan, detail)
	}
	require.NoError(t, rows.Err())
	assert.Contains(t, plan, "SEARCH appeals USING COVERING INDEX appeals_registered_on (registered_on>? AND registered_on<?)")
}

// List goes on from round to round: with pages of one record, a round of ids holds listPages
// of them, and 150 records take three rounds, with a limit or without.
func TestListRounds(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	s.pageSize = 1
	var ids []uuid.UUID
	for range 2*listPages + 22 {
		rec := newRecord(t, "")
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec}))
		ids = append(ids, rec.Appeal.ID)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return strings.Compare(string(a[:]), string(b[:])) })
	for _, limit := range []int{0, listPages + 1, 2*listPages + 22} {
		var got []uuid.UUID
		for rec, err := range s.List(t.Context(), workflow.Filter{Limit: limit}) {
			require.NoError(t, err)
			got = append(got, rec.Appeal.ID)
		}
		want := ids
		if limit > 0 {
			want = ids[:limit]
		}
		assert.Equal(t, want, got, "limit %d", limit)
	}
}
