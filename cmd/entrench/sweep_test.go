package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entrench/entrench/sweep"
)

// sweepFiles reads every file of a sweep folder except its manifest
// (times, workers, command line, shard), keyed by name.
func sweepFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range ents {
		if e.IsDir() || e.Name() == sweep.ManifestFile {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

func sameSweepFiles(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: no reference files", what)
	}
	for n, b := range want {
		if !bytes.Equal(b, got[n]) {
			t.Errorf("%s: %s differs (%d vs %d bytes)", what, n, len(b), len(got[n]))
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("%s: unexpected file %s", what, n)
		}
	}
}

func TestSweepCommandLine(t *testing.T) {
	code, out, _ := run(t, "scenarios")
	if code != 0 || !strings.Contains(out, "\nExperiments:\n") || !strings.Contains(out, "sobol-levers") || !strings.Contains(out, "morris-levers") {
		t.Errorf("entrench scenarios should list the experiments: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "show", "grid-demo")
	if code != 0 || !strings.Contains(out, "name: grid-demo") || !strings.Contains(out, "kind: grid") {
		t.Errorf("entrench show grid-demo: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "show", "baseline")
	if code != 0 || !strings.Contains(out, "name: baseline") {
		t.Errorf("entrench show baseline must still show the scenario: exit %d", code)
	}
	dir := t.TempDir()
	usage := []struct {
		name string
		args []string
		msg  string
	}{
		{"no experiment", []string{"sweep"}, "give an experiment"},
		{"both", []string{"sweep", "grid-demo", "--resume", dir}, "not both"},
		{"bad shard", []string{"sweep", "grid-demo", "--shard", "4/4"}, "--shard"},
		{"shard syntax", []string{"sweep", "grid-demo", "--shard", "1-4"}, "K/N"},
		{"resume with replicates", []string{"sweep", "--resume", dir, "--replicates", "3"}, "drop --replicates"},
		{"unknown experiment", []string{"sweep", "grid-dmeo"}, "no built-in experiment"},
		{"missing file", []string{"sweep", "no/such.yaml"}, "does not exist"},
		{"bad file", []string{"sweep", "../../sweep/testdata/bad/factor_outside.yaml"}, "factor_outside.yaml:8:10: factors[0].max"},
		{"resume nothing", []string{"sweep", "--resume", dir}, "not a sweep folder"},
		{"merge nothing", []string{"merge", dir, "--out", filepath.Join(dir, "m")}, "not a sweep folder"},
		{"negative replicates", []string{"sweep", "grid-demo", "--replicates", "-1"}, "--replicates"},
	}
	for _, u := range usage {
		code, _, stderr := run(t, u.args...)
		if code != exitUsage || !strings.Contains(stderr, u.msg) {
			t.Errorf("%s: exit %d, want %d with %q in:\n%s", u.name, code, exitUsage, u.msg, stderr)
		}
	}
}

// TestSweepInProcess runs a small sweep through the command, checks the
// exit code for failed points and the environment binding.
func TestSweepInProcess(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := run(t, "sweep", "../../sweep/testdata/tiny-failing.yaml", "--out", dir, "--quiet")
	if code != exitSomeFailed || !strings.Contains(stderr, "1 of 4 points failed") || !strings.Contains(out, "Outputs in") {
		t.Errorf("a sweep with a failed point: exit %d, want %d\n%s\n%s", code, exitSomeFailed, out, stderr)
	}
	t.Setenv("ENTRENCH_REPLICATES", "2")
	dir2 := filepath.Join(t.TempDir(), "env")
	if code, _, stderr := run(t, "sweep", "../../sweep/testdata/tiny-grid.yaml", "--out", dir2, "--quiet", "--no-figures"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if m, err := sweep.ReadManifest(dir2); err != nil || m.Replicates != 2 {
		t.Errorf("ENTRENCH_REPLICATES=2 should set the replicates: %+v %v", m, err)
	}
}

// TestSweepDamagedFolders checks that an edited or damaged sweep.json, a
// folder in use by another session and a merge into an unfinished sweep
// are usage errors (exit 2) with a clear message, never a crash.
func TestSweepDamagedFolders(t *testing.T) {
	base := t.TempDir()
	exp := "../../sweep/testdata/tiny-grid.yaml"
	var shards []string
	for k := range 3 {
		d := filepath.Join(base, fmt.Sprintf("shard-%d", k))
		if code, _, stderr := run(t, "sweep", exp, "--shard", fmt.Sprintf("%d/3", k), "--out", d, "--quiet", "--no-figures"); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", k, code, stderr)
		}
		shards = append(shards, d)
	}
	edit := func(dir, from, to string) {
		t.Helper()
		path := filepath.Join(dir, sweep.ManifestFile)
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(b, []byte(from)) {
			t.Fatalf("%s lacks %q: %v", path, from, err)
		}
		if err := os.WriteFile(path, bytes.Replace(b, []byte(from), []byte(to), 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit(shards[1], `"shards": 3`, `"shards": 0`)
	edit(shards[2], `"shard": 2`, `"shard": -1`)
	unfinished := filepath.Join(base, "unfinished")
	if code, _, stderr := run(t, "sweep", exp, "--out", unfinished, "--quiet", "--no-figures"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	edit(unfinished, `"completed": true`, `"completed": false`)
	whole := filepath.Join(base, "whole") // one shard of one: a complete set
	if code, _, stderr := run(t, "sweep", exp, "--out", whole, "--quiet", "--no-figures"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	locked := filepath.Join(base, "locked")
	if code, _, stderr := run(t, "sweep", exp, "--out", locked, "--quiet", "--no-figures"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	host, _ := os.Hostname()
	lock := fmt.Sprintf(`{"pid": %d, "host": %q, "token": "x", "since": "2026-01-02T03:04:05Z"}`, os.Getppid(), host)
	if err := os.WriteFile(filepath.Join(locked, sweep.LockFile), []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"resume shards 0", []string{"sweep", "--resume", shards[1]}, "shards is 0"},
		{"resume shard -1", []string{"sweep", "--resume", shards[2]}, "shard is -1"},
		{"merge shards 0", []string{"merge", shards[0], shards[1], shards[2], "--out", filepath.Join(base, "m1")}, "shards is 0"},
		{"merge shard -1", []string{"merge", shards[2], shards[0], "--out", filepath.Join(base, "m2")}, "shard is -1"},
		{"merge into unfinished", []string{"merge", whole, "--out", unfinished}, "unfinished sweep"},
		{"resume locked", []string{"sweep", "--resume", locked}, fmt.Sprintf("in use by another session (pid %d", os.Getppid())},
		{"sweep into locked", []string{"sweep", exp, "--out", locked}, "in use by another session"},
	}
	for _, tc := range tests {
		args := tc.args
		if args[0] == "sweep" {
			args = append(args, "--quiet")
		}
		code, _, stderr := run(t, args...)
		if code != exitUsage || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%s: exit %d, want %d with %q in:\n%s", tc.name, code, exitUsage, tc.msg, stderr)
		}
	}
}

// buildBinary builds the entrench command into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "entrench")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func lines(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte("\n"))
}

// TestSweepKillResume kills a sweep with SIGKILL once some points are on
// disk, resumes it, and compares every output byte for byte with an
// uninterrupted run.
func TestSweepKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs subprocesses")
	}
	bin := buildBinary(t)
	base := t.TempDir()
	args := []string{"sweep", "grid-demo", "--replicates", "3", "--workers", "2", "--quiet"}
	ref := filepath.Join(base, "ref")
	if out, err := exec.Command(bin, append(args, "--out", ref)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted sweep: %v\n%s", err, out)
	}
	dir := filepath.Join(base, "killed")
	cmd := exec.Command(bin, append(args, "--out", dir)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(dir, sweep.JournalFile)
	deadline := time.Now().Add(60 * time.Second)
	for lines(journal) < 4 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	done := lines(journal)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the sweep finished before it could be killed (%d points on disk, %v): make it slower", done, err)
	}
	t.Logf("killed with %d of 25 points on disk", done)
	if done >= 25 {
		t.Fatalf("killed too late: %d points on disk", done)
	}
	if m, err := sweep.ReadManifest(dir); err != nil || m.Completed {
		t.Fatalf("a killed sweep must stay unfinished: %+v %v", m, err)
	}
	// A fresh sweep into the folder is refused with a hint.
	if out, err := exec.Command(bin, append(args, "--out", dir)...).CombinedOutput(); err == nil || !strings.Contains(string(out), "--resume") {
		t.Errorf("a new sweep into an unfinished folder should be refused with a hint: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "sweep", "--resume", dir, "--workers", "1", "--quiet").CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), fmt.Sprintf("(%d this session", 25-done)) {
		t.Errorf("resume should run the %d missing points only:\n%s", 25-done, out)
	}
	sameSweepFiles(t, "resumed after kill -9 vs uninterrupted", sweepFiles(t, ref), sweepFiles(t, dir))
}

// slurmReady says why Slurm cannot run jobs here, or "".
func slurmReady() string {
	for _, b := range []string{"sbatch", "sinfo", "squeue"} {
		if _, err := exec.LookPath(b); err != nil {
			return b + " is not on the PATH (run bash .ci/slurm-up.sh as root)"
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "sinfo", "-h", "-o", "%t").CombinedOutput()
	if err != nil {
		return fmt.Sprintf("sinfo fails: %v: %s", err, bytes.TrimSpace(out))
	}
	for _, st := range strings.Fields(string(out)) {
		switch strings.TrimRight(st, "*~#!%$@^-") {
		case "idle", "mix", "alloc", "comp":
			return ""
		}
	}
	return fmt.Sprintf("no node is up (sinfo states: %q)", strings.TrimSpace(string(out)))
}

// jobState returns the Slurm state of a job, or "" when unknown.
func jobState(id string) string {
	out, _ := exec.Command("squeue", "-h", "-j", id, "-t", "all", "-o", "%T").Output()
	return strings.TrimSpace(string(out))
}

// TestSlurmShardMerge submits grid-demo as a 4-task job array and a merge
// job depending on it with docs/slurm/submit.sh (which uses the
// sweep.sbatch and merge.sbatch of docs/guide/cluster.md), waits for them, and
// compares the merged outputs byte for byte with a local unsharded run.
// It skips, loudly, only where no Slurm cluster is available.
func TestSlurmShardMerge(t *testing.T) {
	bin, base := slurmSetup(t, "the cluster scripts", "entrench-slurm-")
	flags := []string{"--replicates", "2", "--quiet"}
	local := filepath.Join(base, "local")
	if out, err := exec.Command(bin, append([]string{"sweep", "grid-demo", "--out", local}, flags...)...).CombinedOutput(); err != nil {
		t.Fatalf("local sweep: %v\n%s", err, out)
	}
	script, err := filepath.Abs("../../docs/slurm/submit.sh")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "study")
	sub := exec.Command("bash", append([]string{script, "grid-demo", root, "4"}, flags...)...)
	sub.Dir = base
	sub.Env = append(os.Environ(), "ENTRENCH="+bin)
	out, err := sub.CombinedOutput()
	if err != nil {
		t.Fatalf("submit.sh: %v\n%s", err, out)
	}
	ids := strings.Fields(string(out))
	if len(ids) != 2 {
		t.Fatalf("submit.sh printed %q, want ARRAY_ID MERGE_ID", out)
	}
	array, merge := ids[0], ids[1]
	t.Logf("array job %s, merge job %s", array, merge)
	deadline := time.Now().Add(5 * time.Minute)
	state := ""
	for time.Now().Before(deadline) {
		state = jobState(merge)
		if state == "COMPLETED" || state == "FAILED" || state == "CANCELLED" || state == "TIMEOUT" || state == "NODE_FAIL" || state == "OUT_OF_MEMORY" {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	logs := func() string {
		var b strings.Builder
		files, _ := filepath.Glob(filepath.Join(root, "logs", "*.log"))
		for _, f := range files {
			c, _ := os.ReadFile(f)
			fmt.Fprintf(&b, "--- %s\n%s", filepath.Base(f), c)
		}
		aq, _ := exec.Command("squeue", "-h", "-j", array, "-t", "all", "-o", "%i %T %r").CombinedOutput()
		fmt.Fprintf(&b, "--- squeue array\n%s", aq)
		return b.String()
	}
	if state != "COMPLETED" {
		exec.Command("scancel", array, merge).Run()
		t.Fatalf("merge job %s ended %q (want COMPLETED)\n%s", merge, state, logs())
	}
	for k := range 4 {
		m, err := sweep.ReadManifest(filepath.Join(root, fmt.Sprintf("shard-%d-of-4", k)))
		if err != nil || !m.Completed || m.Shard != k || m.Shards != 4 {
			t.Errorf("shard %d: manifest %+v, %v", k, m, err)
		}
	}
	merged := filepath.Join(root, "merged")
	if m, err := sweep.ReadManifest(merged); err != nil || !m.Outputs || m.PointsDone != 25 {
		t.Fatalf("merged manifest %+v, %v\n%s", m, err, logs())
	}
	sameSweepFiles(t, "Slurm shards merged vs local run", sweepFiles(t, local), sweepFiles(t, merged))
}

// slurmSetup skips test t (loudly, naming what it did not test) where no
// Slurm cluster is available, else builds the binary and makes a shared
// scratch folder, kept when the test fails. It returns the binary and the
// folder.
func slurmSetup(t *testing.T, what, prefix string) (bin, base string) {
	t.Helper()
	if testing.Short() {
		t.Skip("submits Slurm jobs")
	}
	if why := slurmReady(); why != "" {
		msg := "SLURM NOT AVAILABLE: " + why + "; " + t.Name() + " did NOT test " + what
		fmt.Fprintf(os.Stderr, "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n", msg)
		t.Skip(msg)
	}
	bin = buildBinary(t)
	base, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			os.RemoveAll(base)
		} else {
			t.Logf("Slurm folders kept in %s", base)
		}
	})
	os.Chmod(base, 0o777) // the jobs may run as another user
	return bin, base
}
