package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entrench/entrench/output"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// run executes the CLI in-process and returns the exit code and outputs.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := execute(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// outputs reads every file of dir except the manifest (which records
// times, workers and the command line).
func outputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == output.ManifestFile {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestRunBytesIdenticalAcrossWorkers(t *testing.T) {
	base := t.TempDir()
	var ref map[string][]byte
	for _, w := range []string{"1", "2", "8"} {
		dir := filepath.Join(base, "w"+w)
		code, _, stderr := run(t, "run", "baseline", "--runs", "16", "--workers", w, "--out", dir, "--quiet", "--set", "horizon=48")
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		got := outputs(t, dir)
		if ref == nil {
			ref = got
			for _, f := range []string{"runs.csv", "events.csv", "failures.csv", "timeseries.csv", "cooperation_fan.png", "cooperation_fan.svg"} {
				if len(got[f]) == 0 {
					t.Fatalf("missing or empty %s", f)
				}
			}
			continue
		}
		if len(got) != len(ref) {
			t.Fatalf("workers %s wrote %d files, workers 1 wrote %d", w, len(got), len(ref))
		}
		for name, b := range ref {
			if !bytes.Equal(b, got[name]) {
				t.Errorf("workers %s: %s differs from workers 1", w, name)
			}
		}
	}
}

func TestRunPrefixStableInRunsCSV(t *testing.T) {
	base := t.TempDir()
	for _, n := range []string{"10", "20"} {
		if code, _, stderr := run(t, "run", "tiny", "--runs", n, "--out", filepath.Join(base, n), "--quiet", "--no-figures"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	short, _ := os.ReadFile(filepath.Join(base, "10", "runs.csv"))
	long, _ := os.ReadFile(filepath.Join(base, "20", "runs.csv"))
	sl := strings.SplitAfter(string(short), "\n")
	ll := strings.SplitAfter(string(long), "\n")
	if len(sl) != 12 || len(ll) != 22 { // header, rows, empty tail
		t.Fatalf("unexpected row counts %d and %d", len(sl), len(ll))
	}
	if strings.Join(ll[:11], "") != string(short) {
		t.Fatal("the first 10 rows of runs.csv changed when going from 10 to 20 runs")
	}
}

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := run(t, "run", "tiny", "--runs", "8", "--seed", "42", "--out", dir, "--quiet", "--no-figures")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"runs.csv", "events.csv", "timeseries.csv"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", "tiny-seed42-"+name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		// Do NOT edit the golden files by hand: a change here means the
		// model's results changed. Rerun with -update only when that is
		// intended, and say why in the commit.
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./cmd/entrench -run Golden -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s", name, golden)
		}
	}
}

func TestRunBadScenarioWritesNothing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: bad\nhorizon: -3\nrunz: 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, stderr := run(t, "run", bad, "--out", out)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
	}
	for _, want := range []string{"bad.yaml:2", "horizon", "bad.yaml:3", "runz", "runs"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output folder was created for an invalid scenario")
	}
	code, _, stderr = run(t, "run", "baseline", "--set", "levers.tapi_stake.value=7", "--out", out)
	if code != exitUsage || !strings.Contains(stderr, "tapi_stake") {
		t.Errorf("bad --set: exit %d, stderr %s", code, stderr)
	}
}

func TestRunInterruptedMarksManifest(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // interrupted before the first replicate
	var out, errb bytes.Buffer
	code := execute(ctx, []string{"run", "tiny", "--runs", "50", "--out", dir, "--quiet", "--no-figures"}, &out, &errb)
	if code != exitInterrupted {
		t.Fatalf("exit %d, want %d: %s", code, exitInterrupted, errb.String())
	}
	m, err := output.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Completed || !m.Interrupted || m.RunsCompleted != 0 {
		t.Errorf("manifest %+v", m)
	}
}

func TestCommandsAndHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"scenarios", []string{"scenarios"}, 0, "baseline"},
		{"show", []string{"show", "tiny"}, 0, "name: tiny"},
		{"show unknown", []string{"show", "basline"}, exitUsage, "baseline"},
		{"validate ok", []string{"validate", "baseline"}, 0, "ok"},
		{"version", []string{"version"}, 0, "entrench"},
		{"help run", []string{"run", "--help"}, 0, "Example"},
		{"unknown flag", []string{"run", "--runz", "3"}, exitUsage, "unknown flag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(t, tc.args...)
			if code != tc.code || !strings.Contains(out+errs, tc.want) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.code, tc.want, out, errs)
			}
		})
	}
}

func TestSettingsLayers(t *testing.T) {
	// Config file < environment < flags.
	dir := t.TempDir()
	cfg := filepath.Join(dir, "entrench.yaml")
	if err := os.WriteFile(cfg, []byte("runs: 3\nworkers: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(args []string, want int) {
		t.Helper()
		out := filepath.Join(dir, "o")
		code, _, stderr := run(t, append([]string{"run", "tiny", "--config", cfg, "--out", out, "--quiet", "--no-figures"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		m, err := output.ReadManifest(out)
		if err != nil {
			t.Fatal(err)
		}
		if m.Runs != want {
			t.Errorf("args %v: runs %d, want %d", args, m.Runs, want)
		}
	}
	check(nil, 3)
	t.Setenv("ENTRENCH_RUNS", "5")
	check(nil, 5)
	check([]string{"--runs", "7"}, 7)
}

func TestCompareCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := run(t, "compare", "baseline", "--set", "horizon=60", "--set-b", "levers.tapi_stake.value=0.9",
		"--runs", "12", "--out", dir, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "CI narrowing") {
		t.Errorf("no comparison table:\n%s", out)
	}
	for _, f := range []string{"compare.csv", "a/runs.csv", "b/runs.csv", "cooperation_compare.png", "cooperation_diff.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("missing %s", f)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || m["completed"] != true {
		t.Errorf("manifest not completed: %s", b)
	}
}

func TestBadSettingsFromEnvironment(t *testing.T) {
	for _, env := range [][2]string{{"ENTRENCH_RUNS", "abc"}, {"ENTRENCH_SEED", "-3"}, {"ENTRENCH_WORKERS", "2.5"}} {
		t.Run(env[0], func(t *testing.T) {
			t.Setenv(env[0], env[1])
			dir := filepath.Join(t.TempDir(), "o")
			code, _, stderr := run(t, "run", "tiny", "--out", dir, "--quiet")
			if code != exitUsage || !strings.Contains(stderr, strings.ToLower(strings.TrimPrefix(env[0], "ENTRENCH_"))) {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Error("output folder created despite a bad setting")
			}
		})
	}
}

func TestCompareMismatchedCalendarsWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	code, _, stderr := run(t, "compare", "baseline", "backcast-1997-2016", "--runs", "2", "--out", dir, "--quiet")
	if code != exitUsage || !strings.Contains(stderr, "horizon must match") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("compare wrote an output folder for scenarios it cannot compare")
	}
}
