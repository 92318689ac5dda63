package lab

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
	"github.com/entrench/entrench/study"
)

// Job states.
const (
	stateQueued    = "queued"
	stateRunning   = "running"
	stateDone      = "done"
	stateFailed    = "failed"
	stateCancelled = "cancelled"
)

// keepFinished is how many finished jobs (done, failed or cancelled) the
// server keeps, for their page, figures and scenario file; the ones that
// finished longest ago are forgotten first. A finished job holds its
// table and figures (a few hundred KB), never the aggregates of the run,
// which go when the run returns. Queued and running jobs are always kept;
// there are at most 5*MaxConcurrent of them (MaxConcurrent computing,
// 4*MaxConcurrent waiting).
const keepFinished = 8

// Causes of a job's cancellation.
var (
	errSuperseded = errors.New("lab: a newer run from the same page replaced this one")
	errCancelled  = errors.New("lab: cancelled from the page")
	errStopping   = errors.New("lab: the server is stopping")
	errTimeout    = errors.New("lab: run timed out")
	errBusy       = errors.New("lab: too many runs waiting")
)

// job is one paired run. Its fields after mu are guarded by mu; done is
// updated by the batch's progress callback and read by status requests.
type job struct {
	id, page string
	set      settings
	a, b     *scenarios.Scenario
	// src is the scenario file A was loaded from and ovs the lever
	// overrides that make B of it: a posterior ensemble loads its
	// particles' models from them.
	src     source
	ovs     []scenarios.Override
	changed int
	// posterior is the server's posterior line, "" without one.
	posterior string
	started   time.Time
	cancel    context.CancelCauseFunc
	done      atomic.Int64

	mu       sync.Mutex
	state    string
	msg      string
	finished time.Time
	res      *result
}

// status is the JSON the page polls.
type status struct {
	Job       string `json:"job"`
	State     string `json:"state"`
	Done      int64  `json:"done"`
	Total     int    `json:"total"`
	ElapsedMS int64  `json:"elapsed_ms"`
	Message   string `json:"message,omitempty"`
}

func (j *job) status() status {
	j.mu.Lock()
	defer j.mu.Unlock()
	end := j.finished
	if end.IsZero() {
		end = time.Now()
	}
	return status{Job: j.id, State: j.state, Done: j.done.Load(), Total: j.set.Runs,
		ElapsedMS: end.Sub(j.started).Milliseconds(), Message: j.msg}
}

func (j *job) finish(state, msg string, res *result) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.state, j.msg, j.res, j.finished = state, msg, res, time.Now()
}

func (j *job) result() (*result, string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.res, j.state
}

func (j *job) over() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state != stateQueued && j.state != stateRunning
}

// newID returns 32 random hex digits.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validID reports whether id looks like newID's output.
func validID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// start registers and starts a run for page, cancelling the page's
// previous run: A and B were loaded from src, B with the lever overrides
// ovs. It fails with errBusy when too many runs are waiting.
func (s *Server) start(page string, set settings, a, b *scenarios.Scenario, src source, ovs []scenarios.Override) (*job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errStopping
	}
	if old := s.jobs[s.pages[page]]; old != nil {
		old.cancel(errSuperseded)
	}
	if s.waiting.Load() >= int64(4*s.cfg.MaxConcurrent) {
		return nil, errBusy
	}
	ctx, cancel := context.WithCancelCause(s.ctx)
	ctx, stop := context.WithTimeoutCause(ctx, s.cfg.RunTimeout, errTimeout)
	j := &job{id: newID(), page: page, set: set, a: a, b: b, src: src, ovs: ovs, changed: len(ovs), posterior: s.posteriorLine(), started: time.Now(), state: stateQueued,
		cancel: func(cause error) { cancel(cause); stop() }}
	s.evict()
	s.jobs[j.id] = j
	s.order = append(s.order, j.id)
	s.pages[page] = j.id
	s.waiting.Add(1)
	s.wg.Add(1)
	go s.run(ctx, j)
	return j, nil
}

// evict forgets the finished jobs beyond the keepFinished that finished
// last. Called with s.mu held, when a job starts and when one finishes.
func (s *Server) evict() {
	type fin struct {
		id string
		at time.Time
	}
	var done []fin
	for _, id := range s.order {
		j := s.jobs[id]
		j.mu.Lock()
		if j.state != stateQueued && j.state != stateRunning {
			done = append(done, fin{id, j.finished})
		}
		j.mu.Unlock()
	}
	if len(done) <= keepFinished {
		return
	}
	slices.SortStableFunc(done, func(a, b fin) int { return a.at.Compare(b.at) })
	gone := make(map[string]bool, len(done)-keepFinished)
	for _, f := range done[:len(done)-keepFinished] {
		gone[f.id] = true
		if j := s.jobs[f.id]; s.pages[j.page] == f.id {
			delete(s.pages, j.page)
		}
		delete(s.jobs, f.id)
	}
	s.order = slices.DeleteFunc(s.order, func(id string) bool { return gone[id] })
}

// job returns the job with the given id, or nil.
func (s *Server) job(id string) *job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobs[id]
}

