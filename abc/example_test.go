package abc_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/entrench/entrench/abc"
)

// Calibrate the mean of a normal model from the mean of 20 observations.
// The exact posterior is normal with median 1.29 and 90% interval
// [0.93, 1.66].
func Example() {
	prior, err := abc.NewPrior(abc.Normal, 0, 3)
	if err != nil {
		panic(err)
	}
	p := &abc.Problem{
		Params:   abc.Priors{{Name: "mu", Prior: prior}},
		Observed: []float64{1.3}, // the observed mean
		Simulate: func(_ context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
			s := 0.0
			for range 20 {
				s += theta[0] + rng.NormFloat64()
			}
			return []float64{s / 20}, nil
		},
	}
	r, err := abc.Run(context.Background(), p, abc.Settings{Particles: 500, Seed: 1, MaxGenerations: 7})
	if err != nil {
		panic(err)
	}
	ms, err := abc.Summarize(r.Names, r.Final)
	if err != nil {
		panic(err)
	}
	m := ms[0]
	fmt.Printf("%s: median %.1f, 90%% interval [%.1f, %.1f], stopped by %s after %d generations\n",
		m.Name, m.Median, m.Q05, m.Q95, r.Stop, len(r.Generations))
	abc.WriteSummary(os.Stdout, nil) // the header of summary.csv
	// Output:
	// mu: median 1.3, 90% interval [0.9, 1.6], stopped by max-generations after 7 generations
	// parameter,mean,sd,q05,median,q95
}
