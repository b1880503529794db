package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// searcher is a store with the search ability.
type searcher interface {
	workflow.Store
	workflow.Searcher
}

// RunSearch runs the search suite against the stores newStore returns, which must be
// workflow.Searchers. Search is optional: an adapter that has it declares so by calling
// RunSearch beside Run, and one without passes Run alone (Engine.Search then scans List).
// As with Run, each subtest calls newStore once and needs an empty store, and subtests do not
// run in parallel. The suite stores a few hundred records, one subtest more than 500, so that
// a store that pages finds more than one page.
//
// Words are compared as exact strings. The suite builds most with textnorm, as the engine does
// (Record.Words), and adds strings textnorm never yields — upper case, ё, й beside и, a word
// that prefixes another, quotes and query syntax — that a store which folds, stems, parses or
// matches prefixes of its words would answer wrongly.
func RunSearch(t *testing.T, newStore func(t *testing.T) workflow.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s searcher)
	}{
		{"EveryWord", testSearchEveryWord},
		{"Fields", testSearchFields},
		{"Cyrillic", testSearchCyrillic},
		{"ExactStrings", testSearchExactStrings},
		{"ReindexOnSave", testSearchReindexOnSave},
		{"Filters", testSearchFilters},
		{"Order", testSearchOrder},
		{"Paging", testSearchPaging},
		{"EarlyBreak", testSearchEarlyBreak},
		{"WriteWhileIterating", testSearchWriteWhileIterating},
		{"ChangedWhileIterating", testSearchChangedWhileIterating},
		{"NoWords", testSearchNoWords},
		{"Cancelled", testSearchCancelled},
		{"Random", testSearchRandom},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			ss, ok := s.(searcher)
			require.Truef(t, ok, "%T is no workflow.Searcher: run RunSearch only for stores that search", s)
			tc.fn(t, ss)
		})
	}
}

// words returns the search words of texts as the engine computes them: their textnorm
// tokens, distinct and sorted.
func words(texts ...string) []string {
	var n textnorm.Normalizer
	var toks []string
	for _, s := range texts {
		toks = n.AppendTokens(toks, s)
	}
	return slices.Compact(slices.Sorted(slices.Values(toks)))
}

// search returns the ids s.Search yields, failing on an error and as soon as an id is not
// above the one before (so a store that yields one record again stops at once).
func search(t *testing.T, s workflow.Searcher, ws []string, f workflow.Filter) []uuid.UUID {
	t.Helper()
	ids := []uuid.UUID{}
	for rec, err := range s.Search(t.Context(), ws, f) {
		require.NoError(t, err)
		if n := len(ids); n > 0 && compareIDs(ids[n-1], rec.Appeal.ID) >= 0 {
			require.FailNow(t, "not in ascending id order", "%q %+v: %s after %s", ws, f, rec.Appeal.ID, ids[n-1])
		}
		ids = append(ids, rec.Appeal.ID)
	}
	return ids
}

// withWords creates a record built from sp with the given words and returns it.
func withWords(t *testing.T, s workflow.Store, id uuid.UUID, sp spec, ws []string) *workflow.Record {
	t.Helper()
	rec := build(id, sp)
	rec.Words = ws
	require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec}))
	return rec
}

// hasAll reports whether have holds every one of want.
func hasAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// indexes returns the indexes of recs.
func indexes(recs []*workflow.Record) []workflow.Index {
	ixs := make([]workflow.Index, len(recs))
	for i, rec := range recs {
		ixs[i] = rec.Index()
	}
	return ixs
}

// expected returns the ids of the records indexed by ixs (ascending by id) that Search(ws, f)
// must yield: those that match f and hold every word, at most f.Limit.
func expected(ixs []workflow.Index, ws []string, f workflow.Filter) []uuid.UUID {
	want := []uuid.UUID{}
	for _, ix := range ixs {
		if f.Match(ix) && hasAll(ix.Words, ws) && (f.Limit == 0 || len(want) < f.Limit) {
			want = append(want, ix.ID)
		}
	}
	return want
}

