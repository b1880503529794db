package memstore

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIntersect compares the galloping intersection with the obvious one on random lists of
// very different lengths.
func TestIntersect(t *testing.T) {
	r := rand.New(rand.NewPCG(59, 2006))
	list := func(n, span int) []uint32 {
		var l []uint32
		for range n {
			l = append(l, uint32(r.IntN(span)))
		}
		return slices.Compact(slices.Sorted(slices.Values(l)))
	}
	for range 500 {
		a, b := list(r.IntN(40), 300), list(r.IntN(3000), 3000)
		if len(a) > len(b) {
			a, b = b, a
		}
		want := []uint32{}
		for _, v := range a {
			if slices.Contains(b, v) {
				want = append(want, v)
			}
		}
		assert.Equal(t, want, append([]uint32{}, intersect(slices.Clone(a), b)...), "%v ∩ %d", a, len(b))
	}
}

// TestWordsLists: a list holds exactly the records that hold its word, whatever the order of
// writes; an emptied list is dropped and a shrunk one gives its memory back.
func TestWordsLists(t *testing.T) {
	x := newWords()
	for ord := range uint32(1000) {
		x.update(ord, nil, []string{"дом", "улиц"})
	}
	x.update(3, []string{"дом", "улиц"}, []string{"дом", "крыш"}) // a word removed, one added, one kept
	assert.Equal(t, []uint32{3}, x.lookup([]string{"крыш"}))
	assert.Equal(t, []uint32{3}, x.lookup([]string{"крыш", "дом"}))
	assert.Len(t, x.lookup([]string{"улиц"}), 999)
	assert.Empty(t, x.lookup([]string{"крыш", "улиц"}))
	assert.True(t, x.holds(3, []string{"крыш", "дом"}))
	assert.False(t, x.holds(3, []string{"улиц"}))

	x.update(3, []string{"дом", "крыш"}, nil)
	assert.NotContains(t, x.lists, "крыш", "an empty list is dropped")
	for ord := range uint32(1000) {
		x.update(ord, []string{"дом"}, nil)
	}
	assert.NotContains(t, x.lists, "дом")
	for ord := uint32(10); ord < 1000; ord++ {
		x.update(ord, []string{"улиц"}, nil)
	}
	require.Len(t, x.lists["улиц"].ords, 9)
	assert.Less(t, cap(x.lists["улиц"].ords), 64, "a shrunk list gives its memory back")
	assert.Equal(t, []string{"улиц"}, keys(x), "one word left")
	x.update(2000, nil, []string{"улиц"})
	x.update(5, nil, []string{"улиц"}) // an out-of-order insert keeps the list sorted
	assert.Equal(t, []uint32{0, 1, 2, 4, 5, 6, 7, 8, 9, 2000}, x.lists["улиц"].ords)
}

func keys(x words) []string {
	var ks []string
	for k := range x.lists {
		ks = append(ks, k)
	}
	return ks
}

// TestWordsOwnStrings: the index keeps each word in a string of its own, not in a part of a
// caller's larger one.
func TestWordsOwnStrings(t *testing.T) {
	all := "крышподвал"
	x := newWords()
	x.update(0, nil, []string{all[:8], all[8:]})
	for k := range x.lists {
		assert.NotSame(t, unsafe.StringData(all[:8]), unsafe.StringData(k), "%q shares the caller's string", k)
		assert.NotSame(t, unsafe.StringData(all[8:]), unsafe.StringData(k), "%q shares the caller's string", k)
	}
}

// TestWordSet: words that break Record.Words' promise (sorted, distinct) are indexed as the
// set they are; those that keep it are read in place.
func TestWordSet(t *testing.T) {
	assert.Equal(t, []string{"a", "b", "c"}, wordSet([]string{"c", "a", "b", "a"}))
	in := []string{"a", "b"}
	assert.Same(t, &in[0], &wordSet(in)[0])
}

// TestWordSum: the checksum by which a Save tells whether the words changed is the same for
// the same set and differs for sets that concatenate alike or differ in one word.
func TestWordSum(t *testing.T) {
	x := newWords()
	assert.Equal(t, x.sum([]string{"дом", "крыш"}), x.sum([]string{"дом", "крыш"}))
	for _, pair := range [][2][]string{
		{{"ab", "c"}, {"a", "bc"}},
		{{"дом"}, {"дом", ""}},
		{{"дом", "крыш"}, {"дом", "крыша"}},
		{{}, {""}},
	} {
		assert.NotEqual(t, x.sum(pair[0]), x.sum(pair[1]), "%q %q", pair[0], pair[1])
	}
}
