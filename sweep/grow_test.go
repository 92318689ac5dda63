package sweep

import (
	"context"
	"testing"
)

// TestGrow runs a sobol and a morris design small, grows them, and
// checks that the outputs equal those of a sweep run at the larger size
// from the start (prefix stability), and that only the new points ran.
func TestGrow(t *testing.T) {
	for _, tc := range []struct {
		file  string
		small int
		set   func(e *Experiment, n int)
	}{
		{"tiny-sobol.yaml", 4, func(e *Experiment, n int) { e.Design.N = n }},
		{"tiny-morris.yaml", 3, func(e *Experiment, n int) { e.Design.Trajectories = n }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			full := load(t, tc.file)
			var large int
			switch full.Design.Kind {
			case Sobol:
				large = full.Design.N
			default:
				large = full.Design.Trajectories
			}
			src, err := setDesignKey(full.source, map[string]string{Sobol: "n", Morris: "trajectories"}[full.Design.Kind], tc.small)
			if err != nil {
				t.Fatal(err)
			}
			small, err := Load(full.file, src, func(string) (string, []byte, error) { return full.scenarioFile, full.scenarioData, nil })
			if err != nil {
				t.Fatal(err)
			}
			opt := Options{Workers: 2, NoFigures: true, Version: testVersion}
			want, grown := t.TempDir(), t.TempDir()
			runSweep(t, full, want, opt)
			runSweep(t, small, grown, opt)
			rep, err := Grow(context.Background(), grown, large, opt)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Ran != full.Points()-small.Points() {
				t.Errorf("grow ran %d points, want the %d new ones", rep.Ran, full.Points()-small.Points())
			}
			w, g := folderFiles(t, want), folderFiles(t, grown)
			delete(w, ExperimentCopy) // the YAML encoder's layout differs
			delete(g, ExperimentCopy)
			sameFiles(t, "grown", w, g)
			if _, err := Grow(context.Background(), grown, large, opt); err == nil {
				t.Error("growing to the same size must fail")
			}
		})
	}
}
