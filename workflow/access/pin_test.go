package access_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/access"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPINShape(t *testing.T) {
	seen := map[string]bool{}
	for range 20 {
		pin, sec, err := access.NewPIN()
		require.NoError(t, err)
		require.Regexp(t, `^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`, pin)
		assert.False(t, seen[pin], "a PIN repeated")
		seen[pin] = true
		assert.Len(t, sec.Salt, 16)
		assert.Len(t, sec.PINHash, 33)
	}
	assert.GreaterOrEqual(t, access.PINBits, 40)
}

func TestVerify(t *testing.T) {
	pin, sec, err := access.NewPIN()
	require.NoError(t, err)
	bare := strings.ReplaceAll(pin, "-", "")
	wrong := []byte(bare)
	wrong[5] = map[bool]byte{true: 'A', false: 'B'}[wrong[5] != 'A']

	tests := []struct {
		name  string
		entry string
		want  bool
	}{
		{"as shown", pin, true},
		{"lower case", strings.ToLower(pin), true},
		{"no hyphens", bare, true},
		{"spaces", strings.ReplaceAll(pin, "-", " "), true},
		{"Cyrillic look-alikes", cyrillic(pin), true},
		{"one symbol wrong", string(wrong), false},
		{"too short", bare[:11], false},
		{"too long", bare + "0", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, access.Verify(sec, tt.entry))
		})
	}
}

// cyrillic swaps the Latin letters that have Cyrillic twins, as a Russian keyboard types them.
func cyrillic(pin string) string {
	return strings.NewReplacer("A", "а", "B", "В", "C", "с", "E", "Е", "H", "н", "K", "к", "M", "М",
		"P", "р", "T", "т", "X", "х", "Y", "у", "0", "О").Replace(pin)
}

func TestVerifyRefusesDamagedOrMissingSecret(t *testing.T) {
	pin, sec, err := access.NewPIN()
	require.NoError(t, err)
	flipped := access.Secret{PINHash: slices.Clone(sec.PINHash), Salt: sec.Salt}
	flipped.PINHash[10] ^= 1
	tests := []struct {
		name string
		sec  access.Secret
	}{
		{"zero secret (unknown number)", access.Secret{}},
		{"hash bit flipped", flipped},
		{"other salt", access.Secret{PINHash: sec.PINHash, Salt: make([]byte, 16)}},
		{"unknown version", access.Secret{PINHash: append([]byte{9}, sec.PINHash[1:]...), Salt: sec.Salt}},
		{"short hash", access.Secret{PINHash: sec.PINHash[:20], Salt: sec.Salt}},
		{"short salt", access.Secret{PINHash: sec.PINHash, Salt: sec.Salt[:8]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.False(t, access.Verify(tt.sec, pin))
		})
	}
}

// The PIN is shown once and never stored: neither its text nor its bytes appear in what the
// store keeps (the JSON of workflow.Access), in any of the forms a person may type it.
func TestPINNotStoredInClear(t *testing.T) {
	for range 10 {
		pin, sec, err := access.NewPIN()
		require.NoError(t, err)
		stored, err := json.Marshal(workflow.Access(sec))
		require.NoError(t, err)
		bare := strings.ReplaceAll(pin, "-", "")
		for _, form := range []string{pin, bare, strings.ToLower(bare)} {
			assert.NotContains(t, string(stored), form)
			assert.NotContains(t, string(stored), base64.StdEncoding.EncodeToString([]byte(form)))
			assert.NotContains(t, string(sec.PINHash)+string(sec.Salt), form)
		}
		var back workflow.Access
		require.NoError(t, json.Unmarshal(stored, &back))
		assert.True(t, access.Verify(access.Secret(back), pin), "the stored form still verifies")
	}
}

// An unknown number (checked against a zero Secret) costs as much as a wrong PIN, so timing
// does not tell them apart.
func TestVerifyTimingDoesNotDependOnTheSecret(t *testing.T) {
	_, sec, err := access.NewPIN()
	require.NoError(t, err)
	known := median(func() { access.Verify(sec, "0000-0000-0000") })
	unknown := median(func() { access.Verify(access.Secret{}, "0000-0000-0000") })
	// Loose bounds: the machine may be busy; a short cut for unknown numbers would be ~1000×.
	ratio := float64(unknown) / float64(known)
	assert.True(t, ratio > 0.1 && ratio < 10, "known %v, unknown %v", known, unknown)
}

func median(f func()) time.Duration {
	d := make([]time.Duration, 9)
	for i := range d {
		start := time.Now()
		f()
		d[i] = time.Since(start)
	}
	slices.Sort(d)
	return d[len(d)/2]
}

func TestLimiterFunc(t *testing.T) {
	var keys []string
	var lim access.Limiter = access.LimiterFunc(func(_ context.Context, key string) error {
		keys = append(keys, key)
		if len(keys) > 2 {
			return access.ErrLimited
		}
		return nil
	})
	ctx := context.Background()
	assert.NoError(t, lim.Allow(ctx, "59-1/2026"))
	assert.NoError(t, lim.Allow(ctx, "59-1/2026"))
	assert.True(t, errors.Is(lim.Allow(ctx, "59-1/2026"), access.ErrLimited))
	assert.Equal(t, []string{"59-1/2026", "59-1/2026", "59-1/2026"}, keys)
}

func BenchmarkVerify(b *testing.B) {
	pin, sec, err := access.NewPIN()
	require.NoError(b, err)
	for b.Loop() {
		access.Verify(sec, pin)
	}
}
