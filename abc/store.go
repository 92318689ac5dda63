package abc

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
)

// ErrCheckpoint is wrapped by errors about a checkpoint folder: a file that
// cannot be read, or one written by a run with other settings.
var ErrCheckpoint = errors.New("abc: bad checkpoint")

// FileFormat is the format tag of generation and shard files.
const FileFormat = "entrench-abc/1"

// genFile is the on-disk form of a Generation. Floats round-trip exactly
// (encoding/json writes the shortest representation that parses back to
// the same float64); the only infinite value, generation 0's tolerance, is
// null.
type genFile struct {
	Format           string      `json:"format"`
	Run              string      `json:"run"`
	Generation       int         `json:"generation"`
	Tolerance        *float64    `json:"tolerance"`
	Simulations      int         `json:"simulations"`
	TotalSimulations int         `json:"total_simulations"`
	ESS              float64     `json:"ess"`
	Seconds          float64     `json:"seconds"`
	Distance         *Distance   `json:"distance"`
	Weights          []float64   `json:"weights"`
	Distances        []float64   `json:"distances"`
	Particles        [][]float64 `json:"particles"`
	Summaries        [][]float64 `json:"summaries"`
}

// shardFile is the on-disk form of a Shard.
type shardFile struct {
	Format string `json:"format"`
	Run    string `json:"run"`
	Shard
}

// Fingerprint identifies the problem and the result settings: two runs
// with the same fingerprint give the same generations. It is stored in
// every file and checked when one is read.
func Fingerprint(p *Problem, s Settings) string {
	s = s.withDefaults()
	type prior struct {
		Name string
		Prior
	}
	ps := make([]prior, len(p.Params))
	for i, q := range p.Params {
		ps[i] = prior{q.Name, q.Prior}
	}
	// %v prints floats in their shortest exact form.
	return fmt.Sprintf("%v", struct {
		Params     []prior
		Observed   []float64
		Weights    []float64
		Seed       uint64
		Particles  int
		Quantile   float64
		Tolerances []float64
		Scale      string
	}{ps, p.Observed, p.Weights, s.Seed, s.Particles, s.Quantile, s.Tolerances, s.Scale.String()})
}

// GenerationFile is the name of generation t's file in a checkpoint folder.
func GenerationFile(t int) string { return fmt.Sprintf("gen-%04d.json", t) }

// ShardFile is the name of the shard file of attempts first..first+count-1
// of generation t.
func ShardFile(t, first, count int) string {
	return fmt.Sprintf("gen-%04d-attempts-%09d-%09d.json", t, first, first+count)
}

// WriteGeneration writes g atomically into folder dir (which must exist),
// tagged with the fingerprint of p and s.
func WriteGeneration(dir string, p *Problem, s Settings, g *Generation) error {
	f := genFile{
		Format: FileFormat, Run: Fingerprint(p, s), Generation: g.Index,
		Simulations: g.Simulations, TotalSimulations: g.TotalSimulations,
		ESS: g.ESS, Seconds: g.Seconds, Distance: g.Distance, Weights: g.Weights,
		Distances: g.Distances, Particles: g.Particles, Summaries: g.Summaries,
	}
	if !math.IsInf(g.Tolerance, 1) {
		f.Tolerance = &g.Tolerance
	}
	b, err := json.Marshal(&f)
	if err != nil {
		return fmt.Errorf("abc: writing generation %d: %w", g.Index, err)
	}
	return writeAtomic(dir, GenerationFile(g.Index), append(b, '\n'))
}

// ReadGeneration reads generation t from folder dir and checks that it was
// written for p and s.
func ReadGeneration(dir string, t int, p *Problem, s Settings) (*Generation, error) {
	path := filepath.Join(dir, GenerationFile(t))
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	return decodeGeneration(path, b, t, p, s)
}

// decodeGeneration parses and checks the contents b of generation file
// path.
func decodeGeneration(path string, b []byte, t int, p *Problem, s Settings) (*Generation, error) {
	var f genFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCheckpoint, path, err)
	}
	if err := checkTag(path, f.Format, f.Run, p, s); err != nil {
		return nil, err
	}
	if f.Generation != t || (t > 0) != (f.Tolerance != nil) {
		return nil, fmt.Errorf("%w: %s does not hold generation %d", ErrCheckpoint, path, t)
	}
	g := &Generation{
		Index: t, Tolerance: math.Inf(1), Particles: f.Particles, Summaries: f.Summaries,
		Weights: f.Weights, Distances: f.Distances, Simulations: f.Simulations,
		TotalSimulations: f.TotalSimulations, ESS: f.ESS, Seconds: f.Seconds, Distance: f.Distance,
	}
	if f.Tolerance != nil {
		g.Tolerance = *f.Tolerance
	}
	if err := checkGeneration(g, p, s); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCheckpoint, path, err)
	}
	return g, nil
}

