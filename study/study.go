package study

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// Settings configure Run and Compare. The zero value runs on all cores and
// writes no file.
type Settings struct {
	// Out is the output folder, created if missing. Empty means write
	// nothing: no manifest, CSV file or figure, only the returned result.
	Out string
	// Workers is the number of parallel goroutines; zero or less means
	// runtime.NumCPU(). Results do not depend on it.
	Workers int
	// NoFigures skips the figures (the CSV files and manifest are still
	// written).
	NoFigures bool
	// Progress, if not nil, is called from one goroutine after each run
	// (or pair of runs) is delivered, with the number delivered so far and
	// the total.
	Progress func(done, total int)
	// Args are the arguments given to the command that started the study
	// (without the program name), recorded in the manifest; nil is
	// recorded as an empty list.
	Args []string
	// Version is the program version recorded in the manifest.
	Version string
	// Sinks receive every run of Run's model, or of Compare's model A, in
	// replicate order, after the study's own CSV writer. Nil: none.
	Sinks []sim.Sink
	// SinksB receive every run of Compare's model B likewise; Run ignores
	// it.
	SinksB []sim.Sink
}

// ErrIncomparable is wrapped by Compare's error when its two models
// cannot be paired (different start, tick length or horizon). Nothing is
// written then.
var ErrIncomparable = errors.New("study: models cannot be compared")

// A study that is interrupted (its context cancelled) returns an error
// wrapping sim.ErrInterrupted. With an output folder, what finished is
// written and the manifest says "interrupted": true, "completed": false.

// RunResult is what Run produced. Failed replicates are not an error: they
// are counted in Aggregate.Failed (and listed in failures.csv).
type RunResult struct {
	// Aggregate holds the per-tick statistics and summaries of the
	// successful runs, and counts the failed ones.
	Aggregate *sim.Aggregate
	// Report says how many runs were delivered and failed.
	Report sim.Report
	// Elapsed is the wall time of the runs (not of the writing).
	Elapsed time.Duration
	// Files are the names of the files written into Out, as listed in
	// the manifest (the manifest itself excluded); nil without Out.
	Files []string
}

// CompareResult is what Compare produced. Failed pairs are not an error:
// they are counted in Report.Failed (and listed in a/failures.csv and
// b/failures.csv).
type CompareResult struct {
	// Comparison holds the aggregates of A, B and the paired difference.
	Comparison *sim.Comparison
	// Report says how many pairs were delivered and failed.
	Report sim.Report
	// Elapsed is the wall time of the runs (not of the writing).
	Elapsed time.Duration
	// Files are the names of the files written into Out, relative to it,
	// as listed in the manifest; nil without Out.
	Files []string
}

// workers returns the number of workers the settings ask for.
func (s Settings) workers() int {
	if s.Workers <= 0 {
		return runtime.NumCPU()
	}
	return s.Workers
}

// options returns the batch options of a study of runs replicates.
func (s Settings) options(runs, workers int) sim.Options {
	return sim.Options{Runs: runs, Workers: workers, Progress: s.Progress}
}

// manifest starts the manifest of a study.
func (s Settings) manifest(name, hash string, sc *scenarios.Scenario, workers int) *output.Manifest {
	return &output.Manifest{
		Scenario: name, ScenarioHash: hash, Seed: sc.Seed, Runs: sc.Runs,
		Provenance: output.Provenance{Workers: workers, Version: s.Version, Args: s.Args, Started: time.Now()},
	}
}

// finish completes a manifest and writes it.
func finish(dir string, man *output.Manifest, completed, failed int, files []string, interrupted bool) error {
	man.RunsCompleted, man.RunsFailed = completed, failed
	man.Finished, man.Files = time.Now(), files
	man.Interrupted, man.Completed = interrupted, !interrupted
	return output.WriteManifest(dir, man)
}

// interruptedError is the error of an interrupted study with an output
// folder: a message saying what was written, wrapping sim.ErrInterrupted.
type interruptedError struct{ msg string }

func (e *interruptedError) Error() string { return e.msg }
func (e *interruptedError) Unwrap() error { return sim.ErrInterrupted }

// incomparableError wraps ErrIncomparable and sim's reason, with sim's
// message.
type incomparableError struct{ err error }

func (e *incomparableError) Error() string   { return e.err.Error() }
func (e *incomparableError) Unwrap() []error { return []error{ErrIncomparable, e.err} }

