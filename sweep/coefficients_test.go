package sweep_test

import (
	"strings"
	"testing"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sweep"
)

// TestMorrisCoefficientsCoverRanges checks that the built-in
// morris-coefficients screens exactly the behavioural coefficients of
// scenarios/ranges.go (less the Afghan environment), over the same ranges,
// so that a coefficient added to the model and its range table is
// screened too.
func TestMorrisCoefficientsCoverRanges(t *testing.T) {
	e, err := sweep.LoadBuiltin("morris-coefficients")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]float64{}
	for _, f := range e.Factors {
		got[f.Path] = [2]float64{f.Min, f.Max}
	}
	n := 0
	for _, r := range scenarios.CoefficientRanges() {
		if strings.HasPrefix(r.Key, "model.afghan_") {
			continue
		}
		n++
		g, ok := got[r.Key]
		switch {
		case !ok:
			t.Errorf("morris-coefficients does not screen %s (range %g to %g)", r.Key, r.Lo, r.Hi)
		case g != [2]float64{r.Lo, r.Hi}:
			t.Errorf("%s: experiment range %g to %g, scenarios/ranges.go %g to %g", r.Key, g[0], g[1], r.Lo, r.Hi)
		}
	}
	if len(e.Factors) != n {
		t.Errorf("morris-coefficients has %d factors, scenarios/ranges.go %d behavioural coefficients", len(e.Factors), n)
	}
}
