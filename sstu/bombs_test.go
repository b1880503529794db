package sstu_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/fz59/appeals/sstu"
	"github.com/fz59/appeals/sstu/sstutest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bombBudget is the most a bomb may cost the reader or the validator, allocations summed.
const bombBudget = 32 << 20

// TestBombs: every bomb is refused with its rule, by the reader and by the validator, and
// costs less than bombBudget of allocations however large it inflates.
func TestBombs(t *testing.T) {
	for _, b := range sstutest.Bombs() {
		part := sstu.Part{Name: b.Name, ReaderAt: bytes.NewReader(b.Data), Size: int64(len(b.Data))}
		t.Run(b.Name, func(t *testing.T) {
			var errs []error
			n := sstu.Allocs(func() {
				for r, err := range (&sstu.Reader{}).Zip(part) {
					require.Error(t, err, "no record from a bomb: %+v", r)
					errs = append(errs, err)
				}
			})
			t.Logf("Reader.Zip: %d KiB allocated for %d KiB", n>>10, len(b.Data)>>10)
			assert.Less(t, n, uint64(bombBudget))
			require.NotEmpty(t, errs)
			for _, err := range errs {
				var re *sstu.ReadError
				require.ErrorAs(t, err, &re)
				if b.Rule == sstu.RuleZip {
					assert.Error(t, re.Err)
				} else {
					assert.Equal(t, b.Rule, re.Rule)
				}
			}

			var ps []sstu.Problem
			n = sstu.Allocs(func() { ps = (&sstu.Validator{}).Zip(part) })
			t.Logf("Validator.Zip: %d KiB allocated", n>>10)
			assert.Less(t, n, uint64(bombBudget))
			require.NotEmpty(t, ps)
			assert.True(t, sstu.HasErrors(ps))
			for _, p := range ps {
				if p.Rule != sstu.RuleLayout {
					assert.Equal(t, b.Rule, p.Rule, "%s", p)
				}
			}
		})
	}
}

// TestProblemsCapped: however many problems a report has, at most Limits.Problems are listed,
// then one RuleMore that counts the rest and is an error when one of them is.
func TestProblemsCapped(t *testing.T) {
	array := []byte("[" + string(bytes.Repeat([]byte("null,"), 2999)) + "null]")
	for _, max := range []int{1, 10, 1000} {
		ps := (&sstu.Validator{Limits: sstu.Limits{Problems: max}}).JSON("nulls.json", array)
		require.Len(t, ps, max+1)
		more := ps[max]
		assert.Equal(t, sstu.RuleMore, more.Rule)
		assert.Equal(t, sstu.Error, more.Severity)
		assert.Equal(t, 3000-max, more.More, "one problem a record: the type of null")
		assert.Equal(t, "more problems", string(more.Rule))
		assert.Contains(t, more.String(), " more problems")
	}
	ps := (&sstu.Validator{}).JSON("nulls.json", array)
	assert.Len(t, ps, sstu.DefaultProblems+1)
	assert.False(t, errors.Is(nil, sstu.ErrRead))
}

// BenchmarkBombs validates each bomb of the table, for the time each takes:
//
//	go test -run '^$' -bench Bombs -benchtime 3x ./sstu/
func BenchmarkBombs(b *testing.B) {
	for _, bomb := range sstutest.Bombs() {
		part := sstu.Part{Name: bomb.Name, ReaderAt: bytes.NewReader(bomb.Data), Size: int64(len(bomb.Data))}
		b.Run(bomb.Name, func(b *testing.B) {
			for b.Loop() {
				if !sstu.HasErrors((&sstu.Validator{}).Zip(part)) {
					b.Fatal("accepted")
				}
			}
		})
	}
}