// checkGeneration checks that g is a well-formed population of p under s.
func checkGeneration(g *Generation, p *Problem, s Settings) error {
	s = s.withDefaults()
	n, dim, ns := s.Particles, len(p.Params), len(p.Observed)
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case len(g.Particles) != n || len(g.Weights) != n || len(g.Distances) != n || len(g.Summaries) != n:
		return fmt.Errorf("generation %d does not hold %d particles with weights, distances and summaries", g.Index, n)
	case g.Index < 0 || (g.Index == 0) != math.IsInf(g.Tolerance, 1) || !(g.Tolerance > 0):
		return fmt.Errorf("generation %d has tolerance %g", g.Index, g.Tolerance)
	case g.Simulations < n || g.TotalSimulations < g.Simulations:
		return fmt.Errorf("generation %d counts %d simulations (%d in all) for %d particles", g.Index, g.Simulations, g.TotalSimulations, n)
	}
	d := g.Distance
	if d == nil || len(d.Observed) != ns || len(d.Scales) != ns || len(d.Weights) != ns {
		return fmt.Errorf("generation %d has no distance for %d summaries", g.Index, ns)
	}
	for k := range ns {
		if !finite(d.Observed[k]) || !(d.Scales[k] > 0) || !finite(d.Scales[k]) || !(d.Weights[k] >= 0) || !finite(d.Weights[k]) {
			return fmt.Errorf("generation %d: summary %d has a bad observed value, scale or weight", g.Index, k+1)
		}
	}
	sum := 0.0
	for i := range n {
		if len(g.Particles[i]) != dim || len(g.Summaries[i]) != ns {
			return fmt.Errorf("generation %d: particle %d has %d parameters and %d summaries, want %d and %d",
				g.Index, i, len(g.Particles[i]), len(g.Summaries[i]), dim, ns)
		}
		for _, x := range g.Particles[i] {
			if !finite(x) {
				return fmt.Errorf("generation %d: particle %d is not finite", g.Index, i)
			}
		}
		if w := g.Weights[i]; !(w >= 0) || !finite(w) {
			return fmt.Errorf("generation %d: particle %d has weight %g", g.Index, i, w)
		}
		if x := g.Distances[i]; !(x >= 0) || !finite(x) {
			return fmt.Errorf("generation %d: particle %d has distance %g", g.Index, i, x)
		}
		sum += g.Weights[i]
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("generation %d: weights sum to %g, not 1", g.Index, sum)
	}
	return nil
}

var genName = regexp.MustCompile(`^gen-(\d{4,})\.json$`)

// ReadGenerations reads generations 0, 1, ... from folder dir up to the
// first one missing, and checks that they were written for p and s. A
// missing folder holds no generations.
func ReadGenerations(dir string, p *Problem, s Settings) ([]*Generation, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	var idx []int
	for _, e := range ents {
		if m := genName.FindStringSubmatch(e.Name()); m != nil {
			t, _ := strconv.Atoi(m[1])
			idx = append(idx, t)
		}
	}
	slices.Sort(idx)
	var gens []*Generation
	for i, t := range idx {
		if t != i {
			break
		}
		g, err := ReadGeneration(dir, t, p, s)
		if err != nil {
			return nil, err
		}
		gens = append(gens, g)
	}
	return gens, nil
}

// WriteShard writes sh atomically into folder dir, named by ShardFile and
// tagged with the fingerprint of p and s.
func WriteShard(dir string, p *Problem, s Settings, sh *Shard) error {
	b, err := json.Marshal(&shardFile{Format: FileFormat, Run: Fingerprint(p, s), Shard: *sh})
	if err != nil {
		return fmt.Errorf("abc: writing shard: %w", err)
	}
	return writeAtomic(dir, ShardFile(sh.Generation, sh.First, sh.Count), append(b, '\n'))
}

var shardName = regexp.MustCompile(`^gen-(\d{4,})-attempts-\d{9,}-\d{9,}\.json$`)

// ReadShards reads every shard file of generation t in folder dir and
// checks that they were written for p and s.
func ReadShards(dir string, t int, p *Problem, s Settings) ([]*Shard, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	var out []*Shard
	for _, e := range ents {
		m := shardName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if g, _ := strconv.Atoi(m[1]); g != t {
			continue
		}
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
		}
		var f shardFile
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrCheckpoint, path, err)
		}
		if err := checkTag(path, f.Format, f.Run, p, s); err != nil {
			return nil, err
		}
		if err := checkShard(&f.Shard, t, p); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrCheckpoint, path, err)
		}
		sh := f.Shard
		out = append(out, &sh)
	}
	return out, nil
}

func checkTag(path, format, run string, p *Problem, s Settings) error {
	if format != FileFormat {
		return fmt.Errorf("%w: %s has format %q, want %q", ErrCheckpoint, path, format, FileFormat)
	}
	if run != Fingerprint(p, s) {
		return fmt.Errorf("%w: %s was written by a calibration with other parameters, observations or settings; use another folder", ErrCheckpoint, path)
	}
	return nil
}

// writeAtomic writes b to dir/name through a synced temporary file and a
// rename, then syncs the folder, so that after a crash the file is either
// absent or complete.
func writeAtomic(dir, name string, b []byte) error {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return fmt.Errorf("abc: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if e := f.Close(); err == nil {
		err = e
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("abc: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every file system syncs folders
		d.Close()
	}
	return nil
}

// checkShard checks that sh is a well-formed shard of generation t of p.
func checkShard(sh *Shard, t int, p *Problem) error {
	if sh.Generation != t || sh.First < 0 || sh.Count < 0 || len(sh.Accepted) > sh.Count {
		return fmt.Errorf("not a shard of generation %d", t)
	}
	prev := sh.First - 1
	for _, a := range sh.Accepted {
		if a.Index <= prev || a.Index >= sh.First+sh.Count {
			return fmt.Errorf("attempt %d is out of order or out of range %d..%d", a.Index, sh.First, sh.First+sh.Count-1)
		}
		prev = a.Index
		if len(a.Theta) != len(p.Params) || len(a.Summaries) != len(p.Observed) || !(a.Distance >= 0) || (a.Twin != nil && (t != 0 || len(a.Twin) != len(p.Observed))) {
			return fmt.Errorf("attempt %d is malformed", a.Index)
		}
	}
	return nil
}
