package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/entrench/entrench/abc"
	"github.com/entrench/entrench/calibrate"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// calibrateSettings are the typed settings of "entrench calibrate".
type calibrateSettings struct {
	Out       string // output folder; "" means out/calibrate-<file name>
	Workers   int    // simulations at once; 0 takes the file's, then all cores
	Resume    bool   // continue the calibration in Out
	Draws     int    // posterior predictive draws; 0 means the default
	Quiet     bool   // no progress lines
	NoFigures bool   // no figures
	// Job chain: exactly one of Step, Shards > 0, Assemble, or none.
	Step     bool
	Shard    int // K of --shard K/N
	Shards   int // N; 0: not a shard job
	First    int // first attempt of the shard round
	Assemble bool
}

func (a *app) calibrateSettings() (calibrateSettings, error) {
	v := a.v
	s := calibrateSettings{
		Out: v.GetString("out"), Resume: v.GetBool("resume"), Quiet: v.GetBool("quiet"),
		NoFigures: v.GetBool("no-figures"), Step: v.GetBool("step"), Assemble: v.GetBool("assemble"),
	}
	var err error
	for _, x := range []struct {
		key string
		dst *int
	}{{"workers", &s.Workers}, {"draws", &s.Draws}, {"first", &s.First}} {
		if *x.dst, err = intSetting(v, x.key); err != nil {
			return s, err
		}
		if *x.dst < 0 {
			return s, usageErr(fmt.Errorf("--%s must be at least 0, got %d", x.key, *x.dst))
		}
	}
	if sh := v.GetString("shard"); sh != "" {
		ks, ns, ok := strings.Cut(sh, "/")
		k, err1 := strconv.Atoi(strings.TrimSpace(ks))
		n, err2 := strconv.Atoi(strings.TrimSpace(ns))
		if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
			return s, usageErr(fmt.Errorf("--shard %q: want K/N with 0 <= K < N, e.g. 0/4 (on Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)", sh))
		}
		s.Shard, s.Shards = k, n
	}
	modes := 0
	for _, b := range []bool{s.Step, s.Shards > 0, s.Assemble} {
		if b {
			modes++
		}
	}
	if modes > 1 {
		return s, usageErr(errors.New("--step, --shard and --assemble exclude each other"))
	}
	return s, nil
}

func (a *app) newCalibrateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "calibrate CALIBRATION.yaml",
		Short: "Fit a scenario's free parameters to observed data by ABC-SMC",
		Long: `Calibrate the free parameters of a scenario against observed series and
dated facts (data/observed), by ABC-SMC with an adaptive tolerance. The
calibration file names the scenario, the parameters with their priors, the
targets with their observation models, the fit window and the algorithm
settings (see calibrate/testdata/backcast.yaml). It writes, into --out:
  posterior.csv    the posterior: the final particles with their weights and
                   distances, or, with algorithm.adjust: regression, the
                   particles after the regression adjustment (the manifest's
                   "adjust" says whether it was applied, or why not)
  posterior-unadjusted.csv  the final particles as simulated (with adjust:
                   regression only)
  generations.csv  per generation: tolerance, acceptance, ESS, simulations
  parameters.csv   posterior mean, sd, median and 90% interval per parameter
  fit.csv          per observed point: posterior predictive median and 90%
                   interval, inside the fit window or out of sample
  distance.csv     the summaries' observed values, scales and weights
  manifest.json    provenance
  marginals.*, pairs.*, fit-<target>.*   figures
  checkpoints/     one file per generation: --resume continues from them
The results are byte-identical for any number of workers (but for the
seconds column of generations.csv and the manifest's times).

A job chain (e.g. Slurm, see docs/guide/cluster.md) computes one generation at a
time in a shared --out folder: shard jobs run with --shard K/N --first F,
then one job runs --assemble, which prints the next step ("generation G
first F": submit shards again; "done STOP": the outputs are written).
--step prints the next step without doing anything.`,
		Example: `  entrench calibrate calibrate/testdata/backcast.yaml --out out/cal
  entrench calibrate my.yaml --out out/cal --resume
  entrench calibrate my.yaml --out out/cal --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT --first 0
  entrench calibrate my.yaml --out out/cal --assemble`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.calibrateSettings()
			if err != nil {
				return err
			}
			return a.calibrate(cmd, args[0], s)
		},
	}
	f := cmd.Flags()
	f.String("out", "", "output folder (default: out/calibrate-<file name>)")
	f.Int("workers", 0, "simulations at once (default: the file's workers, else all cores)")
	f.Bool("resume", false, "continue the calibration whose checkpoints are in --out")
	f.Int("draws", 0, fmt.Sprintf("posterior draws simulated for the predictive intervals (default %d)", calibrate.DefaultDraws))
	f.Bool("quiet", false, "no progress lines")
	f.Bool("no-figures", false, "skip the figures")
	f.Bool("step", false, "job chain: print the next step and exit")
	f.String("shard", "", "job chain: evaluate shard K/N of the next generation's round")
	f.Int("first", 0, "job chain: the first attempt of the shard round (printed by --assemble)")
	f.Bool("assemble", false, "job chain: merge the shards, write the generation if complete, print the next step")
	return cmd
}

