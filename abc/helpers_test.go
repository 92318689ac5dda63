package abc

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// full reports whether the slow, full-count tests run (make test-full sets
// ENTRENCH_FULL=1).
func full() bool { return os.Getenv("ENTRENCH_FULL") != "" }

// conjugate is the model y_1..y_n ~ N(θ, 1) with θ ~ N(0, priorVar),
// summarized by the mean of the y. The posterior of θ given the mean ȳ is
// normal with variance 1/(1/priorVar + n) and mean that variance times nȳ.
type conjugate struct {
	n        int
	priorVar float64
}

func (c conjugate) priors(t testing.TB) Priors {
	p, err := NewPrior(Normal, 0, math.Sqrt(c.priorVar))
	if err != nil {
		t.Fatal(err)
	}
	return Priors{{Name: "theta", Prior: p}}
}

func (c conjugate) simulate(_ context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
	s := 0.0
	for range c.n {
		s += theta[0] + rng.NormFloat64()
	}
	return []float64{s / float64(c.n)}, nil
}

func (c conjugate) problem(t testing.TB, ybar float64) *Problem {
	return &Problem{Params: c.priors(t), Observed: []float64{ybar}, Simulate: c.simulate}
}

// exact returns the posterior mean and standard deviation given ȳ.
func (c conjugate) exact(ybar float64) (mean, sd float64) {
	v := 1 / (1/c.priorVar + float64(c.n))
	return v * float64(c.n) * ybar, math.Sqrt(v)
}

// outputs returns posterior.csv and generations.csv of r, the latter
// without its volatile seconds column.
func outputs(t testing.TB, r *Result) (string, string) {
	var p, g bytes.Buffer
	if err := WritePosterior(&p, r.Names, r.Final); err != nil {
		t.Fatal(err)
	}
	if err := WriteGenerations(&g, r.Generations); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(g.String()), "\n") {
		lines = append(lines, l[:strings.LastIndexByte(l, ',')])
	}
	return p.String(), strings.Join(lines, "\n")
}
