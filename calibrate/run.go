package calibrate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/entrench/entrench/abc"
	"github.com/entrench/entrench/output"
)

// Output file names, in the output folder.
const (
	PosteriorFile = "posterior.csv"
	// UnadjustedFile holds the final generation as it was when the
	// calibration file sets algorithm.adjust (PosteriorFile then holds the
	// adjusted particles), in the same format.
	UnadjustedFile  = "posterior-unadjusted.csv"
	GenerationsFile = "generations.csv"
	DistanceFile    = "distance.csv"
	ParametersFile  = "parameters.csv"
	FitFile         = "fit.csv"
	// CheckpointDir is the subfolder of the abc checkpoints.
	CheckpointDir = "checkpoints"
)

// DefaultDraws is the number of posterior draws simulated for the
// posterior predictive intervals.
const DefaultDraws = 200

// ErrExists is returned when the output folder already holds a
// calibration's checkpoints and Options.Resume is false.
var ErrExists = errors.New("calibrate: the output folder holds a calibration already")

// Stream identities of the posterior predictive simulations: generation
// predictGeneration of abc's stream layout, which no calibration reaches.
const (
	predictGeneration        = 1 << 30
	purposeResample   uint64 = 3
)

// Options configure Run and Finish. The zero value is not usable: Out is
// required.
type Options struct {
	// Out is the output folder, created if missing. Required.
	Out string
	// Workers run simulations at once; 0 takes the file's workers, and
	// if that is 0 too, all cores. Results do not depend on it.
	Workers int
	// Resume continues the calibration whose checkpoints are in Out;
	// without it such a folder is an error wrapping ErrExists.
	Resume bool
	// Draws is the number of posterior draws of the predictive
	// intervals; 0 means DefaultDraws.
	Draws int
	// NoFigures skips the figures.
	NoFigures bool
	// Progress, if not nil, is called after each generation computed.
	Progress func(abc.Stats)
	// Args and Version are recorded in the manifest.
	Args    []string
	Version string
}

func (o Options) workers(c *Calibration) int {
	switch {
	case o.Workers > 0:
		return o.Workers
	case c.Settings.Workers > 0:
		return c.Settings.Workers
	}
	return runtime.NumCPU()
}

// settings returns the abc settings of a run with options o: the file's,
// with the workers, checkpoint folder and progress of o.
func (c *Calibration) settings(o Options) abc.Settings {
	s := c.Settings
	s.Workers = o.workers(c)
	s.Dir = filepath.Join(o.Out, CheckpointDir)
	s.Progress = o.Progress
	return s
}

// Result is what a calibration produced.
type Result struct {
	// ABC is the abc result: the generations, the posterior and the
	// distance.
	ABC *abc.Result
	// Marginals summarize every parameter's posterior.
	Marginals []abc.Marginal
	// Fit has one row per target point (fitted or out of sample).
	Fit []FitRow
	// Files are the names of the files written into Out (the manifest
	// and checkpoints excluded).
	Files []string
	// Elapsed is the wall time.
	Elapsed time.Duration
}

// FitRow compares one observed point with the posterior predictive
// distribution of its statistic.
type FitRow struct {
	Target, Date string
	// Year is the point's decimal year (mid-year for a yearly value).
	Year     float64
	InWindow bool
	Observed float64
	// Median, Q05 and Q95 are the posterior predictive median and 90%
	// interval, observation noise included.
	Median, Q05, Q95 float64
	// Inside is true when Observed lies in [Q05, Q95].
	Inside bool
}

