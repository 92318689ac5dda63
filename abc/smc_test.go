package abc

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestConjugatePosterior checks the ABC posterior of the conjugate normal
// model against the exact one, the weights, and the adaptive tolerance
// schedule against a direct computation of the quantile.
func TestConjugatePosterior(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	const ybar = 1.3
	wantMean, wantSD := c.exact(ybar)
	dir := t.TempDir()
	s := Settings{Particles: 1000, Seed: 7, MaxGenerations: 9, Workers: 2, Dir: dir}
	start := time.Now()
	r, err := Run(context.Background(), c.problem(t, ybar), s)
	if err != nil {
		t.Fatal(err)
	}
	gens, err := ReadGenerations(dir, c.problem(t, ybar), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(gens) != len(r.Generations) || r.Stop != StopGenerations {
		t.Fatalf("%d generations on disk, %d in the result, stop %q", len(gens), len(r.Generations), r.Stop)
	}
	for _, g := range gens {
		sum := 0.0
		for _, w := range g.Weights {
			sum += w
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("generation %d: weights sum to %.17g", g.Index, sum)
		}
		if len(g.Particles) != 1000 {
			t.Errorf("generation %d: %d particles", g.Index, len(g.Particles))
		}
		for i, d := range g.Distances {
			if d > g.Tolerance {
				t.Errorf("generation %d: particle %d at distance %g above tolerance %g", g.Index, i, d, g.Tolerance)
			}
		}
		if g.Index == 0 {
			continue
		}
		// The median of the previous distances, computed directly.
		d := slices.Clone(gens[g.Index-1].Distances)
		slices.Sort(d)
		want := (d[499] + d[500]) / 2
		if g.Tolerance != want {
			t.Errorf("generation %d: tolerance %.17g, want the median %.17g", g.Index, g.Tolerance, want)
		}
		if g.Tolerance >= gens[g.Index-1].Tolerance {
			t.Errorf("generation %d: tolerance %g does not decrease from %g", g.Index, g.Tolerance, gens[g.Index-1].Tolerance)
		}
	}
	sd := func(g *Generation) float64 {
		ms, err := Summarize(r.Names, g)
		if err != nil {
			t.Fatal(err)
		}
		return ms[0].SD
	}
	ms, err := Summarize(r.Names, r.Final)
	if err != nil {
		t.Fatal(err)
	}
	m := ms[0]
	scale := r.Distance.Scales[0]
	t.Logf("exact mean %.4f sd %.4f; ABC mean %.4f sd %.4f (generation 1 sd %.4f); final tolerance %.4g (%.4g in ȳ units); %d simulations, %.2fs",
		wantMean, wantSD, m.Mean, m.SD, sd(gens[1]), r.Final.Tolerance, r.Final.Tolerance*scale,
		r.Final.TotalSimulations, time.Since(start).Seconds())
	for _, st := range r.Generations {
		t.Logf("  gen %d tol %.4g acc %.3f ess %.0f sims %d", st.Generation, st.Tolerance, st.Acceptance, st.ESS, st.Simulations)
	}
	// Monte Carlo standard error of the mean is about sd/sqrt(ESS), 0.01.
	if math.Abs(m.Mean-wantMean) > 0.04 {
		t.Errorf("posterior mean %.4f, exact %.4f", m.Mean, wantMean)
	}
	if math.Abs(m.SD/wantSD-1) > 0.1 {
		t.Errorf("posterior sd %.4f, exact %.4f", m.SD, wantSD)
	}
	// As the tolerance shrinks the posterior approaches the exact one.
	if e1, eN := math.Abs(sd(gens[1])/wantSD-1), math.Abs(m.SD/wantSD-1); !(e1 > 1 && eN < e1) {
		t.Errorf("sd error %.3f at generation 1, %.3f at the end: no convergence", e1, eN)
	}
}

// TestWeightsByHand checks the importance weights and the kernel on a
// two-particle population against a hand computation.
func TestWeightsByHand(t *testing.T) {
	u, _ := NewPrior(Uniform, -10, 10)
	p := &Problem{Params: Priors{{"x", u}}, Observed: []float64{0}, Simulate: conjugate{1, 1}.simulate}
	prev := &Generation{
		Index: 0, Tolerance: math.Inf(1),
		Particles: [][]float64{{0}, {1}}, Weights: []float64{0.25, 0.75},
		Distances: []float64{1, 2}, Summaries: [][]float64{{1}, {2}}, Simulations: 2, TotalSimulations: 2,
		Distance: &Distance{Observed: []float64{0}, Scales: []float64{1}, Weights: []float64{1}},
	}
	st, err := NewStep(p, Settings{Particles: 2}, prev)
	if err != nil {
		t.Fatal(err)
	}
	// Weighted mean 0.75, variance 0.25·0.75² + 0.75·0.25² = 0.1875,
	// kernel variance twice that.
	const kv = 0.375
	if got := st.chol[0] * st.chol[0]; math.Abs(got-kv) > 1e-15 {
		t.Errorf("kernel variance %.17g, want %g", got, kv)
	}
	if st.Tolerance() != 1.5 {
		t.Errorf("tolerance %g, want the median 1.5", st.Tolerance())
	}
	k := func(x, mu float64) float64 { return math.Exp(-(x-mu)*(x-mu)/(2*kv)) / math.Sqrt(2*math.Pi*kv) }
	xs := []float64{0.5, 2}
	raw := make([]float64, 2)
	for i, x := range xs {
		raw[i] = (1.0 / 20) / (0.25*k(x, 0) + 0.75*k(x, 1))
	}
	got := st.weights([][]float64{{xs[0]}, {xs[1]}})
	for i := range xs {
		want := raw[i] / (raw[0] + raw[1])
		if math.Abs(got[i]-want) > 1e-14 {
			t.Errorf("weight %d: %.17g, want %.17g", i, got[i], want)
		}
	}
	if got[1] <= got[0] {
		t.Errorf("the particle far from the ancestors should weigh more: %v", got)
	}
}

// TestQuantileSchedule checks an adaptive schedule at another quantile
// against a direct computation of the type 7 quantile.
func TestQuantileSchedule(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	p := c.problem(t, 0.5)
	s := Settings{Particles: 100, Seed: 2, Quantile: 0.3, MaxGenerations: 4, Workers: 2, Dir: t.TempDir()}
	if _, err := Run(context.Background(), p, s); err != nil {
		t.Fatal(err)
	}
	gens, err := ReadGenerations(s.Dir, p, s)
	if err != nil || len(gens) != 4 {
		t.Fatalf("%d generations, %v", len(gens), err)
	}
	for _, g := range gens[1:] {
		d := slices.Clone(gens[g.Index-1].Distances)
		slices.Sort(d)
		// Position 0.3 × (100 - 1) = 29.7 between order statistics 29 and 30.
		h := 0.3 * 99
		want := d[29] + (h-29)*(d[30]-d[29])
		if g.Tolerance != want || !(g.Tolerance < gens[g.Index-1].Tolerance) {
			t.Errorf("generation %d: tolerance %.17g, want %.17g", g.Index, g.Tolerance, want)
		}
	}
}

// TestNoiseScale checks the noise scale on a model with known noise: two
// summaries, s_1 = θ_1 + N(0, 0.1²) with θ_1 ~ U(-5, 5), whose prior
// predictive spread is all parameter, and s_2 = θ_2 + N(0, 1) with θ_2 ~
// U(-1, 1), mostly noise. The mad scale is the prior predictive's (about
// 2.5 for s_1), the noise scale each summary's noise (the median absolute
// deviation of N(0, σ²), 0.6745σ), so that only the noise scale weighs s_1
// by its precision. Both give the same results for any number of workers.
func TestNoiseScale(t *testing.T) {
	u1, err := NewPrior(Uniform, -5, 5)
	if err != nil {
		t.Fatal(err)
	}
	u2, err := NewPrior(Uniform, -1, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := &Problem{
		Params:   Priors{{Name: "a", Prior: u1}, {Name: "b", Prior: u2}},
		Observed: []float64{1, 0},
		Simulate: func(_ context.Context, th []float64, rng *rand.Rand) ([]float64, error) {
			return []float64{th[0] + 0.1*rng.NormFloat64(), th[1] + rng.NormFloat64()}, nil
		},
	}
	const n = 2000
	for _, tt := range []struct {
		scale Scale
		want  [2]float64
	}{
		{ScaleMAD, [2]float64{2.5, 0}},
		{ScaleNoise, [2]float64{0.6745 * 0.1, 0.6745}},
	} {
		var outs [2]string
		for i, workers := range []int{1, 3} {
			r, err := Run(context.Background(), p, Settings{Particles: n, Seed: 3, MaxGenerations: 2, Scale: tt.scale, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			outs[i], _ = outputs(t, r)
			if i > 0 {
				continue
			}
			sc := r.Distance.Scales
			if r.Distance.Scale != tt.scale.String() {
				t.Errorf("%v: distance says scale %q", tt.scale, r.Distance.Scale)
			}
			for k, w := range tt.want {
				if w > 0 && math.Abs(sc[k]-w) > 0.1*w {
					t.Errorf("%v: scale of summary %d is %.4f, want %.4f within 10%%", tt.scale, k+1, sc[k], w)
				}
			}
			if tt.scale == ScaleMAD && sc[1] < 0.7 {
				t.Errorf("mad: scale of summary 2 is %.4f, want the prior predictive's (above the noise's 0.67)", sc[1])
			}
			if r.Generations[0].Simulations != n {
				t.Errorf("%v: generation 0 counts %d attempts, want %d", tt.scale, r.Generations[0].Simulations, n)
			}
		}
		if outs[0] != outs[1] {
			t.Errorf("%v: 1 and 3 workers differ", tt.scale)
		}
	}
	if sc, err := ParseScale("noise"); sc != ScaleNoise || err != nil || sc.String() != "noise" {
		t.Errorf("ParseScale(noise) = %v, %v", sc, err)
	}
}
