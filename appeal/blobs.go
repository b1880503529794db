package appeal

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"sync"
)

// Blobs keeps the bytes of attachments (вложения) for the host — a file store, an object store,
// a database — while the card keeps only the Attachment with its Ref. Intake puts what arrives
// (workflow/intake), the SSTU export opens the answer document (sstu.Exporter), the internet
// reception serves a file back: one interface for both halves. Implementations are safe for
// concurrent use.
type Blobs interface {
	// Put stores what r yields under a file name and media type and returns a reference the
	// host resolves later. When reading r fails (intake stops a file that runs over a limit
	// this way), Put returns an error and should store nothing.
	Put(ctx context.Context, name, mediaType string, r io.Reader) (ref string, err error)
	// Open returns the bytes under ref, or an error wrapping ErrNoBlob; the caller closes the
	// reader.
	Open(ctx context.Context, ref string) (io.ReadCloser, error)
}

// BlobDeleter is an optional ability of Blobs: removing what Put stored, so that a refused
// intake leaves nothing behind.
type BlobDeleter interface {
	Delete(ctx context.Context, ref string) error
}

// ErrNoBlob is wrapped by Blobs.Open when nothing is stored under the reference.
var ErrNoBlob = errors.New("appeal: no blob under that reference")

// MemoryBlobs is Blobs in memory, for tests and demonstrations: references are "mem:1",
// "mem:2", … It also deletes. The zero value is ready to use.
type MemoryBlobs struct {
	mu   sync.Mutex
	next int
	data map[string][]byte
}

// Put implements Blobs.
func (m *MemoryBlobs) Put(_ context.Context, _, _ string, r io.Reader) (string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		m.data = make(map[string][]byte)
	}
	m.next++
	ref := "mem:" + strconv.Itoa(m.next)
	m.data[ref] = b
	return ref, nil
}

// Open implements Blobs.
func (m *MemoryBlobs) Open(_ context.Context, ref string) (io.ReadCloser, error) {
	m.mu.Lock()
	b, ok := m.data[ref]
	m.mu.Unlock()
	if !ok {
		return nil, ErrNoBlob
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// Delete implements BlobDeleter.
func (m *MemoryBlobs) Delete(_ context.Context, ref string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.data, ref)
	return nil
}

// Len returns how many blobs are stored.
func (m *MemoryBlobs) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.data)
}
