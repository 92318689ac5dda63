package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/sim"
)

// Files of a sweep folder besides the outputs.
const (
	ManifestFile   = "sweep.json"      // the sweep's manifest
	ExperimentCopy = "experiment.yaml" // the experiment file, as run
	ScenarioCopy   = "scenario.yaml"   // the base scenario file, as run
)

// Errors of Run, Resume and Merge; test them with errors.Is.
var (
	// ErrInterrupted: the context was cancelled; finished points are on
	// disk and the sweep can be resumed.
	ErrInterrupted = errors.New("sweep: interrupted")
	// ErrUnfinished: the output folder holds an unfinished sweep.
	ErrUnfinished = errors.New("sweep: the folder holds an unfinished sweep")
	// ErrMismatch: a folder to resume or shards to merge come from a
	// different experiment, seed, replicate count or program version.
	ErrMismatch = errors.New("sweep: folders do not match")
	// ErrIncomplete: shards to merge are missing or unfinished.
	ErrIncomplete = errors.New("sweep: incomplete set of shards")
	// ErrSomeFailed: the sweep finished but some points failed (see
	// failures.csv).
	ErrSomeFailed = errors.New("sweep: some design points failed")
)

// Options configure Run, Resume and Merge. The zero value runs the whole
// design on all cores with figures.
type Options struct {
	// Workers is the number of design points computed at once; zero or
	// less means runtime.NumCPU(). Each point runs its replicates in one
	// goroutine, so a sweep of many points keeps every core busy.
	Workers int
	// Shard and Shards select the design points i with i mod Shards ==
	// Shard, 0 <= Shard < Shards. Shards 0 or 1 runs every point. A shard
	// writes its points only; Merge makes the outputs.
	Shard, Shards int
	// Version is the program version recorded in the manifest. Resume and
	// Merge refuse folders written by another version, since results may
	// differ.
	Version string
	// Args is the command line, for the manifest.
	Args []string
	// NoFigures skips the figures.
	NoFigures bool
	// Progress, if not nil, is called from one goroutine after every
	// finished point with the points done (in this shard, including
	// earlier sessions) and the shard's total.
	Progress func(done, total int)
}

// Manifest is the content of sweep.json: what a sweep folder holds and
// where it stands. It is written when the sweep starts and rewritten when
// it stops.
type Manifest struct {
	// Experiment is the experiment's name and ExperimentID its identity
	// (Experiment.ID: texts, replicates and seed).
	Experiment   string `json:"experiment"`
	ExperimentID string `json:"experiment_id"`
	// ExperimentFile and ScenarioFile are the names the experiment and
	// base scenario were loaded from; their texts are in ExperimentCopy
	// and ScenarioCopy.
	ExperimentFile string `json:"experiment_file"`
	ScenarioFile   string `json:"scenario_file"`
	// Scenario is the base scenario's name.
	Scenario string `json:"scenario"`
	// Design is the design kind; Factors and Metrics name the columns.
	Design  string   `json:"design"`
	Factors []string `json:"factors"`
	Metrics []string `json:"metrics"`
	// Points is the number of design points of the whole design.
	Points int `json:"points"`
	// Replicates per point and the master Seed.
	Replicates int    `json:"replicates"`
	Seed       uint64 `json:"seed"`
	// Shard and Shards: this folder holds the points i with i mod Shards
	// == Shard; ShardPoints counts them.
	Shard       int `json:"shard"`
	Shards      int `json:"shards"`
	ShardPoints int `json:"shard_points"`
	// PointsDone counts the shard's finished points, PointsFailed those of
	// them that failed.
	PointsDone   int `json:"points_done"`
	PointsFailed int `json:"points_failed"`
	// Version and GoVersion identify the program.
	Version   string `json:"version"`
	GoVersion string `json:"go_version"`
	// Workers used by the last session, and its command line.
	Workers int      `json:"workers"`
	Args    []string `json:"args"`
	// Started is when the sweep began; Finished when its last session
	// ended (zero while running).
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	// Completed is true once every point of the shard is done; Merged
	// once the outputs (points.csv and the rest) are written.
	Completed   bool `json:"completed"`
	Interrupted bool `json:"interrupted"`
	Outputs     bool `json:"outputs"`
	// Files lists the output files, by name.
	Files []string `json:"files"`
}