// run waits for a slot, runs the comparison and stores its result.
func (s *Server) run(ctx context.Context, j *job) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		s.evict()
		s.mu.Unlock()
	}()
	defer j.cancel(nil)
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(s.cfg.Log, "lab: panic in run %s: %v\n%s", j.id, v, debug.Stack())
			j.finish(stateFailed, "The run failed with an internal error; the server keeps running. Try other settings.", nil)
		}
	}()
	select {
	case s.sem <- struct{}{}:
		s.waiting.Add(-1)
	case <-ctx.Done():
		s.waiting.Add(-1)
		s.interrupted(ctx, j)
		return
	}
	defer func() { <-s.sem }()
	j.mu.Lock()
	j.state = stateRunning
	j.mu.Unlock()

	ma, err := sim.Compile(j.a)
	if err != nil {
		j.finish(stateFailed, err.Error(), nil)
		return
	}
	mb, err := sim.Compile(j.b)
	if err != nil {
		j.finish(stateFailed, err.Error(), nil)
		return
	}
	if s.cfg.Posterior != nil {
		if ma, err = s.ensemble(ctx, ma, j.src, nil); err == nil {
			mb, err = s.ensemble(ctx, mb, j.src, j.ovs)
		}
		if ctx.Err() != nil {
			s.interrupted(ctx, j)
			return
		}
		if err != nil {
			j.finish(stateFailed, fmt.Sprintf("The posterior %s does not fit this scenario: %v", s.cfg.PosteriorFile, err), nil)
			return
		}
	}
	// In memory: no output folder. The scenarios carry the page's runs
	// and seed.
	st := study.Settings{Workers: s.cfg.Workers, Progress: func(done, _ int) { j.done.Store(int64(done)) }}
	sr, err := s.compare(ctx, ma, mb, st)
	var c *sim.Comparison
	var rep sim.Report
	if sr != nil {
		c, rep = sr.Comparison, sr.Report
	}
	switch {
	case errors.Is(err, sim.ErrInterrupted):
		s.interrupted(ctx, j)
		return
	case err != nil:
		fmt.Fprintf(s.cfg.Log, "lab: run %s failed: %v\n", j.id, err)
		j.finish(stateFailed, "The run failed: "+err.Error(), nil)
		return
	case c.Diff.N() == 0:
		j.finish(stateFailed, fmt.Sprintf("Every one of the %d pairs failed; no result to show.", rep.Delivered), nil)
		return
	}
	res, err := newResult(c, rep, j.a, j.b, j.changed)
	if err != nil {
		fmt.Fprintf(s.cfg.Log, "lab: figures of run %s: %v\n", j.id, err)
		j.finish(stateFailed, "The figures could not be drawn: "+err.Error(), nil)
		return
	}
	res.Elapsed = time.Since(j.started)
	j.finish(stateDone, "", res)
}

// ensemble returns m with the server's posterior attached, the ensemble
// `entrench run --posterior` and `entrench compare --posterior` build: one
// model per particle, loaded from src with the lever overrides ovs and
// then the particle's values, with m's replicates and seed. Only the
// particles that m's replicates draw are loaded and compiled (a run of 300
// pairs draws at most 300 of a posterior's 1,000 particles, and compiling
// one takes milliseconds); the slots of the others hold m itself, which
// has the layout WithPosterior checks and which no replicate runs. Which
// particle replicate r draws depends only on the seed and the weights
// (sim.Model.Particle), so the result is that of the full ensemble.
func (s *Server) ensemble(ctx context.Context, m *sim.Model, src source, ovs []scenarios.Override) (*sim.Model, error) {
	p := s.cfg.Posterior
	models := make([]*sim.Model, len(p.Particles))
	for i := range models {
		models[i] = m
	}
	probe, err := m.WithPosterior(models, p.Weights)
	if err != nil {
		return nil, err
	}
	used := make([]bool, len(models))
	for r := range m.Scenario.Runs {
		used[probe.Particle(0, r)] = true
	}
	for i := range models {
		if !used[i] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sc, err := scenarios.Load(src.file, src.data, append(slices.Clip(ovs), p.Overrides(i)...))
		if err != nil {
			return nil, fmt.Errorf("particle %d: %w", i+1, err)
		}
		sc.Runs, sc.Seed = m.Scenario.Runs, m.Scenario.Seed
		if models[i], err = sim.Compile(sc); err != nil {
			return nil, fmt.Errorf("particle %d: %w", i+1, err)
		}
	}
	return m.WithPosterior(models, p.Weights)
}

// interrupted records why a job stopped before finishing.
func (s *Server) interrupted(ctx context.Context, j *job) {
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errTimeout):
		j.finish(stateFailed, fmt.Sprintf("The run was stopped after %s, the lab's time limit. Try fewer replicates.", s.cfg.RunTimeout), nil)
	case errors.Is(cause, errSuperseded):
		j.finish(stateCancelled, "Replaced by a newer run.", nil)
	case errors.Is(cause, errStopping):
		j.finish(stateCancelled, "The server is stopping.", nil)
	default:
		j.finish(stateCancelled, "Cancelled.", nil)
	}
}
