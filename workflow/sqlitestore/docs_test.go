package sqlitestore

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A file of schema version 1 holds its documents as JSON text. Migrated, it keeps every row
// (the appeals by rowid, which the search words refer to), its records, events and
// notifications read as they were written, and what is written after is CBOR.
func TestMigratedJSONDocuments(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "appeals.db")
	old, err := openDB(path, time.Second, 1, false)
	require.NoError(t, err)
	_, err = old.Exec(migration0001 + `; PRAGMA user_version = 1`)
	require.NoError(t, err)

	rec := newRecord(t, "form-1")
	rec.Version, rec.Words = 3, []string{"лифт", "садовая"}
	rec.Appeal.Summary = "О ремонте лифта"
	ev := workflow.Event{AppealID: rec.Appeal.ID, Seq: 1, At: t0, Actor: "clerk-1", Command: "receive", To: rec.Appeal.State}
	note := noteOf(rec.Appeal.ID)
	docs := make([]string, 3)
	for i, v := range []any{rec, ev, note} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		docs[i] = string(b)
	}
	ix := rec.Index()
	_, err = old.Exec(`INSERT INTO appeals (rowid, id, version, last_seq, state, intake_key, keys_sum, terms_sum, words_sum, doc)
		VALUES (7, ?, 3, 1, ?, ?, x'00', x'00', x'00', ?)`, ix.ID[:], string(ix.State), ix.IntakeKey, docs[0])
	require.NoError(t, err)
	_, err = old.Exec(`INSERT INTO appeal_words (rowid, id, words) VALUES (7, ?, ?)`, ix.ID[:], wordsText(ix.Words))
	require.NoError(t, err)
	_, err = old.Exec(`INSERT INTO events (appeal_id, seq, at, doc) VALUES (?, 1, ?, ?)`, ix.ID[:], stamp(t0), docs[1])
	require.NoError(t, err)
	_, err = old.Exec(`INSERT INTO outbox (pos, id, appeal_id, status, attempts, created_at, next_attempt, last_error, doc)
		VALUES (4, ?, ?, 'pending', 0, ?, ?, '', ?)`, note.ID[:], ix.ID[:], stamp(t0), stamp(t0), docs[2])
	require.NoError(t, err)
	require.NoError(t, old.Close())

	s := openStore(t, path)
	ctx := t.Context()
	var withoutRowid bool
	require.NoError(t, s.readers.QueryRow(`SELECT wr FROM pragma_table_list WHERE name = 'events'`).Scan(&withoutRowid))
	assert.True(t, withoutRowid, "events is one B-tree, by its key")
	got, err := s.Get(ctx, rec.Appeal.ID)
	require.NoError(t, err)
	assert.Equal(t, rec, got)
	h, err := s.History(ctx, rec.Appeal.ID)
	require.NoError(t, err)
	assert.Equal(t, []workflow.Event{ev}, h)
	var found []*workflow.Record
	for r, err := range s.Search(ctx, []string{"лифт"}, workflow.Filter{}) {
		require.NoError(t, err)
		found = append(found, r)
	}
	require.Len(t, found, 1, "the words still find their appeal")
	assert.Equal(t, rec.Appeal.ID, found[0].Appeal.ID)
	claimed, err := s.ClaimNotifications(ctx, t0, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	assert.Equal(t, note.Subject, claimed[0].Subject)
	assert.Equal(t, note.To, claimed[0].To)

	got.Appeal.Summary = "О ремонте лифта в подъезде"
	require.NoError(t, s.Save(ctx, workflow.Change{Record: got, Events: []workflow.Event{{AppealID: got.Appeal.ID, At: t0, Command: "edit"}}}))
	again, err := s.Get(ctx, rec.Appeal.ID)
	require.NoError(t, err)
	assert.Equal(t, got, again)
	var first []byte
	require.NoError(t, s.readers.QueryRow(`SELECT substr(doc, 1, 1) FROM appeals WHERE id = ?`, ix.ID[:]).Scan(&first))
	assert.NotEqual(t, []byte("{"), first, "written again, the record is CBOR")
	h, err = s.History(ctx, rec.Appeal.ID)
	require.NoError(t, err)
	assert.Equal(t, []workflow.Command{"receive", "edit"}, []workflow.Command{h[0].Command, h[1].Command})
}

// Strings keep their bytes, UTF-8 or not, and a record of any length reads back: the store
// reads whatever it was given to write.
func TestDocumentsReadBackWhatWasWritten(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	for name, edit := range map[string]func(*workflow.Record){
		"not UTF-8": func(r *workflow.Record) { r.Appeal.Summary = "лифт \xff\xfe" },
		"long list": func(r *workflow.Record) {
			r.Reminders = slices.Repeat([]string{"r"}, 140_000) // past the decoder's default bound of 131,072
		},
	} {
		rec := newRecord(t, "")
		edit(rec)
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec}), name)
		got, err := s.Get(t.Context(), rec.Appeal.ID)
		require.NoError(t, err, name)
		assert.Equal(t, rec, got, name)
	}
}

// FuzzDocs reads arbitrary bytes as a stored record: an error or a record, never a panic; and
// a record read, written and read again, is written as the same bytes. (Not as the same
// value: bytes the store never writes, a time as a number, read into time.Local, which the
// text of a time written reads back as a fixed offset.)
func FuzzDocs(f *testing.F) {
	d, err := newDocs()
	require.NoError(f, err)
	rec := benchRecord(f)
	for _, v := range []any{rec, workflow.Event{Command: "receive", At: t0}} {
		b, err := d.marshal(v)
		require.NoError(f, err)
		f.Add(b)
	}
	j, err := json.Marshal(rec)
	require.NoError(f, err)
	f.Add(j)
	f.Add([]byte{0xa1, 0x66, 'a', 'p', 'p', 'e', 'a', 'l', 0xf6})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := d.record(5, b)
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "decode record: "), "%v", err)
			return
		}
		assert.Equal(t, int64(5), got.Version)
		again, err := d.marshal(got)
		require.NoError(t, err)
		back, err := d.record(5, again)
		require.NoError(t, err)
		twice, err := d.marshal(back)
		require.NoError(t, err)
		assert.Equal(t, again, twice)
	})
}

// A document has the names and values of the record's JSON form, the text types as their
// text: what a later version of the package reads does not hang on how this one lays out a
// date in memory.
func TestDocumentsHoldTheJSONForm(t *testing.T) {
	t.Parallel()
	d, err := newDocs()
	require.NoError(t, err)
	rec := benchRecord(t)
	rec.Appeal.Dated = deadline.NewDate(2025, time.March, 1)
	rec.Appeal.RegisteredAt = t0.In(time.FixedZone("", 3*3600))
	b, err := d.marshal(rec)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, cbor.Unmarshal(b, &got))
	j, err := json.Marshal(rec)
	require.NoError(t, err)
	var want map[string]any
	require.NoError(t, json.Unmarshal(j, &want))
	assert.ElementsMatch(t, slices.Collect(maps.Keys(want)), slices.Collect(maps.Keys(got)), "the same fields, by their JSON names")
	card := got["appeal"].(map[any]any)
	assert.Equal(t, "2025-03-01", card["dated"], "a date is its text")
	assert.Equal(t, rec.Appeal.ID[:], card["id"], "an id is its 16 bytes")
	require.NotEmpty(t, card["registeredAt"])
	assert.Equal(t, want["appeal"].(map[string]any)["registeredAt"], card["registeredAt"], "a time is its RFC 3339 text")
}
