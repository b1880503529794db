package memstore

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
	"unique"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/klauspost/compress/s2"
)

// Store is an in-memory workflow.Store, workflow.Counter and workflow.Searcher. Its errors are workflow's
// sentinels, unwrapped (the caller names the operation and the id), or a context's or an
// injected fault's error behind "memstore: <op>". It is safe for concurrent use;
// the zero value is not usable, call New.
type Store struct {
	fault func(op string) error // nil: no injected faults

	codec *codec

	mu      sync.RWMutex
	pack    packer // finished appeals compressed (see pack.go)
	records map[uuid.UUID]*entry
	ids     []uuid.UUID            // every record id, ascending (bytewise)
	intake  map[string]uuid.UUID   // non-empty IntakeKey → record id
	numbers map[seriesYear]int64   // last number issued
	days    days                   // running terms by day
	words   words                  // search words → records
	ordIDs  []uuid.UUID            // every record's id by its ordinal (entry.ord)
	byKey   map[string][]uuid.UUID // applicant match key → the ids of its records, ascending
	outbox  []note                 // in queue order
	byNote  map[uuid.UUID]int      // notification id → its place in outbox
	pending map[int]struct{}       // the places of the pending and uncertain notifications
}

// entry is a stored record: encoded (see codec), so that a million of them cost the
// collector a few pointers each, not the hundreds of a decoded record.
type entry struct {
	rec     []byte         // the record, encoded; its Version is version
	version int64          //
	ix      workflow.Index // the record's Index, computed on write, in strings of its own
	events  []byte         // the history, encoded one event after another
	nEvents int64
	packed  bool   // rec and events are compressed (a finished appeal, see pack.go)
	ord     uint32 // the record's ordinal, its place in creation order: how words names it
	wordSum uint64 // the checksum of the words it is indexed under (words.sum)
}

// note is a queued notification: encoded as queued, with the delivery state kept beside it.
type note struct {
	enc         []byte // the notification as queued
	appeal      uuid.UUID
	created     time.Time
	status      workflow.NotificationStatus
	attempts    int
	nextAttempt time.Time
	lastError   string
	packed      bool // enc is compressed
}

type seriesYear struct {
	series string
	year   int
}

// Options configure a Store. The zero value is a plain store.
type Options struct {
	// Fault, when set, is called by every Store method first with the method's name
	// ("Create", "Get", "Save", "List", "History", "ClaimNotifications",
	// "UpdateNotification", "Count", "Search"), and by a Create or Save that draws a registration number
	// once more with "Number" after the number is drawn and the change completed, just before
	// it would be stored. A non-nil error fails the call, wrapped, with nothing stored and no
	// number spent. It is for tests of how the engine and the dispatcher behave when the store
	// fails.
	Fault func(op string) error
	// PackAfter is how many finished appeals (closed or refused) the store holds before it
	// trains a compression dictionary on them and from then on keeps finished appeals and all
	// notices compressed, at a fraction of their size; the Save that crosses it trains the
	// dictionary once (well under a second). 0 means 1,000; a negative value never compresses.
	PackAfter int
}

// New returns an empty store.
func New(opt Options) *Store {
	c, err := newCodec(workflow.Record{}, workflow.Event{}, workflow.Notification{})
	if err != nil {
		panic(err) // the types are the module's own: a test fails first
	}
	return &Store{
		fault:   opt.Fault,
		codec:   c,
		pack:    packer{after: cmp.Or(opt.PackAfter, defaultPackAfter)},
		records: make(map[uuid.UUID]*entry),
		intake:  make(map[string]uuid.UUID),
		numbers: make(map[seriesYear]int64),
		byNote:  make(map[uuid.UUID]int),
		pending: make(map[int]struct{}),
		days:    newDays(),
		words:   newWords(),
		byKey:   make(map[string][]uuid.UUID),
	}
}

