package sim_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/entrench/entrench/sim"
)

func tinyModel(t *testing.T, sets ...string) *sim.Model {
	t.Helper()
	m, err := sim.Compile(loadBuiltin(t, "tiny", sets...))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPosteriorEnsemble checks that every replicate of a posterior
// ensemble is exactly the replicate of the particle it drew, that the
// draws follow the weights (a particle of weight 0 is never drawn), and
// that the results do not depend on the number of workers.
func TestPosteriorEnsemble(t *testing.T) {
	base := tinyModel(t)
	parts := []*sim.Model{
		tinyModel(t, "model.build_rate=0.05"),
		tinyModel(t, "model.build_rate=0.4"),
		tinyModel(t, "model.build_rate=0.2"),
	}
	weights := []float64{1, 3, 0}
	ens, err := base.WithPosterior(parts, weights)
	if err != nil {
		t.Fatal(err)
	}
	const runs = 400
	var ref *collect
	for _, w := range []int{1, 3} {
		got := &collect{}
		if _, err := sim.Batch(context.Background(), ens, sim.Options{Runs: runs, Workers: w}, got); err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = got
			continue
		}
		for r := range runs {
			if !slices.Equal(ref.runs[r].Series, got.runs[r].Series) {
				t.Fatalf("workers %d: replicate %d differs from 1 worker", w, r)
			}
		}
	}
	// Each replicate equals its particle's own replicate.
	alone := make([]*collect, len(parts))
	for i, p := range parts {
		alone[i] = &collect{}
		if _, err := sim.Batch(context.Background(), p, sim.Options{Runs: runs, Workers: 2}, alone[i]); err != nil {
			t.Fatal(err)
		}
	}
	count := make([]int, len(parts))
	for r := range runs {
		k := ens.Particle(0, r)
		count[k]++
		if !slices.Equal(ref.runs[r].Series, alone[k].runs[r].Series) {
			t.Fatalf("replicate %d is not particle %d's replicate %d", r, k, r)
		}
	}
	if count[2] != 0 {
		t.Errorf("the particle of weight 0 was drawn %d times", count[2])
	}
	// Share of particle 1: 0.75, binomial sd sqrt(.75*.25/400) = 0.022.
	if share := float64(count[1]) / runs; math.Abs(share-0.75) > 4*0.022 {
		t.Errorf("particle 1 drawn in %.3f of replicates, want 0.75", share)
	}
	// The particles differ, so the test is not vacuous.
	if slices.Equal(alone[0].runs[0].Series, alone[1].runs[0].Series) {
		t.Error("particles 0 and 1 give the same runs")
	}
}

// TestPosteriorComparePairs checks that A and B under the same posterior
// run the same particle in every replicate: comparing a scenario with
// itself gives a difference of exactly 0.
func TestPosteriorComparePairs(t *testing.T) {
	base := tinyModel(t)
	parts := []*sim.Model{tinyModel(t, "model.build_rate=0.05"), tinyModel(t, "model.build_rate=0.4")}
	a, err := base.WithPosterior(parts, []float64{0.5, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	b, err := base.WithPosterior(slices.Clone(parts), []float64{0.5, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := sim.Compare(context.Background(), a, b, sim.Options{Runs: 64, Workers: 2}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Paired(sim.SumMeanCooperation)
	if d.Mean != 0 {
		t.Errorf("A vs A under one posterior: mean difference %g, want 0", d.Mean)
	}
}

func TestPosteriorRejects(t *testing.T) {
	base := tinyModel(t)
	for name, tc := range map[string]struct {
		models  []*sim.Model
		weights []float64
	}{
		"no models":     {nil, nil},
		"zero weights":  {[]*sim.Model{tinyModel(t)}, []float64{0}},
		"NaN weight":    {[]*sim.Model{tinyModel(t)}, []float64{math.NaN()}},
		"other seed":    {[]*sim.Model{tinyModel(t, "seed=2")}, []float64{1}},
		"other horizon": {[]*sim.Model{tinyModel(t, "horizon=30")}, []float64{1}},
	} {
		if _, err := base.WithPosterior(tc.models, tc.weights); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
