package similar

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Index finds the duplicates and similar appeals of a document among the documents it holds.
// Implementations are safe for concurrent use.
type Index interface {
	// Put adds the document, or replaces the one with the same ID. It fails on a document
	// without an ID (ErrNoID), on a signature that Sign did not make (ErrSignature: a sketch
	// that is not its first min(Shingles, SketchSize) hashes), or when the index can hold no
	// more.
	Put(d Document) error
	// Remove removes the document with the ID; removing an unknown ID does nothing.
	Remove(id uuid.UUID)
	// Query returns the duplicates and similar appeals of d among the documents held, d's
	// own ID left out. d need not be held.
	Query(d Document) Result
	// Len is the number of documents held.
	Len() int
}

// Errors of Put.
var (
	// ErrNoID is a document without an ID.
	ErrNoID = errors.New("similar: document has no ID")
	// ErrFull is a MemIndex that holds as many documents as it can: 2³¹, or 2³² sketch hashes.
	ErrFull = errors.New("similar: index full")
)

// Result is the answer to a query.
type Result struct {
	// Duplicates are the duplicate candidates (повторные, дублирующие обращения): the same
	// applicant (a key in common), received within Options.DuplicateWindow, and text at least
	// Options.DuplicateScore similar; best first.
	Duplicates []Match
	// Similar are the other appeals whose text is at least Options.SimilarScore similar, of any
	// applicant (Options.RelatedScore for those of the same applicant or building); best
	// first, at most Options.Limit.
	Similar []Match
}

// Match is one appeal found, with why.
type Match struct {
	// ID is the matching appeal's card id.
	ID uuid.UUID
	// Score is the similarity of the two texts' shingle sets, 0 to 1 (cosine: a letter sent
	// again with a paragraph added stays near 1).
	Score float64
	// SameApplicant reports that the appeals share an applicant key.
	SameApplicant bool
	// SharedAddress reports that the applicants write from the same building (AddressKey).
	SharedAddress bool
	// Phrases are a few of the shared shingles, as the query's stems («протека крыш»), in the
	// order of the query's text; empty when the query had no Tokens.
	Phrases []string
}

// Options configures an index. The zero value of a field means its default.
type Options struct {
	// DuplicateWindow is the longest time between two appeals of the same applicant for them
	// to be duplicates; default 60 days.
	DuplicateWindow time.Duration
	// DuplicateScore is the least Score of a duplicate; default 0.3.
	DuplicateScore float64
	// SimilarScore is the least Score of a similar appeal; default 0.4.
	SimilarScore float64
	// RelatedScore is the least Score of a similar appeal of the same applicant or building;
	// default 0.2.
	RelatedScore float64
	// Limit is the most duplicates, and the most similar appeals, in a Result; default 10.
	Limit int
}

// The defaults of Options.
const (
	DefaultDuplicateWindow = 60 * 24 * time.Hour
	DefaultDuplicateScore  = 0.3
	DefaultSimilarScore    = 0.4
	DefaultRelatedScore    = 0.2
	DefaultLimit           = 10
)

func (o Options) withDefaults() Options {
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = DefaultDuplicateWindow
	}
	if o.DuplicateScore <= 0 {
		o.DuplicateScore = DefaultDuplicateScore
	}
	if o.SimilarScore <= 0 {
		o.SimilarScore = DefaultSimilarScore
	}
	if o.RelatedScore <= 0 {
		o.RelatedScore = DefaultRelatedScore
	}
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	return o
}

// lowBits holds the low byte of each MinHash value of a signature: 8-bit minwise hashing.
// Two signatures agree on a byte with probability J + (1 − J)/256 for Jaccard similarity J,
// so counting the bytes that agree estimates J from 80 bytes in a few instructions; the index
// checks it on every band candidate before the exact similarity.
type lowBits [Hashes]uint8

func (s *Signature) lowBits() (l lowBits) {
	for i, v := range s.MinHash {
		l[i] = uint8(v)
	}
	return l
}

// agree counts the bytes in which a and b agree, eight at a time.
func agree(a, b *lowBits) int {
	const lo, hi = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	differ := 0
	for i := 0; i < Hashes; i += 8 {
		x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:])
		// The high bit of each byte of x|(x&lo+lo) is set where the byte of x is not zero.
		differ += bits.OnesCount64((x | (x&lo + lo)) & hi)
	}
	return Hashes - differ
}

// agreeNeeded is the least number of agreeing low bytes for which a band candidate with n
// shingles is checked against a query with qn: texts of those sizes at least score similar
// (cosine) have Jaccard similarity at least score·√(qn·n) / (qn + n − score·√(qn·n)), and
// fewer agreeing bytes than that less 2.5 standard deviations of the estimate rule them out
// (at the lowest, one text holds all of the other's shingles and is 1/score² as long).
func agreeNeeded(score float64, qn, n int) int {
	root := score * math.Sqrt(float64(qn)*float64(n))
	jmin := min(1, root/(float64(qn+n)-root))
	return max(0, int(Hashes*jmin-2.5*math.Sqrt(Hashes*jmin*(1-jmin))))
}

// needMemo bounds the shingle counts whose agreeNeeded a query keeps once computed.
const needMemo = 1024

// needed is agreeNeeded for the query and a candidate of n shingles, from the query's memo
// (query.need) when it has one: a query checks thousands of candidates of a few hundred sizes.
func (x *MemIndex) needed(q *query, n uint32) int {
	if q.need == nil || n >= needMemo {
		return agreeNeeded(x.opts.SimilarScore, q.shingles, int(n))
	}
	if v := q.need[n]; v >= 0 {
		return int(v)
	}
	v := agreeNeeded(x.opts.SimilarScore, q.shingles, int(n))
	q.need[n] = int8(v) // at most Hashes
	return v
}

// MemIndex is the in-memory Index: LSH bands over MinHash signatures for similar appeals,
// and postings by applicant key and by building for duplicates and related appeals. The
// engine fills it from its store at start and keeps it current on each command.
type MemIndex struct {
	opts Options

	mu    sync.RWMutex
	slots []slot // a document a slot; a freed slot is zero, and reused
	// checks[s] is what the check of a candidate reads of slot s, kept apart from the slot:
	// a query checks thousands of candidates, each a cache miss, and reads the slot itself
	// only of those that pass.
	checks []check
	// hashes holds every slot's sketch, one after another (check.at), so that the sketches
	// are one array the collector need not scan; dead counts those of freed slots, which a
	// Put drops when they are half of it.
	hashes []uint32
	dead   int
	free   []uint32             // freed slots
	byID   map[uuid.UUID]uint32 // slot of each document
	// bands[b] maps a band's key to its slot, or, for a key of several slots, to a list of
	// them: the value with listBit set is an index into lists. Most keys have one slot, so
	// most take no list; a key of many slots is read from one array.
	bands     [Bands]map[uint32]uint32
	lists     [][]uint32
	freeLists []uint32
	keys      []uint32 // the band keys of slot s at keys[s*Bands:]
	applicant map[uint64][]uint32
	address   map[uint64][]uint32

	// pending are the documents Put and not yet in the tables, oldest first; at flushAt of
	// them, the Put that made it so puts them all in (flush). pendMu is taken after mu.
	pendMu  sync.Mutex
	pending []pended
	flushAt int

	spareMu sync.Mutex
	spare   []*scratch // the scratches of finished queries, for the next
}

// slot is one held document.
type slot struct {
	id         uuid.UUID
	received   int64    // Unix seconds
	applicants []uint64 // hashes of the applicant keys
	banded     bool     // the slot is in the bands (its signature is not empty)
}

// check is the part of a slot that the check of a candidate reads.
type check struct {
	low      lowBits // the low byte of each MinHash value
	shingles uint32  // the signature's Shingles
	at       uint32  // where the sketch begins in MemIndex.hashes; its length is sketchLen
	address  uint64  // hash of the address key; 0 for none
}

// sketchLen is the length of the sketch of a signature of n shingles.
func sketchLen(n uint32) uint32 { return min(n, SketchSize) }

// sketch is slot i's sketch.
func (x *MemIndex) sketch(i uint32) sketch {
	c := &x.checks[i]
	return sketch{int(c.shingles), x.hashes[c.at : c.at+sketchLen(c.shingles) : c.at+sketchLen(c.shingles)]}
}

// listBit marks a band value that is an index into MemIndex.lists.
const listBit = 1 << 31

// NewMemIndex returns an empty in-memory index.
func NewMemIndex(opts Options) *MemIndex {
	opts = opts.withDefaults()
	x := &MemIndex{
		opts:      opts,
		flushAt:   pendingFlush,
		byID:      make(map[uuid.UUID]uint32),
		applicant: make(map[uint64][]uint32),
		address:   make(map[uint64][]uint32),
	}
	for b := range x.bands {
		x.bands[b] = make(map[uint32]uint32)
	}
	return x
}

var _ Index = (*MemIndex)(nil)

// bandKeys computes the LSH key of each band of a signature.
func bandKeys(sig *Signature, keys *[Bands]uint32) {
	for b := range keys {
		h := uint64(b)<<32 | uint64(sig.MinHash[b*Rows])
		for r := 1; r < Rows; r++ {
			h = mix(h)*0x9e3779b97f4a7c15 + uint64(sig.MinHash[b*Rows+r])
		}
		keys[b] = uint32(mix(h))
	}
}

// keyHash is the hash under which an applicant or address key is kept; never 0.
func keyHash(k string) uint64 { return hashToken(k) | 1 }

// Len is the number of documents held.
func (x *MemIndex) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	x.pendMu.Lock()
	defer x.pendMu.Unlock()
	n := len(x.byID)
	for i := range x.pending {
		id := x.pending[i].s.id
		if _, held := x.byID[id]; !held && !slices.ContainsFunc(x.pending[:i], func(p pended) bool { return p.s.id == id }) {
			n++
		}
	}
	return n
}

// Put adds the document or replaces the one with its ID. It waits with the Puts before it
// (pending) until there are flushAt of them, which then go into the tables under one write
// lock: a Put seldom waits for the queries running, nor they for it, and a query reads the
// pending documents too.
func (x *MemIndex) Put(d Document) error {
	if d.ID == uuid.Nil {
		return ErrNoID
	}
	if n := d.Signature.Shingles; n < 0 || n > math.MaxUint32 || len(d.Signature.Sketch) != int(sketchLen(uint32(n))) {
		return fmt.Errorf("%w: the sketch does not hold the smallest of its shingles", ErrSignature)
	}
	p := pended{s: slot{id: d.ID, received: d.ReceivedAt.Unix(), banded: !d.Signature.Empty()},
		c: check{low: d.Signature.lowBits(), shingles: uint32(d.Signature.Shingles)}, sketch: slices.Clone(d.Signature.Sketch)}
	for _, k := range d.Applicants {
		if h := keyHash(k); !slices.Contains(p.s.applicants, h) {
			p.s.applicants = append(p.s.applicants, h)
		}
	}
	p.s.applicants = slices.Clip(p.s.applicants)
	if d.Address != "" {
		p.c.address = keyHash(d.Address)
	}
	bandKeys(&d.Signature, &p.keys)

	// Whatever refuses the document does so now: room is counted as if every pending
	// document were new and none of their sketches were dropped.
	x.mu.RLock()
	x.pendMu.Lock()
	docs, hashes := len(x.byID)+len(x.pending), len(x.hashes)-x.dead+len(p.sketch)
	for i := range x.pending {
		hashes += len(x.pending[i].sketch)
	}
	full := docs >= listBit || hashes > math.MaxUint32
	if !full {
		x.pending = append(x.pending, p)
	}
	flush := len(x.pending) >= x.flushAt
	x.pendMu.Unlock()
	x.mu.RUnlock()
	if full {
		return ErrFull
	}
	if flush {
		x.mu.Lock()
		x.flush()
		x.mu.Unlock()
	}
	return nil
}

// pended is a document Put and not yet in the tables: its slot and check (at not set), band
// keys and sketch.
type pended struct {
	s      slot
	c      check
	keys   [Bands]uint32
	sketch []uint32
}

// pendingFlush is how many Puts wait before they go into the tables together.
const pendingFlush = 16

// flush puts the pending documents into the tables, in the order they were put; x.mu is held
// for writing.
func (x *MemIndex) flush() {
	x.pendMu.Lock()
	batch := x.pending
	x.pending = nil
	x.pendMu.Unlock()
	for i := range batch {
		x.insert(&batch[i])
	}
}

// insert puts p in the tables, in place of the document with its ID; Put has made sure it
// fits. x.mu is held for writing.
func (x *MemIndex) insert(p *pended) {
	if x.dead > len(x.hashes)/2 || len(x.hashes)+len(p.sketch) > math.MaxUint32 {
		x.compact()
	}
	if old, ok := x.byID[p.s.id]; ok {
		x.removeSlot(old)
	}
	c := p.c
	c.at = uint32(len(x.hashes))
	x.hashes = append(x.hashes, p.sketch...)
	i := x.newSlot()
	x.slots[i], x.checks[i] = p.s, c
	x.byID[p.s.id] = i
	for _, h := range p.s.applicants {
		x.applicant[h] = append(x.applicant[h], i)
	}
	if c.address != 0 {
		x.address[c.address] = append(x.address[c.address], i)
	}
	if p.s.banded {
		copy(x.keys[int(i)*Bands:], p.keys[:])
		for b, k := range p.keys {
			x.link(b, k, i)
		}
	}
}

// compact drops the sketches of freed slots from x.hashes.
func (x *MemIndex) compact() {
	live := make([]uint32, 0, len(x.hashes)-x.dead)
	for i := range x.slots {
		if x.slots[i].id == uuid.Nil {
			continue
		}
		c := &x.checks[i]
		at := uint32(len(live))
		live = append(live, x.hashes[c.at:c.at+sketchLen(c.shingles)]...)
		c.at = at
	}
	x.hashes, x.dead = live, 0
}

// newSlot returns a free slot, growing the tables when there is none.
func (x *MemIndex) newSlot() uint32 {
	if n := len(x.free); n > 0 {
		i := x.free[n-1]
		x.free = x.free[:n-1]
		return i
	}
	x.slots = append(x.slots, slot{})
	x.checks = append(x.checks, check{})
	x.keys = append(x.keys, make([]uint32, Bands)...)
	return uint32(len(x.slots) - 1)
}

// Remove removes the document with the ID.
func (x *MemIndex) Remove(id uuid.UUID) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.flush()
	if i, ok := x.byID[id]; ok {
		x.removeSlot(i)
	}
}

// removeSlot unlinks slot i from every table and frees it.
func (x *MemIndex) removeSlot(i uint32) {
	s, c := &x.slots[i], &x.checks[i]
	delete(x.byID, s.id)
	for _, h := range s.applicants {
		x.applicant[h] = dropSlot(x.applicant[h], i)
		if len(x.applicant[h]) == 0 {
			delete(x.applicant, h)
		}
	}
	if c.address != 0 {
		x.address[c.address] = dropSlot(x.address[c.address], i)
		if len(x.address[c.address]) == 0 {
			delete(x.address, c.address)
		}
	}
	if s.banded {
		for b := range Bands {
			x.unlink(b, i)
		}
	}
	x.dead += int(sketchLen(c.shingles))
	*s, *c = slot{}, check{}
	x.free = append(x.free, i)
}

// link adds slot i under key k of band b.
func (x *MemIndex) link(b int, k, i uint32) {
	v, ok := x.bands[b][k]
	switch {
	case !ok:
		x.bands[b][k] = i
	case v&listBit != 0:
		x.lists[v&^listBit] = append(x.lists[v&^listBit], i)
	default:
		var l uint32
		if n := len(x.freeLists); n > 0 {
			l, x.freeLists = x.freeLists[n-1], x.freeLists[:n-1]
			x.lists[l] = append(x.lists[l][:0], v, i)
		} else {
			l = uint32(len(x.lists))
			x.lists = append(x.lists, []uint32{v, i})
		}
		x.bands[b][k] = l | listBit
	}
}

// unlink takes slot i out of band b.
func (x *MemIndex) unlink(b int, i uint32) {
	k := x.keys[int(i)*Bands+b]
	v := x.bands[b][k]
	if v&listBit == 0 {
		delete(x.bands[b], k)
		return
	}
	l := v &^ listBit
	list := dropSlot(x.lists[l], i)
	if len(list) > 1 {
		x.lists[l] = list
		return
	}
	x.bands[b][k] = list[0]
	x.lists[l] = list[:0]
	x.freeLists = append(x.freeLists, l)
}

// inBand is the slots under key k of band b.
func (x *MemIndex) inBand(b int, k uint32, one *[1]uint32) []uint32 {
	v, ok := x.bands[b][k]
	switch {
	case !ok:
		return nil
	case v&listBit != 0:
		return x.lists[v&^listBit]
	}
	one[0] = v
	return one[:]
}

// dropSlot removes i from a posting list, keeping the order of the rest.
func dropSlot(s []uint32, i uint32) []uint32 {
	if k := slices.Index(s, i); k >= 0 {
		s = slices.Delete(s, k, k+1)
	}
	return s
}

// Query returns the duplicates and similar appeals of d.
func (x *MemIndex) Query(d Document) Result {
	sc := x.takeScratch()
	defer x.giveScratch(sc)
	var keys [Bands]uint32
	bandKeys(&d.Signature, &keys)
	for i := range sc.need {
		sc.need[i] = -1
	}
	q := query{low: d.Signature.lowBits(), shingles: d.Signature.Shingles, keys: &keys, applicants: sc.applicants[:0],
		need: &sc.need}
	for _, k := range d.Applicants {
		q.applicants = append(q.applicants, keyHash(k))
	}
	sc.applicants = q.applicants
	if d.Address != "" {
		q.address = keyHash(d.Address)
	}
	received, mine := d.ReceivedAt.Unix(), d.Signature.sketch()
	window := int64(x.opts.DuplicateWindow / time.Second)
	var bits *sketchBits
	if mine.complete() {
		bits = &sc.bits
		bits.fill(mine.hashes)
		defer bits.clear(mine.hashes)
	}

	x.mu.RLock()
	defer x.mu.RUnlock()
	x.pendMu.Lock()
	sc.pending = append(sc.pending[:0], x.pending...)
	x.pendMu.Unlock()
	pending := sc.pending
	q.self, q.held = x.byID[d.ID]
	sc.candidates = x.candidates(&q, sc.candidates[:0])
	candidates := sc.candidates

	kept := [2][]found{sc.found[0][:0], sc.found[1][:0]} // duplicates, similar
	// consider keeps the candidate with sketch other if it scores enough: p is the pending
	// document, or nil for slot j of the tables, which is kept only when no Put of its ID is
	// pending. The slot is read only once the candidate passes the bound.
	consider := func(j uint32, p *pended, other sketch, same, shared bool) {
		similar := x.opts.SimilarScore // the least score of a similar appeal
		if same || shared {
			similar = min(similar, x.opts.RelatedScore)
		}
		least := similar
		if same {
			least = min(least, x.opts.DuplicateScore)
		}
		if bits != nil && other.complete() && other.n > 0 &&
			float64(bits.shared(other.hashes))/math.Sqrt(float64(mine.n)*float64(other.n)) < least {
			return // it cannot reach a score that would keep it
		}
		var s *slot
		if p != nil {
			s = &p.s
		} else {
			s = &x.slots[j]
		}
		m := Match{ID: s.id, Score: similarity(mine, other), SameApplicant: same, SharedAddress: shared}
		dup := same && abs(s.received-received) <= window
		k := -1
		switch {
		case dup && m.Score >= x.opts.DuplicateScore:
			k = 0
		case m.Score >= similar:
			k = 1
		}
		if k < 0 || p == nil && slices.ContainsFunc(pending, func(p pended) bool { return p.s.id == m.ID }) {
			return
		}
		kept[k] = append(kept[k], found{m, other.hashes})
	}
	q.touched += x.touchSketches(candidates)
	for _, cand := range candidates {
		j, from := cand.slot()
		same := from&fromApplicant != 0 || q.capped && x.sharesApplicant(j, q.applicants)
		shared := q.address != 0 && x.checks[j].address == q.address
		consider(j, nil, x.sketch(j), same, shared)
	}
	for i := len(pending) - 1; i >= 0; i-- { // the last Put of an ID is the one that counts
		p := &pending[i]
		if p.s.id == d.ID || slices.ContainsFunc(pending[i+1:], func(later pended) bool { return later.s.id == p.s.id }) {
			continue
		}
		same := slices.ContainsFunc(p.s.applicants, func(h uint64) bool { return slices.Contains(q.applicants, h) })
		shared := q.address != 0 && p.c.address == q.address
		if same || shared || x.bandCandidate(&q, p) {
			consider(0, p, sketch{int(p.c.shingles), p.sketch}, same, shared)
		}
	}
	sc.found = kept
	return Result{Duplicates: x.best(kept[0], d.Tokens), Similar: x.best(kept[1], d.Tokens)}
}

// bandCandidate reports whether the pending document p is a band candidate of the query, as
// candidates would find it in the tables: a band in common and enough low bytes agreeing.
func (x *MemIndex) bandCandidate(q *query, p *pended) bool {
	if q.shingles == 0 || !p.s.banded {
		return false
	}
	for b, k := range q.keys {
		if p.keys[b] == k {
			return agree(&q.low, &p.c.low) >= x.needed(q, p.c.shingles)
		}
	}
	return false
}

// found is a match and its sketch's hashes.
type found struct {
	Match
	hashes []uint32
}

// best is the best Options.Limit of the matches kept, best first, with the phrases each
// shares with the query's tokens. It sorts kept.
func (x *MemIndex) best(kept []found, tokens []string) []Match {
	if len(kept) == 0 {
		return nil
	}
	slices.SortFunc(kept, func(a, b found) int { return bestFirst(a.Match, b.Match) })
	out := make([]Match, min(len(kept), x.opts.Limit))
	for i := range out {
		out[i] = kept[i].Match
		if len(tokens) > 0 {
			out[i].Phrases = sharedPhrases(tokens, kept[i].hashes)
		}
	}
	return out
}

// scratch is what a query works in, reused by the next: at a million appeals a query goes
// through thousands of candidates, and would otherwise leave as much for the collector.
type scratch struct {
	pending    []pended // a copy of MemIndex.pending
	candidates []candidate
	found      [2][]found // duplicates, similar
	applicants []uint64
	bits       sketchBits // zero between queries
	need       [needMemo]int8
}

// takeScratch returns a spare scratch, or a new one.
func (x *MemIndex) takeScratch() *scratch {
	x.spareMu.Lock()
	defer x.spareMu.Unlock()
	if n := len(x.spare); n > 0 {
		sc := x.spare[n-1]
		x.spare = x.spare[:n-1]
		return sc
	}
	return new(scratch)
}

// giveScratch keeps sc for the next query; there are as many as queries ran at once.
func (x *MemIndex) giveScratch(sc *scratch) {
	x.spareMu.Lock()
	defer x.spareMu.Unlock()
	x.spare = append(x.spare, sc)
}

// query is what the choice of candidates needs of a query document.
type query struct {
	low        lowBits
	shingles   int
	keys       *[Bands]uint32
	applicants []uint64 // hashes of the applicant keys
	address    uint64   // hash of the address key; 0 for none
	self       uint32   // the document's own slot, when held
	held       bool
	capped     bool  // an applicant key has more appeals than a query compares
	touched    uint8 // the sum of what touch read, kept so that the reads are not left out
	// need memoizes agreeNeeded by the candidate's shingle count, -1 where not yet computed;
	// nil: computed each time.
	need *[needMemo]int8
}

// touchSketches reads a hash of each cache line of the candidates' sketches, as touch does.
func (x *MemIndex) touchSketches(candidates []candidate) uint8 {
	var sum uint32
	for _, cand := range candidates {
		j, _ := cand.slot()
		c := &x.checks[j]
		for k := c.at; k < c.at+sketchLen(c.shingles); k += 16 {
			sum += x.hashes[k]
		}
	}
	return uint8(sum)
}

// touch reads a byte of each slot's check, so that the memory reads of a whole posting list
// are under way at once before the checks that need them (most are cache misses).
func (x *MemIndex) touch(slots []uint32) uint8 {
	var sum uint8
	for _, j := range slots {
		sum += x.checks[j].low[0]
	}
	return sum
}

// candidate is one slot to compare with a query, with the postings it came from besides the
// bands (fromApplicant, fromAddress) in its low bits.
type candidate uint64

// The postings a candidate came from, besides the bands.
const (
	fromApplicant = 1 << iota
	fromAddress
	fromBits = 2
)

func (c candidate) slot() (uint32, uint8) { return uint32(c >> fromBits), uint8(c & (1<<fromBits - 1)) }

// candidates are the slots that share a band with the query and agree on enough low bytes,
// or share an applicant key or the address, each once, in slot order. They set q.capped.
func (x *MemIndex) candidates(q *query, candidates []candidate) []candidate {
	add := func(j uint32, from uint8) {
		if !q.held || j != q.self {
			candidates = append(candidates, candidate(j)<<fromBits|candidate(from))
		}
	}
	if q.shingles > 0 {
		var one [1]uint32
		for b, k := range q.keys {
			list := last(x.inBand(b, k, &one), maxBandPostings)
			q.touched += x.touch(list)
			for _, j := range list {
				c := &x.checks[j]
				if agree(&q.low, &c.low) >= x.needed(q, c.shingles) {
					add(j, 0)
				}
			}
		}
	}
	for _, h := range q.applicants {
		list := x.applicant[h]
		q.capped = q.capped || len(list) > maxApplicantPostings
		for _, j := range last(list, maxApplicantPostings) {
			add(j, fromApplicant)
		}
	}
	if q.address != 0 {
		for _, j := range last(x.address[q.address], maxAddressPostings) {
			add(j, fromAddress)
		}
	}
	slices.Sort(candidates)
	out := candidates[:0]
	for _, c := range candidates {
		if n := len(out); n > 0 && out[n-1]>>fromBits == c>>fromBits {
			out[n-1] |= c
			continue
		}
		out = append(out, c)
	}
	return out
}

// sharesApplicant reports whether slot j has one of the applicant key hashes.
func (x *MemIndex) sharesApplicant(j uint32, applicants []uint64) bool {
	for _, h := range x.slots[j].applicants {
		if slices.Contains(applicants, h) {
			return true
		}
	}
	return false
}

// The most appeals of one applicant, and of one building, a query compares: the last put.
// A building's list grows with the years; an applicant who writes hundreds of letters
// (переписка с которым может быть прекращена, art. 11 p.5) has the last ones compared.
// A band's list grows long only for a mass campaign of near-identical letters: its last
// maxBandPostings are enough to find the best ten, and keep a query's cost bounded.
const (
	maxApplicantPostings = 512
	maxAddressPostings   = 64
	maxBandPostings      = 256
)

// last is the last n of s, or all of it.
func last(s []uint32, n int) []uint32 { return s[max(0, len(s)-n):] }

// bestFirst orders matches by score, highest first, then by ID.
func bestFirst(a, b Match) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	return slices.Compare(a.ID[:], b.ID[:])
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// maxPhrases is the most shared phrases a match shows.
const maxPhrases = 3

// sharedPhrases are the first few shingles of the query's tokens found in a sketch, none
// overlapping the one before; shingles beyond a full sketch's largest hash cannot be told and
// are not shown.
func sharedPhrases(tokens []string, sketch []uint32) []string {
	var phrases []string
	last := -1 // the last word of the last phrase
	shingleTokens(tokens, func(h uint32, words []int) {
		if len(phrases) == maxPhrases || words[0] <= last {
			return
		}
		if _, ok := slices.BinarySearch(sketch, h); !ok {
			return
		}
		last = words[len(words)-1]
		p := make([]string, len(words))
		for k, w := range words {
			p[k] = tokens[w]
		}
		phrases = append(phrases, strings.Join(p, " "))
	})
	return phrases
}
