package estimate_test

import (
	"fmt"

	"github.com/entrench/entrench/estimate"
)

func ExampleMean() {
	var m estimate.Moments
	for _, x := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		m.Add(x)
	}
	e := estimate.Mean(m, 0.95)
	fmt.Printf("n=%d mean=%.3f sd=%.3f 95%% CI [%.3f, %.3f]\n", e.N, e.Mean, e.SD, e.Lo, e.Hi)
	// Output: n=8 mean=5.000 sd=2.138 95% CI [3.213, 6.787]
}

func ExamplePairs() {
	// Two scenarios run on the same random streams: the replicates move
	// together, so the paired interval is far narrower than an unpaired
	// one would be.
	a := []float64{0.40, 0.55, 0.32, 0.61, 0.47}
	b := []float64{0.45, 0.59, 0.38, 0.66, 0.51}
	var p estimate.Pairs
	for i := range a {
		p.Add(a[i], b[i])
	}
	d := p.Difference(0.95)
	fmt.Printf("B-A = %.3f [%.3f, %.3f], %.1f times narrower for pairing\n", d.Mean, d.Lo, d.Hi, d.Narrowing)
	// Output: B-A = 0.048 [0.038, 0.058], 19.1 times narrower for pairing
}
