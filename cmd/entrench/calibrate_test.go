package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const tinyCalibration = "../../calibrate/testdata/tiny.yaml"

// calibrationFiles reads a calibration folder's outputs, without the
// manifest and checkpoints, and with the volatile seconds column of
// generations.csv cut.
func calibrationFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := outputs(t, dir)
	for name := range files {
		if strings.HasPrefix(name, "checkpoints") || strings.HasPrefix(name, "logs") || name == "chain.done" {
			delete(files, name)
		}
	}
	g, ok := files["generations.csv"]
	if !ok {
		t.Fatalf("%s: no generations.csv", dir)
	}
	var b bytes.Buffer
	for _, line := range strings.Split(strings.TrimSpace(string(g)), "\n") {
		b.WriteString(line[:strings.LastIndexByte(line, ',')] + "\n")
	}
	files["generations.csv"] = b.Bytes()
	return files
}

func sameCalibration(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	for name, x := range a {
		if !bytes.Equal(x, b[name]) {
			t.Errorf("%s: %s differs", what, name)
		}
	}
	if len(a) != len(b) {
		t.Errorf("%s: %d files vs %d", what, len(a), len(b))
	}
}

func TestCalibrateBytesIdenticalAcrossWorkers(t *testing.T) {
	base := t.TempDir()
	var ref map[string][]byte
	for _, w := range []string{"1", "2", "5"} {
		dir := filepath.Join(base, "w"+w)
		code, stdout, stderr := run(t, "calibrate", tinyCalibration, "--out", dir, "--workers", w, "--draws", "50")
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		if !strings.Contains(stderr, "generation 2: tolerance") || !strings.Contains(stdout, "90% predictive coverage") {
			t.Errorf("no progress line or summary table:\n%s\n%s", stderr, stdout)
		}
		got := calibrationFiles(t, dir)
		if ref == nil {
			ref = got
			for _, f := range []string{"posterior.csv", "generations.csv", "parameters.csv", "fit.csv", "distance.csv", "marginals.png", "pairs.svg", "fit-icews_coop_share_USA_RUS.png"} {
				if len(got[f]) == 0 {
					t.Errorf("missing or empty %s", f)
				}
			}
			continue
		}
		sameCalibration(t, "workers "+w+" vs 1", ref, got)
	}
}