func writeJSON(dir, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	return writeFile(dir, name, b)
}

// writeFile writes a whole file atomically.
func writeFile(dir, name string, b []byte) error {
	f, err := output.CreateAtomic(dir, name)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(b); err != nil {
		return err
	}
	return f.Commit()
}

func writeManifest(dir string, m *Manifest) error {
	c := *m
	c.Started = c.Started.UTC().Truncate(time.Second)
	if !c.Finished.IsZero() {
		c.Finished = c.Finished.UTC().Truncate(time.Second)
	}
	if c.Files == nil {
		c.Files = []string{}
	}
	if c.Args == nil {
		c.Args = []string{}
	}
	return writeJSON(dir, ManifestFile, &c)
}

// ReadManifest reads sweep.json from folder dir.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("sweep: reading %s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return &m, nil
}

// Report says what a Run, Resume or Merge did.
type Report struct {
	// Dir is the sweep folder.
	Dir string
	// Points is the number of points of the shard (all points when
	// unsharded or merged).
	Points int
	// Done counts finished points, including earlier sessions; Failed
	// those of them that failed; Ran those computed in this session.
	Done, Failed, Ran int
	// Outputs is true when points.csv and the other outputs were written.
	Outputs bool
	// Files lists the output files written.
	Files []string
	// Elapsed is the time this session took.
	Elapsed time.Duration
	// Busy is the summed wall time the workers spent computing points in
	// this session; Busy / (Workers * Elapsed) is the share of the time
	// the workers were busy (1 when no worker ever waited for work).
	Busy time.Duration
	// Workers is the number of point workers used.
	Workers int
}

// shardOf normalizes the shard options.
func shardOf(opt Options) (k, n int, err error) {
	k, n = opt.Shard, opt.Shards
	if n <= 0 {
		n, k = 1, 0
	}
	if k < 0 || k >= n {
		return 0, 0, fmt.Errorf("sweep: shard %d/%d: the shard number must be from 0 to %d", k, n, n-1)
	}
	return k, n, nil
}

// shardSize is the number of points i < points with i mod n == k.
func shardSize(points, k, n int) int {
	if k >= points {
		return 0
	}
	return (points - k + n - 1) / n
}

// Run runs the experiment's design points (or a shard's) into folder dir
// and, for an unsharded run, writes the outputs. Each finished point is
// appended to the journal at once, so a crash loses only the points in
// flight; Resume finishes the rest. A point that fails is recorded and
// does not stop the sweep. dir must not hold an unfinished sweep
// (ErrUnfinished); a finished one is replaced.
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
	if old, err := ReadManifest(dir); err == nil {
		if !old.Completed {
			return nil, fmt.Errorf("%w: %s holds an unfinished sweep of %s (%d of %d points done): resume it with `entrench sweep --resume %s`, or choose another output folder",
				ErrUnfinished, dir, old.Experiment, old.PointsDone, old.ShardPoints, dir)
		}
		for _, f := range append(old.Files, JournalFile) {
			if f == filepath.Base(f) {
				os.Remove(filepath.Join(dir, f))
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := writeFile(dir, ExperimentCopy, e.source); err != nil {
		return nil, err
	}
	if err := writeFile(dir, ScenarioCopy, e.scenarioData); err != nil {
		return nil, err
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
		Version: opt.Version, GoVersion: runtime.Version(), Args: opt.Args, Started: time.Now(),
	}
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	return execute(ctx, e, dir, m, opt)
}

// loadFolder loads the experiment stored in a sweep folder and checks it
// against its manifest and the running version.
func loadFolder(dir, version string) (*Experiment, *Manifest, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("%w: %s is not a sweep folder (no %s)", ErrMismatch, dir, ManifestFile)
		}
		return nil, nil, err
	}
	if m.Version != version {
		return nil, nil, fmt.Errorf("%w: %s was written by entrench %s, this is %s; results could differ, so use the same version",
			ErrMismatch, dir, m.Version, version)
	}
	src, err := os.ReadFile(filepath.Join(dir, ExperimentCopy))
	if err != nil {
		return nil, nil, err
	}
	scen, err := os.ReadFile(filepath.Join(dir, ScenarioCopy))
	if err != nil {
		return nil, nil, err
	}
	e, err := Load(m.ExperimentFile, src, func(string) (string, []byte, error) { return m.ScenarioFile, scen, nil })
	if err != nil {
		return nil, nil, fmt.Errorf("sweep: the experiment stored in %s: %w", dir, err)
	}
	if e, err = e.WithReplicates(m.Replicates); err != nil {
		return nil, nil, err
	}
	if e.ID() != m.ExperimentID || e.numPoints() != m.Points {
		return nil, nil, fmt.Errorf("%w: the experiment stored in %s does not match its manifest", ErrMismatch, dir)
	}
	return e, m, nil
}

