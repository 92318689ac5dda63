package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClaimsCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every claim")
	}
	dir := filepath.Join(t.TempDir(), "claims")
	code, out, errs := run(t, "claims", "--runs", "4", "--workers", "2", "--seed", "3", "--out", dir, "--quiet")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "claim 6:") || !strings.Contains(out, "4 runs per scenario, seed 3") {
		t.Errorf("summary lacks the verdicts or settings:\n%s", out)
	}
	md, err := os.ReadFile(filepath.Join(dir, "claims.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "4 replicates per scenario, master seed 3") || !strings.Contains(string(md), "Decision rule") {
		t.Errorf("claims.md lacks its settings or rule:\n%.400s", md)
	}
	for _, f := range []string{"claims.csv", "backcast_cooperation_fan.png", "claim6_backcast_vs_memo.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestClaimsCommandBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"claims", "--runs", "1"},
		{"claims", "--workers", "-1"},
		{"claims", "extra"},
	} {
		if code, out, errs := run(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d:\n%s%s", args, code, exitUsage, out, errs)
		}
	}
}
