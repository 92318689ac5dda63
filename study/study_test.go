package study_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
	"github.com/entrench/entrench/study"
)

// model compiles the built-in tiny scenario with the given runs and
// horizon.
func model(t testing.TB, runs, horizon int) *sim.Model {
	t.Helper()
	sc, err := scenarios.LoadBuiltin("tiny", nil)
	if err != nil {
		t.Fatal(err)
	}
	sc.Runs, sc.Horizon = runs, horizon
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// counter is a sink that counts the runs it receives, in order.
type counter struct{ replicates []int }

func (c *counter) Consume(r *sim.RunResult) error {
	c.replicates = append(c.replicates, r.Replicate)
	return nil
}

func TestRunWritesFolderAndManifest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	extra := &counter{}
	args := []string{"run", "tiny", "--runs", "6"}
	res, err := study.Run(context.Background(), model(t, 6, 24), study.Settings{
		Out: dir, Workers: 2, Args: args, Version: "v-test", Sinks: []sim.Sink{extra},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Aggregate.N()+res.Aggregate.Failed != 6 || len(extra.replicates) != 6 {
		t.Fatalf("aggregate %d+%d runs, extra sink %d, want 6", res.Aggregate.N(), res.Aggregate.Failed, len(extra.replicates))
	}
	if !slices.IsSorted(extra.replicates) {
		t.Errorf("extra sink got replicates out of order: %v", extra.replicates)
	}
	man, err := output.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !man.Completed || man.Interrupted || man.RunsCompleted != res.Aggregate.N() || man.Runs != 6 {
		t.Errorf("manifest: completed %v interrupted %v runs %d completed %d", man.Completed, man.Interrupted, man.Runs, man.RunsCompleted)
	}
	if !slices.Equal(man.Args, args) || man.Version != "v-test" || man.Workers != 2 {
		t.Errorf("manifest args %q version %q workers %d", man.Args, man.Version, man.Workers)
	}
	if !slices.Equal(man.Files, res.Files) {
		t.Errorf("manifest files %v, result files %v", man.Files, res.Files)
	}
	for _, f := range append([]string{output.RunsFile, output.TimeseriesFile, "cooperation_fan.png"}, man.Files...) {
		if !slices.Contains(man.Files, f) {
			t.Errorf("manifest does not list %s", f)
		}
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("listed file: %v", err)
		}
	}
}

func TestRunNoFigures(t *testing.T) {
	dir := t.TempDir()
	res, err := study.Run(context.Background(), model(t, 3, 24), study.Settings{Out: dir, NoFigures: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{output.RunsFile, output.EventsFile, output.FailuresFile, output.TimeseriesFile}
	if !slices.Equal(res.Files, want) {
		t.Errorf("files %v, want %v", res.Files, want)
	}
}

func TestRunInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := study.Run(ctx, model(t, 50, 24), study.Settings{Out: dir, Workers: 1})
	if !errors.Is(err, sim.ErrInterrupted) {
		t.Fatalf("error %v, want one wrapping sim.ErrInterrupted", err)
	}
	if res == nil {
		t.Fatal("no result for an interrupted study")
	}
	man, err := output.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if man.Completed || !man.Interrupted || man.RunsCompleted != res.Aggregate.N() {
		t.Errorf("manifest completed %v interrupted %v runs completed %d (result %d)", man.Completed, man.Interrupted, man.RunsCompleted, res.Aggregate.N())
	}
	if _, err := os.Stat(filepath.Join(dir, output.RunsFile)); err != nil {
		t.Errorf("the runs that finished are not written: %v", err)
	}
}

// TestInMemoryMatchesFolder checks that a study without a folder writes
// nothing and gives the same numbers as one with a folder.
func TestInMemoryMatchesFolder(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	m := model(t, 8, 24)
	mem, err := study.Run(context.Background(), m, study.Settings{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(wd); len(ents) != 0 {
		t.Errorf("a study without a folder wrote %d entries", len(ents))
	}
	if mem.Files != nil {
		t.Errorf("files %v without a folder", mem.Files)
	}
	disk, err := study.Run(context.Background(), m, study.Settings{Out: filepath.Join(wd, "out"), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range sim.NumSummary {
		a, b := mem.Aggregate.Summary(i), disk.Aggregate.Summary(i)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%s: in memory %+v, with a folder %+v", sim.SummaryNames[i], a, b)
		}
	}
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	a, b := model(t, 6, 24), model(t, 6, 24)
	res, err := study.Compare(context.Background(), a, b, study.Settings{Out: dir, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Comparison.Diff.N() != 6 {
		t.Fatalf("%d pairs, want 6", res.Comparison.Diff.N())
	}
	// The same scenario on common random numbers: every difference is 0.
	if p := res.Comparison.Paired(sim.SumFinalCooperation); p.Mean != 0 {
		t.Errorf("paired difference of a scenario with itself: %v", p.Mean)
	}
	man, err := output.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !man.Completed || man.Scenario != "tiny vs tiny" || man.RunsCompleted != 6 {
		t.Errorf("manifest %+v", man)
	}
	for _, f := range []string{output.CompareFile, "a/" + output.RunsFile, "b/" + output.TimeseriesFile, "cooperation_compare.png"} {
		if !slices.Contains(res.Files, f) {
			t.Errorf("%s not in files %v", f, res.Files)
		}
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestCompareIncomparableWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	_, err := study.Compare(context.Background(), model(t, 4, 24), model(t, 4, 36), study.Settings{Out: dir})
	if !errors.Is(err, study.ErrIncomparable) {
		t.Fatalf("error %v, want one wrapping ErrIncomparable", err)
	}
	if _, serr := os.Stat(dir); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("the folder was created: %v", serr)
	}
}

// ExampleRun runs a small study in memory (no output folder) and reads
// its aggregate.
func ExampleRun() {
	sc, err := scenarios.LoadBuiltin("tiny", nil)
	if err != nil {
		panic(err)
	}
	sc.Runs, sc.Horizon = 5, 24
	m, err := sim.Compile(sc)
	if err != nil {
		panic(err)
	}
	res, err := study.Run(context.Background(), m, study.Settings{Workers: 2})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Aggregate.N()+res.Aggregate.Failed, "runs,", res.Report.Delivered, "delivered,", res.Files == nil)
	// Output: 5 runs, 5 delivered, true
}
