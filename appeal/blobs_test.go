package appeal

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemoryBlobs(t *testing.T) {
	ctx := context.Background()
	var m MemoryBlobs
	ref, err := m.Put(ctx, "a.pdf", "application/pdf", strings.NewReader("%PDF"))
	require.NoError(t, err)
	ref2, err := m.Put(ctx, "b.pdf", "application/pdf", strings.NewReader("other"))
	require.NoError(t, err)
	assert.NotEqual(t, ref, ref2, "each Put gets its own reference")
	r, err := m.Open(ctx, ref)
	require.NoError(t, err)
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "%PDF", string(b))
	require.NoError(t, m.Delete(ctx, ref))
	_, err = m.Open(ctx, ref)
	assert.ErrorIs(t, err, ErrNoBlob)
	assert.Equal(t, 1, m.Len())

	_, err = m.Put(ctx, "c", "", io.MultiReader(strings.NewReader("x"), failing{}))
	require.Error(t, err, "a failed read stores nothing")
	assert.Equal(t, 1, m.Len())
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("broken") }