func testSearchEveryWord(t *testing.T, s searcher) {
	ids := newIDs(t, 3)
	withWords(t, s, ids[0], spec{}, words("Течёт крыша, в подвале вода"))
	withWords(t, s, ids[1], spec{}, words("Протекает крыша в подъезде"))
	withWords(t, s, ids[2], spec{}, words("Вода в подвале"))
	for _, tc := range []struct {
		query string
		want  []uuid.UUID
	}{
		{"крыша", ids[:2]},
		{"крыше подвале", ids[:1]},
		{"подвале крыша течет", ids[:1]}, // the order of the words does not matter
		{"в подвале", []uuid.UUID{ids[0], ids[2]}},
		{"крыша подъезд вода", nil},   // every word required
		{"снег", nil},                 // no record has it
		{"крыша подвале снег", nil},   // one word no record has
		{"подъезд подъезд", ids[1:2]}, // a word twice
	} {
		want := append([]uuid.UUID{}, tc.want...)
		assert.Equal(t, want, search(t, s, textnorm.Tokens(tc.query), workflow.Filter{}), tc.query)
	}
	assert.Empty(t, search(t, s, []string{"подва"}, workflow.Filter{}), "a word is never found by its prefix")
	assert.Empty(t, search(t, s, []string{"крыша"}, workflow.Filter{}), "nor by a form the tokens do not hold")
}

// testSearchFields finds a record by words of each of its fields, and by words of several.
func testSearchFields(t *testing.T, s searcher) {
	ids := newIDs(t, 2)
	card := func(number string, p appeal.Applicant, summary, text string) []string {
		return words(number, p.Surname+" "+p.GivenName+" "+p.Patronymic+" "+p.OrganizationName+" "+p.Email+" "+p.Phone,
			p.PostalAddress, summary, text)
	}
	a := build(ids[0], spec{number: "ОГ-1/2025", applicant: ivanov})
	a.Words = card(a.Appeal.Number, ivanov, a.Appeal.Summary, a.Appeal.Text)
	b := build(ids[1], spec{number: "ОГ-2/2025", applicant: romashka})
	b.Appeal.Summary, b.Appeal.Text = "О вывозе мусора", "Контейнеры переполнены."
	b.Words = card(b.Appeal.Number, romashka, b.Appeal.Summary, b.Appeal.Text)
	for _, rec := range []*workflow.Record{a, b} {
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: rec}))
	}
	for _, tc := range []struct {
		query string
		want  []uuid.UUID
	}{
		{"ОГ-1/2025", ids[:1]},               // the number
		{"иванов", ids[:1]},                  // the applicant's name
		{"ivanov@example.org", ids[:1]},      // the e-mail
		{"Пермь, ул. Ленина, д. 1", ids[:1]}, // the postal address
		{"ремонт", ids[:1]},                  // the summary
		{"отремонтировать", ids[:1]},         // the text
		{"Ромашка мусор контейнер", ids[1:]}, // an organization, its summary and text
		{"Иванов ремонт Ленина", ids[:1]},    // words of several fields
		{"иванов мусор", nil},                // words of two records
		{"ОГ", ids},                          // the numbers' common word
	} {
		want := append([]uuid.UUID{}, tc.want...)
		assert.Equal(t, want, search(t, s, textnorm.Tokens(tc.query), workflow.Filter{}), tc.query)
	}
}

// testSearchCyrillic finds a record whatever the case, ё or е and form the query is typed in,
// by the tokens textnorm makes of both, and tells й from и, a house from a flat.
func testSearchCyrillic(t *testing.T, s searcher) {
	ids := newIDs(t, 2)
	withWords(t, s, ids[0], spec{}, words("Ёлкина Алёна Сергеевна", "Йошкар-Ола, ул. Льва Толстого, д. 5, кв. 12",
		"Заявка от 12.03.2025 на ремонт крыльца, подъезд № 2"))
	withWords(t, s, ids[1], spec{}, words("Иошкина Елена", "г. Пермь, улица Садовая, дом 5а, квартира 12"))
	for _, tc := range []struct {
		query string
		want  []uuid.UUID
	}{
		{"ЁЛКИНА", ids[:1]},
		{"Елкина алёна", ids[:1]},
		{"йошкар-ола", ids[:1]},
		{"иошкар", nil}, // и is not й
		{"йошкина", nil},
		{"иошкиной", ids[1:]},
		{"дом 5", ids[:1]},
		{"д. 5а", ids[1:]},
		{"кв 12", ids},
		{"12", nil}, // 12 is a flat here, not a number of its own
		{"12.03.2025", ids[:1]},
		{"подъезд 2", ids[:1]},
		{"крыльцо толстой", ids[:1]},
		{"садовой пермь", ids[1:]},
	} {
		ws := textnorm.Tokens(tc.query)
		require.NotEmpty(t, ws, tc.query)
		want := append([]uuid.UUID{}, tc.want...)
		assert.Equal(t, want, search(t, s, ws, workflow.Filter{}), tc.query)
	}
}

// exactStrings are words that differ from each other only in what a store must not fold,
// stem, parse or cut: case, ё and е, й and и, a prefix, query syntax and quotes.
var exactStrings = []string{
	"ivanov", "IVANOV", "Ivanov", "ёлка", "елка", "ЕЛКА", "Ёлка", "мой", "мои", "иван", "иванов", "иванова", "12.03.2025", "12.03",
	"д5", "д5а", "5/2", "σοφια", "東京", "AND", "NOT", "NEAR", "OR", "near", `"`, `""`, "'", "*", "иван*", "a:b",
	"^иван", "(", "-", "a b", "%", "_", "\\", "{}", "@>",
}

// testSearchExactStrings gives each record one of exactStrings and finds each record by its
// own word only.
func testSearchExactStrings(t *testing.T, s searcher) {
	ids := newIDs(t, len(exactStrings))
	for i, w := range exactStrings {
		withWords(t, s, ids[i], spec{}, []string{w})
	}
	for i, w := range exactStrings {
		assert.Equal(t, []uuid.UUID{ids[i]}, search(t, s, []string{w}, workflow.Filter{}), "%q", w)
	}
	assert.Empty(t, search(t, s, []string{"ivanov", "IVANOV"}, workflow.Filter{}))
}

// testSearchReindexOnSave changes a record's words: the words a Save removes are no longer
// found, those it adds are, and a Save that keeps them keeps the record found.
func testSearchReindexOnSave(t *testing.T, s searcher) {
	id := newID(t)
	rec := withWords(t, s, id, fixture[1].spec, words("крыша течёт"))
	other := withWords(t, s, newID(t), spec{}, words("крыша"))
	rec.Words = words("течёт подвал")
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec}))
	found := []uuid.UUID{id}
	assert.Equal(t, []uuid.UUID{other.Appeal.ID}, search(t, s, words("крыша"), workflow.Filter{}), "a word removed")
	assert.Equal(t, found, search(t, s, words("подвал"), workflow.Filter{}), "a word added")
	assert.Equal(t, found, search(t, s, words("течёт подвал"), workflow.Filter{}))

	rec.Appeal.State = appeal.StateUnderReview // the words stay, the index moves
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec}))
	assert.Equal(t, found, search(t, s, words("подвал"), workflow.Filter{States: []appeal.State{appeal.StateUnderReview}}))
	assert.Empty(t, search(t, s, words("подвал"), workflow.Filter{States: []appeal.State{appeal.StateRegistered}}))

	rec.Words = nil
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec}))
	assert.Empty(t, search(t, s, words("течёт"), workflow.Filter{}), "every word removed")
	rec.Words = words("течёт")
	require.NoError(t, s.Save(t.Context(), workflow.Change{Record: rec}))
	assert.Equal(t, found, search(t, s, words("течёт"), workflow.Filter{}), "and added again")
}

// testSearchFilters runs every filter case of the List suite (states, terms, people, codes,
// applicants, numbers, after, limit) on the fixture with words: one word every record holds,
// which must give what List gives, and two, which only some hold.
func testSearchFilters(t *testing.T, s searcher) {
	ids := newIDs(t, len(fixture))
	byName := make(map[string]uuid.UUID)
	recs := make([]*workflow.Record, len(fixture))
	for i := len(fixture) - 1; i >= 0; i-- { // in reverse, as testList
		ws := words("обращение")
		if i%2 == 1 {
			ws = words("жалоба обращение")
		}
		recs[i] = withWords(t, s, ids[i], fixture[i].spec, ws)
		byName[fixture[i].name] = ids[i]
	}
	for _, tc := range listCases {
		t.Run(tc.name, func(t *testing.T) {
			f, want := tc.resolve(byName)
			assert.Equal(t, want, search(t, s, words("обращение"), f), "one word, want %v", tc.want)
			two := words("обращение жалоба")
			assert.Equal(t, expected(indexes(recs), two, f), search(t, s, two, f), "two words")
		})
	}
}

// searchRecords stores n minimal records with ascending ids, in random order: each holds
// "обращен", every third also "жалоб". It returns the ids, ascending.
func searchRecords(t *testing.T, s workflow.Store, n int) []uuid.UUID {
	t.Helper()
	ids := newIDs(t, n)
	order := rand.Perm(n)
	recs := make([]*workflow.Record, n)
	for i := range recs {
		recs[i] = build(ids[i], spec{})
		recs[i].Words = words("обращение")
		if i%3 == 0 {
			recs[i].Words = words("обращение жалоба")
		}
	}
	createAll(t, s, func(k int) *workflow.Record { return recs[order[k]] }, n)
	return ids
}