var (
	_ workflow.Store    = (*Store)(nil)
	_ workflow.Counter  = (*Store)(nil)
	_ workflow.Searcher = (*Store)(nil)
)

// errNoAppeal is returned for a record without a card: it cannot be indexed.
var errNoAppeal = errors.New("record has no appeal")

// begin checks the context and the injected fault before operation op.
func (s *Store) begin(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: %s: %w", op, err)
	}
	if s.fault != nil {
		if err := s.fault(op); err != nil {
			return fmt.Errorf("memstore: %s: %w", op, err)
		}
	}
	return nil
}

// Create implements workflow.Store.
func (s *Store) Create(ctx context.Context, ch workflow.Change) error {
	st, err := s.prepare(ctx, "Create", ch, 1)
	if err != nil {
		return err
	}
	train, err := s.create(ch, st)
	if train {
		s.train()
	}
	return err
}

// create is Create's part under the lock; train says the dictionary is due.
func (s *Store) create(ch workflow.Change, st staged) (train bool, err error) {
	id := ch.Record.Appeal.ID
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.records[id]; ok {
		return false, workflow.ErrExists
	}
	st, ch, err = s.draw(ch, st, 1)
	if err != nil {
		return false, err
	}
	if err := s.checkWrite(id, ch.Record.IntakeKey, ch.Notifications); err != nil {
		return false, err
	}
	s.commitNumber(ch)
	e := st.e
	s.days.update(id, nil, e.ix.Terms)
	e.ord = uint32(len(s.ordIDs))
	s.ordIDs = append(s.ordIDs, id)
	s.words.update(e.ord, nil, st.words)
	i, _ := slices.BinarySearchFunc(s.ids, id, compareIDs)
	s.ids = slices.Insert(s.ids, i, id)
	s.indexKeys(id, nil, e.ix.Applicants)
	if key := ch.Record.IntakeKey; key != "" {
		s.intake[key] = id
	}
	if e.finished() {
		s.pack.finished++
	}
	s.records[id] = packEntry(e, s.pack.dict)
	s.enqueue(st.notes, ch.Notifications)
	ch.Record.Version = 1
	return s.pack.due(), nil
}

// staged is what a write makes of its change before it takes the lock, so that the lock is
// held for the indexes alone: the entry to store — the record encoded and indexed, the
// history grown by the change's events, both packed when the appeal is finished — its
// words, and the notices encoded. It is built on base, the entry stored when the write
// began. A write that finds another entry stored under the lock (a write came between)
// stages its change again there; one that draws a number makes its entry there (draw).
type staged struct {
	base     *entry
	e        *entry   // nil until the number is drawn, for a change that draws one
	words    []string // the record's words (wordSet)
	oldWords []string // base's words, when they differ from words (entry.wordSum)
	notes    []note
}

// prepare checks the context, the injected fault and the card before operation op, and
// stages ch's record at version on the entry stored for it (none for a Create).
func (s *Store) prepare(ctx context.Context, op string, ch workflow.Change, version int64) (staged, error) {
	if err := s.begin(ctx, op); err != nil {
		return staged{}, err
	}
	if ch.Record == nil || ch.Record.Appeal == nil {
		return staged{}, fmt.Errorf("memstore: %s: %w", op, errNoAppeal)
	}
	s.mu.RLock()
	var base *entry
	if op == "Save" {
		base = s.records[ch.Record.Appeal.ID]
	}
	d := s.pack.dict
	s.mu.RUnlock()
	return s.stage(ch, version, base, d), nil
}

// stage builds what a write of ch at version on base stores (see staged), packing with the
// dictionary d (nil: none yet). It reads base, which is never changed, and the store's
// immutable parts only: it needs no lock. A change that draws a number is staged by draw.
func (s *Store) stage(ch workflow.Change, version int64, base *entry, d *s2.Dict) staged {
	st := staged{base: base}
	if ch.Number == nil {
		st.notes = s.notes(ch.Notifications, d)
		s.entryOf(&st, ch, version)
		st.e = packEntry(st.e, d)
	}
	return st
}