// Resume finishes the sweep in folder dir (a shard's, or the whole
// design) and writes the outputs when it holds every point. The shard
// settings of opt are ignored: the folder's are used. Resuming a finished
// sweep rewrites its outputs.
func Resume(ctx context.Context, dir string, opt Options) (*Report, error) {
	e, m, err := loadFolder(dir, opt.Version)
	if err != nil {
		return nil, err
	}
	opt.Shard, opt.Shards = m.Shard, m.Shards
	m.Args, m.Interrupted, m.Finished = opt.Args, false, time.Time{}
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	return execute(ctx, e, dir, m, opt)
}

// summarySink keeps Welford statistics of the analysed summary metrics
// over the replicates of one point, in replicate order, and the failures.
type summarySink struct {
	idx   []int
	stats []metricStat
	m2    []float64
	reps  int
	fails []failure
}

func newSummarySink(idx []int) *summarySink {
	return &summarySink{idx: idx, stats: make([]metricStat, len(idx)), m2: make([]float64, len(idx))}
}

// Consume implements sim.Sink.
func (s *summarySink) Consume(r *sim.RunResult) error {
	if r.Err != nil {
		s.fails = append(s.fails, failure{r.Replicate, r.Err.Error()})
		return nil
	}
	s.reps++
	for j, i := range s.idx {
		x := r.Summary[i]
		if math.IsNaN(x) {
			continue
		}
		st := &s.stats[j]
		st.n++
		d := x - st.mean
		st.mean += d / float64(st.n)
		s.m2[j] += d * (x - st.mean)
	}
	return nil
}

