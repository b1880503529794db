package access

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The symbols of generated PINs are uniform over the alphabet at each position, overall and in
// adjacent pairs, and no PIN repeats among many: a generator weakened to a 12-bit PIN fails —
// fewer symbols drawn (the rest fixed), a biased mapping, or a small seed spread over all
// twelve symbols (which looks uniform symbol by symbol but repeats).
func TestRandomPINDistribution(t *testing.T) {
	const n = 20000
	var pos [PINLength][len(alphabet)]int
	var all [len(alphabet)]int
	var pairs [len(alphabet) * len(alphabet)]int
	seen := make(map[string]bool, n)
	for range n {
		pin, err := randomPIN()
		require.NoError(t, err)
		s := strings.ReplaceAll(pin, "-", "")
		require.Len(t, s, PINLength)
		// With 60 bits, a repeat among 20 000 PINs has a chance of 2e-10; with 30 bits, 0.17.
		require.False(t, seen[s], "a PIN repeated after %d", len(seen))
		seen[s] = true
		prev := 0
		for i := range PINLength {
			k := strings.IndexByte(alphabet, s[i])
			require.GreaterOrEqual(t, k, 0)
			pos[i][k]++
			all[k]++
			if i > 0 {
				pairs[prev*len(alphabet)+k]++
			}
			prev = k
		}
	}
	// Each statistic against its chi-square quantile at p = 1e-9: the 14 checks together fail
	// a sound generator about once in 10^8 runs.
	for i := range PINLength {
		assert.Less(t, chiSquare(pos[i][:]), critical(len(alphabet)-1), "position %d", i+1)
	}
	assert.Less(t, chiSquare(all[:]), critical(len(alphabet)-1), "all symbols")
	assert.Less(t, chiSquare(pairs[:]), critical(len(pairs)-1), "adjacent pairs")
}

// chiSquare is Pearson's statistic of counts against a uniform distribution.
func chiSquare(counts []int) float64 {
	total := 0
	for _, c := range counts {
		total += c
	}
	want := float64(total) / float64(len(counts))
	var x float64
	for _, c := range counts {
		d := float64(c) - want
		x += d * d / want
	}
	return x
}

// critical is the chi-square quantile with df degrees of freedom that is exceeded with
// probability 1e-9 (z = 6 in the Wilson–Hilferty approximation, accurate here to a few per
// cent): 105 for 31 degrees, 1318 for 1023.
func critical(df int) float64 {
	k := float64(df)
	c := 1 - 2/(9*k) + 6*math.Sqrt(2/(9*k))
	return k * c * c * c
}