// entryOf makes st's entry of ch's record at version: the record encoded and indexed, base's
// history with ch's events, and the words, with base's when they differ.
func (s *Store) entryOf(st *staged, ch workflow.Change, version int64) {
	rec := ch.Record
	e := s.newEntry(rec, version, st.base)
	e.events, e.nEvents = s.history(st.base, ch.Events)
	st.words, st.oldWords = wordSet(rec.Words), nil
	e.wordSum = s.words.sum(st.words)
	if st.base != nil && e.wordSum != st.base.wordSum {
		st.oldWords = wordSet(s.record(st.base).Words)
	}
	st.e = e
}

// newEntry encodes rec as the entry to store at version; old, when not nil, is the entry it
// replaces, whose index strings the new index shares where they did not change.
func (s *Store) newEntry(rec *workflow.Record, version int64, old *entry) *entry {
	buf := scratch.Get().(*[]byte)
	*buf = s.codec.encode((*buf)[:0], rec)
	var prev *workflow.Index
	if old != nil {
		prev = &old.ix
	}
	e := &entry{rec: bytes.Clone(*buf), version: version, ix: ownIndex(rec.Index(), prev)}
	scratch.Put(buf)
	return e
}

// scratch holds the buffers records are encoded in before they are copied to their exact size.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

// ownIndex gives ix strings of its own: a caller's record may hold strings cut from a larger
// one (a record this store decoded), which the index must not keep alive. What did not change
// since prev (the index replaced, or nil) is prev's; staff ids, codes, series and kinds repeat
// across records and are shared.
func ownIndex(ix workflow.Index, prev *workflow.Index) workflow.Index {
	if prev == nil {
		prev = &workflow.Index{}
	}
	own := func(s, was string) string {
		if s == was {
			return was
		}
		return strings.Clone(s)
	}
	ix.Number, ix.IntakeKey = own(ix.Number, prev.Number), own(ix.IntakeKey, prev.IntakeKey)
	ix.Series = unique.Make(ix.Series).Value()
	ix.State = appeal.State(unique.Make(string(ix.State)).Value())
	ix.People = shared(ix.People, prev.People)
	ix.Codes = shared(ix.Codes, prev.Codes)
	if slices.Equal(ix.Applicants, prev.Applicants) {
		ix.Applicants = prev.Applicants
	} else {
		for i, v := range ix.Applicants {
			ix.Applicants[i] = strings.Clone(v)
		}
	}
	if slices.Equal(ix.Terms, prev.Terms) {
		ix.Terms = prev.Terms
	} else {
		for i := range ix.Terms {
			ix.Terms[i].Kind = workflow.TermKind(unique.Make(string(ix.Terms[i].Kind)).Value())
		}
	}
	ix.Words = nil
	return ix
}

// shared is ss in interned strings, or was when equal.
func shared(ss, was []string) []string {
	if slices.Equal(ss, was) {
		return was
	}
	for i, v := range ss {
		ss[i] = unique.Make(v).Value()
	}
	return ss
}

// record decodes the entry's record.
func (s *Store) record(e *entry) *workflow.Record {
	rec := new(workflow.Record)
	if _, err := s.codec.decode(s.pack.unpack(e.rec, e.packed), rec); err != nil {
		panic(fmt.Sprintf("memstore: a stored record does not decode: %v", err)) // the store wrote it
	}
	rec.Version = e.version
	return rec
}

