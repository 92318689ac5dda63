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
	"slices"
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
	// ErrBadManifest: a folder's sweep.json cannot be read or does not
	// add up (a shard outside 0..shards-1, point counts that do not fit
	// the design): it was edited or damaged.
	ErrBadManifest = errors.New("sweep: bad sweep.json")
	// ErrLocked: another session is running, resuming or merging in the
	// folder (see LockFile).
	ErrLocked = errors.New("sweep: the folder is locked")
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
// where it stands. It is written when the sweep starts, rewritten while it
// runs (when a point finishes CheckpointInterval or CheckpointPoints
// points after the last rewrite) so that an interrupted folder shows its
// progress, and when it stops.
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
	// them that failed; while the sweep runs they may lag behind the
	// journal by up to a checkpoint.
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
		return nil, fmt.Errorf("%w: %s: %v", ErrBadManifest, filepath.Join(dir, ManifestFile), err)
	}
	return &m, nil
}

// Check reports, wrapping ErrBadManifest, whether the manifest read from
// folder dir adds up: 1 <= Points <= MaxPoints, Shards >= 1, 0 <= Shard <
// Shards, ShardPoints the number of points of that shard, 0 <=
// PointsFailed <= PointsDone <= ShardPoints and Replicates in range.
// Resume and Merge check every manifest, so that an edited or damaged
// sweep.json is refused rather than trusted.
func (m *Manifest) Check(dir string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s; the file was edited or damaged: restore it (shard K of N has shard K, shards N), or run the sweep again into another folder",
			ErrBadManifest, filepath.Join(dir, ManifestFile), fmt.Sprintf(format, args...))
	}
	switch {
	case m.Points < 1 || m.Points > MaxPoints:
		return bad("points is %d: must be from 1 to %d", m.Points, MaxPoints)
	case m.Shards < 1:
		return bad("shards is %d: must be at least 1", m.Shards)
	case m.Shard < 0 || m.Shard >= m.Shards:
		return bad("shard is %d: must be from 0 to shards-1 = %d", m.Shard, m.Shards-1)
	case m.ShardPoints != shardSize(m.Points, m.Shard, m.Shards):
		return bad("shard_points is %d: shard %d of %d of a %d-point design has %d", m.ShardPoints, m.Shard, m.Shards, m.Points, shardSize(m.Points, m.Shard, m.Shards))
	case m.PointsDone < 0 || m.PointsDone > m.ShardPoints:
		return bad("points_done is %d: must be from 0 to shard_points = %d", m.PointsDone, m.ShardPoints)
	case m.PointsFailed < 0 || m.PointsFailed > m.PointsDone:
		return bad("points_failed is %d: must be from 0 to points_done = %d", m.PointsFailed, m.PointsDone)
	case m.Replicates < 1 || m.Replicates > MaxReplicates:
		return bad("replicates is %d: must be from 1 to %d", m.Replicates, MaxReplicates)
	}
	return nil
}

// CheckpointInterval and CheckpointPoints say how often a running sweep
// rewrites sweep.json with its progress: after a point, once this much
// time or this many points have passed since the last time.
var (
	CheckpointInterval = 30 * time.Second
	CheckpointPoints   = 1000
)

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
	for _, f := range append(old.Files, JournalFile, ManifestFile) {
		if f == filepath.Base(f) && f != LockFile {
			os.Remove(filepath.Join(dir, f))
		}
	}
	return nil
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
	lock, err := lockFolder(dir)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	if err := prepareFolder(dir); err != nil {
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
	if err := m.Check(dir); err != nil {
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
	if e.ID() != m.ExperimentID {
		return nil, nil, fmt.Errorf("%w: the experiment stored in %s does not match its manifest", ErrMismatch, dir)
	}
	if e.numPoints() != m.Points {
		return nil, nil, fmt.Errorf("%w: %s: points is %d, but the experiment stored in %s has %d", ErrBadManifest, filepath.Join(dir, ManifestFile), m.Points, dir, e.numPoints())
	}
	return e, m, nil
}

// Resume finishes the sweep in folder dir (a shard's, or the whole
// design) and writes the outputs when it holds every point. The shard
// settings of opt are ignored: the folder's are used. Resuming a finished
// sweep rewrites its outputs. A folder whose sweep.json does not add up
// is refused (ErrBadManifest), as is one another session holds
// (ErrLocked).
func Resume(ctx context.Context, dir string, opt Options) (*Report, error) {
	if _, _, err := loadFolder(dir, opt.Version); err != nil {
		return nil, err
	}
	lock, err := lockFolder(dir)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	// Load again under the lock: a session that just ended may have
	// changed the manifest.
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
		if err := runPoints(ctx, e, jpath, done, k, n, workers, repWorkers, rep, opt.Progress, checkpoint); err != nil {
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
// a time, appending each to the journal as it finishes, and calls
// checkpoint as often as CheckpointInterval and CheckpointPoints say.
func runPoints(ctx context.Context, e *Experiment, jpath string, done []bool, k, n, workers, repWorkers int, rep *Report, progress func(int, int), checkpoint func() error) error {
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
	lastSave, sinceSave := time.Now(), 0
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
			werr = fmt.Errorf("sweep: writing %s: %w", jpath, werr)
			cancel()
			continue
		}
		rep.Done++
		rep.Ran++
		if !r.ok() {
			rep.Failed++
		}
		if sinceSave++; sinceSave >= CheckpointPoints || time.Since(lastSave) >= CheckpointInterval {
			if err := checkpoint(); err != nil {
				werr = err
				cancel()
				continue
			}
			lastSave, sinceSave = time.Now(), 0
		}
		if progress != nil {
			progress(rep.Done, rep.Points)
		}
	}
	if werr != nil {
		return werr
	}
	if rep.Done < rep.Points {
		return ErrInterrupted
	}
	return nil
}

// sortJournal writes the records of the journals at paths, in point
// order, to JournalFile in folder dir, atomically. want, if not nil,
// reports the points expected (all others are an error); where a point
// appears more than once, its first record is kept. The journals must
// have been scanned valid.
//
// It holds at most two files open whatever the number of journals (a
// merge of thousands of shards must not run out of file descriptors):
// the journals are indexed one after the other, each point's place in the
// output follows from the lengths of the lines before it, and each
// journal is then opened once to copy its lines to their places.
func sortJournal(dir string, paths []string, metrics, points int, want func(int) bool) error {
	index := make([]journalEntry, points)
	src := make([]int32, points)
	for i := range src {
		src[i] = -1
	}
	for fi, path := range paths {
		if _, err := scanJournal(path, metrics, points, func(r record, at journalEntry) {
			if src[r.point] < 0 {
				src[r.point], index[r.point] = int32(fi), at
			}
		}); err != nil {
			return err
		}
	}
	// Each journal's points in point order, with their offsets in the
	// output.
	moves := make([][]lineMove, len(paths))
	var size int64
	for i := range points {
		if src[i] < 0 {
			continue
		}
		if want != nil && !want(i) {
			return fmt.Errorf("%w: point %d does not belong here", ErrMismatch, i)
		}
		e := index[i]
		moves[src[i]] = append(moves[src[i]], lineMove{e.off, size, e.n})
		size += int64(e.n)
	}
	out, err := os.CreateTemp(dir, "."+JournalFile+".*.tmp")
	if err != nil {
		return err
	}
	tmp := out.Name()
	committed := false
	defer func() {
		if !committed {
			out.Close()
			os.Remove(tmp)
		}
	}()
	if err := out.Truncate(size); err != nil {
		return err
	}
	for fi, path := range paths {
		if len(moves[fi]) == 0 {
			continue
		}
		if err := copyLines(out, path, moves[fi]); err != nil {
			return err
		}
		moves[fi] = nil
	}
	err = out.Sync()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, JournalFile))
	}
	if err != nil {
		return fmt.Errorf("sweep: writing %s: %w", filepath.Join(dir, JournalFile), err)
	}
	committed = true
	return nil
}

