package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiscoverBoxRuns runs a sweep, discovers a box in it, and checks
// that "run --config prim_box.yaml" accepts the box file and runs the
// same scenario as --set with its overrides.
func TestDiscoverBoxRuns(t *testing.T) {
	dir := t.TempDir()
	sw := filepath.Join(dir, "sweep")
	if code, _, stderr := run(t, "sweep", "../../sweep/testdata/tiny-lhs.yaml", "--replicates", "10", "--out", sw, "--quiet", "--no-figures"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	code, out, stderr := run(t, "discover", sw, "--where", "final_cooperation >= 0.3", "--no-figures")
	if code != 0 || !strings.Contains(out, "cases meet final_cooperation >= 0.3") {
		t.Fatalf("discover: exit %d\n%s\n%s", code, out, stderr)
	}
	box := filepath.Join(sw, "discover", "prim_box.yaml")
	text, err := os.ReadFile(box)
	if err != nil {
		t.Fatal(err)
	}
	var sets []string
	for _, line := range strings.Split(string(text), "\n") {
		if s, ok := strings.CutPrefix(line, "  - "); ok {
			sets = append(sets, "--set", strings.Trim(s, `"`))
		}
	}
	if len(sets) == 0 {
		t.Fatalf("no override in %s:\n%s", box, text)
	}
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if code, _, stderr := run(t, "run", "tiny", "--config", box, "--runs", "3", "--out", a, "--quiet", "--no-figures"); code != 0 {
		t.Fatalf("run --config: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, append([]string{"run", "tiny", "--runs", "3", "--out", b, "--quiet", "--no-figures"}, sets...)...); code != 0 {
		t.Fatalf("run --set: exit %d: %s", code, stderr)
	}
	ra, _ := os.ReadFile(filepath.Join(a, "runs.csv"))
	rb, _ := os.ReadFile(filepath.Join(b, "runs.csv"))
	if len(ra) == 0 || !bytes.Equal(ra, rb) {
		t.Errorf("run --config %s and run %v differ", box, sets)
	}
	if code, _, _ := run(t, "discover", sw, "--where", "final_cooperation => 0.3"); code != exitUsage {
		t.Errorf("a bad condition: exit %d, want %d", code, exitUsage)
	}
}