// draw completes a change that draws a registration number, under the write lock: the next
// number of its series and year goes to Apply, and the entry is copied from what Apply left.
// The number is spent only by commitNumber.
func (s *Store) draw(ch workflow.Change, st staged, version int64) (staged, workflow.Change, error) {
	if ch.Number == nil {
		return st, ch, nil
	}
	n := s.numbers[seriesYear{ch.Number.Series, ch.Number.Year}] + 1
	if err := ch.Number.Apply(&ch, n); err != nil {
		return st, ch, err
	}
	if s.fault != nil {
		if err := s.fault("Number"); err != nil {
			return st, ch, err
		}
	}
	// Apply may have changed the events and the notices too (the number is in the notice).
	st.notes = s.notes(ch.Notifications, s.pack.dict)
	s.entryOf(&st, ch, version)
	return st, ch, nil
}

// commitNumber spends the number a change drew.
func (s *Store) commitNumber(ch workflow.Change) {
	if ch.Number != nil {
		s.numbers[seriesYear{ch.Number.Series, ch.Number.Year}]++
	}
}

// Get implements workflow.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*workflow.Record, error) {
	if err := s.begin(ctx, "Get"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	e, ok := s.records[id]
	s.mu.RUnlock()
	if !ok {
		return nil, workflow.ErrNotFound
	}
	return s.record(e), nil // an entry is replaced on write, never changed: no lock to decode
}

// Save implements workflow.Store.
func (s *Store) Save(ctx context.Context, ch workflow.Change) error {
	rec := ch.Record
	var version int64
	if rec != nil {
		version = rec.Version
	}
	st, err := s.prepare(ctx, "Save", ch, version+1)
	if err != nil {
		return err
	}
	train, err := s.save(ch, st, version)
	if train {
		s.train()
	}
	return err
}

// save is Save's part under the lock; train says the dictionary is due.
func (s *Store) save(ch workflow.Change, st staged, version int64) (train bool, err error) {
	rec := ch.Record
	id := rec.Appeal.ID
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.records[id]
	if !ok {
		return false, workflow.ErrNotFound
	}
	if e.version != version {
		return false, fmt.Errorf("version %d, stored %d: %w", version, e.version, workflow.ErrConflict)
	}
	if e != st.base {
		// Another entry than the one staged on is stored at the record's version: the
		// dictionary packed it, or the caller's record claims a version it did not read.
		st = s.stage(ch, version+1, e, s.pack.dict)
	}
	st, ch, err = s.draw(ch, st, version+1)
	if err != nil {
		return false, err
	}
	next := st.e
	if err := s.checkWrite(id, rec.IntakeKey, ch.Notifications); err != nil {
		return false, err
	}
	s.commitNumber(ch)
	if old := e.ix.IntakeKey; old != rec.IntakeKey {
		delete(s.intake, old)
		if rec.IntakeKey != "" {
			s.intake[rec.IntakeKey] = id
		}
	}
	s.days.update(id, e.ix.Terms, next.ix.Terms)
	s.indexKeys(id, e.ix.Applicants, next.ix.Applicants)
	next.ord = e.ord
	if next.wordSum != e.wordSum {
		s.words.update(e.ord, st.oldWords, st.words)
	}
	if next.finished() && !e.finished() {
		s.pack.finished++
	} else if !next.finished() && e.finished() {
		s.pack.finished--
	}
	s.records[id] = packEntry(next, s.pack.dict)
	s.enqueue(st.notes, ch.Notifications)
	rec.Version++
	return s.pack.due(), nil
}

// indexKeys moves the record id from the applicant keys old to new (an entry's
// Index.Applicants, before and after a write), so that a List or Count of one applicant
// (Filter.Applicant: the applicant's history, duplicates) reads that applicant's records
// only. Keys rarely change: most writes find old and new alike and do nothing.
func (s *Store) indexKeys(id uuid.UUID, old, new []string) {
	if slices.Equal(old, new) {
		return
	}
	for _, k := range old {
		if slices.Contains(new, k) {
			continue
		}
		ids := s.byKey[k]
		if i, found := slices.BinarySearchFunc(ids, id, compareIDs); found {
			ids = slices.Delete(ids, i, i+1)
		}
		if len(ids) == 0 {
			delete(s.byKey, k)
		} else {
			s.byKey[k] = ids
		}
	}
	for _, k := range new {
		if slices.Contains(old, k) {
			continue
		}
		ids, held := s.byKey[k]
		if i, found := slices.BinarySearchFunc(ids, id, compareIDs); !found {
			ids = slices.Insert(ids, i, id)
		}
		if !held {
			k = strings.Clone(k) // the map keeps the key: not the record's larger string
		}
		s.byKey[k] = ids
	}
}

