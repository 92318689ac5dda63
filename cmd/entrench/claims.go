package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/entrench/entrench/calibrate"
	"github.com/entrench/entrench/claims"
	"github.com/entrench/entrench/sim"
	"github.com/entrench/entrench/sweep"
)

// claimsSettings are the typed settings of "entrench claims".
type claimsSettings struct {
	Runs       int      // replicates per scenario at the defaults; 0 means claims.DefaultRuns
	Workers    int      // parallel workers; 0 means all cores
	Seed       uint64   // master seed; 0 means claims.DefaultSeed
	Out        string   // output folder
	Sets       []string // key.path=value overrides applied to every scenario
	Robustness int      // coefficient draws; 0: no robustness
	RobustRuns int      // replicates per scenario per draw; 0 means claims.DefaultRobustRuns
	Shard      int      // shard K of --shard K/N (robustness only)
	Shards     int      // N; 0 means unsharded
	Merge      []string // robustness shard folders to merge
	NoFigures  bool     // skip the figures
	Quiet      bool     // no progress lines
	Posterior  string   // posterior.csv of a calibration: the defaults run as its ensemble
}

func (a *app) claimsSettings(cmd *cobra.Command) (claimsSettings, error) {
	v := a.v
	var s claimsSettings
	var err error
	for _, f := range []struct {
		key string
		dst *int
	}{{"runs", &s.Runs}, {"workers", &s.Workers}, {"robustness", &s.Robustness}, {"robust-runs", &s.RobustRuns}} {
		if *f.dst, err = intSetting(v, f.key); err != nil {
			return s, err
		}
	}
	s.Seed, s.Out, s.Quiet, s.NoFigures = v.GetUint64("seed"), v.GetString("out"), v.GetBool("quiet"), v.GetBool("no-figures")
	s.Sets = v.GetStringSlice("set")
	if f := cmd.Flags().Lookup("set"); f != nil && f.Changed {
		s.Sets, _ = cmd.Flags().GetStringArray("set")
	}
	s.Merge = v.GetStringSlice("merge")
	s.Posterior = v.GetString("posterior")
	if sh := v.GetString("shard"); sh != "" {
		if s.Shard, s.Shards, err = parseShard(sh); err != nil {
			return s, usageErr(err)
		}
	}
	switch {
	case s.Runs < 0 || s.Runs == 1:
		return s, usageErr(fmt.Errorf("--runs must be at least 2, got %d", s.Runs))
	case s.RobustRuns < 0 || s.RobustRuns == 1:
		return s, usageErr(fmt.Errorf("--robust-runs must be at least 2, got %d", s.RobustRuns))
	case s.Workers < 0:
		return s, usageErr(fmt.Errorf("--workers must be at least 1 (0 means all cores), got %d", s.Workers))
	case s.Robustness < 0:
		return s, usageErr(fmt.Errorf("--robustness must be 0 (none) or a number of draws, got %d", s.Robustness))
	case s.Shards > 0 && s.Robustness == 0:
		return s, usageErr(errors.New("--shard splits the robustness draws: give --robustness N too"))
	case s.Shards > 0 && len(s.Merge) > 0:
		return s, usageErr(errors.New("--shard and --merge do not go together: run the shards, then merge them"))
	case s.Posterior != "" && (s.Robustness > 0 || len(s.Merge) > 0):
		return s, usageErr(errors.New("--posterior runs the claims at the defaults as a posterior ensemble; the robustness draws vary the coefficients themselves: give one or the other"))
	}
	if _, err := loadScenario("", s.Sets); err != nil { // the overrides must apply
		return s, err
	}
	if s.Out == "" {
		s.Out = "out/claims"
	}
	return s, nil
}