func (s *summarySink) record(point int) record {
	if len(s.fails) > 0 {
		return record{point: point, fails: s.fails}
	}
	for j := range s.stats {
		st := &s.stats[j]
		switch {
		case st.n == 0:
			st.mean, st.sd = nan(), nan()
		case st.n == 1:
			st.sd = nan()
		default:
			st.sd = math.Sqrt(s.m2[j] / float64(st.n-1))
		}
	}
	return record{point: point, reps: s.reps, stats: s.stats}
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
	todo := rep.Points - rep.Done
	repWorkers := 1
	if todo > 0 && todo < workers {
		repWorkers = workers / todo
	}
	if todo > 0 {
		if opt.Progress != nil {
			opt.Progress(rep.Done, rep.Points)
		}
		if err := runPoints(ctx, e, jpath, done, k, n, workers, repWorkers, rep, opt.Progress); err != nil {
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

// runPoints computes the points of shard k of n not yet done, workers at
// a time, appending each to the journal as it finishes.
func runPoints(ctx context.Context, e *Experiment, jpath string, done []bool, k, n, workers, repWorkers int, rep *Report, progress func(int, int)) error {
	jf, err := os.OpenFile(jpath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer jf.Close()
	p := newPlan(e)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	results := make(chan record, workers)
	busy := make(chan time.Duration, workers)
	var busySum time.Duration
	busyDone := make(chan struct{})
	go func() {
		for d := range busy {
			busySum += d
		}
		close(busyDone)
	}()
	defer func() {
		<-busyDone
		rep.Busy += busySum
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				r, ok := evalPoint(ctx, e, p, i, repWorkers)
				busy <- time.Since(t0)
				if !ok {
					continue
				}
				results <- r
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := k; i < len(done); i += n {
			if done[i] {
				continue
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(busy)
		close(results)
	}()
	var werr error
	for r := range results {
		if werr != nil {
			continue
		}
		if _, err := jf.Write(r.encode()); err != nil {
			werr = err
		} else if err := jf.Sync(); err != nil {
			werr = err
		}
		if werr != nil {
			cancel()
			continue
		}
		rep.Done++
		rep.Ran++
		if !r.ok() {
			rep.Failed++
		}
		if progress != nil {
			progress(rep.Done, rep.Points)
		}
	}
	if werr != nil {
		return fmt.Errorf("sweep: writing %s: %w", jpath, werr)
	}
	if rep.Done < rep.Points {
		return ErrInterrupted
	}
	return nil
}

// sortJournal writes the records of the journals at paths, in point
// order, to JournalFile in folder dir, atomically. want, if not nil,
// reports the points expected (all others are an error); each point must
// appear once. The journals must have been scanned valid.
func sortJournal(dir string, paths []string, metrics, points int, want func(int) bool) error {
	index := make([]journalEntry, points)
	src := make([]int16, points)
	for i := range src {
		src[i] = -1
	}
	files := make([]*os.File, len(paths))
	for fi, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		files[fi] = f
		if _, err := scanJournal(path, metrics, points, func(r record, at journalEntry) {
			if src[r.point] < 0 {
				src[r.point], index[r.point] = int16(fi), at
			}
		}); err != nil {
			return err
		}
	}
	out, err := output.CreateAtomic(dir, JournalFile)
	if err != nil {
		return err
	}
	defer out.Abort()
	buf := make([]byte, 0, 1<<16)
	for i := range points {
		if src[i] < 0 {
			continue
		}
		if want != nil && !want(i) {
			return fmt.Errorf("%w: point %d does not belong here", ErrMismatch, i)
		}
		e := index[i]
		line := make([]byte, e.n)
		if _, err := files[src[i]].ReadAt(line, e.off); err != nil {
			return err
		}
		buf = append(buf, line...)
		if len(buf) >= 1<<15 {
			if _, err := out.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if _, err := out.Write(buf); err != nil {
		return err
	}
	return out.Commit()
}

// Merge combines the shard folders dirs of one sharded sweep into folder
// out and writes the outputs, byte-identical to those of the unsharded
// run (sweep.json aside). It refuses, with an error wrapping ErrMismatch,
// shards of different experiments, seeds, replicate counts or versions,
// and, wrapping ErrIncomplete, a set with a shard missing, repeated or
// unfinished.
func Merge(ctx context.Context, dirs []string, out string, opt Options) (*Report, error) {
	start := time.Now()
	if len(dirs) == 0 {
		return nil, fmt.Errorf("%w: no shard folders given", ErrIncomplete)
	}
	var first *Manifest
	var e *Experiment
	seen := map[int]string{}
	for _, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%w: %s is not a sweep folder (no %s)", ErrMismatch, d, ManifestFile)
			}
			return nil, err
		}
		if first == nil {
			first = m
			ex, _, err := loadFolder(d, opt.Version)
			if err != nil {
				return nil, err
			}
			e = ex
		}
		where := fmt.Sprintf("%s (shard %d/%d) and %s (shard %d/%d)", dirs[0], first.Shard, first.Shards, d, m.Shard, m.Shards)
		switch {
		case m.Experiment != first.Experiment:
			return nil, fmt.Errorf("%w: %s come from different experiments: %s and %s", ErrMismatch, where, first.Experiment, m.Experiment)
		case m.Seed != first.Seed:
			return nil, fmt.Errorf("%w: %s were run with different seeds: %d and %d", ErrMismatch, where, first.Seed, m.Seed)
		case m.Replicates != first.Replicates:
			return nil, fmt.Errorf("%w: %s were run with different replicates: %d and %d", ErrMismatch, where, first.Replicates, m.Replicates)
		case m.Version != first.Version || m.Version != opt.Version:
			return nil, fmt.Errorf("%w: %s were written by different versions: %s and %s (this program is %s)", ErrMismatch, where, first.Version, m.Version, opt.Version)
		case m.ExperimentID != first.ExperimentID:
			return nil, fmt.Errorf("%w: %s come from different definitions of experiment %s (the experiment or scenario file changed)", ErrMismatch, where, m.Experiment)
		case m.Shards != first.Shards:
			return nil, fmt.Errorf("%w: %s split the design differently: into %d and %d shards", ErrMismatch, where, first.Shards, m.Shards)
		}
		if prev, dup := seen[m.Shard]; dup {
			return nil, fmt.Errorf("%w: shard %d/%d is given twice: %s and %s", ErrIncomplete, m.Shard, m.Shards, prev, d)
		}
		seen[m.Shard] = d
		if !m.Completed {
			return nil, fmt.Errorf("%w: shard %d/%d in %s is unfinished (%d of %d points): finish it with `entrench sweep --resume %s`",
				ErrIncomplete, m.Shard, m.Shards, d, m.PointsDone, m.ShardPoints, d)
		}
	}
	var missing []string
	for k := range first.Shards {
		if _, ok := seen[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, first.Shards))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: shards %s are missing (have %d of %d)", ErrIncomplete, strings.Join(missing, ", "), len(seen), first.Shards)
	}
	// Scan every journal: each must hold exactly its shard's points.
	total := e.numPoints()
	var paths []string
	rep := &Report{Dir: out, Points: total}
	for _, d := range dirs {
		m, _ := ReadManifest(d)
		path := filepath.Join(d, JournalFile)
		count := 0
		bad := -1
		if _, err := scanJournal(path, len(e.Metrics), total, func(r record, _ journalEntry) {
			if r.point%m.Shards != m.Shard {
				bad = r.point
			}
			count++
			if !r.ok() {
				rep.Failed++
			}
		}); err != nil {
			return nil, err
		}
		if bad >= 0 {
			return nil, fmt.Errorf("%w: %s holds point %d, which is not in shard %d/%d", ErrMismatch, d, bad, m.Shard, m.Shards)
		}
		if count != m.ShardPoints {
			return nil, fmt.Errorf("%w: %s holds %d of its %d points: finish it with `entrench sweep --resume %s`", ErrIncomplete, d, count, m.ShardPoints, d)
		}
		rep.Done += count
		paths = append(paths, path)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	for _, d := range dirs {
		if same, _ := sameDir(d, out); same {
			return nil, fmt.Errorf("sweep: the merge output %s must not be one of the shard folders", out)
		}
	}
	src := filepath.Join(dirs[0])
	for _, name := range []string{ExperimentCopy, ScenarioCopy} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return nil, err
		}
		if err := writeFile(out, name, b); err != nil {
			return nil, err
		}
	}
	if err := sortJournal(out, paths, len(e.Metrics), total, nil); err != nil {
		return nil, err
	}
	m := *first
	m.Shard, m.Shards, m.ShardPoints = 0, 1, total
	m.PointsDone, m.PointsFailed = rep.Done, rep.Failed
	m.Args, m.Started, m.Completed = opt.Args, start, true
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	m.Workers = workers
	files, err := writeOutputs(ctx, e, out, opt)
	rep.Files = files
	if err != nil {
		return rep, err
	}
	rep.Outputs, m.Outputs, m.Files = true, true, files
	m.Finished = time.Now()
	if err := writeManifest(out, &m); err != nil {
		return rep, err
	}
	rep.Elapsed = time.Since(start)
	if rep.Failed > 0 {
		return rep, fmt.Errorf("%w: %d of %d points failed; see %s", ErrSomeFailed, rep.Failed, total, filepath.Join(out, "failures.csv"))
	}
	return rep, nil
}

func sameDir(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}
