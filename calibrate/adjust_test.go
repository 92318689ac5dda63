package calibrate

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entrench/entrench/abc"
	"github.com/entrench/entrench/output"
)

// TestAdjustOutputs calibrates the tiny test file with the regression
// adjustment for 1 and 2 workers and checks that posterior.csv holds the
// adjusted particles (read back by ReadPosterior, every one inside its
// prior's support), that posterior-unadjusted.csv holds the final
// generation, that the manifest says what was done, that the outputs are
// byte-identical for both worker counts, and that Finish on the
// checkpoints writes the same files again (the adjustment is a pure
// function of the stored final generation).
func TestAdjustOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates")
	}
	c, err := LoadFile("testdata/tiny-adjust.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Settings.Adjust != abc.AdjustRegression {
		t.Fatalf("adjust %v, want regression from the file", c.Settings.Adjust)
	}
	files := []string{PosteriorFile, UnadjustedFile, ParametersFile, FitFile, output.ManifestFile}
	read := func(dir string) map[string][]byte {
		out := map[string][]byte{}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if f == output.ManifestFile {
				var m map[string]any
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatal(err)
				}
				for _, k := range []string{"started", "finished", "workers", "args", "version", "elapsed_seconds", "go_version", "host"} {
					delete(m, k)
				}
				b, _ = json.Marshal(m)
			}
			out[f] = b
		}
		return out
	}
	base := t.TempDir()
	var ref map[string][]byte
	for _, w := range []int{1, 2} {
		dir := filepath.Join(base, "w"+string(rune('0'+w)))
		res, err := Run(context.Background(), c, Options{Out: dir, Workers: w, Draws: 30, NoFigures: true})
		if err != nil {
			t.Fatal(err)
		}
		got := read(dir)
		if ref == nil {
			ref = got
			a := res.ABC.Adjustment
			if !a.Applied || res.ABC.Posterior == res.ABC.Final {
				t.Fatalf("adjustment not applied: %+v", a)
			}
			if bytes.Equal(got[PosteriorFile], got[UnadjustedFile]) {
				t.Error("posterior.csv equals posterior-unadjusted.csv")
			}
			var b bytes.Buffer
			if err := abc.WritePosterior(&b, res.ABC.Names, res.ABC.Final); err != nil || !bytes.Equal(b.Bytes(), got[UnadjustedFile]) {
				t.Errorf("posterior-unadjusted.csv is not the final generation (%v)", err)
			}
			var man Manifest
			if err := json.Unmarshal(got[output.ManifestFile], &man); err != nil || man.Adjust == nil || !man.Adjust.Applied || man.Adjust.Method != "regression" {
				t.Errorf("manifest adjust %+v (%v)", man.Adjust, err)
			}
			post, err := ReadPosterior(filepath.Join(dir, PosteriorFile))
			if err != nil {
				t.Fatal(err)
			}
			for i, th := range post.Particles {
				for k, x := range th {
					if lo, hi := c.Params[k].Prior.Support(); !(x >= lo && x <= hi) {
						t.Errorf("particle %d: %s = %g outside [%g, %g]", i, c.Params[k].Name, x, lo, hi)
					}
					if x != res.ABC.Posterior.Particles[i][k] {
						t.Errorf("particle %d: %s read back as %g, adjusted %g", i, c.Params[k].Name, x, res.ABC.Posterior.Particles[i][k])
					}
				}
			}
			if m := res.Marginals[0]; m.Mean == 0 {
				t.Error("no marginals")
			}
			continue
		}
		for f, b := range ref {
			if !bytes.Equal(b, got[f]) {
				t.Errorf("%s differs between 1 and %d workers", f, w)
			}
		}
	}
	// Finish from the checkpoints of the first folder.
	dir := filepath.Join(base, "w1")
	for _, f := range files {
		os.Remove(filepath.Join(dir, f))
	}
	if _, err := Finish(context.Background(), c, Options{Out: dir, Workers: 2, Draws: 30, NoFigures: true}); err != nil {
		t.Fatal(err)
	}
	got := read(dir)
	for f, b := range ref {
		if !bytes.Equal(b, got[f]) {
			t.Errorf("%s differs after Finish", f)
		}
	}
	// Without the adjustment, no posterior-unadjusted.csv and no adjust
	// entry in the manifest.
	c.Settings.Adjust = abc.AdjustNone
	dir = filepath.Join(base, "none")
	if _, err := Run(context.Background(), c, Options{Out: dir, Workers: 2, Draws: 30, NoFigures: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, UnadjustedFile)); err == nil {
		t.Errorf("%s written without the adjustment", UnadjustedFile)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, output.ManifestFile)); bytes.Contains(b, []byte(`"adjust"`)) {
		t.Error("manifest has an adjust entry without the adjustment")
	}
	// The same generations (the adjustment is not in the fingerprint):
	// the unadjusted posterior is the other run's posterior-unadjusted.csv,
	// and the predictive fit, simulated at other particles, differs.
	for _, f := range []struct{ none, adj string }{{PosteriorFile, UnadjustedFile}} {
		if b, _ := os.ReadFile(filepath.Join(dir, f.none)); !bytes.Equal(b, ref[f.adj]) {
			t.Errorf("%s without the adjustment is not %s with it", f.none, f.adj)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, FitFile)); bytes.Equal(b, ref[FitFile]) {
		t.Error("fit.csv is the same with and without the adjustment: the predictive simulations do not use the adjusted particles")
	}
}

// TestAdjustExtrapolation calibrates tiny.yaml, whose 2010-10 Gazprom
// fact the tiny scenario cannot reach, with the adjustment: it must fall
// back, say so in the manifest, and write the unadjusted particles as the
// posterior.
func TestAdjustExtrapolation(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates")
	}
	c, err := LoadFile("testdata/tiny.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Settings.Adjust = abc.AdjustRegression
	dir := t.TempDir()
	res, err := Run(context.Background(), c, Options{Out: dir, Workers: 2, Draws: 10, NoFigures: true})
	if err != nil {
		t.Fatal(err)
	}
	a := res.ABC.Adjustment
	if a.Applied || res.ABC.Posterior != res.ABC.Final || !strings.Contains(a.Note, "observed summary 2 (2010.75) lies outside the range") {
		t.Errorf("adjustment %+v", a)
	}
	p, _ := os.ReadFile(filepath.Join(dir, PosteriorFile))
	u, _ := os.ReadFile(filepath.Join(dir, UnadjustedFile))
	m, _ := os.ReadFile(filepath.Join(dir, output.ManifestFile))
	if len(p) == 0 || !bytes.Equal(p, u) || !bytes.Contains(m, []byte("would extrapolate")) {
		t.Errorf("posterior.csv equals posterior-unadjusted.csv: %v; manifest notes the fallback: %v", bytes.Equal(p, u), bytes.Contains(m, []byte("would extrapolate")))
	}
}

// TestAdjustInvalidScenario checks that an adjusted particle that breaks
// a constraint between parameters (here fall_rate below build_rate) makes
// the posterior fall back to the unadjusted generation, with a note.
func TestAdjustInvalidScenario(t *testing.T) {
	src := []byte(`scenario: tiny
parameters:
  - {name: build_rate, key: model.build_rate, prior: {dist: uniform, min: 0.1, max: 0.4}}
  - {name: fall_rate, key: model.fall_rate, prior: {dist: uniform, min: 0.3, max: 0.8}}
targets:
  - {series: icews_coop_share_USA_RUS, metric: cooperation, observation: {noise: 0.02}}
algorithm: {adjust: regression}
`)
	c, err := Load("inline.yaml", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	final := &abc.Generation{Particles: [][]float64{{0.2, 0.5}, {0.3, 0.6}}, Weights: []float64{0.5, 0.5}}
	for _, tt := range []struct {
		name  string
		post  [][]float64
		valid bool
	}{
		{"valid", [][]float64{{0.25, 0.55}, {0.3, 0.5}}, true},
		{"fall below build", [][]float64{{0.25, 0.55}, {0.39, 0.35}}, false},
	} {
		post := &abc.Generation{Particles: tt.post, Weights: []float64{0.5, 0.5}}
		res := &abc.Result{Final: final, Posterior: post, Adjustment: abc.Adjustment{Method: "regression", Applied: true, Slopes: [][]float64{{1}, {1}}}}
		if err := c.checkAdjusted(context.Background(), res); err != nil {
			t.Fatal(err)
		}
		if tt.valid != (res.Posterior == post) || tt.valid != res.Adjustment.Applied {
			t.Errorf("%s: posterior adjusted %v, adjustment %+v", tt.name, res.Posterior == post, res.Adjustment)
		}
		if !tt.valid && (!strings.Contains(res.Adjustment.Note, "particle 2 is not a valid scenario") || !strings.Contains(res.Adjustment.Note, "fall_rate") || res.Adjustment.Slopes != nil) {
			t.Errorf("%s: note %q", tt.name, res.Adjustment.Note)
		}
	}
}