func (a *app) newClaimsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "claims",
		Short: "Put the memo's claims to the test, with placebos and robustness, and write the claims table",
		Long: `Run the built-in scenarios on common random numbers (same seed, same
replicate numbers) and decide each of the memo's claims by rules declared in
advance (claims/catalogue.go): a measure, a comparison A -> B, a placebo
B' with the mechanism switched off, and the smallest effect that matters.
A mechanism test holds when the 95% interval of (B-A)-(B'-A') clears its
bound. Writes into the output folder:
  claims.md    the verdicts, then per claim its tests, real and placebo rows
  claims.csv   the same, one row per test, machine-readable
  *.png, *.svg the figures (unless --no-figures)

--robustness N draws N coefficient sets (a Latin hypercube over the ranges
in scenarios/ranges.go), runs every test at --robust-runs replicates per
draw, and reports per test the share of draws where it holds, with a Wilson
interval; "supported" needs that share >= 0.8. The draws go to a journal in
OUT/robustness: rerun the same command to resume. On a cluster, run shards
(--shard K/N writes only the draws of shard K into --out) and merge them
(--merge DIR,DIR,...), which also runs the defaults and writes the table.`,
		Example: `  entrench claims
  entrench claims --runs 1000 --out /tmp/claims
  entrench claims --runs 40 --set model.resist_stake=0.5
  entrench claims --robustness 200 --robust-runs 10
  entrench claims --robustness 200 --shard $SLURM_ARRAY_TASK_ID/8 --out shards/$SLURM_ARRAY_TASK_ID
  entrench claims --robustness 200 --merge shards/0,shards/1,...,shards/7 --out out/claims`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.claimsSettings(cmd)
			if err != nil {
				return err
			}
			return a.claims(cmd.Context(), s)
		},
	}
	f := cmd.Flags()
	f.Int("runs", claims.DefaultRuns, "replicates per scenario at the default coefficients (at least 2)")
	f.Int("workers", 0, "parallel workers (default: all cores)")
	f.Uint64("seed", claims.DefaultSeed, "master seed shared by every scenario (and the robustness draws)")
	f.String("out", "out/claims", "output folder")
	f.StringArray("set", nil, "override a value in every scenario, key.path=value (repeatable), e.g. model.resist_stake=0.5")
	f.Int("robustness", 0, "number of coefficient draws for the robustness shares (0: none)")
	f.Int("robust-runs", claims.DefaultRobustRuns, "replicates per scenario in each robustness draw (at least 2)")
	f.String("shard", "", "run only shard K/N of the robustness draws into --out (e.g. 0/8)")
	f.StringSlice("merge", nil, "robustness shard folders to merge (comma-separated), then run the defaults and write the table")
	f.Bool("no-figures", false, "skip the figures")
	f.String("posterior", "", "posterior.csv of a calibration: every scenario runs as its ensemble, each replicate a particle drawn by weight")
	f.Bool("quiet", false, "no progress lines")
	return cmd
}

// claims runs the claims and writes the table and figures.
func (a *app) claims(ctx context.Context, s claimsSettings) error {
	if err := os.MkdirAll(s.Out, 0o755); err != nil {
		return err
	}
	start := time.Now()
	rs := claims.RobustSettings{
		Settings: claims.Settings{Runs: s.RobustRuns, Workers: s.Workers, Seed: s.Seed, Sets: s.Sets},
		N:        s.Robustness, Dir: filepath.Join(s.Out, "robustness"), Shard: s.Shard, Shards: s.Shards,
		Slurm: slurmJob(), Version: versionString(),
	}
	if !s.Quiet {
		rs.Progress = func(done, total int) { fmt.Fprintf(a.stderr, "robustness: %d of %d draws\n", done, total) }
	}
	if s.Shards > 0 {
		rs.Dir = s.Out
		ran, err := claims.Robust(ctx, rs)
		if err != nil {
			return claimsErr(err)
		}
		fmt.Fprintf(a.stdout, "shard %d/%d: %d draws run in %s; merge the shards with --merge\n", s.Shard, s.Shards, ran, time.Since(start).Round(time.Millisecond))
		return nil
	}
	robustDir := ""
	switch {
	case len(s.Merge) > 0:
		if err := claims.MergeRobust(s.Merge, rs.Dir, rs.Slurm); err != nil {
			return claimsErr(err)
		}
		robustDir = rs.Dir
	case s.Robustness > 0:
		ran, err := claims.Robust(ctx, rs)
		if err != nil {
			return claimsErr(err)
		}
		fmt.Fprintf(a.stdout, "robustness: %d draws run, %s\n", ran, time.Since(start).Round(time.Millisecond))
		robustDir = rs.Dir
	}
	set := claims.Settings{Runs: s.Runs, Workers: s.Workers, Seed: s.Seed, Sets: s.Sets, Figures: !s.NoFigures}
	if s.Posterior != "" {
		p, err := calibrate.ReadPosterior(s.Posterior)
		if err != nil {
			return usageErr(err)
		}
		for i := range p.Particles {
			set.Particles = append(set.Particles, p.Overrides(i))
		}
		set.ParticleWeights = p.Weights
	}
	if !s.Quiet {
		set.Progress = func(what string, i, n int) {
			fmt.Fprintf(a.stderr, "[%d/%d] %s\n", i, n, what)
		}
	}
	rep, err := claims.Run(ctx, set)
	if err != nil {
		return claimsErr(err)
	}
	if robustDir != "" {
		if err := rep.ApplyRobustness(robustDir); err != nil {
			return claimsErr(err)
		}
	}
	files, err := rep.Write(s.Out)
	if err != nil {
		return err
	}
	for _, c := range rep.Claims {
		fmt.Fprintf(a.stdout, "claim %d: %s\n", c.Number, c.Verdict)
	}
	fmt.Fprintf(a.stdout, "\n%d runs per scenario, seed %d, %s; %d files in %s\n", rep.Runs, rep.Seed, time.Since(start).Round(time.Millisecond), len(files), s.Out)
	if rep.Failed > 0 {
		return &codeError{exitSomeFailed, fmt.Errorf("%d replicates failed and were left out of the estimates", rep.Failed)}
	}
	return nil
}

// claimsErr classifies the errors of the claims library.
func claimsErr(err error) error {
	switch {
	case errors.Is(err, sim.ErrInterrupted):
		return fmt.Errorf("interrupted: %w", err)
	case errors.Is(err, claims.ErrSettings), errors.Is(err, claims.ErrRobust), errors.Is(err, sweep.ErrLocked):
		return usageErr(err)
	}
	return err
}