// TestCalibrateResume removes the last generations from a finished
// calibration's checkpoints, as a kill -9 during them would leave it, and
// checks that --resume ends with the same outputs, and that a second
// calibration into the folder without --resume is refused.
func TestCalibrateResume(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := run(t, "calibrate", tinyCalibration, "--out", dir, "--draws", "30", "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ref := calibrationFiles(t, dir)
	if code, _, stderr := run(t, "calibrate", tinyCalibration, "--out", dir, "--quiet"); code != exitUsage || !strings.Contains(stderr, "--resume") {
		t.Errorf("calibrating into a used folder: exit %d (want %d): %s", code, exitUsage, stderr)
	}
	for _, g := range []string{"gen-0001.json", "gen-0002.json"} {
		if err := os.Remove(filepath.Join(dir, "checkpoints", g)); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := run(t, "calibrate", tinyCalibration, "--out", dir, "--draws", "30", "--resume")
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, "generation 0:") || !strings.Contains(stderr, "generation 1:") {
		t.Errorf("resume should compute generations 1 and 2 only:\n%s", stderr)
	}
	sameCalibration(t, "resumed vs uninterrupted", ref, calibrationFiles(t, dir))
}

// TestCalibrateChain runs a job chain through the CLI, as the Slurm
// scripts do: per generation three shard jobs, then an assemble job,
// until it says done; the outputs must equal a single run's.
func TestCalibrateChain(t *testing.T) {
	base := t.TempDir()
	local := filepath.Join(base, "local")
	if code, _, stderr := run(t, "calibrate", tinyCalibration, "--out", local, "--draws", "30", "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	chain := filepath.Join(base, "chain")
	rounds := 0
	state := ""
	for ; rounds < 50; rounds++ {
		code, out, stderr := run(t, "calibrate", tinyCalibration, "--out", chain, "--step")
		if code != 0 {
			t.Fatalf("--step: exit %d: %s", code, stderr)
		}
		state = strings.TrimSpace(out)
		if strings.HasPrefix(state, "done") {
			break
		}
		var gen, first int
		if _, err := fmt.Sscanf(state, "generation %d first %d", &gen, &first); err != nil {
			t.Fatalf("--step printed %q", state)
		}
		for k := range 3 {
			if code, _, stderr := run(t, "calibrate", tinyCalibration, "--out", chain, "--shard", fmt.Sprintf("%d/3", k), "--first", fmt.Sprint(first), "--workers", "1"); code != 0 {
				t.Fatalf("--shard %d/3: exit %d: %s", k, code, stderr)
			}
		}
		code, out, stderr = run(t, "calibrate", tinyCalibration, "--out", chain, "--assemble", "--draws", "30", "--quiet")
		if code != 0 {
			t.Fatalf("--assemble: exit %d: %s", code, stderr)
		}
		if state = strings.TrimSpace(out); strings.HasPrefix(state, "done") {
			break
		}
	}
	if !strings.HasPrefix(state, "done max-generations") {
		t.Fatalf("chain ended with %q after %d rounds", state, rounds)
	}
	sameCalibration(t, "job chain vs single run", calibrationFiles(t, local), calibrationFiles(t, chain))
}

// TestSlurmCalibrationChain runs the job chain of docs/cluster.md
// (docs/slurm/calibrate.sh) on the local Slurm cluster at reduced size and
// compares its outputs with a local run. It skips, loudly, where no
// Slurm cluster is available.
func TestSlurmCalibrationChain(t *testing.T) {
	bin, base := slurmSetup(t, "the calibration chain", "entrench-slurm-cal-")
	cal, _ := filepath.Abs(tinyCalibration)
	local := filepath.Join(base, "local")
	if out, err := exec.Command(bin, "calibrate", cal, "--out", local, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("local calibration: %v\n%s", err, out)
	}
	script, _ := filepath.Abs("../../docs/slurm/calibrate.sh")
	root := filepath.Join(base, "chain")
	sub := exec.Command("bash", script, cal, root, "3")
	sub.Dir = base
	sub.Env = append(os.Environ(), "ENTRENCH="+bin)
	if out, err := sub.CombinedOutput(); err != nil {
		t.Fatalf("calibrate.sh: %v\n%s", err, out)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(filepath.Join(root, "chain.done")); err == nil {
			if !strings.HasPrefix(string(b), "done") {
				t.Fatalf("chain ended: %s", b)
			}
			break
		}
		time.Sleep(time.Second)
	}
	if _, err := os.Stat(filepath.Join(root, "chain.done")); err != nil {
		logs, _ := filepath.Glob(filepath.Join(root, "logs", "*"))
		t.Fatalf("chain did not finish within 5 minutes (logs: %v)", logs)
	}
	sameCalibration(t, "Slurm chain vs local run", calibrationFiles(t, local), calibrationFiles(t, root))
}

// TestPosteriorFlag runs and compares the tiny scenario under a tiny
// calibration's posterior: the runs must differ from the plain scenario's,
// be the same for any number of workers, and compare must accept it.
func TestPosteriorFlag(t *testing.T) {
	base := t.TempDir()
	cal := filepath.Join(base, "cal")
	if code, _, stderr := run(t, "calibrate", tinyCalibration, "--out", cal, "--draws", "20", "--quiet", "--no-figures"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	post := filepath.Join(cal, "posterior.csv")
	runs := map[string]string{}
	for _, x := range []struct{ name, workers, posterior string }{{"plain", "2", ""}, {"post1", "1", post}, {"post3", "3", post}} {
		dir := filepath.Join(base, x.name)
		args := []string{"run", "tiny", "--runs", "24", "--workers", x.workers, "--out", dir, "--quiet", "--no-figures"}
		if x.posterior != "" {
			args = append(args, "--posterior", x.posterior)
		}
		if code, _, stderr := run(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", x.name, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, "runs.csv"))
		if err != nil {
			t.Fatal(err)
		}
		runs[x.name] = string(b)
	}
	if runs["post1"] != runs["post3"] {
		t.Error("posterior runs differ between 1 and 3 workers")
	}
	if runs["post1"] == runs["plain"] {
		t.Error("the posterior changed nothing")
	}
	code, stdout, stderr := run(t, "compare", "tiny", "--set-b", "levers.border_cooperation.value=0.2", "--runs", "24",
		"--posterior", post, "--out", filepath.Join(base, "cmp"), "--quiet", "--no-figures")
	if code != 0 || !strings.Contains(stdout, "replicate pairs") {
		t.Fatalf("compare --posterior: exit %d: %s%s", code, stdout, stderr)
	}
	if code, _, stderr := run(t, "run", "tiny", "--posterior", filepath.Join(base, "missing.csv"), "--out", filepath.Join(base, "x")); code != exitUsage {
		t.Errorf("missing posterior: exit %d, want %d: %s", code, exitUsage, stderr)
	}
}

// TestCalibrateKillResume kills a calibration with SIGKILL once its first
// generations are on disk, resumes it, and compares the outputs with an
// uninterrupted run's.
func TestCalibrateKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs subprocesses")
	}
	bin := buildBinary(t)
	base := t.TempDir()
	// The tiny calibration with more particles and generations, so that
	// the kill lands in the middle.
	src, err := os.ReadFile(tinyCalibration)
	if err != nil {
		t.Fatal(err)
	}
	cal := filepath.Join(base, "cal.yaml")
	text := strings.Replace(string(src), "algorithm: {particles: 40, max_generations: 3,", "algorithm: {particles: 100, max_generations: 6,", 1)
	if text == string(src) {
		t.Fatal("tiny.yaml's algorithm line changed; update this test")
	}
	if err := os.WriteFile(cal, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"calibrate", cal, "--workers", "2", "--quiet", "--draws", "30", "--no-figures"}
	ref := filepath.Join(base, "ref")
	if out, err := exec.Command(bin, append(args, "--out", ref)...).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	dir := filepath.Join(base, "killed")
	cmd := exec.Command(bin, append(args, "--out", dir)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(filepath.Join(dir, "checkpoints", "gen-0002.json")); err == nil {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, "posterior.csv")); err == nil {
		t.Skip("the calibration finished before the kill; nothing to resume")
	}
	if out, err := exec.Command(bin, append(args, "--out", dir, "--resume")...).CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	sameCalibration(t, "resumed after kill -9 vs uninterrupted", calibrationFiles(t, ref), calibrationFiles(t, dir))
}

func TestCalibrateUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for name, args := range map[string][]string{
		"missing file": {"calibrate", filepath.Join(dir, "none.yaml"), "--out", dir},
		"bad file":     {"calibrate", "../../calibrate/testdata/bad/unknown-key.yaml", "--out", dir},
		"bad shard":    {"calibrate", tinyCalibration, "--out", dir, "--shard", "3/3"},
		"two modes":    {"calibrate", tinyCalibration, "--out", dir, "--step", "--assemble"},
	} {
		if code, _, stderr := run(t, args...); code != exitUsage {
			t.Errorf("%s: exit %d, want %d: %s", name, code, exitUsage, stderr)
		}
	}
}
