package claims

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
	"github.com/entrench/entrench/sweep"
)

// DefaultRobustRuns is the replicates per scenario of each robustness
// draw when RobustSettings.Runs is zero.
const DefaultRobustRuns = 10

// RobustManifestFile describes a robustness folder: its settings (which a
// resumed session or a merge must match) and progress. The per-draw
// results are in the folder's sweep.JournalFile, one line per draw: the
// draw's number, its replicates, and per test (in catalogue order) the
// mean, standard deviation and count of the deciding estimate's
// per-replicate values (NaN for a test not run).
const RobustManifestFile = "robustness.json"

// Random-stream purposes of the Latin hypercube (distinct from sim's and
// sweep's).
const (
	purposeLHSPerm   uint64 = 3000
	purposeLHSJitter uint64 = 3001
)

// ErrRobust marks a robustness folder that does not match the settings,
// or shards that do not make a whole.
var ErrRobust = errors.New("claims: robustness folder mismatch")

// RobustSettings configure Robust.
type RobustSettings struct {
	// Settings are the claims settings of every draw: Runs is the
	// replicates per scenario per draw (zero: DefaultRobustRuns), Seed
	// seeds the draws and the runs, Sets apply under the draw's
	// coefficients, Tests default to the Catalogue. Progress is ignored.
	Settings
	// N is the number of coefficient draws, at least 1.
	N int
	// Dir is the folder of the journal and manifest, created if missing.
	Dir string
	// Shard and Shards split the draws: this session runs the draws i
	// with i mod Shards == Shard. Shards zero means one shard.
	Shard, Shards int
	// Slurm identifies the Slurm job holding the folder's lock (zero
	// outside Slurm).
	Slurm sweep.SlurmJob
	// Ranges are the coefficients drawn and their ranges; nil means
	// scenarios.CoefficientRanges().
	Ranges []scenarios.Range
	// Version is the program version; a folder written by another
	// version is not resumed or merged.
	Version string
	// Progress, if not nil, is called after each draw with the draws done
	// in this shard and the shard's total.
	Progress func(done, total int)
}

// robustManifest is the content of RobustManifestFile.
type robustManifest struct {
	Version   string    `json:"version"`
	N         int       `json:"draws"`
	Runs      int       `json:"runs_per_draw"`
	Seed      uint64    `json:"seed"`
	Sets      []string  `json:"sets"`
	Tests     []string  `json:"tests"`
	Keys      []string  `json:"coefficients"`
	Lo        []float64 `json:"lo"`
	Hi        []float64 `json:"hi"`
	Shard     int       `json:"shard"`
	Shards    int       `json:"shards"`
	Done      int       `json:"draws_done"`
	Completed bool      `json:"completed"`
	Elapsed   float64   `json:"elapsed_seconds"`
}

// same reports whether two manifests describe the same robustness run
// (progress and shard aside).
func (m *robustManifest) same(o *robustManifest) bool {
	return m.Version == o.Version && m.N == o.N && m.Runs == o.Runs && m.Seed == o.Seed &&
		slices.Equal(m.Sets, o.Sets) && slices.Equal(m.Tests, o.Tests) && slices.Equal(m.Keys, o.Keys) &&
		slices.Equal(m.Lo, o.Lo) && slices.Equal(m.Hi, o.Hi)
}

func (s *RobustSettings) normalize() error {
	if s.Runs == 0 {
		s.Runs = DefaultRobustRuns
	}
	if err := s.Settings.normalize(); err != nil {
		return err
	}
	if s.N < 1 {
		return fmt.Errorf("%w: the number of robustness draws must be at least 1, got %d", ErrSettings, s.N)
	}
	if s.Dir == "" {
		return fmt.Errorf("%w: robustness needs a folder", ErrSettings)
	}
	k, n, err := sweep.CheckShard(s.Shard, s.Shards)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSettings, err)
	}
	s.Shard, s.Shards = k, n
	if s.Ranges == nil {
		s.Ranges = scenarios.CoefficientRanges()
	}
	return nil
}

func (s *RobustSettings) manifest() *robustManifest {
	m := &robustManifest{Version: s.Version, N: s.N, Runs: s.Runs, Seed: s.Seed, Sets: s.Sets, Shard: s.Shard, Shards: s.Shards}
	if m.Sets == nil {
		m.Sets = []string{}
	}
	for _, t := range s.Tests {
		m.Tests = append(m.Tests, t.ID)
	}
	for _, r := range s.Ranges {
		m.Keys, m.Lo, m.Hi = append(m.Keys, r.Key), append(m.Lo, r.Lo), append(m.Hi, r.Hi)
	}
	return m
}

