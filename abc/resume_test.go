package abc

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// smallSettings is a quick calibration of the conjugate model.
func smallSettings(workers int, dir string) Settings {
	return Settings{Particles: 300, Seed: 11, MaxGenerations: 6, Workers: workers, Dir: dir}
}

// TestWorkersIdentical checks that the outputs are byte-identical for 1
// and 4 workers.
func TestWorkersIdentical(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	var post, gens [2]string
	for i, w := range []int{1, 4} {
		r, err := Run(context.Background(), c.problem(t, -0.4), smallSettings(w, ""))
		if err != nil {
			t.Fatal(err)
		}
		post[i], gens[i] = outputs(t, r)
	}
	if post[0] != post[1] || gens[0] != gens[1] {
		t.Errorf("1 and 4 workers differ:\n%s\n---\n%s", gens[0], gens[1])
	}
	if len(post[0]) < 300*10 {
		t.Errorf("posterior.csv is only %d bytes", len(post[0]))
	}
}

// TestResumeAfterCancel cancels a run in the middle of generation 3 and
// resumes it from its folder.
func TestResumeAfterCancel(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	ref, err := Run(context.Background(), c.problem(t, 0.8), smallSettings(2, ""))
	if err != nil {
		t.Fatal(err)
	}
	wantPost, wantGens := outputs(t, ref)

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var armed atomic.Bool
	var calls atomic.Int64
	p := c.problem(t, 0.8)
	p.Simulate = func(ctx context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
		if armed.Load() && calls.Add(1) == 100 {
			cancel()
		}
		return c.simulate(ctx, theta, rng)
	}
	s := smallSettings(2, dir)
	s.Progress = func(st Stats) {
		if st.Generation == 2 {
			armed.Store(true)
		}
	}
	if _, err := Run(ctx, p, s); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("cancelled run: %v, want ErrInterrupted", err)
	}
	if _, err := os.Stat(filepath.Join(dir, GenerationFile(3))); err == nil {
		t.Fatal("generation 3 was written although it was interrupted")
	}
	r, err := Run(context.Background(), c.problem(t, 0.8), smallSettings(3, dir))
	if err != nil {
		t.Fatal(err)
	}
	if r.Resumed != 3 {
		t.Errorf("resumed %d generations, want 3", r.Resumed)
	}
	gotPost, gotGens := outputs(t, r)
	if gotPost != wantPost || gotGens != wantGens {
		t.Errorf("resumed run differs:\n%s\n---\n%s", gotGens, wantGens)
	}
	// A completed folder is read, not recomputed.
	r2, err := Run(context.Background(), c.problem(t, 0.8), smallSettings(1, dir))
	if err != nil || r2.Resumed != len(ref.Generations) {
		t.Errorf("rerun of a finished folder: %v, resumed %d", err, r2.Resumed)
	}
	// Another seed must not reuse the folder.
	s2 := smallSettings(1, dir)
	s2.Seed++
	if _, err := Run(context.Background(), c.problem(t, 0.8), s2); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("other seed on the same folder: %v, want ErrCheckpoint", err)
	}
}

// TestKillHelper is the process killed by TestResumeAfterKill.
func TestKillHelper(t *testing.T) {
	dir := os.Getenv("ABC_KILL_DIR")
	if dir == "" {
		t.Skip("helper process of TestResumeAfterKill")
	}
	c := conjugate{n: 20, priorVar: 10}
	p := c.problem(t, 0.8)
	p.Simulate = func(ctx context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
		time.Sleep(200 * time.Microsecond) // slow enough to be killed mid-run
		return c.simulate(ctx, theta, rng)
	}
	Run(context.Background(), p, smallSettings(2, dir))
}

// TestResumeAfterKill kills a calibrating process with SIGKILL once
// generation 2 is on disk and resumes from its folder.
func TestResumeAfterKill(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	ref, err := Run(context.Background(), c.problem(t, 0.8), smallSettings(2, ""))
	if err != nil {
		t.Fatal(err)
	}
	wantPost, wantGens := outputs(t, ref)
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ABC_KILL_DIR="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, GenerationFile(2))); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("generation 2 never appeared")
		}
		time.Sleep(time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	r, err := Run(context.Background(), c.problem(t, 0.8), smallSettings(2, dir))
	if err != nil {
		t.Fatal(err)
	}
	if r.Resumed < 3 || r.Resumed >= len(ref.Generations) {
		t.Errorf("resumed %d of %d generations: the kill did not land mid-run", r.Resumed, len(ref.Generations))
	}
	gotPost, gotGens := outputs(t, r)
	if gotPost != wantPost || gotGens != wantGens {
		t.Errorf("run resumed after kill -9 differs:\n%s\n---\n%s", gotGens, wantGens)
	}
}

// TestShardedSteps computes every generation as a job chain would: shards
// over uneven attempt ranges, written to files, read back in another order
// and assembled, and checks that the generations equal Run's.
func TestShardedSteps(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	p := c.problem(t, 0.8)
	s := smallSettings(2, t.TempDir())
	// The noise scale's twin simulations of generation 0 travel in the
	// shards.
	for _, scale := range []Scale{ScaleMAD, ScaleNoise} {
		s.Scale, s.Dir = scale, t.TempDir()
		if _, err := Run(context.Background(), p, s); err != nil {
			t.Fatal(err)
		}
		want, err := ReadGenerations(s.Dir, p, s)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		var prev *Generation
		for range want {
			st, err := NewStep(p, s, prev)
			if err != nil {
				t.Fatal(err)
			}
			next := 0
			var g *Generation
			for round := 0; g == nil; round++ {
				// Three jobs over uneven ranges of the next 700 attempts.
				for _, r := range [][2]int{{0, 111}, {111, 500}, {500, 700}} {
					sh, err := st.Evaluate(context.Background(), next+r[0], r[1]-r[0], 1)
					if err != nil {
						t.Fatal(err)
					}
					if err := WriteShard(dir, p, s, sh); err != nil {
						t.Fatal(err)
					}
				}
				shards, err := ReadShards(dir, st.Generation(), p, s)
				if err != nil {
					t.Fatal(err)
				}
				if g, next, _, err = st.Assemble(shards, 0); err != nil {
					t.Fatal(err)
				}
			}
			w := *want[g.Index]
			w.Seconds = 0
			if !reflect.DeepEqual(g, &w) {
				t.Fatalf("generation %d assembled from shards differs from Run's", g.Index)
			}
			if err := WriteGeneration(dir, p, s, g); err != nil {
				t.Fatal(err)
			}
			if prev, err = ReadGeneration(dir, g.Index, p, s); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A gap between shards is an error, not a silent loss of attempts.
	st, _ := NewStep(p, s, nil)
	a, _ := st.Evaluate(context.Background(), 0, 10, 1)
	b, _ := st.Evaluate(context.Background(), 20, 10, 1)
	if _, _, _, err := st.Assemble([]*Shard{a, b}, 0); !errors.Is(err, ErrSettings) {
		t.Errorf("shards with a gap: %v, want ErrSettings", err)
	}
}

// TestNextStep drives a chain through NextStep from a folder until it
// stops, and checks that it ends where Run ends.
func TestNextStep(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	p := c.problem(t, 0.8)
	s := smallSettings(2, "")
	ref, err := Run(context.Background(), p, s)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for job := 0; ; job++ {
		st, last, stop, err := NextStep(dir, p, s)
		if err != nil {
			t.Fatal(err)
		}
		if stop != "" {
			if stop != ref.Stop || last.Index != ref.Final.Index {
				t.Errorf("chain stopped by %q at generation %d, Run by %q at %d", stop, last.Index, ref.Stop, ref.Final.Index)
			}
			break
		}
		if job > 20 {
			t.Fatal("the chain does not stop")
		}
		var shards []*Shard
		for g := (*Generation)(nil); g == nil; {
			first := 0
			if len(shards) > 0 {
				last := shards[len(shards)-1]
				first = last.First + last.Count
			}
			sh, err := st.Evaluate(context.Background(), first, 400, 2)
			if err != nil {
				t.Fatal(err)
			}
			shards = append(shards, sh)
			if g, _, _, err = st.Assemble(shards, 0); err != nil {
				t.Fatal(err)
			}
			if g != nil {
				if err := WriteGeneration(dir, p, s, g); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	r, err := Run(context.Background(), p, Settings{Particles: 300, Seed: 11, MaxGenerations: 6, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	p1, g1 := outputs(t, ref)
	p2, g2 := outputs(t, r)
	if r.Resumed != len(ref.Generations) || p1 != p2 || g1 != g2 {
		t.Errorf("the chain's folder gives other results than Run (resumed %d)", r.Resumed)
	}
}

// TestBudgetInShards checks that Assemble abandons a generation whose
// attempts reach the budget, as Run does.
func TestBudgetInShards(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	p := c.problem(t, 0.8)
	s := Settings{Particles: 100, Seed: 1, MaxSimulations: 250, Workers: 1}
	g0st, _ := NewStep(p, s, nil)
	sh, err := g0st.Evaluate(context.Background(), 0, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	g0, _, _, err := g0st.Assemble([]*Shard{sh}, 0)
	if err != nil || g0 == nil {
		t.Fatal(g0, err)
	}
	st, _ := NewStep(p, s, g0)
	if l, why := st.Limit(); l != 150 || why != StopBudget {
		t.Fatalf("limit %d %q, want 150 max-simulations", l, why)
	}
	// Evaluate past the limit, as a careless shard job could.
	sh, err = st.Evaluate(context.Background(), 0, 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	g, _, stop, err := st.Assemble([]*Shard{sh}, 0)
	if err != nil || g != nil || stop != StopBudget {
		t.Errorf("assemble past the budget: %v, stop %q, %v", g != nil, stop, err)
	}
}

// TestExtendFinished continues a finished calibration with a larger
// MaxGenerations and gets the longer run's result.
func TestExtendFinished(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	p := c.problem(t, 0.8)
	ref, err := Run(context.Background(), p, smallSettings(2, ""))
	if err != nil {
		t.Fatal(err)
	}
	s := smallSettings(2, t.TempDir())
	s.MaxGenerations = 3
	if _, err := Run(context.Background(), p, s); err != nil {
		t.Fatal(err)
	}
	s.MaxGenerations = 6
	r, err := Run(context.Background(), p, s)
	if err != nil {
		t.Fatal(err)
	}
	p1, g1 := outputs(t, ref)
	p2, g2 := outputs(t, r)
	if r.Resumed != 3 || p1 != p2 || g1 != g2 {
		t.Errorf("extended run (resumed %d) differs from the longer run", r.Resumed)
	}
}
