package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run(&b, time.Date(2025, 12, 2, 10, 0, 0, 0, time.UTC)))
	out := b.String()
	assert.Contains(t, out, "the card is valid")
	assert.Contains(t, out, "answered → closed")
	assert.Contains(t, out, "withdrawal is refused")
}
