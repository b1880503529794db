package report

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"
)

// unitsPerWhole is 100 % in units of the last decimal place kept (0.1 % for Places = 1).
var unitsPerWhole = 100 * pow10(Places)

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// Shares returns each count's share of their sum in percent with Places decimal places, by
// the largest-remainder method, so that the shares add up to exactly 100 (and to 0 when the
// sum is 0): every share is first rounded down to 0.1 %, then the tenths still missing go one
// each to the counts with the largest remainders, ties to the earlier count. Thirds give
// 33.4, 33.3, 33.3 and sixths 16.7 four times and 16.6 twice, where rounding each on its own
// gives 99.9 % and 100.2 %. A count of 0 always gets 0.0. Negative counts are read as 0.
func Shares(counts []int) []decimal.Decimal {
	var total int64
	for _, c := range counts {
		total += int64(max(c, 0))
	}
	out := make([]decimal.Decimal, len(counts))
	if total == 0 {
		for i := range out {
			out[i] = decimal.New(0, -Places)
		}
		return out
	}
	units := make([]int64, len(counts))
	rems := make([]int64, len(counts))
	left := unitsPerWhole
	for i, c := range counts {
		n := int64(max(c, 0)) * unitsPerWhole
		units[i], rems[i] = n/total, n%total
		left -= units[i]
	}
	order := make([]int, len(counts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rems[b], rems[a]) })
	for _, i := range order[:left] {
		units[i]++
	}
	for i, u := range units {
		out[i] = decimal.New(u, -Places)
	}
	return out
}

// Ratio is part's share of whole in percent, rounded half up to Places decimal places
// (2 of 3 is 66.7); not Valid when whole is 0. Ratios of different wholes need not add up to
// anything; use Shares for the parts of one whole.
func Ratio(part, whole int) decimal.NullDecimal {
	if whole == 0 {
		return decimal.NullDecimal{}
	}
	return valid(decimal.NewFromInt(int64(part)*100).DivRound(decimal.NewFromInt(int64(whole)), Places))
}

// Average is sum / n rounded half up to Places decimal places (7 days over 2 terms is 3.5,
// 1 over 3 is 0.3, 1 over 4 is 0.3: 0.25 rounds up); not Valid when n is 0.
func Average(sum, n int) decimal.NullDecimal {
	if n == 0 {
		return decimal.NullDecimal{}
	}
	return valid(decimal.NewFromInt(int64(sum)).DivRound(decimal.NewFromInt(int64(n)), Places))
}

func valid(d decimal.Decimal) decimal.NullDecimal {
	return decimal.NullDecimal{Decimal: d, Valid: true}
}