// LatinHypercube returns the unit-cube positions of draw i of n in d
// dimensions: per dimension, a random permutation of the n strata
// (seeded by seed and the dimension) and a uniform jitter inside the
// stratum (seeded by seed, the draw and the dimension). A draw's
// positions do not depend on which shard computes it.
func LatinHypercube(seed uint64, n, d, i int) []float64 {
	u := make([]float64, d)
	for j := range d {
		perm := rand.New(rand.NewPCG(sim.StreamSeed(seed, 0, j, purposeLHSPerm))).Perm(n)
		jit := rand.New(rand.NewPCG(sim.StreamSeed(seed, i, j, purposeLHSJitter))).Float64()
		u[j] = (float64(perm[i]) + jit) / float64(n)
	}
	return u
}

// Draw returns the overrides of coefficient draw i of n over ranges.
func Draw(seed uint64, n, i int, ranges []scenarios.Range) []string {
	u := LatinHypercube(seed, n, len(ranges), i)
	sets := make([]string, len(ranges))
	for j, r := range ranges {
		sets[j] = r.Key + "=" + r.Value(u[j])
	}
	return sets
}

// Robust runs this shard's coefficient draws not yet in the folder's
// journal, appending each draw's per-test estimates as it finishes, so
// that an interrupted session resumes where it stopped. A folder holding
// another robustness run is refused (ErrRobust); one held by a live
// session, too (sweep.ErrLocked). It returns the number of draws run in
// this session.
func Robust(ctx context.Context, s RobustSettings) (int, error) {
	if err := s.normalize(); err != nil {
		return 0, err
	}
	start := time.Now()
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return 0, err
	}
	lock, err := sweep.LockDir(s.Dir, s.Slurm)
	if err != nil {
		return 0, err
	}
	defer lock.Release()
	man := s.manifest()
	if old, err := readRobustManifest(s.Dir); err == nil {
		if !old.same(man) || old.Shard != man.Shard || old.Shards != man.Shards {
			return 0, fmt.Errorf("%w: %s holds another robustness run (draws, replicates, seed, overrides, tests, ranges, shard or version differ); use another folder", ErrRobust, s.Dir)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	sets, err := parseOverrides(s.Sets)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrSettings, err)
	}
	nt := len(s.Tests)
	done := make([]bool, s.N)
	valid, err := sweep.ScanJournal(s.Dir, nt, s.N, func(r sweep.Record) { done[r.Point] = true })
	if err != nil {
		return 0, err
	}
	jpath := filepath.Join(s.Dir, sweep.JournalFile)
	if err := os.Truncate(jpath, valid); err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	total := sweep.ShardSize(s.N, s.Shard, s.Shards)
	count := 0
	for i := s.Shard; i < s.N; i += s.Shards {
		if done[i] {
			count++
		}
	}
	man.Done = count
	if err := output.WriteJSON(s.Dir, RobustManifestFile, man); err != nil {
		return 0, err
	}
	jf, err := os.OpenFile(jpath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return 0, err
	}
	defer jf.Close()
	ran := 0
	for i := s.Shard; i < s.N; i += s.Shards {
		if done[i] {
			continue
		}
		ovs, err := parseOverrides(Draw(s.Seed, s.N, i, s.Ranges))
		if err != nil {
			return ran, fmt.Errorf("%w: %w", ErrSettings, err)
		}
		b := &batchRunner{runs: s.Runs, workers: s.Workers, seed: s.Seed, sets: append(ovs, sets...)}
		results, err := b.run(ctx, s.Tests, i+1)
		if err != nil {
			man.Elapsed += time.Since(start).Seconds()
			_ = output.WriteJSON(s.Dir, RobustManifestFile, man)
			return ran, err
		}
		rec := sweep.Record{Point: i, Reps: s.Runs, Stats: make([]sweep.Stat, nt)}
		for k, r := range results {
			rec.Stats[k] = sweep.Stat{Mean: r.Effect.Mean, SD: r.Effect.SD, N: r.Effect.N}
		}
		if err := sweep.AppendRecord(jf, rec); err != nil {
			return ran, fmt.Errorf("claims: writing %s: %w", jpath, err)
		}
		ran++
		count++
		if s.Progress != nil {
			s.Progress(count, total)
		}
	}
	man.Done, man.Completed = count, count == total
	man.Elapsed += time.Since(start).Seconds()
	if err := output.WriteJSON(s.Dir, RobustManifestFile, man); err != nil {
		return ran, err
	}
	if man.Completed {
		if err := sweep.SortJournals(s.Dir, []string{s.Dir}, nt, s.N); err != nil {
			return ran, err
		}
	}
	return ran, nil
}

func readRobustManifest(dir string) (*robustManifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, RobustManifestFile))
	if err != nil {
		return nil, err
	}
	var m robustManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrRobust, filepath.Join(dir, RobustManifestFile), err)
	}
	return &m, nil
}

