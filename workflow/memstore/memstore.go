package memstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// Store is an in-memory workflow.Store, workflow.Counter and workflow.Searcher. Its errors are workflow's
// sentinels, unwrapped (the caller names the operation and the id), or a context's or an
// injected fault's error behind "memstore: <op>". It is safe for concurrent use;
// the zero value is not usable, call New.
type Store struct {
	fault func(op string) error // nil: no injected faults

	mu      sync.RWMutex
	records map[uuid.UUID]*entry
	ids     []uuid.UUID              // every record id, ascending (bytewise)
	intake  map[string]uuid.UUID     // non-empty IntakeKey → record id
	numbers map[seriesYear]int64     // last number issued
	days    days                     // running terms by day
	words   words                    // search words → records
	byOrd   []*entry                 // every record by its ordinal (entry.ord)
	outbox  []*workflow.Notification // in queue order
	byNote  map[uuid.UUID]*workflow.Notification
}

type entry struct {
	rec    *workflow.Record // owned by the store, Version kept current
	ix     workflow.Index   // rec.Index(), computed on write
	ord    uint32           // the record's ordinal: its place in creation order, how words names it
	words  []string         // ix.Words as a set (wordSet), as words indexes them
	events []workflow.Event
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
}

// New returns an empty store.
func New(opt Options) *Store {
	return &Store{
		fault:   opt.Fault,
		records: make(map[uuid.UUID]*entry),
		intake:  make(map[string]uuid.UUID),
		numbers: make(map[seriesYear]int64),
		byNote:  make(map[uuid.UUID]*workflow.Notification),
		days:    newDays(),
		words:   newWords(),
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
	e, err := s.prepare(ctx, "Create", ch, 1)
	if err != nil {
		return err
	}
	id := ch.Record.Appeal.ID

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.records[id]; ok {
		return workflow.ErrExists
	}
	e, ch, err = s.draw(ch, e, 1)
	if err != nil {
		return err
	}
	if err := s.checkWrite(id, ch.Record.IntakeKey, ch.Notifications); err != nil {
		return err
	}
	s.commitNumber(ch)
	s.records[id] = e
	s.days.update(id, nil, e.ix.Terms)
	e.ord, e.words = uint32(len(s.byOrd)), wordSet(e.ix.Words)
	s.byOrd = append(s.byOrd, e)
	s.words.update(e.ord, nil, e.words)
	i, _ := slices.BinarySearchFunc(s.ids, id, compareIDs)
	s.ids = slices.Insert(s.ids, i, id)
	if key := ch.Record.IntakeKey; key != "" {
		s.intake[key] = id
	}
	e.events = appendEvents(nil, ch.Events)
	s.enqueue(ch.Notifications)
	ch.Record.Version = 1
	return nil
}

// prepare checks the context, the injected fault and the card before operation op, and
// returns the entry to store for ch's record at version: a copy, indexed. A change that draws
// a number is copied only after the draw (see draw), so prepare returns nil for it.
func (s *Store) prepare(ctx context.Context, op string, ch workflow.Change, version int64) (*entry, error) {
	if err := s.begin(ctx, op); err != nil {
		return nil, err
	}
	if ch.Record == nil || ch.Record.Appeal == nil {
		return nil, fmt.Errorf("memstore: %s: %w", op, errNoAppeal)
	}
	if ch.Number != nil {
		return nil, nil
	}
	return copyEntry(ch.Record, version), nil
}

func copyEntry(rec *workflow.Record, version int64) *entry {
	stored := rec.Clone()
	stored.Version = version
	return &entry{rec: stored, ix: stored.Index()}
}

// draw completes a change that draws a registration number, under the write lock: the next
// number of its series and year goes to Apply, and the entry is copied from what Apply left.
// The number is spent only by commitNumber.
func (s *Store) draw(ch workflow.Change, e *entry, version int64) (*entry, workflow.Change, error) {
	if ch.Number == nil {
		return e, ch, nil
	}
	n := s.numbers[seriesYear{ch.Number.Series, ch.Number.Year}] + 1
	if err := ch.Number.Apply(&ch, n); err != nil {
		return nil, ch, err
	}
	if s.fault != nil {
		if err := s.fault("Number"); err != nil {
			return nil, ch, err
		}
	}
	return copyEntry(ch.Record, version), ch, nil
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
	var rec *workflow.Record
	if ok {
		rec = e.rec.Clone()
	}
	s.mu.RUnlock()
	if !ok {
		return nil, workflow.ErrNotFound
	}
	return rec, nil
}

// Save implements workflow.Store.
func (s *Store) Save(ctx context.Context, ch workflow.Change) error {
	rec := ch.Record
	var version int64
	if rec != nil {
		version = rec.Version
	}
	next, err := s.prepare(ctx, "Save", ch, version+1)
	if err != nil {
		return err
	}
	id := rec.Appeal.ID

	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.records[id]
	if !ok {
		return workflow.ErrNotFound
	}
	if e.rec.Version != version {
		return fmt.Errorf("version %d, stored %d: %w", version, e.rec.Version, workflow.ErrConflict)
	}
	next, ch, err = s.draw(ch, next, version+1)
	if err != nil {
		return err
	}
	if err := s.checkWrite(id, rec.IntakeKey, ch.Notifications); err != nil {
		return err
	}
	s.commitNumber(ch)
	if old := e.rec.IntakeKey; old != rec.IntakeKey {
		delete(s.intake, old)
		if rec.IntakeKey != "" {
			s.intake[rec.IntakeKey] = id
		}
	}
	s.days.update(id, e.ix.Terms, next.ix.Terms)
	nextWords := wordSet(next.ix.Words)
	s.words.update(e.ord, e.words, nextWords)
	e.rec, e.ix, e.words = next.rec, next.ix, nextWords
	e.events = appendEvents(e.events, ch.Events)
	s.enqueue(ch.Notifications)
	rec.Version++
	return nil
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

func (s *Store) enqueue(out []workflow.Notification) {
	for _, n := range out {
		s.outbox = append(s.outbox, &n)
		s.byNote[n.ID] = &n
	}
}

// appendEvents appends copies of evs to h, numbering them after the last one.
func appendEvents(h []workflow.Event, evs []workflow.Event) []workflow.Event {
	for _, ev := range evs {
		ev = cloneEvent(ev)
		ev.Seq = int64(len(h) + 1)
		h = append(h, ev)
	}
	return h
}

func cloneEvent(ev workflow.Event) workflow.Event {
	ev.Changed = slices.Clone(ev.Changed)
	if ev.Public != nil {
		p := *ev.Public
		ev.Public = &p
	}
	return ev
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
		s.yieldEach(ctx, "list", s.candidates(f), nil, f, yield)
	}
}

// yieldEach yields, up to f.Limit, a fresh copy of each record of ids that still matches f
// and holds every one of ws when its turn comes, checking ctx before each; op names the
// operation in a context's error.
func (s *Store) yieldEach(ctx context.Context, op string, ids []uuid.UUID, ws []string, f workflow.Filter, yield func(*workflow.Record, error) bool) {
	n := 0
	for _, id := range ids {
		if f.Limit > 0 && n == f.Limit {
			return
		}
		if err := ctx.Err(); err != nil {
			yield(nil, fmt.Errorf("memstore: %s: %w", op, err))
			return
		}
		rec := s.cloneIfMatch(id, ws, f)
		if rec == nil {
			continue // no match, or changed since
		}
		n++
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
	if !onDays {
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

func (s *Store) cloneIfMatch(id uuid.UUID, ws []string, f workflow.Filter) *workflow.Record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e := s.records[id]
	if !f.Match(e.ix) || !holds(e.words, ws) {
		return nil
	}
	return e.rec.Clone()
}

// Search implements workflow.Searcher. It intersects the lists of the inverted index (see
// words) under the lock, the rarest word's first, checks the filter on what is left, and then
// yields as List does: a fresh copy of each record that still matches when its turn comes,
// without holding the lock. Words are compared as they are, byte for byte: they are
// textnorm's tokens already. With no words, it is List.
func (s *Store) Search(ctx context.Context, ws []string, f workflow.Filter) iter.Seq2[*workflow.Record, error] {
	if len(ws) == 0 {
		return s.List(ctx, f)
	}
	return func(yield func(*workflow.Record, error) bool) {
		if err := s.begin(ctx, "Search"); err != nil {
			yield(nil, err)
			return
		}
		s.yieldEach(ctx, "search", s.found(ws, f), ws, f, yield)
	}
}

// found returns, ascending, the ids of the records that hold every one of ws and match f now.
func (s *Store) found(ws []string, f workflow.Filter) []uuid.UUID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []uuid.UUID
	for _, ord := range s.words.lookup(ws) {
		if e := s.byOrd[ord]; f.Match(e.ix) {
			ids = append(ids, e.ix.ID)
		}
	}
	// Creation order is id order unless ids came out of order (a host's own, or a race
	// between their minting and their Create).
	if !slices.IsSortedFunc(ids, compareIDs) {
		slices.SortFunc(ids, compareIDs)
	}
	return ids
}

// Count implements workflow.Counter: how many records List(ctx, f) would yield now.
func (s *Store) Count(ctx context.Context, f workflow.Filter) (int, error) {
	if err := s.begin(ctx, "Count"); err != nil {
		return 0, err
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
	defer s.mu.RUnlock()
	e, ok := s.records[id]
	if !ok {
		return nil, workflow.ErrNotFound
	}
	h := make([]workflow.Event, len(e.events))
	for i, ev := range e.events {
		h[i] = cloneEvent(ev)
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
	var due []*workflow.Notification
	for _, n := range s.outbox {
		if claimable(n, now) {
			due = append(due, n)
		}
	}
	slices.SortStableFunc(due, func(a, b *workflow.Notification) int { return a.CreatedAt.Compare(b.CreatedAt) })
	due = due[:min(len(due), max(limit, 0))]
	claimed := make([]workflow.Notification, len(due))
	for i, n := range due {
		n.Attempts++
		n.NextAttempt = now.Add(lease)
		claimed[i] = *n
	}
	return claimed, nil
}

func claimable(n *workflow.Notification, now time.Time) bool {
	return (n.Status == workflow.NotificationPending || n.Status == workflow.NotificationUncertain) &&
		!n.NextAttempt.After(now)
}

// UpdateNotification implements workflow.Store: it stores n's Status, NextAttempt and
// LastError; the other fields stay as queued and claimed.
func (s *Store) UpdateNotification(ctx context.Context, n workflow.Notification) error {
	if err := s.begin(ctx, "UpdateNotification"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.byNote[n.ID]
	if !ok {
		return workflow.ErrNotFound
	}
	q.Status, q.NextAttempt, q.LastError = n.Status, n.NextAttempt, n.LastError
	return nil
}

// Notifications returns the outbox entries of one appeal, in queue order, with their current
// delivery state. It is a test helper (for dispatcher fault tests) and a window for hosts;
// it is not part of workflow.Store.
func (s *Store) Notifications(appealID uuid.UUID) []workflow.Notification {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []workflow.Notification
	for _, n := range s.outbox {
		if n.AppealID == appealID {
			out = append(out, *n)
		}
	}
	return out
}

func compareIDs(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }
