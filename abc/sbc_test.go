package abc

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"
)

// TestSBCConjugate runs simulation-based calibration (Talts et al. 2018)
// on the conjugate model: for parameter values drawn from the prior, it
// simulates an observation, calibrates, and checks the coverage of the 90%
// central intervals and the flatness of the rank histogram. Reduced
// counts by default; ENTRENCH_FULL=1 runs the full counts.
func TestSBCConjugate(t *testing.T) {
	reps, particles, draws, bins := 50, 200, 49, 5
	if full() {
		reps, particles, draws, bins = 500, 500, 99, 10
	}
	c := conjugate{n: 20, priorVar: 10}
	start := time.Now()
	truths := make([]float64, reps)
	lo, hi := make([]float64, reps), make([]float64, reps)
	ranks := make([]int, reps)
	exactIn := 0
	for i := range reps {
		rng := stream(2018, 0, i, 99)
		truths[i] = c.priors(t)[0].Prior.Rand(rng)
		obs, _ := c.simulate(context.Background(), []float64{truths[i]}, rng)
		s := Settings{Particles: particles, Seed: uint64(i), MaxGenerations: 8, Workers: 2}
		r, err := Run(context.Background(), c.problem(t, obs[0]), s)
		if err != nil {
			t.Fatal(err)
		}
		g := r.Final
		x := make([]float64, len(g.Particles))
		for j, th := range g.Particles {
			x[j] = th[0]
		}
		lo[i], hi[i] = CentralInterval(x, g.Weights, 0.9)
		d := make([]float64, draws)
		for j, k := range Resample(g, draws, rng) {
			d[j] = x[k]
		}
		ranks[i] = Rank(truths[i], d)
		// The exact posterior's coverage on the same replications, for
		// comparison: ABC should not be far from it.
		m, sd := c.exact(obs[0])
		if math.Abs(truths[i]-m) <= 1.6448536269514722*sd {
			exactIn++
		}
	}
	cov := Coverage(truths, lo, hi)
	h, err := RankHistogram(ranks, draws, bins)
	if err != nil {
		t.Fatal(err)
	}
	chi, p := ChiSquareUniform(h)
	t.Logf("SBC: %d replications of %d particles in %.1fs: 90%% coverage %.3f (exact posterior %.3f), ranks %v, chi-square %.2f on %d df, p = %.3g",
		reps, particles, time.Since(start).Seconds(), cov, float64(exactIn)/float64(reps), h, chi, bins-1, p)
	if cov < 0.80 || cov > 0.97 {
		t.Errorf("coverage of 90%% intervals %.3f, want 0.80 to 0.97", cov)
	}
	if !(p > 0.001) {
		t.Errorf("rank histogram %v not uniform: p = %.3g", h, p)
	}
}

// TestSBCHelpers checks the rank, histogram, chi-square and coverage
// helpers on hand-made inputs.
func TestSBCHelpers(t *testing.T) {
	if r := Rank(2.5, []float64{1, 2, 3, 4, 2.4}); r != 3 {
		t.Errorf("rank %d, want 3", r)
	}
	h, err := RankHistogram([]int{0, 1, 2, 3, 4, 5, 5, 0}, 5, 3)
	if err != nil || fmt.Sprint(h) != "[3 2 3]" {
		t.Errorf("histogram %v, %v; want [3 2 3]", h, err)
	}
	if _, err := RankHistogram([]int{0}, 5, 4); err == nil {
		t.Error("4 bins over 6 ranks accepted")
	}
	if _, err := RankHistogram([]int{7}, 5, 3); err == nil {
		t.Error("rank 7 of 5 draws accepted")
	}
	// Counts 10, 20, 30: expected 20, statistic (100+0+100)/20 = 10 on 2
	// degrees of freedom, p = exp(-10/2).
	stat, p := ChiSquareUniform([]int{10, 20, 30})
	if math.Abs(stat-10) > 1e-12 || math.Abs(p-math.Exp(-5)) > 1e-12 {
		t.Errorf("chi-square %g, p %g; want 10, %g", stat, p, math.Exp(-5))
	}
	if c := Coverage([]float64{0, 1, 2, 3}, []float64{-1, 2, 1, 3}, []float64{1, 3, 2, 4}); c != 0.75 {
		t.Errorf("coverage %g, want 0.75", c)
	}
	x, w := []float64{3, 1, 2, 4}, []float64{0.1, 0.2, 0.3, 0.4}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.2, 1}, {0.21, 2}, {0.5, 2}, {0.51, 3}, {0.6, 3}, {0.61, 4}, {1, 4}} {
		if got := WeightedQuantile(x, w, c.q); got != c.want {
			t.Errorf("weighted quantile %g: %g, want %g", c.q, got, c.want)
		}
	}
	if !math.IsNaN(WeightedQuantile(nil, nil, 0.5)) || !math.IsNaN(WeightedQuantile(x, w, 1.5)) {
		t.Error("bad quantile input not NaN")
	}
}
