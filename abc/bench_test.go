package abc

import (
	"context"
	"math/rand/v2"
	"testing"
)

// BenchmarkOverhead measures the engine's own cost (proposals, weights,
// checkpoints) on 10 parameters and 1000 particles with a simulator that
// costs almost nothing: one op is a run of 4 generations.
func BenchmarkOverhead(b *testing.B) {
	const d = 10
	u, _ := NewPrior(Uniform, -5, 5)
	ps := make(Priors, d)
	obs := make([]float64, d)
	for k := range ps {
		ps[k] = Param{Name: string(rune('a' + k)), Prior: u}
		obs[k] = 0.5
	}
	p := &Problem{Params: ps, Observed: obs, Simulate: func(_ context.Context, th []float64, rng *rand.Rand) ([]float64, error) {
		s := make([]float64, len(th))
		for k, x := range th {
			s[k] = x + 0.1*rng.NormFloat64()
		}
		return s, nil
	}}
	b.ReportAllocs()
	sims := 0
	for b.Loop() {
		r, err := Run(context.Background(), p, Settings{Particles: 1000, MaxGenerations: 4, Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		sims = r.Final.TotalSimulations
	}
	b.ReportMetric(float64(sims), "simulations/op")
}
