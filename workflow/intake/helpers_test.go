package intake_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/stretchr/testify/require"
)

// memBlobs is an appeal.Blobs and BlobDeleter in memory, with hooks to make Put fail.
type memBlobs struct {
	mu      sync.Mutex
	data    map[string][]byte
	n       int
	failOn  int  // the Put number (1-based) that fails; 0: none
	readMax int  // >0: Put reads at most this many bytes and returns success
	noDel   bool // when set, Delete fails
}

func newBlobs() *memBlobs { return &memBlobs{data: map[string][]byte{}} }

var errHost = errors.New("host store unavailable")

func (b *memBlobs) Put(_ context.Context, name, _ string, r io.Reader) (string, error) {
	b.mu.Lock()
	b.n++
	n := b.n
	b.mu.Unlock()
	if n == b.failOn {
		return "", errHost
	}
	if b.readMax > 0 {
		r = io.LimitReader(r, int64(b.readMax))
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	ref := "blob-" + strconv.Itoa(n) + "-" + name
	b.mu.Lock()
	b.data[ref] = data
	b.mu.Unlock()
	return ref, nil
}

func (b *memBlobs) Open(_ context.Context, ref string) (io.ReadCloser, error) {
	data := b.get(ref)
	if data == nil {
		return nil, appeal.ErrNoBlob
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

func (b *memBlobs) Delete(_ context.Context, ref string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.noDel {
		return errHost
	}
	delete(b.data, ref)
	return nil
}

func (b *memBlobs) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.data)
}

func (b *memBlobs) get(ref string) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.data[ref]
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func readFixture(t testing.TB, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, parts...)...))
	require.NoError(t, err)
	return b
}

func fixtures(t testing.TB, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	return names
}
