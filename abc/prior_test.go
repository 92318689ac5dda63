package abc

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

func mustPrior(t *testing.T, k Kind, a, b float64) Prior {
	t.Helper()
	p, err := NewPrior(k, a, b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPriorDensityAndDraws checks that every prior's density integrates
// to 1 over its (truncated) support and that the mean of seeded draws
// matches the density's mean.
func TestPriorDensityAndDraws(t *testing.T) {
	tr := func(p Prior, lo, hi float64) Prior {
		q, err := p.Truncate(lo, hi)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	cases := []struct {
		name   string
		p      Prior
		lo, hi float64 // integration range covering the support
		mean   float64 // known mean, or NaN to integrate
	}{
		{"uniform", mustPrior(t, Uniform, -2, 3), -2, 3, 0.5},
		{"normal", mustPrior(t, Normal, 1, 2), -30, 30, 1},
		{"lognormal", mustPrior(t, LogNormal, 0, 0.5), 1e-9, 40, math.Exp(0.125)},
		{"beta", mustPrior(t, Beta, 2, 5), 0, 1, 2.0 / 7},
		{"half normal", tr(mustPrior(t, Normal, 0, 1), 0, math.Inf(1)), 0, 30, math.Sqrt(2 / math.Pi)},
		{"truncated beta", tr(mustPrior(t, Beta, 2, 5), 0.1, 0.6), 0.1, 0.6, math.NaN()},
		{"truncated lognormal", tr(mustPrior(t, LogNormal, 0, 1), 0.5, 2), 0.5, 2, math.NaN()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dens := func(x float64) float64 { return math.Exp(c.p.LogProb(x)) }
			if z := quad.Fixed(dens, c.lo, c.hi, 2000, nil, 0); math.Abs(z-1) > 1e-6 {
				t.Errorf("density integrates to %.9f", z)
			}
			mean := c.mean
			if math.IsNaN(mean) {
				mean = quad.Fixed(func(x float64) float64 { return x * dens(x) }, c.lo, c.hi, 2000, nil, 0)
			}
			rng := stream(1, 2, 3, 4)
			const n = 200_000
			s, s2 := 0.0, 0.0
			for range n {
				x := c.p.Rand(rng)
				if x < c.p.Lo || x > c.p.Hi || math.IsInf(c.p.LogProb(x), -1) {
					t.Fatalf("draw %g outside the support", x)
				}
				s += x
				s2 += x * x
			}
			m := s / n
			se := math.Sqrt((s2/n - m*m) / n)
			if math.Abs(m-mean) > 5*se {
				t.Errorf("mean of draws %.5f, want %.5f (se %.5f)", m, mean, se)
			}
			if lp := c.p.LogProb(c.p.Lo - 1); !math.IsInf(lp, -1) && !math.IsInf(c.p.Lo, -1) {
				t.Errorf("log density below the support %g", lp)
			}
		})
	}
}

// TestOpenSupport checks that LogProb is -Inf, never NaN or +Inf, where
// the density is undefined or infinite.
func TestOpenSupport(t *testing.T) {
	for _, c := range []struct {
		p Prior
		x float64
	}{
		{mustPrior(t, LogNormal, 0, 1), 0},
		{mustPrior(t, LogNormal, 0, 1), -1},
		{mustPrior(t, Beta, 0.5, 2), 0},
		{mustPrior(t, Beta, 2, 0.5), 1},
		{mustPrior(t, Beta, 2, 2), 1.5},
		{mustPrior(t, Uniform, 0, 1), 2},
		{mustPrior(t, Normal, 0, 1), math.NaN()},
	} {
		if lp := c.p.LogProb(c.x); !math.IsInf(lp, -1) {
			t.Errorf("%v at %g: log density %g, want -Inf", c.p, c.x, lp)
		}
	}
	// Draws of a beta with a tiny shape crowd 0 but never reach it.
	p := mustPrior(t, Beta, 0.02, 1)
	rng := stream(5, 0, 0, 0)
	for range 10000 {
		if x := p.Rand(rng); math.IsInf(p.LogProb(x), -1) {
			t.Fatalf("draw %g outside the open support", x)
		}
	}
}

// TestBadPriors checks that bad priors are errors wrapping ErrPrior.
func TestBadPriors(t *testing.T) {
	n := mustPrior(t, Normal, 0, 1)
	cases := []struct {
		name string
		err  func() error
	}{
		{"unknown kind", func() error { _, err := NewPrior(Kind(9), 0, 1); return err }},
		{"zero kind", func() error { return Prior{}.Validate() }},
		{"uniform reversed", func() error { _, err := NewPrior(Uniform, 1, 0); return err }},
		{"normal sd 0", func() error { _, err := NewPrior(Normal, 0, 0); return err }},
		{"lognormal sd < 0", func() error { _, err := NewPrior(LogNormal, 0, -1); return err }},
		{"beta shape 0", func() error { _, err := NewPrior(Beta, 0, 1); return err }},
		{"NaN parameter", func() error { _, err := NewPrior(Normal, math.NaN(), 1); return err }},
		{"infinite parameter", func() error { _, err := NewPrior(Uniform, 0, math.Inf(1)); return err }},
		{"empty truncation", func() error { _, err := n.Truncate(2, 1); return err }},
		{"truncation without mass", func() error { _, err := mustPrior(t, Beta, 2, 2).Truncate(2, 3); return err }},
		{"far tail", func() error { _, err := n.Truncate(60, 70); return err }},
		{"no parameters", func() error { return Priors{}.Validate() }},
		{"no name", func() error { return Priors{{" ", n}}.Validate() }},
		{"duplicate", func() error { return Priors{{"a", n}, {"a", n}}.Validate() }},
		{"unknown family name", func() error { _, err := ParseKind("gamma"); return err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.err(); !errors.Is(err, ErrPrior) {
				t.Errorf("error %v, want ErrPrior", err)
			}
		})
	}
	if k, err := ParseKind("Log-Normal"); k != LogNormal || err != nil {
		t.Errorf("ParseKind(Log-Normal) = %v, %v", k, err)
	}
}