// checkWrite returns a *workflow.DuplicateError when another record than id holds the
// intake key, and refuses a notification whose id is already queued: the id is the
// idempotency key, so two notifications with one id would be one delivered twice or one lost.
func (s *Store) checkWrite(id uuid.UUID, key string, out []workflow.Notification) error {
	if other, ok := s.intake[key]; ok && key != "" && other != id {
		return &workflow.DuplicateError{Existing: other}
	}
	for i, n := range out {
		_, queued := s.byNote[n.ID]
		if queued || slices.ContainsFunc(out[:i], func(m workflow.Notification) bool { return m.ID == n.ID }) {
			return fmt.Errorf("notification %s: %w", n.ID, workflow.ErrExists)
		}
	}
	return nil
}

// notes encodes the notifications as queued, packed with the dictionary d when there is one.
func (s *Store) notes(out []workflow.Notification, d *s2.Dict) []note {
	if len(out) == 0 {
		return nil
	}
	ns := make([]note, len(out))
	for i, n := range out {
		enc := s.codec.encode(nil, &n)
		if d != nil {
			enc = squeeze(d, enc)
		}
		ns[i] = note{enc: enc, appeal: n.AppealID, created: n.CreatedAt, packed: d != nil,
			status: n.Status, attempts: n.Attempts, nextAttempt: n.NextAttempt, lastError: strings.Clone(n.LastError)}
	}
	return ns
}

// enqueue queues the notes of the notifications out (see notes).
func (s *Store) enqueue(ns []note, out []workflow.Notification) {
	for k, n := range ns {
		i := len(s.outbox)
		s.outbox = append(s.outbox, n)
		s.byNote[out[k].ID] = i
		s.mark(i)
	}
}

// mark keeps the outbox's place i in the pending set while its notification may be claimed.
func (s *Store) mark(i int) {
	if st := s.outbox[i].status; st == workflow.NotificationPending || st == workflow.NotificationUncertain {
		s.pending[i] = struct{}{}
	} else {
		delete(s.pending, i)
	}
}

// notification decodes the notification at place i, with its delivery state.
func (s *Store) notification(i int) workflow.Notification {
	q := &s.outbox[i]
	var n workflow.Notification
	if _, err := s.codec.decode(s.pack.unpack(q.enc, q.packed), &n); err != nil {
		panic(fmt.Sprintf("memstore: a queued notification does not decode: %v", err)) // the store wrote it
	}
	n.Status, n.Attempts, n.NextAttempt, n.LastError = q.status, q.attempts, q.nextAttempt, q.lastError
	return n
}

// history is base's history (none for nil) with evs appended, numbered after its last event,
// unpacked, and the number of its events; it is copied to its exact size, so that it takes no
// more memory than its bytes.
func (s *Store) history(base *entry, evs []workflow.Event) ([]byte, int64) {
	var events []byte
	var n int64
	if base != nil {
		events, n = s.pack.unpack(base.events, base.packed), base.nEvents
	}
	if len(evs) == 0 {
		return events, n
	}
	buf := scratch.Get().(*[]byte)
	b := append((*buf)[:0], events...)
	for _, ev := range evs {
		n++
		ev.Seq = n
		b = s.codec.encode(b, &ev)
	}
	events = bytes.Clone(b)
	*buf = b
	scratch.Put(buf)
	return events, n
}

