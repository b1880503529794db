package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// steps are the rows every store's run prints, in order.
var stepNames = []string{"intake+registration", "lifecycle commands", "monitor (all terms)", "SSTU export 2025-11",
	"report: control", "report: missed terms", "similar: index query", "applicant history",
	"warm (restart: index + suggester)", "suggest", "search (last 30 days)"}

func smallConfig(t *testing.T, n int) config {
	return config{n: n, pgN: n, seed: 7, workers: 2, dbWorkers: 4, days: 365, sample: 50, dir: t.TempDir(),
		warn: func(msg string) { t.Log(msg) }}
}

// TestRun runs the whole scenario at n = 200 on memstore and sqlite: every step is in the
// table, in order, with work done at a non-zero rate.
func TestRun(t *testing.T) {
	for _, store := range []string{"memstore", "sqlite"} {
		t.Run(store, func(t *testing.T) {
			cfg := smallConfig(t, 200)
			cfg.stores = []string{store}
			res, err := runAll(context.Background(), cfg)
			require.NoError(t, err)
			var out bytes.Buffer
			require.NoError(t, write(&out, res, false))
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			require.Len(t, lines, 2+len(stepNames), out.String())
			for i, name := range stepNames {
				cells := strings.Split(strings.Trim(lines[2+i], "| "), " | ")
				require.Len(t, cells, 10, lines[2+i])
				assert.Equal(t, store, cells[0])
				assert.Equal(t, name, cells[1])
				assert.NotEqual(t, "0", cells[2], "%s: n", name)
				assert.NotEqual(t, "0.000", cells[4], "%s: ops/s", name)
			}
			var js bytes.Buffer
			require.NoError(t, write(&js, res, true))
			for line := range strings.SplitSeq(strings.TrimSpace(js.String()), "\n") {
				var r row
				require.NoError(t, json.Unmarshal([]byte(line), &r))
				assert.Positive(t, r.OpsPerSec, r.Step)
			}
		})
	}
}

// TestMix: at n = 2000 the generator's mix is the one asked (±2 %): 10 % forwarded by another
// body, 5 % extended, 3 % art. 11 outcomes, 1 % refused; and every code is a question of the
// embedded classifier, housing and social topics the most.
func TestMix(t *testing.T) {
	const n = 2000
	g := newGenerator(7, n)
	count := map[outcome]int{}
	forwarded, housingSocial, questions := 0, 0, 0
	at := time.Date(2025, time.June, 2, 8, 0, 0, 0, msk)
	for i := range n {
		p := g.plan(i)
		count[p.out]++
		a := g.card(i, p, at)
		a.ID = uuid.Must(uuid.NewV7())
		if a.Channel.FromBody() {
			forwarded++
			require.NotNil(t, a.CoverLetter)
		}
		require.NoError(t, appeal.Validate(a, appeal.ValidateOptions{}), "appeal %d", i)
		for _, c := range p.codes() {
			code, err := classifier.Parse(c)
			require.NoError(t, err)
			require.NoError(t, classifier.Embedded().Assignable(code), c)
			questions++
			if strings.HasPrefix(c, "0005.") || strings.HasPrefix(c, "0002.0007.") {
				housingSocial++
			}
		}
	}
	share := func(k int) float64 { return 100 * float64(k) / n }
	assert.InDelta(t, 10, share(forwarded), 2, "forwarded")
	assert.InDelta(t, 5, share(count[outExtended]), 2, "extended")
	assert.InDelta(t, 3, share(count[outArt11]), 2, "art. 11")
	assert.InDelta(t, 1, share(count[outRefused]), 2, "refused")
	assert.Greater(t, 100*float64(housingSocial)/float64(questions), 60.0, "housing and social codes")
}

// TestDeterministic: one seed gives the same appeals; another seed others.
func TestDeterministic(t *testing.T) {
	at := time.Date(2025, time.March, 3, 8, 0, 0, 0, msk)
	gen := func(seed uint64) string {
		g := newGenerator(seed, 500)
		var b strings.Builder
		for i := range 500 {
			p := g.plan(i)
			a := g.card(i, p, at)
			fmt.Fprintf(&b, "%v|%v|%s|%s|%+v\n", p, a.Channel, a.Text, a.Applicants[0].FullName(), a.CoverLetter)
		}
		return b.String()
	}
	assert.Equal(t, gen(1), gen(1))
	assert.NotEqual(t, gen(1), gen(2))
}

// TestTextCharacters: the letters hold only Cyrillic and Latin letters, digits, punctuation
// and spaces, and every template expands with no brace left.
func TestTextCharacters(t *testing.T) {
	g := newGenerator(3, 3000)
	at := time.Date(2025, time.March, 3, 8, 0, 0, 0, msk)
	for i := range 3000 {
		a := g.card(i, g.plan(i), at)
		for _, s := range []string{a.Text, a.Applicants[0].FullName(), a.Applicants[0].PostalAddress} {
			for _, r := range s {
				ok := unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Latin, r) || unicode.IsDigit(r) ||
					unicode.IsPunct(r) || r == ' '
				require.True(t, ok, "appeal %d: %q in %q", i, r, s)
			}
			require.NotContains(t, s, "{")
			require.NotContains(t, s, "}")
		}
		require.NotContains(t, a.Text, "  ")
	}
}

// TestHistogram: the quantiles are within the buckets' width of the true ones.
func TestHistogram(t *testing.T) {
	var h hist
	for i := 1; i <= 10000; i++ {
		h.add(time.Duration(i) * time.Microsecond)
	}
	assert.InEpsilon(t, 5000*time.Microsecond, h.quantile(0.5), 0.02)
	assert.InEpsilon(t, 9900*time.Microsecond, h.quantile(0.99), 0.02)
	for _, ns := range []int64{0, 1, 63, 64, 65, 1000, 1 << 40, 1<<62 + 12345} {
		b := bucket(ns)
		require.Less(t, b, histBuckets)
		if ns >= 64 {
			assert.InEpsilon(t, float64(ns), float64(mid(b)), 0.032, "ns %d", ns)
		} else {
			assert.Equal(t, ns, mid(b))
		}
	}
}

// TestCLI: -h prints the usage on stdout and exits 0; a bad flag or value exits 2 with one
// line on stderr, naming the valid values; -version prints the library's version.
func TestCLI(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"-h"}, 0, "usage: scale", ""},
		{[]string{"-version"}, 0, appeal.Version, ""},
		{[]string{"-nope"}, 2, "", "flag provided but not defined"},
		{[]string{"-store", "mongo"}, 2, "", "valid: memstore, sqlite, pg, all"},
		{[]string{"-n", "0"}, 2, "", "-n"},
		{[]string{"-curve", "10,x"}, 2, "", "-curve"},
		{[]string{"-chart", "a.jpg", "-curve", "10"}, 2, "", ".svg or .png"},
		{[]string{"extra"}, 2, "", "unexpected argument"},
	} {
		var out, errs bytes.Buffer
		code := cli(tc.args, &out, &errs)
		assert.Equal(t, tc.code, code, "%v", tc.args)
		assert.Contains(t, out.String(), tc.stdout, "%v", tc.args)
		assert.Contains(t, errs.String(), tc.stderr, "%v", tc.args)
		if tc.code == 2 {
			assert.Equal(t, 1, strings.Count(errs.String(), "\n"), "%v: one message", tc.args)
		}
	}
}
