package similar

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar/internal/lettergen"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var day0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func doc(id byte, at time.Time, applicant, address, text string) Document {
	d := Document{ID: uuid.UUID{id}, ReceivedAt: at, Address: address, Tokens: textnorm.Tokens(text)}
	if applicant != "" {
		d.Applicants = []string{applicant}
	}
	d.Signature = Sign(d.Tokens)
	return d
}

// letterDocuments are the documents of n generated letters (lettergen.Set).
func letterDocuments(seed uint64, n int) []Document {
	letters := lettergen.Set(seed, n)
	var norm textnorm.Normalizer
	docs := make([]Document, len(letters))
	for i := range letters {
		docs[i] = letterDocument(&letters[i], &norm)
	}
	return docs
}

func ids(ms []Match) []uuid.UUID {
	var out []uuid.UUID
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

const (
	petrova = "петрова н с|email:petrova@example.org"
	ivanov  = "иванов и и|email:ivanov@example.org"
)

func TestQueryDuplicatesAndSimilar(t *testing.T) {
	resent := strings.NewReplacer("Уважаемый Андрей Викторович!", "Здравствуйте!", "ё", "е").Replace(base) +
		"\nОбращаюсь повторно, ответа я не получила."
	x := NewMemIndex(Options{})
	for _, d := range []Document{
		doc(1, day0, petrova, "ул садов д14", base),
		doc(2, day0.Add(20*24*time.Hour), petrova, "", resent), // a duplicate
		doc(3, day0.Add(90*24*time.Hour), petrova, "", resent), // too late: similar
		doc(4, day0.Add(5*24*time.Hour), ivanov, "", resent),   // another person's copy: similar
		doc(5, day0.Add(5*24*time.Hour), ivanov, "ул садов д14", "Во дворе дома 14 по ул. Садовой не вывозят мусор, баки переполнены."), // neighbour
		doc(6, day0, "", "", "Прошу выдать справку о составе семьи"),                                                                    // unrelated
	} {
		require.NoError(t, x.Put(d))
	}
	assert.Equal(t, 6, x.Len())

	res := x.Query(doc(1, day0, petrova, "ул садов д14", base))
	require.Len(t, res.Duplicates, 1)
	dup := res.Duplicates[0]
	assert.Equal(t, uuid.UUID{2}, dup.ID)
	assert.True(t, dup.SameApplicant)
	assert.Greater(t, dup.Score, 0.8)
	assert.NotEmpty(t, dup.Phrases)
	assert.LessOrEqual(t, len(dup.Phrases), maxPhrases)
	for _, p := range dup.Phrases {
		assert.Len(t, strings.Fields(p), shingleWords, "a phrase is a shingle of stems")
	}

	assert.ElementsMatch(t, []uuid.UUID{{3}, {4}}, ids(res.Similar))
	for _, m := range res.Similar {
		assert.Equal(t, m.ID == uuid.UUID{3}, m.SameApplicant, "%v", m.ID)
		assert.False(t, m.SharedAddress)
	}
	assert.GreaterOrEqual(t, res.Similar[0].Score, res.Similar[1].Score, "best first")
}

// An appeal from the same building shows with a lower score than a stranger's would need.
func TestQueryRelatedByAddress(t *testing.T) {
	x := NewMemIndex(Options{SimilarScore: 0.9, RelatedScore: 0.1})
	require.NoError(t, x.Put(doc(1, day0, ivanov, "ул садов д14", base)))
	require.NoError(t, x.Put(doc(2, day0, "", "ул садов д14", "Течёт крыша в доме № 14 по ул. Садовой, управляющая компания ООО «УК Жилстандарт» не реагирует на заявки.")))
	require.NoError(t, x.Put(doc(3, day0, "", "", "Течёт крыша в доме № 14 по ул. Садовой, управляющая компания ООО «УК Жилстандарт» не реагирует на заявки.")))
	res := x.Query(doc(9, day0, petrova, "ул садов д14", base))
	assert.Empty(t, res.Duplicates)
	require.Equal(t, []uuid.UUID{{1}, {2}}, ids(res.Similar))
	assert.True(t, res.Similar[1].SharedAddress)
}

func TestPutReplacesAndRemove(t *testing.T) {
	x := NewMemIndex(Options{})
	require.NoError(t, x.Put(doc(1, day0, petrova, "", base)))
	query := doc(9, day0, petrova, "", base)
	require.Len(t, x.Query(query).Duplicates, 1)

	require.NoError(t, x.Put(doc(1, day0, petrova, "", "Прошу выдать справку о составе семьи")))
	assert.Equal(t, 1, x.Len())
	assert.Empty(t, x.Query(query).Duplicates, "the new text replaced the old one")

	require.NoError(t, x.Put(doc(1, day0, petrova, "", base)))
	x.Remove(uuid.UUID{1})
	x.Remove(uuid.UUID{7}) // unknown: nothing
	assert.Zero(t, x.Len())
	assert.Equal(t, Result{}, x.Query(query))

	assert.ErrorIs(t, x.Put(Document{}), ErrNoID)
}

func TestQueryLeavesOutItselfAndEmptyTexts(t *testing.T) {
	x := NewMemIndex(Options{})
	require.NoError(t, x.Put(doc(1, day0, petrova, "", base)))
	require.NoError(t, x.Put(doc(2, day0, petrova, "", "")))
	require.NoError(t, x.Put(doc(3, day0, petrova, "", "")))
	assert.Equal(t, Result{}, x.Query(doc(2, day0, petrova, "", "")), "an empty text matches nothing")
	assert.Empty(t, x.Query(doc(1, day0, petrova, "", base)).Duplicates)
}

func TestOptionsLimitAndWindow(t *testing.T) {
	x := NewMemIndex(Options{Limit: 3, DuplicateWindow: 24 * time.Hour})
	for i := range 8 {
		require.NoError(t, x.Put(doc(byte(i+1), day0.Add(time.Duration(i)*12*time.Hour), petrova, "", base)))
	}
	res := x.Query(doc(1, day0, petrova, "", base))
	assert.Equal(t, []uuid.UUID{{2}, {3}}, ids(res.Duplicates), "within a day")
	assert.Len(t, res.Similar, 3)
}

func TestNewDocument(t *testing.T) {
	var n textnorm.Normalizer
	a := appeal.New(uuid.UUID{1}, day0, appeal.ChannelWebForm)
	a.Summary = "О протечке кровли"
	a.Applicants = []appeal.Applicant{{Surname: "Петрова", PostalAddress: "614000, г. Пермь, ул. Садовая, д. 14, кв. 41"}}
	d := NewDocument(a, []string{petrova}, &n)
	assert.Equal(t, "ул садов д14", d.Address)
	assert.Equal(t, []string{"протечк", "кровл"}, d.Tokens, "the summary when there is no text")
	a.Text = base
	d = NewDocument(a, []string{petrova}, &n)
	assert.Equal(t, Sign(textnorm.Tokens(base)), d.Signature)
	assert.Equal(t, uuid.UUID{1}, d.ID)
	assert.Equal(t, day0, d.ReceivedAt)
	assert.Equal(t, []string{petrova}, d.Applicants)
}

func TestAddressKey(t *testing.T) {
	var n textnorm.Normalizer
	tests := map[string]string{
		"614000, Россия, г. Пермь, ул. Ленина, д. 5, кв. 7": "ул ленин д5",
		"Пермь, улица Ленина, дом 5":                        "ул ленин д5",
		"г. Пермь, ул. Ленина, 5":                           "ул ленин д5",
		"г. Пермь, ул. Ленина, д. 5, корп. 2, кв. 7":        "ул ленин д5 к2",
		"с. Ильинское, д. 12":                               "ильинск д12",
		"г. Пермь, ул. Ленина":                              "",
		"":                                                  "",
	}
	for in, want := range tests {
		assert.Equal(t, want, AddressKey(in, &n), in)
	}
}

// Puts, removals and queries from many goroutines at once (run with -race).
func TestIndexConcurrent(t *testing.T) {
	docs := letterDocuments(5, 400)
	x := NewMemIndex(Options{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(docs); i += 4 {
				if err := x.Put(docs[i]); err != nil {
					t.Error(err)
				}
				x.Query(docs[(i*7)%len(docs)])
				if i%10 == 0 {
					x.Remove(docs[i].ID)
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, len(docs)-len(docs)/10, x.Len())
	// What stayed is found as if it had been put alone.
	fresh := NewMemIndex(Options{})
	for i := range docs {
		if i%10 != 0 {
			require.NoError(t, fresh.Put(docs[i]))
		}
	}
	for i := range docs {
		assert.Equal(t, fresh.Query(docs[i]), x.Query(docs[i]))
	}
}

func TestAgree(t *testing.T) {
	var a, b lowBits
	assert.Equal(t, Hashes, agree(&a, &b))
	for i := range b {
		b[i] = uint8(i + 1)
	}
	assert.Zero(t, agree(&a, &b))
	for i := 0; i < Hashes; i += 3 {
		a[i] = b[i]
	}
	assert.Equal(t, (Hashes+2)/3, agree(&a, &b))
	a[Hashes-1] = b[Hashes-1]
	assert.Equal(t, (Hashes+2)/3+1, agree(&a, &b), "the last byte counts")
}

// A query compares the last appeals of a building and of an applicant, not all of them.
func TestQueryPostingsBounded(t *testing.T) {
	x := NewMemIndex(Options{})
	for i := range maxAddressPostings + 10 {
		d := doc(0, day0, "", "ул садов д14", "")
		d.ID = uuid.UUID{1, byte(i)}
		require.NoError(t, x.Put(d))
	}
	x.Remove(uuid.UUID{1, 3})
	var keys [Bands]uint32
	var got []uint32
	for _, c := range x.candidates(&query{keys: &keys, address: keyHash("ул садов д14")}, nil) {
		j, _ := c.slot()
		got = append(got, j)
	}
	require.Len(t, got, maxAddressPostings)
	var want []uint32
	for i := range maxAddressPostings + 10 {
		if i >= 10 { // the oldest ten, less the one removed, are not compared
			want = append(want, x.byID[uuid.UUID{1, byte(i)}])
		}
	}
	assert.Equal(t, want, got)
}

// Removing every document leaves no trace in the tables: nothing stale is read or kept.
func TestRemoveLeavesNothing(t *testing.T) {
	letters := lettergen.Set(11, 300)
	var n textnorm.Normalizer
	x := NewMemIndex(Options{})
	for round := range 2 {
		for i := range letters {
			require.NoError(t, x.Put(letterDocument(&letters[i], &n)))
			if i%3 == 0 { // and some put again
				require.NoError(t, x.Put(letterDocument(&letters[i], &n)))
			}
		}
		for i := range letters {
			x.Remove(letters[i].ID)
		}
		assert.Zero(t, x.Len(), "round %d", round)
		for b := range x.bands {
			assert.Empty(t, x.bands[b], "band %d", b)
		}
		assert.Empty(t, x.applicant)
		assert.Empty(t, x.address)
		assert.Len(t, x.freeLists, len(x.lists), "every list freed")
		assert.Len(t, x.free, len(x.slots), "every slot freed")
	}
	assert.LessOrEqual(t, len(x.slots), len(letters), "slots are reused")
}

func TestPutRefusesMalformedSignature(t *testing.T) {
	x := NewMemIndex(Options{})
	d := doc(1, day0, petrova, "", base)
	d.Signature.Sketch = d.Signature.Sketch[1:]
	assert.ErrorIs(t, x.Put(d), ErrSignature, "a sketch short of its shingles")
	d.Signature.Shingles = -1
	assert.ErrorIs(t, x.Put(d), ErrSignature)
	assert.Zero(t, x.Len(), "nothing was put")
}

// An appeal of the applicant put before the last maxApplicantPostings, and found by its text,
// is still the same applicant's.
func TestSameApplicantBeyondPostings(t *testing.T) {
	x := NewMemIndex(Options{})
	require.NoError(t, x.Put(doc(1, day0.Add(-400*24*time.Hour), petrova, "", base)))
	for i := range maxApplicantPostings {
		d := doc(0, day0, petrova, "", "")
		d.ID = uuid.UUID{2, byte(i), byte(i >> 8)}
		require.NoError(t, x.Put(d))
	}
	res := x.Query(doc(9, day0, petrova, "", base))
	require.Len(t, res.Similar, 1)
	assert.Equal(t, uuid.UUID{1}, res.Similar[0].ID)
	assert.True(t, res.Similar[0].SameApplicant)
}

// After most documents are removed and more put, the index drops the dead sketches and
// answers as an index of what it holds would.
func TestSketchesCompacted(t *testing.T) {
	docs := letterDocuments(17, 600)
	x, fresh := NewMemIndex(Options{}), NewMemIndex(Options{})
	for _, d := range docs[:400] {
		require.NoError(t, x.Put(d))
	}
	for i, d := range docs[:400] {
		if i%4 != 0 {
			x.Remove(d.ID)
		}
	}
	for i, d := range docs {
		if i >= 400 || i%4 == 0 {
			require.NoError(t, x.Put(d))
			require.NoError(t, fresh.Put(d))
		}
	}
	live := 0
	for i := range x.slots {
		if x.slots[i].id != uuid.Nil {
			live += int(sketchLen(x.checks[i].shingles))
		}
	}
	assert.Equal(t, live, len(x.hashes)-x.dead)
	assert.LessOrEqual(t, x.dead, len(x.hashes)/2+SketchSize, "dead sketches were dropped")
	for _, d := range docs {
		assert.Equal(t, fresh.Query(d), x.Query(d))
	}
}

// A query works in memory of the index's own, reused: what it allocates is its answer, not
// its candidates.
func TestQueryAllocations(t *testing.T) {
	letters := lettergen.Set(23, 3000)
	var n textnorm.Normalizer
	x := NewMemIndex(Options{})
	docs := make([]Document, len(letters))
	for i := range letters {
		docs[i] = letterDocument(&letters[i], &n)
		docs[i].Tokens = nil // no phrases: they are the answer's
		require.NoError(t, x.Put(docs[i]))
	}
	// The query with the most candidates.
	var q Document
	most := 0
	for _, d := range docs[:300] {
		var keys [Bands]uint32
		bandKeys(&d.Signature, &keys)
		if c := len(x.candidates(&query{low: d.Signature.lowBits(), shingles: d.Signature.Shingles, keys: &keys}, nil)); c > most {
			q, most = d, c
		}
	}
	res := x.Query(q)
	require.Greater(t, most, 20)
	require.NotEmpty(t, res.Similar)
	allocs := testing.AllocsPerRun(50, func() { x.Query(q) })
	t.Logf("%d band candidates, %d matches, %.0f allocations", most, len(res.Duplicates)+len(res.Similar), allocs)
	assert.LessOrEqual(t, allocs, 2.0, "a slice a list of the answer")
}

// Documents waiting to go into the tables (MemIndex.pending) are found as if they were in:
// an index that puts every document in at once (flushAt 1) answers every query the same,
// while documents are put, put again with another text, and removed.
func TestPendingAnswersAsTheTables(t *testing.T) {
	docs := letterDocuments(29, 440)
	x, now := NewMemIndex(Options{}), NewMemIndex(Options{})
	now.flushAt = 1
	check := func(step string, q Document) {
		t.Helper()
		assert.Equal(t, now.Query(q), x.Query(q), step)
		assert.Equal(t, now.Len(), x.Len(), step)
	}
	pendingSeen := 0
	for i, d := range docs[:400] {
		require.NoError(t, x.Put(d))
		require.NoError(t, now.Put(d))
		pendingSeen = max(pendingSeen, len(x.pending))
		check("put", docs[(i*7)%(i+1)])
		check("next", docs[i+1])
		if i%25 == 24 { // appeals put again with other letters' texts: one in the tables, one pending
			for k, was := range []Document{docs[i-20], docs[i-1]} {
				again := docs[400+i/25*2+k]
				again.ID, again.Applicants, again.ReceivedAt = was.ID, was.Applicants, was.ReceivedAt
				require.NoError(t, x.Put(again))
				require.NoError(t, now.Put(again))
				was.ID = uuid.New() // not the appeal itself, which a query leaves out
				check("put again, the old text", was)
				check("put again, the new text", docs[400+i/25*2+k])
			}
		}
		if i%40 == 39 {
			x.Remove(docs[i-5].ID)
			now.Remove(docs[i-5].ID)
			check("removed", docs[i-5])
		}
	}
	assert.Equal(t, pendingSeen, pendingFlush-1, "documents were pending")
	assert.Empty(t, now.pending)
}

// A query's memo of agreeNeeded gives what agreeNeeded computes, first time or again, for
// shingle counts inside and beyond the memo.
func TestNeededMemo(t *testing.T) {
	x := NewMemIndex(Options{})
	for _, qn := range []int{1, 17, 120, 900} {
		var memo [needMemo]int8
		for i := range memo {
			memo[i] = -1
		}
		q := &query{shingles: qn, need: &memo}
		for _, n := range []uint32{0, 5, 120, 5, 1023, needMemo, 4000, 120, 0} {
			assert.Equal(t, agreeNeeded(x.opts.SimilarScore, qn, int(n)), x.needed(q, n), "qn %d, n %d", qn, n)
		}
	}
}