func (a *app) calibrate(cmd *cobra.Command, file string, s calibrateSettings) error {
	c, err := calibrate.LoadFile(file, nil)
	if err != nil {
		return usageErr(err)
	}
	out := s.Out
	if out == "" {
		out = filepath.Join("out", "calibrate-"+strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	}
	o := calibrate.Options{Out: out, Workers: s.Workers, Resume: s.Resume, Draws: s.Draws, NoFigures: s.NoFigures,
		Args: a.args, Version: versionString()}
	if !s.Quiet {
		o.Progress = func(st abc.Stats) { fmt.Fprintln(a.stderr, st) }
	}
	ctx := cmd.Context()
	switch {
	case s.Step:
		st, err := c.State(o)
		if err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, st)
		return nil
	case s.Shards > 0:
		sh, err := c.Shard(ctx, o, s.Shard, s.Shards, s.First)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "generation %d: attempts %d to %d, %d accepted\n", sh.Generation, sh.First, sh.First+sh.Count-1, len(sh.Accepted))
		return nil
	case s.Assemble:
		st, err := c.Assemble(o)
		if err != nil {
			return err
		}
		if st.Done {
			res, err := calibrate.Finish(ctx, c, o)
			if err != nil {
				return err
			}
			if err := c.WriteSummaryTable(a.stderr, res); err != nil {
				return err
			}
		}
		fmt.Fprintln(a.stdout, st)
		return nil
	}
	res, err := calibrate.Run(ctx, c, o)
	if errors.Is(err, calibrate.ErrExists) {
		return usageErr(err)
	}
	if errors.Is(err, abc.ErrInterrupted) {
		return &codeError{exitInterrupted, fmt.Errorf("%w; the completed generations are in %s: continue with --resume", err, filepath.Join(out, calibrate.CheckpointDir))}
	}
	if err != nil {
		return err
	}
	last := res.ABC.Generations[len(res.ABC.Generations)-1]
	fmt.Fprintf(a.stdout, "%s on %s: %d parameters, %d particles, %d generations, %d simulations, stopped by %s, %s\n\n",
		file, c.ScenarioName, len(c.Params), len(res.ABC.Final.Particles), len(res.ABC.Generations), last.TotalSimulations, res.ABC.Stop, res.Elapsed.Round(1e6))
	if err := c.WriteSummaryTable(a.stdout, res); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\nOutputs in %s\n", out)
	return nil
}

// withPosterior returns m with the posterior ensemble of the calibration
// output posterior.csv at path attached (m itself when path is empty): one
// model per particle, loaded from arg with sets and then the particle's
// values, with m's runs and seed.
func withPosterior(path, arg string, sets []string, m *sim.Model) (*sim.Model, error) {
	if path == "" {
		return m, nil
	}
	p, err := calibrate.ReadPosterior(path)
	if err != nil {
		return nil, usageErr(err)
	}
	e, err := p.Ensemble(m, func(ovs []scenarios.Override) (*sim.Model, error) {
		all := slices.Clone(sets)
		for _, o := range ovs {
			all = append(all, o.String())
		}
		sc, err := loadScenario(arg, all)
		if err != nil {
			return nil, err
		}
		sc.Runs, sc.Seed = m.Scenario.Runs, m.Scenario.Seed
		return sim.Compile(sc)
	})
	if err != nil {
		return nil, usageErr(err)
	}
	return e, nil
}