// MergeRobust combines the finished shard folders dirs of one robustness
// run into folder out (a whole, unsharded folder). It refuses shards of
// different runs, a shard missing, repeated or unfinished (ErrRobust).
func MergeRobust(dirs []string, out string, slurm sweep.SlurmJob) error {
	if len(dirs) == 0 {
		return fmt.Errorf("%w: no shard folders given", ErrRobust)
	}
	var first *robustManifest
	seen := map[int]string{}
	for _, d := range dirs {
		m, err := readRobustManifest(d)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrRobust, d, err)
		}
		if first == nil {
			first = m
		}
		switch {
		case !m.same(first) || m.Shards != first.Shards:
			return fmt.Errorf("%w: %s and %s come from different robustness runs", ErrRobust, dirs[0], d)
		case !m.Completed:
			return fmt.Errorf("%w: shard %d/%d in %s is unfinished (%d draws done): run it again to finish", ErrRobust, m.Shard, m.Shards, d, m.Done)
		}
		if prev, dup := seen[m.Shard]; dup {
			return fmt.Errorf("%w: shard %d/%d is given twice: %s and %s", ErrRobust, m.Shard, m.Shards, prev, d)
		}
		seen[m.Shard] = d
	}
	if len(seen) != first.Shards {
		return fmt.Errorf("%w: %d of %d shards given", ErrRobust, len(seen), first.Shards)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	lock, err := sweep.LockDir(out, slurm)
	if err != nil {
		return err
	}
	defer lock.Release()
	if err := sweep.SortJournals(out, dirs, len(first.Tests), first.N); err != nil {
		return err
	}
	n := 0
	if _, err := sweep.ScanJournal(out, len(first.Tests), first.N, func(sweep.Record) { n++ }); err != nil {
		return err
	}
	if n != first.N {
		return fmt.Errorf("%w: the shards hold %d of %d draws", ErrRobust, n, first.N)
	}
	m := *first
	m.Shard, m.Shards, m.Done, m.Completed = 0, 1, n, true
	return output.WriteJSON(out, RobustManifestFile, &m)
}

// ApplyRobustness reads the finished robustness folder dir, which must
// hold a run of the report's tests, and sets each result's Robust and
// verdict and each claim's verdict.
func (r *Report) ApplyRobustness(dir string) error {
	m, err := readRobustManifest(dir)
	if err != nil {
		return err
	}
	var ids []string
	for _, c := range r.Claims {
		for _, t := range c.Results {
			ids = append(ids, t.ID)
		}
	}
	if !m.Completed || m.Shards != 1 {
		return fmt.Errorf("%w: %s is not a finished, whole robustness run (merge its shards first)", ErrRobust, dir)
	}
	if !reflect.DeepEqual(slices.Sorted(slices.Values(ids)), slices.Sorted(slices.Values(m.Tests))) {
		return fmt.Errorf("%w: %s was run on other tests", ErrRobust, dir)
	}
	rob := make(map[string]*Robustness, len(m.Tests))
	byID := map[string]Test{}
	for _, c := range r.Claims {
		for _, t := range c.Results {
			byID[t.ID] = t.Test
		}
	}
	for _, id := range m.Tests {
		rob[id] = &Robustness{}
	}
	if _, err := sweep.ScanJournal(dir, len(m.Tests), m.N, func(rec sweep.Record) {
		for k, st := range rec.Stats {
			id := m.Tests[k]
			t, x := byID[id], rob[id]
			if math.IsNaN(st.Mean) || st.N == 0 {
				continue
			}
			x.Sets++
			if t.pointHolds(st.Mean) {
				x.Holds++
			}
			e := estimate.FromSD(st.Mean, st.SD, st.N, sim.Confidence)
			if t.holds(e.Lo, e.Hi) {
				x.Significant++
			}
		}
	}); err != nil {
		return err
	}
	for _, x := range rob {
		x.Share, x.Lo, x.Hi = math.NaN(), math.NaN(), math.NaN()
		if x.Sets > 0 {
			x.Share = float64(x.Holds) / float64(x.Sets)
			x.Lo, x.Hi = Wilson(x.Holds, x.Sets, 1.959963984540054)
		}
	}
	for ci := range r.Claims {
		c := &r.Claims[ci]
		for ti := range c.Results {
			c.Results[ti].Robust = rob[c.Results[ti].ID]
			c.Results[ti].verdict()
		}
		c.setVerdict()
	}
	r.RobustSets, r.RobustRuns = m.N, m.Runs
	return nil
}

// Wilson returns the Wilson score interval of a proportion k of n at
// normal quantile z (1.96 for 95%); NaN for n = 0.
func Wilson(k, n int, z float64) (lo, hi float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	p, nf := float64(k)/float64(n), float64(n)
	den := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / den
	h := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return math.Max(0, c-h), math.Min(1, c+h)
}
