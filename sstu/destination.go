package sstu

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Destination receives the zip parts of one export. The export creates each part in turn,
// writes it and closes it; after the last it calls Commit. When it stops before the end
// (ctx, an error of the entries, of the host's storage or of the destination) it calls Abort
// instead, and the destination discards every part of the export, complete or not: a stopped
// export leaves no part behind, and nothing need be visible under a part's name before
// Commit. Dir and Memory implement it.
type Destination interface {
	// Create begins the part name.
	Create(name string) (io.WriteCloser, error)
	// Commit makes every part created visible under its name.
	Commit() error
	// Abort discards every part created.
	Abort() error
}

// Dir is a Destination in a directory: each part is written to a hidden temporary file
// beside its name, and Commit renames them all; Abort, or a failing Commit, removes them.
// Parts are readable by their owner only (mode 0600): they hold personal data. A Dir is for
// one export.
type Dir struct {
	// Path is the directory; it must exist.
	Path string

	mu    sync.Mutex
	parts []dirPart
}

type dirPart struct {
	f         *os.File // open until its part is closed
	tmp, name string
	renamed   bool
}

// Create implements Destination.
func (d *Dir) Create(name string) (io.WriteCloser, error) {
	f, err := os.CreateTemp(d.Path, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.parts = append(d.parts, dirPart{f: f, tmp: f.Name(), name: filepath.Join(d.Path, name)})
	return &dirFile{d: d, i: len(d.parts) - 1}, nil
}

// dirFile is a part being written; Close syncs and closes its temporary file.
type dirFile struct {
	d *Dir
	i int
}

func (w *dirFile) Write(b []byte) (int, error) { return w.file().Write(b) }

func (w *dirFile) file() *os.File {
	w.d.mu.Lock()
	defer w.d.mu.Unlock()
	return w.d.parts[w.i].f
}

func (w *dirFile) Close() error {
	w.d.mu.Lock()
	defer w.d.mu.Unlock()
	p := &w.d.parts[w.i]
	if p.f == nil {
		return nil
	}
	err := p.f.Sync()
	err = errors.Join(err, p.f.Close())
	p.f = nil
	return err
}

// Commit implements Destination: it renames the parts to their names, in order. When a rename
// fails it removes every part and returns the error.
func (d *Dir) Commit() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.parts {
		p := &d.parts[i]
		if p.f != nil {
			return errors.Join(errors.New("sstu: commit of a part not closed"), d.removeAll())
		}
		if err := os.Rename(p.tmp, p.name); err != nil {
			return errors.Join(err, d.removeAll())
		}
		p.renamed = true
	}
	d.parts = nil
	return nil
}

// Abort implements Destination.
func (d *Dir) Abort() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.removeAll()
}

func (d *Dir) removeAll() error {
	var errs []error
	for _, p := range d.parts {
		if p.f != nil {
			p.f.Close()
		}
		path := p.tmp
		if p.renamed {
			path = p.name
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	d.parts = nil
	return errors.Join(errs...)
}

// Memory is a Destination in memory, for tests and small months: Parts gives the committed
// parts to read or validate. The zero value is ready; a Memory is for one export.
type Memory struct {
	mu        sync.Mutex
	names     []string
	bufs      []*bytes.Buffer
	committed bool
}

// Create implements Destination.
func (m *Memory) Create(name string) (io.WriteCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := &bytes.Buffer{}
	m.names, m.bufs = append(m.names, name), append(m.bufs, b)
	return nopCloser{b}, nil
}

// Commit implements Destination.
func (m *Memory) Commit() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.committed = true
	return nil
}

// Abort implements Destination.
func (m *Memory) Abort() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.names, m.bufs = nil, nil
	return nil
}

// Parts returns the parts in order once committed; nil before Commit or after Abort.
func (m *Memory) Parts() []Part {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.committed {
		return nil
	}
	out := make([]Part, len(m.names))
	for i, n := range m.names {
		b := m.bufs[i].Bytes()
		out[i] = Part{Name: n, ReaderAt: bytes.NewReader(b), Size: int64(len(b))}
	}
	return out
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
