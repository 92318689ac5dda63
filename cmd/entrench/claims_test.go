package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestClaimsCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every claim")
	}
	dir := filepath.Join(t.TempDir(), "claims")
	code, out, errs := run(t, "claims", "--runs", "4", "--workers", "2", "--seed", "3", "--out", dir, "--quiet",
		"--robustness", "2", "--robust-runs", "2", "--set", "crises.rate_per_year=0.5")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "claim 7:") || !strings.Contains(out, "4 runs per scenario, seed 3") {
		t.Errorf("summary lacks the verdicts or settings:\n%s", out)
	}
	md, err := os.ReadFile(filepath.Join(dir, "claims.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"4 replicates per scenario, master seed 3", "crises.rate_per_year=0.5", "robustness over 2 coefficient draws", "Placebo B′ − A′"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("claims.md lacks %q:\n%.600s", want, md)
		}
	}
	for _, f := range []string{"claims.csv", "robustness/robustness.json", "robustness/points.journal"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestClaimsShardMerge runs the robustness draws in two shards and merges
// them.
func TestClaimsShardMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every claim")
	}
	root := t.TempDir()
	var shards []string
	for _, k := range []string{"0", "1"} {
		d := filepath.Join(root, "s"+k)
		code, out, errs := run(t, "claims", "--robustness", "2", "--robust-runs", "2", "--shard", k+"/2", "--out", d, "--quiet", "--workers", "2")
		if code != exitOK || !strings.Contains(out, "shard "+k+"/2: 1 draws run") {
			t.Fatalf("shard %s: exit %d:\n%s%s", k, code, out, errs)
		}
		shards = append(shards, d)
	}
	out := filepath.Join(root, "all")
	code, so, errs := run(t, "claims", "--runs", "2", "--robust-runs", "2", "--merge", strings.Join(shards, ","), "--out", out, "--quiet", "--no-figures", "--workers", "2")
	if code != exitOK {
		t.Fatalf("merge: exit %d:\n%s%s", code, so, errs)
	}
	if md, _ := os.ReadFile(filepath.Join(out, "claims.md")); !strings.Contains(string(md), "robustness over 2 coefficient draws") {
		t.Errorf("merged table lacks the robustness:\n%.500s", md)
	}
}

func TestClaimsCommandBadFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for _, args := range [][]string{
		{"claims", "--runs", "1"},
		{"claims", "--workers", "-1"},
		{"claims", "--robustness", "-2"},
		{"claims", "--shard", "0/2"},
		{"claims", "--robustness", "2", "--shard", "2/2"},
		{"claims", "--set", "model.no_such_key=1", "--runs", "2"},
		{"claims", "extra"},
	} {
		args = append(args, "--out", out)
		if code, out, errs := run(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d:\n%s%s", args, code, exitUsage, out, errs)
		}
	}
}

// TestSlurmClaimsShards submits the claims' robustness draws as a 2-task
// job array with docs/slurm/claims.sbatch, waits for it, merges the
// shards, and compares the merged journal byte for byte with a local
// unsharded run. It skips, loudly, where no Slurm cluster is available.
func TestSlurmClaimsShards(t *testing.T) {
	bin, base := slurmSetup(t, "the cluster script", "entrench-slurm-claims-")
	flags := []string{"--robust-runs", "2", "--workers", "1"}
	local := filepath.Join(base, "local")
	if out, err := exec.Command(bin, append([]string{"claims", "--robustness", "4", "--shard", "0/1", "--out", local, "--quiet"}, flags...)...).CombinedOutput(); err != nil {
		t.Fatalf("local run: %v\n%s", err, out)
	}
	script, err := filepath.Abs("../../docs/slurm/claims.sbatch")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "shards")
	sub := exec.Command("sbatch", append([]string{"--parsable", "--array=0-1", "--chdir=" + base, "--output=" + filepath.Join(base, "%A_%a.log"), script, "4", root}, flags...)...)
	sub.Env = append(os.Environ(), "ENTRENCH="+bin)
	out, err := sub.CombinedOutput()
	if err != nil {
		t.Fatalf("sbatch: %v\n%s", err, out)
	}
	job := strings.TrimSpace(string(out))
	deadline := time.Now().Add(5 * time.Minute)
	running := func() bool {
		for _, st := range strings.Fields(jobState(job)) {
			switch st {
			case "PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "REQUEUED", "RESIZING", "SUSPENDED":
				return true
			}
		}
		return false
	}
	start := time.Now()
	for time.Now().Before(deadline) && running() {
		time.Sleep(500 * time.Millisecond)
	}
	t.Logf("array job %s of 2 shards took %s", job, time.Since(start).Round(100*time.Millisecond))
	shards := []string{filepath.Join(root, "shard-0-of-2"), filepath.Join(root, "shard-1-of-2")}
	merged := filepath.Join(base, "merged")
	if out, err := exec.Command(bin, append([]string{"claims", "--runs", "2", "--merge", strings.Join(shards, ","), "--out", merged, "--quiet", "--no-figures"}, flags...)...).CombinedOutput(); err != nil {
		logs, _ := filepath.Glob(filepath.Join(base, "*.log"))
		var b strings.Builder
		for _, f := range logs {
			c, _ := os.ReadFile(f)
			b.Write(c)
		}
		t.Fatalf("merge: %v\n%s\nlogs:\n%s", err, out, b.String())
	}
	want, err := os.ReadFile(filepath.Join(local, "points.journal"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(merged, "robustness", "points.journal"))
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("Slurm shards merged differ from the local run (%v):\n%s\nwant\n%s", err, got, want)
	}
}
