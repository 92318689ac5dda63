package sweep

import (
	"math"
	"strings"
	"testing"
)

// TestIntegerUniform checks that a uniform factor with round takes every
// multiple in its range equally often: on [0, 4] with round 1, each of 0
// to 4 for a fifth of [0, 1] (rounding a continuous draw gave the ends
// half the share of the middle values).
func TestIntegerUniform(t *testing.T) {
	f := Factor{Min: 0, Max: 4, Round: 1}
	count := map[float64]int{}
	const n = 100_000
	for i := range n {
		count[f.Quantile((float64(i)+0.5)/n)]++
	}
	for v := range 5 {
		if got := count[float64(v)]; got != n/5 {
			t.Errorf("value %d taken %d times of %d, want %d", v, got, n, n/5)
		}
	}
	if len(count) != 5 || f.Quantile(0) != 0 || f.Quantile(1) != 4 {
		t.Errorf("values %v, Quantile(0) %g, Quantile(1) %g: want 0..4 with both ends", count, f.Quantile(0), f.Quantile(1))
	}
	// A range whose ends are not multiples keeps to the multiples inside.
	g := Factor{Min: 0.3, Max: 0.95, Round: 0.2}
	for _, p := range []float64{0, 0.3, 0.5, 0.99, 1} {
		if x := g.Quantile(p); x != 0.4 && x != 0.6 && x != 0.8 {
			t.Errorf("[0.3, 0.95] round 0.2: Quantile(%g) = %g, want 0.4, 0.6 or 0.8", p, x)
		}
	}
}

// TestMorrisIntegerStep checks that Morris divides the effects of an
// integer factor by the step actually taken: for y = x on [0, 4] with
// round 1 and 4 levels, every move goes 0 -> 3 or 1 -> 4 (3/4 of the
// range), so the effect per full range is exactly 4; dividing by the
// nominal 2/3 would give 4.5.
func TestMorrisIntegerStep(t *testing.T) {
	e := unitExperiment(Morris, 2, 0, 4, 3)
	e.Factors[0].Round = 1
	e.Design.Trajectories, e.Design.Levels, e.Design.Bootstrap = 20, 4, 0
	idx := morrisOn(e, func(x []float64) float64 { return x[0] + x[1] })
	for i, m := range idx {
		if math.Abs(m.MuStar-4) > 1e-9 || m.N != 20 {
			t.Errorf("x%d: mu* %g over %d effects, want 4 over 20", i, m.MuStar, m.N)
		}
	}
}

// TestCategoricalFactor loads an experiment with a categorical factor of
// scenario fragments and checks its design values and overrides.
func TestCategoricalFactor(t *testing.T) {
	src := `name: cat
scenario: tiny
design: {kind: grid}
factors:
  - name: regime
    choices:
      - {name: soft, set: [levers.tapi_stake.value=0.1, levers.border_cooperation.value=0.2]}
      - {name: hard, set: [levers.tapi_stake.value=0.9]}
  - {path: crises.rate_per_year, min: 0.1, max: 1, levels: 2}
replicates: 2
`
	e, err := Load("cat.yaml", []byte(src), DirResolver("testdata"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Points() != 4 {
		t.Fatalf("%d points, want 2 x 2", e.Points())
	}
	p := newPlan(e)
	x := make([]float64, 2)
	p.point(3, x)
	if x[0] != 1 || x[1] != 1 {
		t.Fatalf("point 3 = %v, want [1 1]", x)
	}
	sc, err := e.ScenarioAt(x)
	if err != nil {
		t.Fatal(err)
	}
	ovs := e.overrides(x)
	var got []string
	for _, o := range ovs {
		got = append(got, o.Path+"="+o.Value)
	}
	if strings.Join(got, " ") != "levers.tapi_stake.value=0.9 crises.rate_per_year=1" {
		t.Errorf("overrides %v", got)
	}
	_ = sc
	// Choices in other designs are drawn with equal probability.
	f := e.Factors[0]
	if f.Quantile(0.49) != 0 || f.Quantile(0.51) != 1 || f.Quantile(1) != 1 {
		t.Errorf("choice quantiles %g %g %g", f.Quantile(0.49), f.Quantile(0.51), f.Quantile(1))
	}
}
