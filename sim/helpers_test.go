package sim_test

import (
	"context"
	"os"
	"testing"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// full reports whether the slow, full-count statistical checks are wanted
// (make test-full sets ENTRENCH_FULL=1).
func full() bool { return os.Getenv("ENTRENCH_FULL") != "" }

// reps returns the replicate count for a statistical test: n in CI, 5n
// with ENTRENCH_FULL.
func reps(n int) int {
	if full() {
		return 5 * n
	}
	return n
}

// loadBaseline loads the built-in baseline with overrides.
func loadBaseline(t testing.TB, sets ...string) *scenarios.Scenario {
	t.Helper()
	return loadBuiltin(t, "baseline", sets...)
}

func loadBuiltin(t testing.TB, name string, sets ...string) *scenarios.Scenario {
	t.Helper()
	var ovs []scenarios.Override
	for _, s := range sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	sc, err := scenarios.LoadBuiltin(name, ovs)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// collect keeps copies of every run.
type collect struct{ runs []*sim.RunResult }

func (c *collect) Consume(r *sim.RunResult) error {
	cp := *r
	cp.Series = append([]float64(nil), r.Series...)
	cp.Events = append([]sim.EventRecord(nil), r.Events...)
	c.runs = append(c.runs, &cp)
	return nil
}

// runAll compiles sc and runs n replicates, returning every run and the
// model.
func runAll(t testing.TB, sc *scenarios.Scenario, n, workers int) ([]*sim.RunResult, *sim.Model) {
	t.Helper()
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	var c collect
	if _, err := sim.Batch(context.Background(), m, sim.Options{Runs: n, Workers: workers}, &c); err != nil {
		t.Fatal(err)
	}
	for _, r := range c.runs {
		if r.Err != nil {
			t.Fatalf("replicate %d failed: %v", r.Replicate, r.Err)
		}
	}
	return c.runs, m
}

// series returns metric name of run r.
func series(t testing.TB, m *sim.Model, r *sim.RunResult, name string) []float64 {
	t.Helper()
	T := len(m.Dates)
	for i, mt := range m.Metrics {
		if mt.Name == name {
			return r.Series[i*T : (i+1)*T]
		}
	}
	t.Fatalf("no metric %q", name)
	return nil
}

// pairedDiff returns the mean of b-a over the pairs where both are defined
// and its standard error.
func pairedDiff(a, b []float64) (mean, se float64) {
	d := estimate.Paired(a, b, sim.Confidence)
	return d.Mean, d.SE
}

func meanOf(xs []float64) float64 { return sim.MeanLevel(xs) }

// pairedEstimate returns the paired difference b-a with its 95% interval.
func pairedEstimate(a, b []float64) estimate.Difference {
	return estimate.Paired(a, b, sim.Confidence)
}