// Run calibrates c by ABC-SMC, checkpointing every generation into
// Out/checkpoints (so that a killed run resumes with Options.Resume and
// gives the same result), then writes the outputs with Finish.
func Run(ctx context.Context, c *Calibration, o Options) (*Result, error) {
	start := time.Now()
	if o.Out == "" {
		return nil, errors.New("calibrate: no output folder")
	}
	s := c.settings(o)
	if !o.Resume {
		if m, _ := filepath.Glob(filepath.Join(s.Dir, "gen-*.json")); len(m) > 0 {
			return nil, fmt.Errorf("%w: %s has %d generation files; resume it with --resume or choose another folder", ErrExists, s.Dir, len(m))
		}
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	res, err := abc.Run(ctx, c.Problem(), s)
	if err != nil {
		return nil, err
	}
	return finish(ctx, c, o, res, start)
}

// Finish writes the outputs of the calibration whose generations are in
// Out/checkpoints (for example at the end of a job chain), as Run does.
func Finish(ctx context.Context, c *Calibration, o Options) (*Result, error) {
	start := time.Now()
	s := c.settings(o)
	st, last, stop, err := abc.NextStep(s.Dir, c.Problem(), s)
	if err != nil {
		return nil, err
	}
	if last == nil {
		return nil, fmt.Errorf("calibrate: %s holds no generation", s.Dir)
	}
	if st != nil {
		if stop = abandoned(s.Dir, st.Generation()); stop == "" {
			return nil, fmt.Errorf("calibrate: the calibration in %s is not finished (generation %d is next)", s.Dir, st.Generation())
		}
	}
	gens, err := abc.ReadGenerations(s.Dir, c.Problem(), s)
	if err != nil {
		return nil, err
	}
	res := &abc.Result{Names: c.Params.Names(), Final: last, Distance: last.Distance, Stop: stop, Resumed: len(gens)}
	for _, g := range gens {
		res.Generations = append(res.Generations, g.Stats())
	}
	return finish(ctx, c, o, res, start)
}

// ParamInfo describes one free parameter in the manifest.
type ParamInfo struct {
	Name string `json:"name"`
	// Key is the scenario key path, "" for an observation parameter.
	Key   string `json:"key"`
	Prior string `json:"prior"`
}

// Manifest is manifest.json of a calibration folder.
type Manifest struct {
	// Calibration is the calibration file and CalibrationHash the hex
	// SHA-256 of its text.
	Calibration     string `json:"calibration"`
	CalibrationHash string `json:"calibration_hash"`
	// Scenario is the scenario's name and ScenarioHash the SHA-256 of its
	// text.
	Scenario     string `json:"scenario"`
	ScenarioHash string `json:"scenario_hash"`
	Seed         uint64 `json:"seed"`
	Particles    int    `json:"particles"`
	Replicates   int    `json:"replicates"`
	// Parameters are the free parameters in the order of posterior.csv's
	// columns, with their scenario keys: what ReadPosterior needs.
	Parameters []ParamInfo `json:"parameters"`
	// Generations counts the generations; Simulations the simulations of
	// all of them; Stop says why the calibration ended.
	Generations int    `json:"generations"`
	Simulations int    `json:"simulations"`
	Stop        string `json:"stop"`
	// Adjust says how posterior.csv was made from the final generation
	// (absent when algorithm.adjust is none): whether the regression
	// adjustment was applied, and if not why.
	Adjust *abc.Adjustment `json:"adjust,omitempty"`
	output.Provenance
}

func hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func finish(ctx context.Context, c *Calibration, o Options, res *abc.Result, start time.Time) (*Result, error) {
	out := &Result{ABC: res}
	if res.Posterior == nil {
		// Finish: the adjustment is a pure function of the final
		// generation.
		res.Posterior, res.Adjustment = abc.AdjustGeneration(res.Final, c.Params, c.Settings.Adjust)
	}
	if err := c.checkAdjusted(ctx, res); err != nil {
		return nil, err
	}
	var err error
	if out.Marginals, err = abc.Summarize(res.Names, res.Posterior); err != nil {
		return nil, err
	}
	if out.Fit, err = c.predict(ctx, res.Posterior, o); err != nil {
		return nil, err
	}
	_, _, names := c.Summaries()
	files := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{PosteriorFile, func(b *bytes.Buffer) error { return abc.WritePosterior(b, res.Names, res.Posterior) }},
		{UnadjustedFile, func(b *bytes.Buffer) error { return abc.WritePosterior(b, res.Names, res.Final) }},
		{GenerationsFile, func(b *bytes.Buffer) error { return abc.WriteGenerations(b, res.Generations) }},
		{DistanceFile, func(b *bytes.Buffer) error { return abc.WriteDistance(b, names, res.Distance) }},
		{ParametersFile, func(b *bytes.Buffer) error { return abc.WriteSummary(b, out.Marginals) }},
		{FitFile, func(b *bytes.Buffer) error { return WriteFit(b, out.Fit) }},
	}
	for _, f := range files {
		if f.name == UnadjustedFile && c.Settings.Adjust == abc.AdjustNone {
			continue
		}
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			return nil, err
		}
		if err := output.WriteFileAtomic(o.Out, f.name, b.Bytes()); err != nil {
			return nil, err
		}
		out.Files = append(out.Files, f.name)
	}
	if !o.NoFigures {
		figs, err := c.writeFigures(o.Out, res, out.Fit)
		out.Files = append(out.Files, figs...)
		if err != nil {
			return nil, err
		}
	}
	src, _ := os.ReadFile(c.File)
	last := res.Generations[len(res.Generations)-1]
	man := &Manifest{
		Calibration: c.File, CalibrationHash: hash(src), Scenario: c.ScenarioName, ScenarioHash: hash(c.scenarioSrc),
		Seed: c.Settings.Seed, Particles: len(res.Final.Particles), Replicates: c.Replicates,
		Generations: len(res.Generations), Simulations: last.TotalSimulations, Stop: string(res.Stop),
		Provenance: output.Provenance{Workers: o.workers(c), Version: o.Version, Args: o.Args, Started: start,
			Finished: time.Now(), Completed: true, Files: out.Files},
	}
	if c.Settings.Adjust != abc.AdjustNone {
		man.Adjust = &res.Adjustment
	}
	for i, p := range c.Params {
		man.Parameters = append(man.Parameters, ParamInfo{Name: p.Name, Key: c.Keys[i], Prior: p.Prior.String()})
	}
	man.Provenance = man.Provenance.Normalized()
	if err := output.WriteJSON(o.Out, output.ManifestFile, man); err != nil {
		return nil, err
	}
	out.Elapsed = time.Since(start)
	return out, nil
}

