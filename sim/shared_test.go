package sim_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/entrench/entrench/sim"
)

// sharedRow runs the paired comparison of two built-ins with the same
// overrides and returns its row named name.
func sharedRow(t *testing.T, a, b string, n int, name string, sets ...string) (sim.Row, *sim.Comparison) {
	t.Helper()
	ma, err := sim.Compile(loadBuiltin(t, a, sets...))
	if err != nil {
		t.Fatal(err)
	}
	mb, err := sim.Compile(loadBuiltin(t, b, sets...))
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := sim.Compare(context.Background(), ma, mb, sim.Options{Runs: n, Workers: 2}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(c.Rows(), func(r sim.Row) bool { return r.Name == name })
	if i < 0 {
		t.Fatalf("no row %q in the comparison of %s and %s", name, a, b)
	}
	return c.Rows()[i], c
}

// TestTAPIEntrenchesSharedChannels is issue 10's acceptance test: on the
// channels open in both baseline and tapi-only, the stress probe's
// entrenchment rises with Gazprom's TAPI stake (the Kremlin's and
// Gazprom's lobbying for the Afghan channels, and the stake's resistance),
// and not with stakes made inert (they accrue but give no resistance, no
// lobbying and no attention). Measured on the shared channels, the added
// tapi channel cannot produce the gain by averaging. It fails if the TAPI
// stake's reach is cut or its sign flipped, or if the gain came from
// something other than the stakes.
//
// Bounds, fixed before the runs: with stakes the gain must exceed 0.02 (two
// points of cooperation standing after a Crimea-size crisis, about a tenth
// of the baseline's level) and three standard errors; with inert stakes
// the whole 95% interval must lie within ±0.005 (an equivalence bound a
// quarter of the minimum effect) and cover zero (the criterion).
// An energy channel is not joint work (it adds nothing to engagement or
// routine, TestEnergyChannelIsNotJointWork), so with inert stakes the
// tapi channel reaches the shared ones only through the autonomy threat
// of its depth, which lowers cooperation by about 1.5e-4 and leaves the
// probe's share kept unmoved (about 1e-5 on 200 pairs).
func TestTAPIEntrenchesSharedChannels(t *testing.T) {
	n := reps(40)
	real, c := sharedRow(t, "baseline", "tapi-only", n, "shared_entrenchment")
	t.Logf("stakes: channels %s: baseline %.4f, tapi-only %.4f, gain %.4f [%.4f, %.4f] (n %d)",
		strings.Join(c.SharedChannels, ","), real.MeanA, real.MeanB, real.Mean, real.Lo, real.Hi, real.N)
	if slices.Contains(c.SharedChannels, "tapi") || !slices.Contains(c.SharedChannels, "ndn") {
		t.Errorf("shared channels %v: want the Afghan channels and not tapi (shut in the baseline)", c.SharedChannels)
	}
	if !(real.Mean > 0.02 && real.Mean > 3*real.SE) {
		t.Errorf("the TAPI stake should entrench the shared channels: gain %.4f (se %.4f), want > 0.02", real.Mean, real.SE)
	}
	inert, _ := sharedRow(t, "baseline", "tapi-only", n, "shared_entrenchment", "model.inert_stakes=true")
	t.Logf("inert stakes: baseline %.4f, tapi-only %.4f, gain %.3g [%.3g, %.3g]", inert.MeanA, inert.MeanB, inert.Mean, inert.Lo, inert.Hi)
	if inert.Lo < -0.005 || inert.Hi > 0.005 || inert.Lo > 0 || inert.Hi < 0 {
		t.Errorf("with inert stakes the gain should be nil (within ±0.005, covering 0): %.3g [%.3g, %.3g]", inert.Mean, inert.Lo, inert.Hi)
	}
}
