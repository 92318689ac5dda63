package claims

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sweep"
)

func robustSettings(dir string) RobustSettings {
	return RobustSettings{
		Settings: Settings{Runs: 3, Workers: 2, Seed: 5, Tests: standIn()[:2]},
		N:        5, Dir: dir, Version: "test",
		Ranges: []scenarios.Range{{Key: "model.w_stake", Lo: 1, Hi: 4, Reason: "test"}, {Key: "model.resist_stake", Lo: 0.2, Hi: 1, Reason: "test"}},
	}
}

// TestRobustResumeShardMerge: an unsharded run, a run resumed after
// losing part of its journal, and two shards merged give the same
// journal, byte for byte; the shares follow from it.
func TestRobustResumeShardMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scenarios")
	}
	ctx := context.Background()
	root := t.TempDir()
	whole := filepath.Join(root, "whole")
	if ran, err := Robust(ctx, robustSettings(whole)); err != nil || ran != 5 {
		t.Fatalf("ran %d: %v", ran, err)
	}
	want, err := os.ReadFile(filepath.Join(whole, sweep.JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	// Again: nothing to do.
	if ran, err := Robust(ctx, robustSettings(whole)); err != nil || ran != 0 {
		t.Fatalf("a finished folder ran %d: %v", ran, err)
	}
	// Resume after losing the last two draws and tearing the third.
	resumed := filepath.Join(root, "resumed")
	if err := os.MkdirAll(resumed, 0o755); err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(want, []byte("\n"))
	torn := append(append(append([]byte{}, lines[0]...), lines[1]...), lines[2][:10]...)
	if err := os.WriteFile(filepath.Join(resumed, sweep.JournalFile), torn, 0o644); err != nil {
		t.Fatal(err)
	}
	if ran, err := Robust(ctx, robustSettings(resumed)); err != nil || ran != 3 {
		t.Fatalf("resume ran %d: %v", ran, err)
	}
	if got, _ := os.ReadFile(filepath.Join(resumed, sweep.JournalFile)); !bytes.Equal(got, want) {
		t.Errorf("resumed journal differs:\n%s\nwant\n%s", got, want)
	}
	// Two shards, merged.
	var shards []string
	for k := range 2 {
		s := robustSettings(filepath.Join(root, "shard", string(rune('0'+k))))
		s.Shard, s.Shards = k, 2
		if _, err := Robust(ctx, s); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, s.Dir)
	}
	if err := MergeRobust(shards[:1], filepath.Join(root, "partial"), sweep.SlurmJob{}); !errors.Is(err, ErrRobust) {
		t.Errorf("merging one of two shards: %v", err)
	}
	merged := filepath.Join(root, "merged")
	if err := MergeRobust(shards, merged, sweep.SlurmJob{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(merged, sweep.JournalFile)); !bytes.Equal(got, want) {
		t.Errorf("merged journal differs:\n%s\nwant\n%s", got, want)
	}
	// Another run in the same folder is refused.
	other := robustSettings(whole)
	other.N = 6
	if _, err := Robust(ctx, other); !errors.Is(err, ErrRobust) {
		t.Errorf("a different run in a used folder: %v", err)
	}
	// The shares.
	rep, err := Run(ctx, Settings{Runs: 6, Workers: 2, Seed: 5, Tests: standIn()[:2]})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.ApplyRobustness(merged); err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Claims {
		for _, r := range c.Results {
			if r.Robust == nil || r.Robust.Sets != 5 || r.Robust.Holds > 5 || r.Robust.Significant > r.Robust.Holds+5 {
				t.Errorf("%s: robustness %+v", r.ID, r.Robust)
				continue
			}
			if !(r.Robust.Lo <= r.Robust.Share && r.Robust.Share <= r.Robust.Hi) {
				t.Errorf("%s: share %v outside its interval [%v, %v]", r.ID, r.Robust.Share, r.Robust.Lo, r.Robust.Hi)
			}
			if r.Holds && r.Verdict != VerdictSupported && r.Verdict != VerdictFragile {
				t.Errorf("%s holds at the defaults but is %q", r.ID, r.Verdict)
			}
			t.Logf("%s: holds in %d of %d draws (%d significant): %s", r.ID, r.Robust.Holds, r.Robust.Sets, r.Robust.Significant, r.Verdict)
		}
	}
	if rep.RobustSets != 5 || rep.RobustRuns != 3 {
		t.Errorf("report robust %d × %d", rep.RobustSets, rep.RobustRuns)
	}
}
