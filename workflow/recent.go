package workflow

import (
	"sync"

	"github.com/google/uuid"
)

// recent keeps copies of the records this engine saved last, so that the next command on one
// of them can skip the Store.Get: on a database that is one round-trip instead of two. A copy
// is only a guess at the stored record: a command run on it is saved only if the version is
// still the stored one, and any failure on it is run again on a fresh Get (see Engine.run).
type recent struct {
	mu   sync.Mutex
	max  int
	recs map[uuid.UUID]*Record
	fifo []uuid.UUID // insertion order, for eviction
}

func newRecent(max int) *recent {
	if max <= 0 {
		return nil
	}
	return &recent{max: max, recs: make(map[uuid.UUID]*Record, max)}
}

// get returns a copy the caller owns, or nil.
func (r *recent) get(id uuid.UUID) *Record {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	rec := r.recs[id]
	r.mu.Unlock()
	if rec == nil {
		return nil
	}
	return rec.Clone()
}

// put keeps rec, which the caller must not change afterwards.
func (r *recent) put(rec *Record) {
	if r == nil {
		return
	}
	id := rec.Appeal.ID
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.recs[id]; !ok {
		if len(r.fifo) >= r.max {
			delete(r.recs, r.fifo[0])
			r.fifo = r.fifo[1:]
		}
		r.fifo = append(r.fifo, id)
	}
	r.recs[id] = rec
}

// drop forgets id's copy.
func (r *recent) drop(id uuid.UUID) {
	if r == nil {
		return
	}
	r.mu.Lock()
	delete(r.recs, id)
	r.mu.Unlock()
}