// createAll creates rec(0), …, rec(n-1) from a few goroutines: a store that commits each
// write to disk confirms several with one sync, so the suite stays quick on it.
func createAll(t *testing.T, s workflow.Store, rec func(k int) *workflow.Record, n int) {
	t.Helper()
	const writers = 8
	require.Empty(t, concurrently(writers, func(w int) error {
		for k := w; k < n; k += writers {
			if err := s.Create(t.Context(), workflow.Change{Record: rec(k)}); err != nil {
				return err
			}
		}
		return nil
	}))
}

func testSearchOrder(t *testing.T, s searcher) {
	ids := searchRecords(t, s, 40)
	// Ids with high bytes first, not only time order, must sort bytewise too.
	extra := []uuid.UUID{uuid.MustParse("ffffffff-ffff-7fff-bfff-ffffffffffff"), uuid.MustParse("00000000-0000-7000-8000-000000000001")}
	for _, id := range extra {
		withWords(t, s, id, spec{}, words("обращение"))
	}
	want := append(slices.Clone(ids), extra...)
	slices.SortFunc(want, compareIDs)
	assert.Equal(t, want, search(t, s, words("обращение"), workflow.Filter{}))
}

// testSearchPaging stores more matches than a store's page (500 in ours) and pages through
// them as a caller does, with After and Limit, and whole.
func testSearchPaging(t *testing.T, s searcher) {
	ids := searchRecords(t, s, 520)
	assert.Equal(t, ids, search(t, s, words("обращение"), workflow.Filter{}), "every match, across the store's pages")
	var third []uuid.UUID
	for i := 0; i < len(ids); i += 3 {
		third = append(third, ids[i])
	}
	var got []uuid.UUID
	f := workflow.Filter{Limit: 50}
	for pages := 1; ; pages++ {
		page := search(t, s, words("жалоба обращение"), f)
		require.LessOrEqual(t, len(page), 50)
		got = append(got, page...)
		if len(page) == 0 {
			assert.Equal(t, 5, pages, "4 pages and an empty one")
			break
		}
		f.After = page[len(page)-1]
	}
	assert.Equal(t, third, got)
	assert.Equal(t, ids[:501], search(t, s, words("обращение"), workflow.Filter{Limit: 501}))
}

func testSearchEarlyBreak(t *testing.T, s searcher) {
	ids := searchRecords(t, s, 10)
	within(t, func() error {
		n := 0
		for _, err := range s.Search(t.Context(), words("обращение"), workflow.Filter{}) {
			if err != nil {
				return err
			}
			if n++; n == 3 {
				break
			}
		}
		rec := build(newID(t), spec{})
		rec.Words = words("обращение")
		if err := s.Create(t.Context(), workflow.Change{Record: rec}); err != nil {
			return err
		}
		got, err := s.Get(t.Context(), ids[0])
		if err != nil {
			return err
		}
		return s.Save(t.Context(), workflow.Change{Record: got})
	})
	assert.Len(t, search(t, s, words("обращение"), workflow.Filter{}), 11)
}

// testSearchWriteWhileIterating saves each record found from inside the loop, as a host
// that acts on what it found does.
func testSearchWriteWhileIterating(t *testing.T, s searcher) {
	ids := searchRecords(t, s, 12)
	var seen []uuid.UUID
	within(t, func() error {
		for rec, err := range s.Search(t.Context(), words("обращение"), workflow.Filter{}) {
			if err != nil {
				return err
			}
			seen = append(seen, rec.Appeal.ID)
			rec.Reminders = append(rec.Reminders, "found")
			if err := s.Save(t.Context(), workflow.Change{Record: rec}); err != nil {
				return fmt.Errorf("save while searching: %w", err)
			}
		}
		return nil
	})
	assert.Equal(t, ids, seen, "each record once, in order")
	for rec, err := range s.Search(t.Context(), words("обращение"), workflow.Filter{}) {
		require.NoError(t, err)
		assert.Equal(t, int64(2), rec.Version)
	}
}

// testSearchChangedWhileIterating takes the word from every other record while the first is
// yielded: a store may yield a record as it read it before the change, but every record it
// yields must hold the word and match the filter as yielded.
func testSearchChangedWhileIterating(t *testing.T, s searcher) {
	ids := searchRecords(t, s, 30)
	ws, open := words("обращение"), workflow.Filter{States: []appeal.State{appeal.StateReceived}}
	var seen []uuid.UUID
	within(t, func() error {
		for rec, err := range s.Search(t.Context(), ws, open) {
			if err != nil {
				return err
			}
			if !hasAll(rec.Words, ws) || !open.Match(rec.Index()) {
				return fmt.Errorf("record %d yielded without the word or out of the filter", slices.Index(ids, rec.Appeal.ID))
			}
			seen = append(seen, rec.Appeal.ID)
			if len(seen) > 1 {
				continue
			}
			for _, id := range ids[1:] {
				other, err := s.Get(t.Context(), id)
				if err != nil {
					return err
				}
				other.Words = words("жалоба")
				if err := s.Save(t.Context(), workflow.Change{Record: other}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	assert.Equal(t, ids[0], seen[0])
	assert.Equal(t, ids[:1], search(t, s, ws, open), "the word is only the first's now")
}

// testSearchNoWords: the contract asks for at least one word; with none, every record that
// matches the filter holds them all, so a store answers as List does instead of failing.
func testSearchNoWords(t *testing.T, s searcher) {
	ids := searchRecords(t, s, 5)
	withWords(t, s, newID(t), spec{state: appeal.StateClosed}, nil)
	open := workflow.Filter{States: []appeal.State{appeal.StateReceived}}
	assert.Equal(t, collect(t, s, open), search(t, s, nil, open))
	assert.Equal(t, ids, search(t, s, []string{}, open))
}

func testSearchCancelled(t *testing.T, s searcher) {
	searchRecords(t, s, 3)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	n := 0
	for rec, err := range s.Search(ctx, words("обращение"), workflow.Filter{}) {
		n++
		assert.Nil(t, rec)
		require.ErrorIs(t, err, context.Canceled)
	}
	assert.Equal(t, 1, n, "one error ends the search")
}

// someWords are the words of random records: few, so random searches hit often, and
// awkward, so a store that folds, stems, parses or matches prefixes fails.
var someWords = []string{"крыш", "подвал", "иван", "иванов", "IVANOV", "ёлка", "елка", "мой", "мои", "д5", "12.03.2025", `"`}

// RandomWords returns a random set of words for a random record (RandomRecord), distinct and
// sorted as Record.Words are: few and awkward ones, so that random searches hit often and a
// store that folds case or ё, stems, parses query syntax or matches prefixes fails.
func RandomWords(r *rand.Rand) []string {
	var ws []string
	for _, w := range someWords {
		if r.IntN(5) < 2 {
			ws = append(ws, w)
		}
	}
	slices.Sort(ws)
	return ws
}

// CheckSearch runs n random searches on s — one to three words of RandomWords, sometimes one
// no record holds, with a RandomFilter — and compares what Search yields with Filter.Match and
// the words over recs, which must be what s holds. Most searches must find some records but
// not all, or the check proves little.
func CheckSearch(t *testing.T, s workflow.Searcher, r *rand.Rand, recs []*workflow.Record, n int) {
	t.Helper()
	recs, ids := byID(recs)
	ixs := indexes(recs)
	some := 0
	for i := range n {
		ws := make([]string, 1+r.IntN(3))
		for j := range ws {
			ws[j] = pick(r, someWords)
		}
		if r.IntN(10) == 0 {
			ws[0] = "нигде"
		}
		f := RandomFilter(r, ids)
		want := expected(ixs, ws, f)
		if len(want) > 0 && len(want) < len(recs) {
			some++
		}
		require.Equal(t, want, search(t, s, ws, f), "search %d: %q %+v", i, ws, f)
	}
	require.Greater(t, some, n/5, "most searches find some records, not all")
}

// testSearchRandom stores random records with random words, changes the words, terms and
// states of some (so that an index that forgets the old ones fails), and checks random
// searches against Match and the words.
func testSearchRandom(t *testing.T, s searcher) {
	r := rand.New(rand.NewPCG(59, 2025))
	recs := make([]*workflow.Record, 120)
	for i := range recs {
		recs[i] = RandomRecord(r)
		recs[i].Words = RandomWords(r)
	}
	createAll(t, s, func(k int) *workflow.Record { return recs[k] }, len(recs))
	for _, rec := range recs[:60] {
		randomTerms(r, rec)
		rec.Appeal.State = pick(r, someStates)
		rec.Words = RandomWords(r)
	}
	require.Empty(t, concurrently(len(recs[:60]), func(i int) error {
		return s.Save(t.Context(), workflow.Change{Record: recs[i]})
	}))
	CheckSearch(t, s, r, recs, 200)
}
