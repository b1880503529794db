package access_test

import (
	"encoding/base64"
	"encoding/json"
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
// does not tell them apart. The two are measured in interleaved pairs, so that a machine
// getting busier or idler affects both alike, and compared by their fastest run, which a busy
// machine can only slow down, never speed up; the bounds allow for a loaded CI machine (a
// skipped derivation would be ~1000×, a quarter of the rounds 4×).
func TestVerifyTimingDoesNotDependOnTheSecret(t *testing.T) {
	_, sec, err := access.NewPIN()
	require.NoError(t, err)
	const wrong = "0000-0000-0000"
	const pairs = 15
	known, unknown := make([]time.Duration, pairs), make([]time.Duration, pairs)
	for i := range pairs {
		if i%2 == 0 {
			known[i] = timed(func() { access.Verify(sec, wrong) })
			unknown[i] = timed(func() { access.Verify(access.Secret{}, wrong) })
		} else {
			unknown[i] = timed(func() { access.Verify(access.Secret{}, wrong) })
			known[i] = timed(func() { access.Verify(sec, wrong) })
		}
	}
	ratio := float64(slices.Min(unknown)) / float64(slices.Min(known))
	assert.True(t, ratio > 0.5 && ratio < 2, "fastest known %v, unknown %v", slices.Min(known), slices.Min(unknown))
}

// An entry longer than a PIN's format is refused before any hashing: a megabyte costs less
// than a tenth of one derivation, and allocates nothing.
func TestVerifyRefusesOverlongEntryBeforeHashing(t *testing.T) {
	pin, sec, err := access.NewPIN()
	require.NoError(t, err)
	huge := pin + strings.Repeat("0", 1<<20)
	for _, entry := range []string{huge, pin + "-0", strings.Repeat("-", 65) + pin, "0000-0000-000!"} {
		assert.False(t, access.Verify(sec, entry))
	}
	const rounds = 9
	hashed, refused := make([]time.Duration, rounds), make([]time.Duration, rounds)
	for i := range rounds {
		hashed[i] = timed(func() { access.Verify(sec, "0000-0000-0000") })
		refused[i] = timed(func() { access.Verify(sec, huge) })
	}
	assert.Less(t, median(refused), median(hashed)/10, "hashed %v, refused %v", median(hashed), median(refused))
	assert.Zero(t, testing.AllocsPerRun(10, func() { access.Verify(sec, huge) }))
}

func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}

func BenchmarkVerify(b *testing.B) {
	pin, sec, err := access.NewPIN()
	require.NoError(b, err)
	for b.Loop() {
		access.Verify(sec, pin)
	}
}
