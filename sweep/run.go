package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/sim"
)

// Run runs the experiment's design points (or a shard's) into folder dir
// and, for an unsharded run, writes the outputs. Each finished point is
// appended to the journal at once, so a crash loses only the points in
// flight; Resume finishes the rest. A point that fails is recorded and
// does not stop the sweep. dir must not hold an unfinished sweep
// (ErrUnfinished); a finished one is replaced. The session holds the
// folder's LockFile while it runs; Run, Resume and Merge refuse a folder
// another session holds (ErrLocked).
//
// All replicates of all points share common random numbers by replicate
// number: every point runs with sim.Options.Point 0, so replicate r of
// every point draws the same random streams and the differences between
// points are the factors' effects, not sampling noise. Outputs are
// byte-identical for any Workers, any interruption and resumption, and
// any sharding merged with Merge.
//
// On cancellation of ctx it returns an error wrapping ErrInterrupted;
// when some points failed, one wrapping ErrSomeFailed (outputs are still
// written).
func Run(ctx context.Context, e *Experiment, dir string, opt Options) (*Report, error) {
	k, n, err := shardOf(opt)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lock, err := lockFolder(dir, opt.Slurm)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	if err := prepareFolder(dir); err != nil {
		return nil, err
	}
	if err := output.WriteFileAtomic(dir, ExperimentCopy, e.source); err != nil {
		return nil, err
	}
	if err := output.WriteFileAtomic(dir, ScenarioCopy, e.scenarioData); err != nil {
		return nil, err
	}
	if e.external != nil {
		if err := output.WriteFileAtomic(dir, DesignCopy, e.designData); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, JournalFile), nil, 0o644); err != nil {
		return nil, err
	}
	factors := make([]string, len(e.Factors))
	for i, f := range e.Factors {
		factors[i] = f.Name
	}
	m := &Manifest{
		Experiment: e.Name, ExperimentID: e.ID(), ExperimentFile: e.file, ScenarioFile: e.scenarioFile,
		Scenario: e.base.Name, Design: e.Design.Kind, Factors: factors, Metrics: e.Metrics,
		Points: e.numPoints(), Replicates: e.Replicates, Seed: e.Seed,
		Shard: k, Shards: n, ShardPoints: shardSize(e.numPoints(), k, n),
		Provenance: output.Provenance{Version: opt.Version, GoVersion: runtime.Version(), Args: opt.Args, Started: time.Now()},
	}
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	return execute(ctx, e, dir, m, opt)
}

// prepareFolder readies folder dir for a new sweep or merge: it refuses
// (ErrUnfinished) a folder holding an unfinished sweep, or one whose
// manifest cannot be read (ErrBadManifest), and removes the outputs and
// journal of a finished sweep.
func prepareFolder(dir string) error {
	old, err := ReadManifest(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case errors.Is(err, ErrBadManifest):
		return fmt.Errorf("%w; it may hold an unfinished sweep, so it is left alone: choose another output folder, or delete it", err)
	case err != nil:
		return err
	case !old.Completed:
		return fmt.Errorf("%w: %s holds an unfinished sweep of %s (%d of %d points done): resume it with `entrench sweep --resume %s`, or choose another output folder",
			ErrUnfinished, dir, old.Experiment, old.PointsDone, old.ShardPoints, dir)
	}
	// The manifest goes too: until the new one is written, the folder is
	// not a sweep folder, rather than a finished one without its files.
	for _, f := range append(old.Files, JournalFile, ManifestFile, DesignCopy) {
		if f == filepath.Base(f) && f != LockFile {
			os.Remove(filepath.Join(dir, f))
		}
	}
	return nil
}

// evalPoint runs design point i. It returns false when ctx was cancelled
// before the point finished.
func evalPoint(ctx context.Context, e *Experiment, p *plan, i, workers int) (record, bool) {
	x := make([]float64, len(e.Factors))
	p.point(i, x)
	fail := func(err error) (record, bool) {
		return record{point: i, fails: []failure{{-1, err.Error()}}}, true
	}
	sc, err := e.ScenarioAt(x)
	if err != nil {
		return fail(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return fail(err)
	}
	sink := newSummarySink(e.metricIdx)
	_, err = sim.Batch(ctx, m, sim.Options{Runs: e.Replicates, Workers: workers, Point: 0}, sink)
	switch {
	case errors.Is(err, sim.ErrInterrupted):
		return record{}, false
	case err != nil:
		return fail(err)
	}
	return sink.record(i), true
}

// execute runs the shard's points that the journal does not hold yet.
func execute(ctx context.Context, e *Experiment, dir string, m *Manifest, opt Options) (*Report, error) {
	start := time.Now()
	k, n := m.Shard, m.Shards
	total := e.numPoints()
	jpath := filepath.Join(dir, JournalFile)
	done := make([]bool, total)
	rep := &Report{Dir: dir, Points: m.ShardPoints}
	valid, err := scanJournal(jpath, len(e.Metrics), total, func(r record, _ journalEntry) {
		if r.point%n != k || done[r.point] {
			return
		}
		done[r.point] = true
		rep.Done++
		if !r.ok() {
			rep.Failed++
		}
	})
	if err != nil {
		return rep, err
	}
	// Drop a torn or corrupt tail so that appends continue a valid file.
	if err := os.Truncate(jpath, valid); err != nil && !errors.Is(err, os.ErrNotExist) {
		return rep, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	m.Workers, rep.Workers = workers, workers
	// The manifest shows the progress: now, and at checkpoints while the
	// points run.
	checkpoint := func() error {
		m.PointsDone, m.PointsFailed = rep.Done, rep.Failed
		return writeManifest(dir, m)
	}
	if err := checkpoint(); err != nil {
		return rep, err
	}
	todo := rep.Points - rep.Done
	repWorkers := 1
	if todo > 0 && todo < workers {
		repWorkers = workers / todo
	}
	if todo > 0 {
		if opt.Progress != nil {
			opt.Progress(rep.Done, rep.Points)
		}
		if err := (&schedule{e: e, jpath: jpath, done: done, k: k, n: n, workers: workers, repWorkers: repWorkers, opt: opt, checkpoint: checkpoint}).run(ctx, rep); err != nil {
			m.PointsDone, m.PointsFailed, m.Finished = rep.Done, rep.Failed, time.Now()
			m.Interrupted = errors.Is(err, ErrInterrupted)
			if werr := writeManifest(dir, m); werr != nil {
				return rep, werr
			}
			rep.Elapsed = time.Since(start)
			if m.Interrupted {
				return rep, fmt.Errorf("%w: %d of %d points done and saved in %s; finish with `entrench sweep --resume %s`",
					ErrInterrupted, rep.Done, rep.Points, dir, dir)
			}
			return rep, err
		}
	}
	// Every point of the shard is done: put the journal in point order.
	if err := sortJournal(dir, []string{jpath}, len(e.Metrics), total, nil); err != nil {
		return rep, err
	}
	m.PointsDone, m.PointsFailed = rep.Done, rep.Failed
	m.Completed, m.Interrupted = true, false
	if n == 1 {
		files, err := writeOutputs(ctx, e, dir, opt)
		rep.Files = files
		if err != nil {
			return rep, err
		}
		rep.Outputs, m.Outputs, m.Files = true, true, files
	}
	m.Finished = time.Now()
	if err := writeManifest(dir, m); err != nil {
		return rep, err
	}
	rep.Elapsed = time.Since(start)
	if rep.Failed > 0 {
		return rep, fmt.Errorf("%w: %d of %d points failed; see %s", ErrSomeFailed, rep.Failed, rep.Points, filepath.Join(dir, "failures.csv"))
	}
	return rep, nil
}
