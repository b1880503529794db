package memstore

import (
	"bytes"
	"fmt"

	"github.com/klauspost/compress/dict"
	"github.com/klauspost/compress/s2"
)

// Finished appeals — closed or refused, the bulk of a store that has run for a while — are
// kept compressed, their record and history with a dictionary the store trains on its own
// first finished appeals: a few hundred bytes where the encoding takes several kilobytes,
// and microseconds to read back. Notices are kept compressed from then on too. Open appeals
// stay as they are: they are read and written on every command.

// Defaults of the packer.
const (
	defaultPackAfter = 1000     // finished appeals before the dictionary is trained
	dictSize         = 32 << 10 // the dictionary's largest size
	maxSamples       = 2000     // the most entries and notices it is trained on
)

// packer holds the dictionary, once trained; the zero value packs nothing.
type packer struct {
	after    int      // finished appeals to train on; < 0: never
	dict     *s2.Dict // nil until trained
	finished int      // finished appeals stored
	training bool     // a Save is training the dictionary, or it failed: do not start again
}

// squeeze compresses b with the dictionary d into a slice of its exact size: the encoder's
// own output takes the largest size the compressed bytes could have.
func squeeze(d *s2.Dict, b []byte) []byte {
	buf := scratch.Get().(*[]byte)
	if n := s2.MaxEncodedLen(len(b)); cap(*buf) < n {
		*buf = make([]byte, n)
	}
	out := bytes.Clone(d.EncodeBetter((*buf)[:cap(*buf)], b))
	scratch.Put(buf)
	return out
}

// unpack returns the bytes squeeze was given (b itself when not packed).
func (p *packer) unpack(b []byte, packed bool) []byte {
	if !packed {
		return b
	}
	out, err := p.dict.Decode(nil, b)
	if err != nil {
		panic(fmt.Sprintf("memstore: packed bytes do not unpack: %v", err)) // the store packed them
	}
	return out
}

// due reports whether the dictionary should be trained now, and marks it in training.
func (p *packer) due() bool {
	if p.after < 0 || p.dict != nil || p.training || p.finished < p.after {
		return false
	}
	p.training = true
	return true
}

// train builds the dictionary from the store's finished appeals and notices and packs what
// is finished. It is called once, by the Save that crossed the threshold, after its change is
// stored: the samples are read under the read lock, the dictionary built with no lock held.
func (s *Store) train() {
	s.mu.RLock()
	var samples [][]byte
	for _, e := range s.records {
		if len(samples) == maxSamples/2 {
			break
		}
		if e.finished() && !e.packed {
			samples = append(samples, append(append([]byte(nil), e.rec...), e.events...))
		}
	}
	for i := range s.outbox {
		if len(samples) == maxSamples {
			break
		}
		if !s.outbox[i].packed {
			samples = append(samples, s.outbox[i].enc)
		}
	}
	s.mu.RUnlock()
	raw, err := dict.BuildS2Dict(samples, dict.Options{MaxDictSize: dictSize, HashBytes: 6})
	if err != nil || len(raw) == 0 {
		return // too little to learn from: the store keeps everything unpacked (training stays set)
	}
	d := s2.NewDict(raw)
	if d == nil {
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.pack.dict = d
	for id, e := range s.records {
		if e.finished() && !e.packed {
			s.records[id] = packEntry(e, d)
		}
	}
}

// finished reports whether the entry's appeal is in a terminal state.
func (e *entry) finished() bool { return e.ix.State.Terminal() }

// packEntry returns e with its record and history packed with the dictionary d, when there
// is one and the appeal is finished; e itself otherwise. Entries are never changed in place.
func packEntry(e *entry, d *s2.Dict) *entry {
	if e.packed || !e.finished() || d == nil {
		return e
	}
	p := *e
	p.rec, p.packed = squeeze(d, e.rec), true
	p.events = squeeze(d, e.events)
	return &p
}