// Run runs m's replicates (m.Scenario.Runs of them, seeded by
// m.Scenario.Seed). With s.Out it writes, into that folder: manifest.json
// first (not completed), runs.csv, events.csv and failures.csv streamed,
// then timeseries.csv and the figures (if any run succeeded), and the
// finished manifest last.
//
// The error is nil when every run was delivered, even if some failed;
// it wraps sim.ErrInterrupted when ctx was cancelled (the result then
// covers the runs delivered, and their files are written); any other error
// (a file that cannot be written, a failing sink) leaves no CSV file. The
// result is nil only when the study could not start.
func Run(ctx context.Context, m *sim.Model, s Settings) (*RunResult, error) {
	sc := m.Scenario
	workers := min(s.workers(), sc.Runs) // what the batch will use
	agg := m.NewAggregate()
	if s.Out == "" {
		start := time.Now()
		rep, err := sim.Batch(ctx, m, s.options(sc.Runs, workers), append(s.Sinks[:len(s.Sinks):len(s.Sinks)], agg)...)
		return &RunResult{Aggregate: agg, Report: rep, Elapsed: time.Since(start)}, err
	}
	if err := os.MkdirAll(s.Out, 0o755); err != nil {
		return nil, err
	}
	man := s.manifest(sc.Name, scenarios.Hash(sc), sc, workers)
	if err := output.WriteManifest(s.Out, man); err != nil {
		return nil, err
	}
	rw, err := output.NewRunWriter(s.Out, false)
	if err != nil {
		return nil, err
	}
	sinks := append(append([]sim.Sink{rw}, s.Sinks...), agg)
	start := time.Now()
	rep, berr := sim.Batch(ctx, m, s.options(sc.Runs, workers), sinks...)
	res := &RunResult{Aggregate: agg, Report: rep, Elapsed: time.Since(start)}
	interrupted := errors.Is(berr, sim.ErrInterrupted)
	if berr != nil && !interrupted {
		rw.Abort()
		return res, berr
	}
	if err := rw.Close(); err != nil {
		return res, err
	}
	files := rw.Files()
	if agg.N() > 0 {
		if err := output.WriteTimeseries(s.Out, agg); err != nil {
			return res, err
		}
		files = append(files, output.TimeseriesFile)
		if !s.NoFigures {
			figs, err := output.WriteFigures(s.Out, agg, sc)
			if err != nil {
				return res, err
			}
			files = append(files, figs...)
		}
	}
	res.Files = files
	if err := finish(s.Out, man, agg.N(), agg.Failed, files, interrupted); err != nil {
		return res, err
	}
	if interrupted {
		return res, &interruptedError{fmt.Sprintf("interrupted: %d of %d runs finished and written to %s; its manifest is marked incomplete", rep.Delivered, sc.Runs, s.Out)}
	}
	return res, nil
}

// Compare runs a's and b's replicates on the same replicate numbers
// (a.Scenario.Runs of them; the caller gives both scenarios the same seed
// and runs for common random numbers). With s.Out it writes, into that
// folder: manifest.json first (not completed); a/ and b/ with each model's
// runs.csv, events.csv and failures.csv streamed and, when both have a
// successful run, timeseries.csv; compare.csv; the comparison figures
// (when a pair succeeded); and the finished manifest last.
//
// It returns an error wrapping ErrIncomparable, before writing anything,
// when the models cannot be paired. Otherwise the error is as Run's.
func Compare(ctx context.Context, a, b *sim.Model, s Settings) (*CompareResult, error) {
	if _, err := sim.NewComparison(a, b); err != nil {
		return nil, &incomparableError{err}
	}
	scA, scB := a.Scenario, b.Scenario
	workers := s.workers()
	if s.Out == "" {
		start := time.Now()
		c, rep, err := sim.Compare(ctx, a, b, s.options(scA.Runs, workers), s.Sinks, s.SinksB)
		return &CompareResult{Comparison: c, Report: rep, Elapsed: time.Since(start)}, err
	}
	dirA, dirB := filepath.Join(s.Out, "a"), filepath.Join(s.Out, "b")
	for _, d := range []string{s.Out, dirA, dirB} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	man := s.manifest(scA.Name+" vs "+scB.Name, scenarios.Hash(scA)+" "+scenarios.Hash(scB), scA, workers)
	if err := output.WriteManifest(s.Out, man); err != nil {
		return nil, err
	}
	rwA, err := output.NewRunWriter(dirA, false)
	if err != nil {
		return nil, err
	}
	rwB, err := output.NewRunWriter(dirB, false)
	if err != nil {
		rwA.Abort()
		return nil, err
	}
	sinksA := append([]sim.Sink{rwA}, s.Sinks...)
	sinksB := append([]sim.Sink{rwB}, s.SinksB...)
	start := time.Now()
	c, rep, berr := sim.Compare(ctx, a, b, s.options(scA.Runs, workers), sinksA, sinksB)
	res := &CompareResult{Comparison: c, Report: rep, Elapsed: time.Since(start)}
	interrupted := errors.Is(berr, sim.ErrInterrupted)
	if berr != nil && !interrupted {
		rwA.Abort()
		rwB.Abort()
		return res, berr
	}
	for _, rw := range []*output.RunWriter{rwA, rwB} {
		if err := rw.Close(); err != nil {
			return res, err
		}
	}
	files := []string{output.CompareFile}
	for _, f := range rwA.Files() {
		files = append(files, "a/"+f, "b/"+f)
	}
	if c.A.N() > 0 && c.B.N() > 0 {
		if err := output.WriteCompare(s.Out, c); err != nil {
			return res, err
		}
		for _, x := range []struct {
			dir string
			agg *sim.Aggregate
		}{{dirA, c.A}, {dirB, c.B}} {
			if err := output.WriteTimeseries(x.dir, x.agg); err != nil {
				return res, err
			}
		}
		files = append(files, "a/"+output.TimeseriesFile, "b/"+output.TimeseriesFile)
		if !s.NoFigures && c.Diff.N() > 0 {
			figs, err := output.WriteCompareFigures(s.Out, c, scA, scB)
			if err != nil {
				return res, err
			}
			files = append(files, figs...)
		}
	}
	res.Files = files
	if err := finish(s.Out, man, c.Diff.N(), rep.Failed, files, interrupted); err != nil {
		return res, err
	}
	if interrupted {
		return res, &interruptedError{fmt.Sprintf("interrupted: %d of %d replicate pairs finished and written to %s; its manifest is marked incomplete", rep.Delivered, scA.Runs, s.Out)}
	}
	return res, nil
}
