package sqlitestore

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// newStore returns a store on a new file of its own, closed when t ends.
func newStore(t testing.TB) *Store {
	t.Helper()
	return openStore(t, filepath.Join(t.TempDir(), "appeals.db"))
}

// openStore opens the file at path, closed when t ends.
func openStore(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}