// List implements workflow.Store. It takes the ids to look at under the lock — the records
// with a running term on the filter's days (see days), or those matching f — then yields a
// fresh copy of each record that matches when its turn comes, without holding the lock: the
// loop body may call the store.
func (s *Store) List(ctx context.Context, f workflow.Filter) iter.Seq2[*workflow.Record, error] {
	return func(yield func(*workflow.Record, error) bool) {
		if err := s.begin(ctx, "List"); err != nil {
			yield(nil, err)
			return
		}
		ids := s.candidates(f)
		s.yieldEach(ctx, "list", len(ids), func(i int) *entry { return s.records[ids[i]] }, nil, f, yield)
	}
}

// yieldEach yields, up to f.Limit, a fresh copy of each of n records — the i-th is the
// entry entryAt(i) returns under the lock — that still matches f and holds every one of ws
// when its turn comes, checking ctx before each; op names the operation in a context's
// error.
func (s *Store) yieldEach(ctx context.Context, op string, n int, entryAt func(i int) *entry, ws []string, f workflow.Filter, yield func(*workflow.Record, error) bool) {
	yielded := 0
	for i := range n {
		if f.Limit > 0 && yielded == f.Limit {
			return
		}
		if err := ctx.Err(); err != nil {
			yield(nil, fmt.Errorf("memstore: %s: %w", op, err))
			return
		}
		rec := s.cloneIfMatch(entryAt, i, ws, f)
		if rec == nil {
			continue // no match, or changed since
		}
		yielded++
		if !yield(rec, nil) {
			return
		}
	}
}

// candidates returns, ascending, the ids after f.After that may match f: those on the days
// the filter bounds, or else every record that matches now.
func (s *Store) candidates(f workflow.Filter) []uuid.UUID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids, onDays := s.days.candidates(f)
	switch {
	case onDays:
	case f.Applicant != "":
		ids = s.byKey[f.Applicant]
	default:
		ids = s.ids
	}
	if f.After != uuid.Nil {
		i, found := slices.BinarySearchFunc(ids, f.After, compareIDs)
		if found {
			i++
		}
		ids = ids[i:]
	}
	if onDays {
		return ids
	}
	var out []uuid.UUID
	for _, id := range ids {
		if f.Match(s.records[id].ix) {
			out = append(out, id)
		}
	}
	return out
}

func (s *Store) cloneIfMatch(entryAt func(i int) *entry, i int, ws []string, f workflow.Filter) *workflow.Record {
	s.mu.RLock()
	e := entryAt(i)
	match := f.Match(e.ix) && (len(ws) == 0 || s.words.holds(e.ord, ws))
	s.mu.RUnlock()
	if !match {
		return nil
	}
	return s.record(e)
}

// Search implements workflow.Searcher. It intersects the lists of the inverted index (see
// words) under the lock, the rarest word's first, into the records found, in id order; then
// it yields as List does, checking the filter when each one's turn comes: a fresh copy of
// each record that still matches and holds the words, without holding the lock. So it costs
// the rarest word's list and the records read, not every record found: the engine reads a
// few thousand of a word most records hold. Words are compared as they are, byte for byte:
// they are textnorm's tokens already. With no words, it is List.
func (s *Store) Search(ctx context.Context, ws []string, f workflow.Filter) iter.Seq2[*workflow.Record, error] {
	if len(ws) == 0 {
		return s.List(ctx, f)
	}
	return func(yield func(*workflow.Record, error) bool) {
		if err := s.begin(ctx, "Search"); err != nil {
			yield(nil, err)
			return
		}
		ords := s.found(ws, f.After)
		s.yieldEach(ctx, "search", len(ords), func(i int) *entry { return s.records[s.ordIDs[ords[i]]] }, ws, f, yield)
	}
}

