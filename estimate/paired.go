package estimate

import "math"

// Pairs accumulates paired values (a, b) of two scenarios run on the same
// random streams; the zero value is empty.
type Pairs struct {
	// A and B are the moments of each side, D those of the differences
	// b-a, all over the same pairs.
	A, B, D Moments
}

// Add adds one pair; a pair with a NaN on either side is left out.
func (p *Pairs) Add(a, b float64) {
	if math.IsNaN(a) || math.IsNaN(b) {
		return
	}
	p.D.Add(b - a)
	p.A.Add(a)
	p.B.Add(b)
}

// Difference is the mean paired difference B-A (the embedded Estimate,
// over the pairs where both sides are defined) with the means of each
// side and what pairing gained.
type Difference struct {
	Estimate
	// MeanA and MeanB are the means of each side over the pairs; NaN with
	// no pair (MeanB is NaN, too, for the mean of one scenario).
	MeanA, MeanB float64
	// SEUnpaired is the standard error the difference would have from
	// independent samples of the same size, sqrt(varA/N + varB/N).
	SEUnpaired float64
	// Narrowing is SEUnpaired/SE: how many times narrower the interval is
	// for pairing (common random numbers). NaN when SE is 0 or undefined.
	Narrowing float64
}

// Difference returns the paired difference with its interval at level.
func (p Pairs) Difference(level float64) Difference {
	nan := math.NaN()
	d := Difference{Estimate: Mean(p.D, level), MeanA: nan, MeanB: nan, SEUnpaired: nan, Narrowing: nan}
	if p.D.N == 0 {
		return d
	}
	d.MeanA, d.MeanB = p.A.Mean, p.B.Mean
	if p.D.N < 2 {
		return d
	}
	n := float64(p.D.N)
	d.SEUnpaired = math.Sqrt(p.A.Variance()/n + p.B.Variance()/n)
	if d.SE > 0 {
		d.Narrowing = d.SEUnpaired / d.SE
	}
	return d
}

// Paired returns the paired difference b[i]-a[i] over the i where both are
// defined (not NaN), with its interval at level. a and b must have the
// same length.
func Paired(a, b []float64, level float64) Difference {
	var p Pairs
	for i := range a {
		p.Add(a[i], b[i])
	}
	return p.Difference(level)
}

// Single returns the mean of xs (NaNs left out) as a Difference of one
// scenario: MeanA is the mean, MeanB, SEUnpaired and Narrowing are NaN.
func Single(xs []float64, level float64) Difference {
	e := Sample(xs, level)
	nan := math.NaN()
	return Difference{Estimate: e, MeanA: e.Mean, MeanB: nan, SEUnpaired: nan, Narrowing: nan}
}
