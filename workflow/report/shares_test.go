package report_test

import (
	"testing"

	"github.com/fz59/appeals/workflow/report"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fixed(ds []decimal.Decimal) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.StringFixed(report.Places)
	}
	return out
}

func sum(ds []decimal.Decimal) decimal.Decimal {
	s := decimal.Zero
	for _, d := range ds {
		s = s.Add(d)
	}
	return s
}

// TestShares checks the largest-remainder shares on the awkward splits, where rounding each
// share on its own misses 100 % (thirds give 99.9, sixths 100.2, sevenths 100.1).
func TestShares(t *testing.T) {
	tests := []struct {
		name   string
		counts []int
		want   []string
	}{
		{"thirds", []int{1, 1, 1}, []string{"33.4", "33.3", "33.3"}},
		{"sixths", []int{1, 1, 1, 1, 1, 1}, []string{"16.7", "16.7", "16.7", "16.7", "16.6", "16.6"}},
		{"sevenths", []int{1, 1, 1, 1, 1, 1, 1}, []string{"14.3", "14.3", "14.3", "14.3", "14.3", "14.3", "14.2"}},
		{"two thirds", []int{2, 1}, []string{"66.7", "33.3"}},
		{"largest remainder wins over order", []int{1, 3, 1, 1, 3, 2}, []string{"9.1", "27.3", "9.1", "9.1", "27.2", "18.2"}},
		{"remainder beats the rounding of its own share", []int{1, 1, 1, 1, 3}, []string{"14.3", "14.3", "14.3", "14.3", "42.8"}},
		{"zero stays zero", []int{0, 1, 0, 2}, []string{"0.0", "33.3", "0.0", "66.7"}},
		{"exact", []int{1, 1, 2}, []string{"25.0", "25.0", "50.0"}},
		{"one", []int{7}, []string{"100.0"}},
		{"nothing counted", []int{0, 0}, []string{"0.0", "0.0"}},
		{"negative read as zero", []int{-5, 1}, []string{"0.0", "100.0"}},
		{"large counts", []int{999_999_999, 1, 1}, []string{"100.0", "0.0", "0.0"}},
		{"none", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := report.Shares(tt.counts)
			assert.Equal(t, tt.want, fixed(got))
			total := 0
			for _, c := range tt.counts {
				total += max(c, 0)
			}
			if total > 0 {
				assert.True(t, sum(got).Equal(decimal.NewFromInt(100)), "sum %s", sum(got))
			}
		})
	}
}

// FuzzShares checks the properties of Shares on any counts: they add up to exactly 100 (0 when
// nothing is counted), each is within one place of its exact value, a zero count gets zero, and
// a larger count never gets a smaller share.
func FuzzShares(f *testing.F) {
	f.Add([]byte{1, 1, 1})
	f.Add([]byte{1, 1, 1, 1, 1, 1})
	f.Add([]byte{0, 7, 250, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		counts := make([]int, len(b))
		total := 0
		for i, c := range b {
			counts[i] = int(c)
			total += int(c)
		}
		got := report.Shares(counts)
		require.Len(t, got, len(counts))
		if total == 0 {
			for _, s := range got {
				require.True(t, s.IsZero())
			}
			return
		}
		require.True(t, sum(got).Equal(decimal.NewFromInt(100)), "sum %s of %v", sum(got), counts)
		step := decimal.New(1, -report.Places)
		for i, s := range got {
			exact := decimal.NewFromInt(int64(counts[i] * 100)).Div(decimal.NewFromInt(int64(total)))
			require.True(t, s.Sub(exact).Abs().LessThan(step), "share %s of exact %s", s, exact)
			if counts[i] == 0 {
				require.True(t, s.IsZero())
			}
			for j := range got {
				if counts[i] > counts[j] {
					require.False(t, s.LessThan(got[j]), "count %d gets %s, count %d gets %s", counts[i], s, counts[j], got[j])
				}
			}
		}
	})
}

func TestRatioAndAverage(t *testing.T) {
	tests := []struct {
		name      string
		got       decimal.NullDecimal
		want      string
		wantValid bool
	}{
		{"ratio two thirds", report.Ratio(2, 3), "66.7", true},
		{"ratio one third", report.Ratio(1, 3), "33.3", true},
		{"ratio half up", report.Ratio(1, 8), "12.5", true},
		{"ratio half up at the place", report.Ratio(1, 16), "6.3", true}, // 6.25
		{"ratio all", report.Ratio(4, 4), "100.0", true},
		{"ratio of nothing", report.Ratio(0, 0), "", false},
		{"average", report.Average(7, 2), "3.5", true},
		{"average half up", report.Average(1, 4), "0.3", true},                // 0.25
		{"average half up, odd", report.Average(5, 4), "1.3", true},           // 1.25: half-even would give 1.2
		{"average, the data set's total", report.Average(34, 8), "4.3", true}, // 4.25
		{"average third", report.Average(1, 3), "0.3", true},
		{"average of nothing", report.Average(0, 0), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.wantValid, tt.got.Valid)
			s, err := report.Text(tt.got)
			require.NoError(t, err)
			assert.Equal(t, tt.want, s)
		})
	}
}