// found returns, in id order, the ordinals of the records with an id after after (any, when
// uuid.Nil) that hold every one of ws now.
func (s *Store) found(ws []string, after uuid.UUID) []uint32 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ords := s.words.lookup(ws)
	// Creation order is id order unless ids came out of order (a host's own, or a race
	// between their minting and their Create).
	byID := func(a, b uint32) int { return compareIDs(s.ordIDs[a], s.ordIDs[b]) }
	if !slices.IsSortedFunc(ords, byID) {
		slices.SortFunc(ords, byID)
	}
	if after != uuid.Nil {
		i, found := slices.BinarySearchFunc(ords, after, func(o uint32, id uuid.UUID) int { return compareIDs(s.ordIDs[o], id) })
		if found {
			i++
		}
		ords = ords[i:]
	}
	return ords
}

// Count implements workflow.Counter: how many records List(ctx, f) would yield now.
func (s *Store) Count(ctx context.Context, f workflow.Filter) (int, error) {
	if err := s.begin(ctx, "Count"); err != nil {
		return 0, err
	}
	if n, ok := s.countOnDays(f); ok {
		return n, nil
	}
	ids := s.candidates(f)
	s.mu.RLock()
	n := 0
	for _, id := range ids {
		if f.Limit > 0 && n == f.Limit {
			break
		}
		if f.Match(s.records[id].ix) {
			n++
		}
	}
	s.mu.RUnlock()
	return n, nil
}

// History implements workflow.Store.
func (s *Store) History(ctx context.Context, id uuid.UUID) ([]workflow.Event, error) {
	if err := s.begin(ctx, "History"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	e, ok := s.records[id]
	s.mu.RUnlock()
	if !ok {
		return nil, workflow.ErrNotFound
	}
	h := make([]workflow.Event, e.nEvents)
	b := s.pack.unpack(e.events, e.packed)
	for i := range h {
		var err error
		if b, err = s.codec.decode(b, &h[i]); err != nil {
			panic(fmt.Sprintf("memstore: a stored event does not decode: %v", err)) // the store wrote it
		}
	}
	return h, nil
}

// ClaimNotifications implements workflow.Store: pending and uncertain notifications due by
// now, oldest CreatedAt first (queue order among equals).
func (s *Store) ClaimNotifications(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]workflow.Notification, error) {
	if err := s.begin(ctx, "ClaimNotifications"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []int
	for i := range s.pending {
		if !s.outbox[i].nextAttempt.After(now) {
			due = append(due, i)
		}
	}
	slices.SortFunc(due, func(a, b int) int {
		if c := s.outbox[a].created.Compare(s.outbox[b].created); c != 0 {
			return c
		}
		return a - b // queue order among equals
	})
	due = due[:min(len(due), max(limit, 0))]
	claimed := make([]workflow.Notification, len(due))
	for k, i := range due {
		q := &s.outbox[i]
		q.attempts++
		q.nextAttempt = now.Add(lease)
		claimed[k] = s.notification(i)
	}
	return claimed, nil
}

// UpdateNotification implements workflow.Store: it stores n's Status, NextAttempt and
// LastError; the other fields stay as queued and claimed.
func (s *Store) UpdateNotification(ctx context.Context, n workflow.Notification) error {
	if err := s.begin(ctx, "UpdateNotification"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byNote[n.ID]
	if !ok {
		return workflow.ErrNotFound
	}
	q := &s.outbox[i]
	q.status, q.nextAttempt, q.lastError = n.Status, n.NextAttempt, strings.Clone(n.LastError)
	s.mark(i)
	return nil
}

// Notifications returns the outbox entries of one appeal, in queue order, with their current
// delivery state. It is a test helper (for dispatcher fault tests) and a window for hosts;
// it is not part of workflow.Store.
func (s *Store) Notifications(appealID uuid.UUID) []workflow.Notification {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []workflow.Notification
	for i := range s.outbox {
		if s.outbox[i].appeal == appealID {
			out = append(out, s.notification(i))
		}
	}
	return out
}

func compareIDs(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }
