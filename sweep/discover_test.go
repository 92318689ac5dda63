package sweep

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/sim"
)

// syntheticSweep writes a finished sweep folder for the factors of
// tiny-lhs.yaml (tapi_stake on [0, 1], rate_per_year on [0.1, 2]) whose
// final_cooperation is 1 inside the box tapi_stake >= 0.6, rate_per_year
// <= 0.8 and 0 outside, except for a share noise of replicates flipped.
func syntheticSweep(t *testing.T, noise float64) string {
	t.Helper()
	e := load(t, "tiny-lhs.yaml")
	dir := t.TempDir()
	for name, b := range map[string][]byte{ExperimentCopy: e.source, ScenarioCopy: e.scenarioData} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const side, reps = 20, 5
	if err := writeManifest(dir, &Manifest{Experiment: e.Name, ExperimentFile: e.file, ScenarioFile: e.scenarioFile, Design: "lhs",
		Points: side * side, Replicates: reps, Shards: 1, ShardPoints: side * side, PointsDone: side * side, Outputs: true}); err != nil {
		t.Fatal(err)
	}
	var pts, rp strings.Builder
	pts.WriteString("point,tapi_stake,rate_per_year,replicates,final_cooperation_mean\n")
	rp.WriteString("point,replicate," + strings.Join(sim.SummaryNames[:], ",") + "\n")
	r := rand.New(rand.NewPCG(1, 2))
	for i := range side * side {
		a := (float64(i/side) + 0.5) / side
		c := 0.1 + 1.9*(float64(i%side)+0.5)/side
		in := a >= 0.6 && c <= 0.8
		sum := 0.0
		for rep := range reps {
			y := 0.0
			if in != (r.Float64() < noise) {
				y = 1
			}
			sum += y
			row := make([]string, sim.NumSummary)
			row[sim.SumFinalCooperation] = output.FormatFloat(y)
			fmt.Fprintf(&rp, "%d,%d,%s\n", i, rep, strings.Join(row, ","))
		}
		fmt.Fprintf(&pts, "%d,%s,%s,%d,%s\n", i, formatValue(a), formatValue(c), reps, output.FormatFloat(sum/reps))
	}
	for name, s := range map[string]string{PointsFile: pts.String(), ReplicatesFile: rp.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDiscoverKnownBox checks that Discover recovers the synthetic
// sweep's box to within one cell of the 20 x 20 grid of points, per replicate (with 5% of the outcomes flipped) and per
// point, and writes its files.
func TestDiscoverKnownBox(t *testing.T) {
	for _, perPoint := range []bool{false, true} {
		t.Run(fmt.Sprintf("perPoint=%v", perPoint), func(t *testing.T) {
			dir := syntheticSweep(t, 0.05)
			where, err := ParseCondition("final_cooperation >= 0.5")
			if err != nil {
				t.Fatal(err)
			}
			d, err := Discover(dir, DiscoverOptions{Where: where, PerPoint: perPoint})
			if err != nil {
				t.Fatal(err)
			}
			b := d.Result.Box()
			ta, rate := b.Limits[0], b.Limits[1]
			t.Logf("box %d of %d: tapi_stake [%g, %g] p %.2g, rate_per_year [%g, %g] p %.2g; coverage %.2f density %.2f",
				d.Result.Chosen, len(d.Result.Steps), ta.Min, ta.Max, b.QuasiP[0], rate.Min, rate.Max, b.QuasiP[1], b.Coverage, b.Density)
			if ta.Min < 0.55 || ta.Min > 0.65 || rate.Max < 0.7 || rate.Max > 0.9 || rate.Min > 0.2 || ta.Max < 0.95 {
				t.Errorf("box tapi_stake [%g, %g], rate_per_year [%g, %g]; want about [0.6, 1] and [0.1, 0.8]", ta.Min, ta.Max, rate.Min, rate.Max)
			}
			// With 5% of the replicates flipped, about 1/5 of the positive
			// replicates lie outside the box.
			if b.Coverage < 0.7 || b.Density < DefaultDensity {
				t.Errorf("coverage %.2f density %.2f, want at least 0.7 and %g", b.Coverage, b.Density, DefaultDensity)
			}
			if !(b.QuasiP[0] < 1e-3 && b.QuasiP[1] < 1e-3) {
				t.Errorf("quasi-p %v: both restrictions should be significant", b.QuasiP)
			}
			for _, f := range []string{DiscoverTrajectoryFile, DiscoverBoxFile, DiscoverOverrideFile, "prim_trajectory.png"} {
				if !exists(filepath.Join(dir, "discover", f)) {
					t.Errorf("%s not written", f)
				}
			}
			yaml, _ := os.ReadFile(filepath.Join(dir, "discover", DiscoverOverrideFile))
			if !strings.Contains(string(yaml), `- "levers.tapi_stake.value=0.8`) || !strings.Contains(string(yaml), `- "crises.rate_per_year=0.4`) {
				t.Errorf("%s:\n%s", DiscoverOverrideFile, yaml)
			}
		})
	}
}

func TestParseCondition(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		err  bool
	}{
		{"final_cooperation >= 0.5", "final_cooperation >= 0.5", false},
		{"crisis_survival<1", "crisis_survival < 1", false},
		{"final_cooperation => 0.5", "", true},
		{"no_such_metric > 1", "", true},
		{"final_cooperation > x", "", true},
	} {
		c, err := ParseCondition(tc.in)
		if tc.err {
			if !errors.Is(err, ErrCondition) {
				t.Errorf("%q: want ErrCondition, got %v", tc.in, err)
			}
			continue
		}
		if err != nil || c.String() != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, c, err, tc.want)
		}
	}
}
