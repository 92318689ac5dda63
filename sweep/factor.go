package sweep

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// round rounds x to a multiple of f.Round when it is positive.
func (f *Factor) round(x float64) float64 {
	if f.Round > 0 {
		x = math.Round(x/f.Round) * f.Round
		if x == 0 {
			x = 0 // not -0
		}
	}
	return x
}

// Quantile maps p in [0, 1] to the factor's value: the p-quantile of its
// distribution over [Min, Max], or of the equally likely Values, rounded
// to Round. It implements distuv.Quantiler, so gonum's samplers can draw
// factor values.
func (f *Factor) Quantile(p float64) float64 {
	p = math.Min(math.Max(p, 0), 1)
	if len(f.Values) > 0 {
		i := min(int(p*float64(len(f.Values))), len(f.Values)-1)
		return f.round(f.Values[i])
	}
	var x float64
	switch f.Distribution {
	case LogUniform:
		lo, hi := math.Log(f.Min), math.Log(f.Max)
		x = math.Exp(lo + p*(hi-lo))
	case Triangular:
		x = distuv.NewTriangle(f.Min, f.Max, f.Mode, nil).Quantile(p)
	case Normal:
		n := distuv.Normal{Mu: f.Mean, Sigma: f.SD}
		lo, hi := n.CDF(f.Min), n.CDF(f.Max)
		x = n.Quantile(lo + p*(hi-lo))
	default:
		x = f.Min + p*(f.Max-f.Min)
	}
	// Rounding errors at the ends must not leave the range.
	x = math.Min(math.Max(x, f.Min), f.Max)
	return f.round(x)
}

// gridLevels returns the number of levels the factor takes in a grid.
func (f *Factor) gridLevels() int {
	if len(f.Values) > 0 {
		return len(f.Values)
	}
	return f.Levels
}

// gridValue returns level j of the factor in a grid: Values[j], or the
// j-th of Levels evenly spaced values from Min to Max.
func (f *Factor) gridValue(j int) float64 {
	if len(f.Values) > 0 {
		return f.round(f.Values[j])
	}
	if j == f.Levels-1 {
		return f.round(f.Max)
	}
	return f.round(f.Min + float64(j)*(f.Max-f.Min)/float64(f.Levels-1))
}
