package calibrate

import (
	"context"
	"math/rand/v2"
	"testing"
)

// BenchmarkSimulateBackcast measures one simulation of the example
// calibration: applying the parameters (load and compile the scenario)
// and one replicate of the backcast with its statistics.
func BenchmarkSimulateBackcast(b *testing.B) {
	c, err := LoadFile("testdata/backcast.yaml", nil)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	theta := make([]float64, len(c.Params))
	c.Params.Rand(rng, theta)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Simulate(context.Background(), theta, rng, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModelBackcast measures the parameters' application alone.
func BenchmarkModelBackcast(b *testing.B) {
	c, err := LoadFile("testdata/backcast.yaml", nil)
	if err != nil {
		b.Fatal(err)
	}
	theta := make([]float64, len(c.Params))
	c.Params.Rand(rand.New(rand.NewPCG(1, 2)), theta)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Model(theta); err != nil {
			b.Fatal(err)
		}
	}
}