// predict simulates Draws posterior draws (particles resampled by weight)
// at every target point and summarizes them.
func (c *Calibration) predict(ctx context.Context, g *abc.Generation, o Options) ([]FitRow, error) {
	draws := o.Draws
	if draws <= 0 {
		draws = DefaultDraws
	}
	seed := c.Settings.Seed
	idx := abc.Resample(g, draws, rand.New(rand.NewPCG(abc.StreamSeed(seed, predictGeneration, 0, purposeResample))))
	sims := make([][]float64, draws)
	eg, ectx := errgroup.WithContext(ctx)
	eg.SetLimit(o.workers(c))
	for i := range draws {
		eg.Go(func() error {
			rng := rand.New(rand.NewPCG(abc.StreamSeed(seed, predictGeneration, i, abc.PurposeSimulate)))
			s, err := c.Simulate(ectx, g.Particles[idx[i]], rng, true)
			sims[i] = s
			return err
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	var rows []FitRow
	k := 0
	col := make([]float64, 0, draws)
	ones := make([]float64, 0, draws)
	for _, t := range c.Targets {
		for _, p := range t.Points {
			col, ones = col[:0], ones[:0]
			for _, s := range sims {
				if !math.IsNaN(s[k]) {
					col = append(col, s[k])
					ones = append(ones, 1)
				}
			}
			r := FitRow{Target: t.Name, Date: pointDate(p), Year: p.Date.DecimalYear(), InWindow: p.InWindow, Observed: p.Observed,
				Median: math.NaN(), Q05: math.NaN(), Q95: math.NaN()}
			if p.Yearly {
				r.Year += 0.5
			}
			if len(col) > 0 {
				r.Median = abc.WeightedQuantile(col, ones, 0.5)
				r.Q05, r.Q95 = abc.CentralInterval(col, ones, 0.9)
				r.Inside = p.Observed >= r.Q05 && p.Observed <= r.Q95
			}
			rows = append(rows, r)
			k++
		}
	}
	return rows, nil
}

// checkAdjusted checks that every adjusted particle of res.Posterior is a
// valid scenario: the adjustment keeps each parameter inside its prior's
// support, but a constraint between parameters (a fall rate at least the
// build rate, say), which the calibration's rejected attempts respected,
// may be broken. Then the posterior falls back to the unadjusted final
// generation, and the adjustment's note says which particle and why.
func (c *Calibration) checkAdjusted(ctx context.Context, res *abc.Result) error {
	if !res.Adjustment.Applied {
		return nil
	}
	for i, th := range res.Posterior.Particles {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := c.model(th, nil); err != nil {
			res.Posterior = res.Final
			res.Adjustment.Applied, res.Adjustment.Slopes, res.Adjustment.Summaries = false, nil, nil
			res.Adjustment.Note = fmt.Sprintf("not adjusted: adjusted particle %d is not a valid scenario: %v", i+1, err)
			return nil
		}
	}
	return nil
}