// lineMove is a journal line to copy: n bytes from offset from of a
// journal to offset to of the sorted journal.
type lineMove struct {
	from, to int64
	n        int32
}

// copyLines copies lines of the journal at path to out. Moves are in
// increasing order of to; runs of lines that are contiguous in out are
// written at once.
func copyLines(out *os.File, path string, moves []lineMove) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 0, 1<<16)
	var at int64 // offset in out of buf[0]
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		_, err := out.WriteAt(buf, at)
		buf = buf[:0]
		return err
	}
	for _, m := range moves {
		if len(buf) > 0 && (at+int64(len(buf)) != m.to || len(buf)+int(m.n) > cap(buf)) {
			if err := flush(); err != nil {
				return err
			}
		}
		if len(buf) == 0 {
			at = m.to
		}
		start := len(buf)
		buf = slices.Grow(buf, int(m.n))[:start+int(m.n)]
		if _, err := f.ReadAt(buf[start:], m.from); err != nil {
			return fmt.Errorf("sweep: reading %s: %w", path, err)
		}
	}
	return flush()
}

// Merge combines the shard folders dirs of one sharded sweep into folder
// out and writes the outputs, byte-identical to those of the unsharded
// run (sweep.json aside). It refuses, with an error wrapping ErrMismatch,
// shards of different experiments, seeds, replicate counts or versions,
// wrapping ErrIncomplete, a set with a shard missing, repeated or
// unfinished, and, wrapping ErrBadManifest, a shard whose sweep.json does
// not add up. Like Run, it refuses an out folder holding an unfinished
// sweep (ErrUnfinished) or in use by another session (ErrLocked), and
// replaces a finished one.
func Merge(ctx context.Context, dirs []string, out string, opt Options) (*Report, error) {
	start := time.Now()
	if len(dirs) == 0 {
		return nil, fmt.Errorf("%w: no shard folders given", ErrIncomplete)
	}
	var first *Manifest
	var e *Experiment
	seen := map[int]string{}
	manifests := make([]*Manifest, len(dirs))
	for i, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%w: %s is not a sweep folder (no %s)", ErrMismatch, d, ManifestFile)
			}
			return nil, err
		}
		if err := m.Check(d); err != nil {
			return nil, err
		}
		manifests[i] = m
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
		case m.Points != first.Points:
			return nil, fmt.Errorf("%w: %s: points is %d, but the experiment has %d", ErrBadManifest, filepath.Join(d, ManifestFile), m.Points, first.Points)
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
	if len(seen) < first.Shards {
		// Name the first few missing shards (Shards may be huge).
		var missing []string
		for k := 0; k < first.Shards && len(missing) < 10; k++ {
			if _, ok := seen[k]; !ok {
				missing = append(missing, fmt.Sprintf("%d/%d", k, first.Shards))
			}
		}
		if n := first.Shards - len(seen); n > len(missing) {
			missing = append(missing, fmt.Sprintf("and %d more", n-len(missing)))
		}
		return nil, fmt.Errorf("%w: shards %s are missing (have %d of %d)", ErrIncomplete, strings.Join(missing, ", "), len(seen), first.Shards)
	}
	// Scan every journal: each must hold exactly its shard's points.
	total := e.numPoints()
	var paths []string
	rep := &Report{Dir: out, Points: total}
	for i, d := range dirs {
		m := manifests[i]
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
	lock, err := lockFolder(out)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	if err := prepareFolder(out); err != nil {
		return nil, err
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
