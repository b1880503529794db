package memstore

import (
	"encoding/binary"
	"hash/maphash"
	"slices"
	"strings"
)

// words is the inverted index of the records' search words (workflow.Index.Words): for each
// word, the records that hold it. Records are named by their ordinal (entry.ord, the order of
// creation), four bytes a posting and no pointer for the collector to trace. A list holds
// exactly the records that hold the word now: a Save takes the words it removes out of their
// lists, a list left empty is dropped, and one that shrank to a quarter of its capacity is
// copied into a smaller one, so memory follows the words held, never the words once held.
// Each word is kept in a string of its own: a record's words may be cut from one larger
// string, which the index must not keep alive.
type words struct {
	lists map[string]*posting
	seed  maphash.Seed // of sum, the store's own
}

// posting is one word's list of ordinals, ascending.
type posting struct {
	ords []uint32
}

func newWords() words { return words{lists: make(map[string]*posting), seed: maphash.MakeSeed()} }

// sum is the checksum of a word set (as wordSet gives it) that an entry keeps, so that a Save
// tells in one pass over the words whether they changed: two sets alike have one sum, two
// different ones the same sum with a chance of 2⁻⁶⁴ (a seed of the store's own, so no input
// is made to collide), and the words' lists are then left as they were.
func (x words) sum(ws []string) uint64 {
	var h maphash.Hash
	h.SetSeed(x.seed)
	var n [binary.MaxVarintLen64]byte
	for _, w := range ws { // each word after its length, so that no two sets write alike
		h.Write(binary.AppendUvarint(n[:0], uint64(len(w))))
		h.WriteString(w)
	}
	return h.Sum64()
}

// update replaces the words of the record with ordinal ord, old by new (both as wordSet gives
// them): the words only old has leave their lists, those only new has join theirs.
func (x words) update(ord uint32, old, new []string) {
	i, j := 0, 0
	for i < len(old) || j < len(new) {
		switch {
		case j == len(new) || i < len(old) && old[i] < new[j]:
			x.remove(old[i], ord)
			i++
		case i == len(old) || new[j] < old[i]:
			x.add(new[j], ord)
			j++
		default: // kept
			i++
			j++
		}
	}
}

// add puts ord in word's list.
func (x words) add(word string, ord uint32) {
	p := x.lists[word]
	if p == nil {
		p = &posting{}
		x.lists[strings.Clone(word)] = p
	}
	if n := len(p.ords); n == 0 || p.ords[n-1] < ord {
		p.ords = append(p.ords, ord) // a new record: the usual case
	} else if k, found := slices.BinarySearch(p.ords, ord); !found {
		p.ords = slices.Insert(p.ords, k, ord)
	}
}

// remove takes ord out of word's list.
func (x words) remove(word string, ord uint32) {
	p := x.lists[word]
	if p == nil {
		return
	}
	k, found := slices.BinarySearch(p.ords, ord)
	if !found {
		return
	}
	p.ords = slices.Delete(p.ords, k, k+1)
	switch {
	case len(p.ords) == 0:
		delete(x.lists, word)
	case cap(p.ords) >= 64 && len(p.ords) <= cap(p.ords)/4:
		p.ords = slices.Clone(p.ords)
	}
}

// holds reports whether the record with ordinal ord is in the list of every one of ws.
func (x words) holds(ord uint32, ws []string) bool {
	for _, w := range ws {
		p := x.lists[w]
		if p == nil {
			return false
		}
		if _, found := slices.BinarySearch(p.ords, ord); !found {
			return false
		}
	}
	return true
}

// lookup returns, ascending, the ordinals of the records that hold every one of ws (at least
// one): the lists intersected from the shortest, so the work is bounded by the rarest word's
// list, and nothing when a word is in no list.
func (x words) lookup(ws []string) []uint32 {
	lists := make([][]uint32, 0, len(ws))
	for _, w := range ws {
		p := x.lists[w]
		if p == nil {
			return nil
		}
		lists = append(lists, p.ords)
	}
	slices.SortFunc(lists, func(a, b []uint32) int { return len(a) - len(b) })
	out := slices.Clone(lists[0])
	for _, l := range lists[1:] {
		if out = intersect(out, l); len(out) == 0 {
			break
		}
	}
	return out
}

// intersect keeps in a, ascending, what is also in b, which is at least as long: each of a
// is sought in what is left of b by galloping, so a short list costs little against a long
// one.
func intersect(a, b []uint32) []uint32 {
	out := a[:0]
	for _, v := range a {
		step := 1
		for step < len(b) && b[step-1] < v {
			step *= 2
		}
		k, found := slices.BinarySearch(b[:min(step, len(b))], v)
		if found {
			out = append(out, v)
		}
		if b = b[k:]; len(b) == 0 {
			break
		}
	}
	return out
}

// wordSet returns ws distinct and sorted: ws itself when it already is (Record.Words always
// are), else a sorted copy without repeats, so that a record whose words break that promise
// is still indexed right. The index reads it and keeps none of it.
func wordSet(ws []string) []string {
	for i := 1; i < len(ws); i++ {
		if ws[i-1] >= ws[i] {
			return slices.Compact(slices.Sorted(slices.Values(ws)))
		}
	}
	return ws
}
