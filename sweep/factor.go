package sweep

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// roundTol is the slack, in units of Round, allowed when deciding whether
// a multiple of Round lies in [Min, Max], so that 0.6 counts as a multiple
// of 0.2 despite 0.6/0.2 = 2.9999999999999996.
const roundTol = 1e-9

// roundRange returns the smallest and largest k with k*Round in [Min, Max]
// (within roundTol), for a factor with a range and Round > 0. ok is false
// when the quotients are too large to compute.
func (f *Factor) roundRange() (lo, hi float64, ok bool) {
	lo = math.Ceil(f.Min/f.Round - roundTol)
	hi = math.Floor(f.Max/f.Round + roundTol)
	return lo, hi, finite(lo) && finite(hi) && math.Abs(lo) < 1<<52 && math.Abs(hi) < 1<<52
}

// round rounds x to a multiple of f.Round when it is positive. For a
// factor with a range the multiple is the nearest one inside [Min, Max]
// (Load makes sure there are at least two), so rounding never leaves the
// range: [0.3, 0.45] with round 0.1 gives 0.3 or 0.4, never 0.5. The
// multiple is written with Round's decimals, so 3 x 0.1 is 0.3.
func (f *Factor) round(x float64) float64 {
	if !(f.Round > 0) {
		return x
	}
	k := math.Round(x / f.Round)
	if !finite(k) {
		return x
	}
	ranged := len(f.Values) == 0 && finite(f.Min) && finite(f.Max)
	if ranged {
		if lo, hi, ok := f.roundRange(); ok && lo <= hi {
			k = math.Min(math.Max(k, lo), hi)
		}
	}
	x = k * f.Round
	// k*Round carries the binary error of Round (3*0.1 is
	// 0.30000000000000004): write it with Round's decimals, as the
	// experiment file does.
	if d := decimals(f.Round); d <= 17 {
		if y, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', d, 64), 64); err == nil {
			x = y
		}
	}
	if ranged {
		// k*Round may miss an end by a rounding error.
		x = math.Min(math.Max(x, f.Min), f.Max)
	}
	if x == 0 {
		x = 0 // not -0
	}
	return x
}

// decimals returns the number of decimals of x written in the shortest
// form that reads back to x (0.25 has 2).
func decimals(x float64) int {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// normalTail is the smallest probability mass, relative to the spacing of
// float64 values at the larger of the two CDF values used, that a
// truncated normal must have for its quantiles to be computed: about a
// million distinct values.
const normalTail = 1 << 20

// normalBounds returns what Quantile needs for a normal factor: the
// probabilities lo < hi of the range's ends under the normal, or, when
// the range lies above the mean (upper), under the mirrored normal, where
// the survival function keeps the precision that CDF values near 1 lose
// (N(0,1) on [9, 10]: CDF(9) and CDF(10) both round to 1). ok is false
// when the range holds too little probability to compute quantiles.
func (f *Factor) normalBounds() (n distuv.Normal, lo, hi float64, upper, ok bool) {
	n = distuv.Normal{Mu: f.Mean, Sigma: f.SD}
	if f.Min > f.Mean {
		upper = true
		n.Mu = -f.Mean // the mirror image: x -> -x
		lo, hi = n.CDF(-f.Max), n.CDF(-f.Min)
	} else {
		lo, hi = n.CDF(f.Min), n.CDF(f.Max)
	}
	ulp := math.Nextafter(hi, 2) - hi
	ok = hi-lo >= normalTail*ulp
	return n, lo, hi, upper, ok
}

// Quantile maps p in [0, 1] to the factor's value: the p-quantile of its
// distribution over [Min, Max], or of the equally likely Values, rounded
// to Round. It implements distuv.Quantiler, so gonum's samplers can draw
// factor values.
func (f *Factor) Quantile(p float64) float64 {
	p = math.Min(math.Max(p, 0), 1)
	if len(f.Choices) > 0 {
		return float64(min(int(p*float64(len(f.Choices))), len(f.Choices)-1))
	}
	if len(f.Values) > 0 {
		i := min(int(p*float64(len(f.Values))), len(f.Values)-1)
		return f.round(f.Values[i])
	}
	if f.Round > 0 && (f.Distribution == "" || f.Distribution == Uniform) {
		// Every multiple of Round in the range equally likely: the
		// range [lo, hi] of multiples split into hi-lo+1 equal parts.
		if lo, hi, ok := f.roundRange(); ok && lo < hi {
			k := lo + math.Min(math.Floor(p*(hi-lo+1)), hi-lo)
			return f.round(k * f.Round)
		}
	}
	var x float64
	switch f.Distribution {
	case LogUniform:
		lo, hi := math.Log(f.Min), math.Log(f.Max)
		x = math.Exp(lo + p*(hi-lo))
	case Triangular:
		x = distuv.NewTriangle(f.Min, f.Max, f.Mode, nil).Quantile(p)
	case Normal:
		n, lo, hi, upper, _ := f.normalBounds()
		if upper {
			// F(x) = p on [min, max] is F'(-x) = 1-p on the mirror image.
			x = -n.Quantile(hi - p*(hi-lo))
		} else {
			x = n.Quantile(lo + p*(hi-lo))
		}
	default:
		x = f.Min + p*(f.Max-f.Min)
	}
	// Rounding errors at the ends must not leave the range.
	x = math.Min(math.Max(x, f.Min), f.Max)
	return f.round(x)
}

// gridLevels returns the number of levels the factor takes in a grid.
func (f *Factor) gridLevels() int {
	if len(f.Choices) > 0 {
		return len(f.Choices)
	}
	if len(f.Values) > 0 {
		return len(f.Values)
	}
	return f.Levels
}

// gridValue returns level j of the factor in a grid: Values[j], or the
// j-th of Levels evenly spaced values from Min to Max.
func (f *Factor) gridValue(j int) float64 {
	if len(f.Choices) > 0 {
		return float64(j)
	}
	if len(f.Values) > 0 {
		return f.round(f.Values[j])
	}
	if j == f.Levels-1 {
		return f.round(f.Max)
	}
	return f.round(f.Min + float64(j)*(f.Max-f.Min)/float64(f.Levels-1))
}
