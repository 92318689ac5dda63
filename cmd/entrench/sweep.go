package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sweep"
)

// sweepSettings are the typed settings of "entrench sweep" and "entrench
// merge", built from flags, environment and config file.
type sweepSettings struct {
	Out        string // output folder; "" means out/<experiment name>
	Replicates int    // replicates per point; 0 keeps the experiment's
	Workers    int    // points computed at once; 0 means all cores
	Shard      int    // shard number K of --shard K/N
	Shards     int    // number of shards N; 0 means unsharded
	Resume     string // folder to resume
	Quiet      bool   // no progress
	NoFigures  bool   // no figures
	Export     string // "salib" adds the SALib export; "" none
	Design     string // external design CSV; "" runs the experiment's own
	Grow       int    // with Resume: the new sobol N or morris trajectories; 0 keeps the size
}

// parseShard reads "K/N" with 0 <= K < N.
func parseShard(s string) (k, n int, err error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(strings.TrimSpace(ks))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return 0, 0, fmt.Errorf("--shard %q: want K/N with 0 <= K < N, e.g. 0/4 (on Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)", s)
	}
	return k, n, nil
}

func (a *app) sweepSettings(cmd *cobra.Command) (sweepSettings, error) {
	v := a.v
	s := sweepSettings{
		Out:        v.GetString("out"),
		Replicates: v.GetInt("replicates"),
		Workers:    v.GetInt("workers"),
		Resume:     v.GetString("resume"),
		Quiet:      v.GetBool("quiet"),
		NoFigures:  v.GetBool("no-figures"),
		Export:     v.GetString("export"),
		Design:     v.GetString("design"),
		Grow:       v.GetInt("grow"),
	}
	if s.Grow != 0 && s.Resume == "" {
		return s, usageErr(fmt.Errorf("--grow needs --resume DIR: it enlarges the sweep in DIR"))
	}
	if s.Export != "" && s.Export != "salib" {
		return s, usageErr(fmt.Errorf("--export %q: the only export is salib", s.Export))
	}
	if sh := v.GetString("shard"); sh != "" {
		k, n, err := parseShard(sh)
		if err != nil {
			return s, usageErr(err)
		}
		s.Shard, s.Shards = k, n
	}
	if s.Replicates < 0 {
		return s, usageErr(fmt.Errorf("--replicates must be at least 1, got %d", s.Replicates))
	}
	if s.Workers < 0 {
		return s, usageErr(fmt.Errorf("--workers must be at least 1 (0 means all cores), got %d", s.Workers))
	}
	return s, nil
}

func (a *app) newSweepCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sweep EXPERIMENT | --resume DIR",
		Short: "Run a batch experiment over many design points: grid, Latin hypercube, Sobol or Morris",
		Long: `Run an experiment file (or a built-in experiment by name, see "entrench
scenarios"): many design points of a scenario, each with its replicates,
and write into the output folder:
  points.csv     one row per design point: factor values, replicates, and
                 per metric mean, sd, confidence interval (lo, hi) and n
  indices.csv    sobol: S1 and ST with bootstrap intervals; morris: mu,
                 mu*, its interval, sigma
  indices2.csv   sobol with order: 2: second-order indices S2 of each pair
  convergence.csv  sobol: S1 and ST with intervals from the first 8, 16,
                 32, ... rows of the design and all N (also as a figure)
  replicates.csv one row per replicate: point, replicate and every summary
                 metric (join to points.csv on point for the factors)
  failures.csv   design points that failed, with the error
  *.png, *.svg   heat maps (two-factor grids), Sobol bars, Morris plot,
                 fan charts of the best and worst points
  points.journal every finished point, appended as it completes
  sweep.json     the manifest; experiment.yaml, scenario.yaml: the inputs
Every point uses the same random numbers for replicate r (common random
numbers), so differences between points are not sampling noise.

Row order of a sobol design. points.csv numbers the points row by row of
the Saltelli matrices A and B (N rows, from a scrambled Sobol' sequence
unless the experiment says sequence: random): row j is points j*w to
j*w+w-1 in the order [A_j, B_j, AB_1..AB_k, (BA_1..BA_k)], w = k+2 (or
2k+2 with order: 2), where AB_i is A_j with factor i taken from B_j. SALib
expects [A, AB_1..AB_k, (BA_1..BA_k,) B]: do not feed points.csv to
SALib, use "--export salib", which also writes salib_problem.json,
salib_sample.txt and salib_Y_METRIC.txt in SALib's order:
  problem = json.load(open("salib_problem.json"))
  Y = numpy.loadtxt("salib_Y_final_cooperation.txt")
  sobol.analyze(problem, Y, calc_second_order=problem["calc_second_order"])
(SALib's intervals and its normalisation of Y differ slightly from
entrench's; the indices agree within their intervals.)

A killed sweep (Ctrl-C, kill -9, a lost node) keeps every finished point:
"entrench sweep --resume DIR" finishes it, and the outputs are
byte-identical to an uninterrupted run. A session locks its folder
(DIR/.lock) so that no other session writes into it at the same time. On a cluster, "--shard K/N" runs
the points i with i mod N = K, and "entrench merge" combines the shard
folders; see docs/guide/cluster.md for Slurm job arrays.`,
		Example: `  entrench sweep grid-demo --replicates 5
  entrench sweep my-experiment.yaml --out out/study --workers 2
  entrench sweep --resume out/study
  entrench sweep --resume out/sobol-levers --grow 256   # N=64 -> 256, only the new rows run
  entrench sweep sobol-levers --export salib
  entrench sweep lhs-demo --design my-points.csv --out out/mine
  entrench sweep sobol-levers --shard 3/8 --out shards/3   # then: entrench merge shards/* --out out/sobol`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.sweepSettings(cmd)
			if err != nil {
				return err
			}
			switch {
			case s.Resume != "" && len(args) > 0:
				return usageErr(errors.New("give an experiment or --resume DIR, not both"))
			case s.Resume == "" && len(args) == 0:
				return usageErr(errors.New("give an experiment file or built-in name (see entrench scenarios), or --resume DIR"))
			case s.Resume != "" && (cmd.Flags().Changed("replicates") || cmd.Flags().Changed("shard") || cmd.Flags().Changed("out") || cmd.Flags().Changed("design")):
				return usageErr(errors.New("--resume takes its replicates, shard, design and folder from DIR: drop --replicates, --shard, --design and --out"))
			}
			return a.sweep(cmd.Context(), args, s)
		},
	}
	f := cmd.Flags()
	f.String("out", "", "output folder (default: out/<experiment name>, or out/<name>-shard-K-of-N)")
	f.Int("replicates", 0, "replicates per design point (default: the experiment's)")
	f.Int("workers", 0, "design points computed at once (default: all cores)")
	f.String("shard", "", "run only shard K of N of the design points, K/N (0-based); merge the folders with entrench merge")
	f.String("resume", "", "finish the interrupted sweep in this folder")
	f.Bool("quiet", false, "no progress bar")
	f.Bool("no-figures", false, "skip the figures")
	f.Int("grow", 0, "with --resume: enlarge a sobol design to this N (or a morris design to this many trajectories), running only the new points")
	f.String("design", "", "run the design points in this CSV file instead of the experiment's design: a header naming every factor, one row per point, each value in its factor's range (a choice's index for choices)")
	f.String("export", "", `also write the design and outputs for another tool: "salib" (sobol designs: salib_problem.json, salib_sample.txt, salib_Y_METRIC.txt in SALib's row order)`)
	return cmd
}

// loadExperiment loads an experiment file, or a built-in by name.
func loadExperiment(arg string) (*sweep.Experiment, error) {
	var e *sweep.Experiment
	var err error
	switch {
	case isFile(arg):
		e, err = sweep.LoadFile(arg)
	case strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") || strings.ContainsRune(arg, os.PathSeparator):
		return nil, usageErr(fmt.Errorf("experiment file %s does not exist", arg))
	default:
		e, err = sweep.LoadBuiltin(arg)
	}
	if err != nil {
		return nil, usageErr(err)
	}
	return e, nil
}

// slurmJob reads the Slurm job this process runs in from the environment
// (empty outside Slurm), for the sweep folder's lock.
func slurmJob() sweep.SlurmJob {
	return sweep.SlurmJob{ID: os.Getenv("SLURM_JOB_ID"), Restart: os.Getenv("SLURM_RESTART_COUNT")}
}

func (a *app) sweep(ctx context.Context, args []string, s sweepSettings) error {
	opt := sweep.Options{
		Workers: s.Workers, Shard: s.Shard, Shards: s.Shards,
		Version: versionString(), Args: a.args, NoFigures: s.NoFigures,
		Slurm: slurmJob(), ExportSALib: s.Export == "salib",
	}
	var rep *sweep.Report
	var err error
	if s.Resume != "" {
		opt.Progress = a.pointProgress(s.Quiet, "resume")
		if s.Grow != 0 {
			rep, err = sweep.Grow(ctx, s.Resume, s.Grow, opt)
		} else {
			rep, err = sweep.Resume(ctx, s.Resume, opt)
		}
	} else {
		e, lerr := loadExperiment(args[0])
		if lerr != nil {
			return lerr
		}
		if s.Replicates > 0 {
			if e, lerr = e.WithReplicates(s.Replicates); lerr != nil {
				return usageErr(lerr)
			}
		}
		if s.Design != "" {
			data, rerr := os.ReadFile(s.Design)
			if rerr != nil {
				return usageErr(fmt.Errorf("--design: %w", rerr))
			}
			if e, lerr = e.WithDesign(s.Design, data); lerr != nil {
				return usageErr(lerr)
			}
		}
		out := s.Out
		if out == "" {
			out = filepath.Join("out", e.Name)
			if s.Shards > 0 {
				out += fmt.Sprintf("-shard-%d-of-%d", s.Shard, s.Shards)
			}
		}
		opt.Progress = a.pointProgress(s.Quiet, e.Name)
		rep, err = sweep.Run(ctx, e, out, opt)
	}
	a.sweepReport(rep)
	return sweepErr(err)
}

func (a *app) sweepReport(rep *sweep.Report) {
	if rep == nil {
		return
	}
	fmt.Fprintf(a.stdout, "%s: %d of %d points done (%d this session, %d failed) in %s\n",
		rep.Dir, rep.Done, rep.Points, rep.Ran, rep.Failed, rep.Elapsed.Round(time.Millisecond))
	if rep.Ran > 0 && rep.Workers > 0 && rep.Elapsed > 0 {
		fmt.Fprintf(a.stdout, "Workers busy %.0f%% of the time (%d workers)\n", 100*rep.Busy.Seconds()/(float64(rep.Workers)*rep.Elapsed.Seconds()), rep.Workers)
	}
	if rep.Outputs {
		fmt.Fprintf(a.stdout, "Outputs in %s: %s\n", rep.Dir, strings.Join(rep.Files, ", "))
	} else if rep.Done == rep.Points {
		fmt.Fprintf(a.stdout, "Shard complete; combine the shards with: entrench merge DIR... --out OUT\n")
	}
}

// sweepErr maps the sweep package's errors to exit codes.
func sweepErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sweep.ErrInterrupted):
		return &codeError{exitInterrupted, err}
	case errors.Is(err, sweep.ErrSomeFailed):
		return &codeError{exitSomeFailed, err}
	case errors.Is(err, sweep.ErrUnfinished), errors.Is(err, sweep.ErrMismatch), errors.Is(err, sweep.ErrIncomplete),
		errors.Is(err, sweep.ErrBadManifest), errors.Is(err, sweep.ErrLocked),
		errors.As(err, new(scenarios.Errors)):
		return usageErr(err)
	}
	return err
}

func (a *app) newMergeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "merge SHARD_DIR...",
		Short: "Combine the shard folders of a sharded sweep into its outputs",
		Long: `Combine the folders written by "entrench sweep --shard K/N" (one per shard,
all N of them) into one folder whose outputs are byte-identical to those
of the unsharded sweep. Refuses shards of different experiments, seeds,
replicate counts or program versions, an incomplete set, a shard whose
sweep.json was edited or damaged, and an --out folder that holds an
unfinished sweep or is in use by another session.`,
		Example: `  entrench merge shards/* --out out/sobol-levers`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.sweepSettings(cmd)
			if err != nil {
				return err
			}
			out := s.Out
			if out == "" {
				m, err := sweep.ReadManifest(args[0])
				if err != nil {
					return usageErr(fmt.Errorf("%s is not a sweep folder: %w", args[0], err))
				}
				out = filepath.Join("out", m.Experiment)
			}
			rep, err := sweep.Merge(cmd.Context(), args, out, sweep.Options{
				Workers: s.Workers, Version: versionString(), Args: a.args, NoFigures: s.NoFigures,
				Slurm: slurmJob(),
			})
			a.sweepReport(rep)
			return sweepErr(err)
		},
	}
	f := cmd.Flags()
	f.String("out", "", "output folder (default: out/<experiment name>)")
	f.Int("workers", 0, "workers for the fan-chart reruns (default: all cores)")
	f.Bool("no-figures", false, "skip the figures")
	return cmd
}

// pointProgress returns a progress callback for design points: a bar on a
// terminal (points done, points per minute, time left), otherwise a line
// every 30 seconds (for batch logs), or nil when quiet.
func (a *app) pointProgress(quiet bool, name string) func(done, total int) {
	if quiet {
		return nil
	}
	start := time.Now()
	first := -1
	rate := func(done int) float64 {
		if n, el := done-first, time.Since(start); n > 0 && el > 0 {
			return float64(n) / el.Minutes()
		}
		return 0
	}
	eta := func(done, total int, perMin float64) string {
		if perMin <= 0 {
			return "?"
		}
		return (time.Duration(float64(total-done) / perMin * float64(time.Minute))).Round(time.Second).String()
	}
	f, ok := a.stderr.(*os.File)
	if ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(done, total int) {
			if bar == nil {
				first = done
				bar = progressbar.NewOptions(total,
					progressbar.OptionSetWriter(a.stderr),
					progressbar.OptionShowCount(),
					progressbar.OptionThrottle(200*time.Millisecond),
					progressbar.OptionClearOnFinish(),
					progressbar.OptionSetDescription(name+" points"),
				)
			}
			pm := rate(done)
			bar.Describe(fmt.Sprintf("%s points, %.1f/min, %s left", name, pm, eta(done, total, pm)))
			_ = bar.Set(done)
		}
	}
	last := time.Now()
	return func(done, total int) {
		if first < 0 {
			first = done
			return
		}
		if time.Since(last) < 30*time.Second && done < total {
			return
		}
		last = time.Now()
		pm := rate(done)
		fmt.Fprintf(a.stderr, "%s: %d/%d points, %.1f/min, %s left\n", name, done, total, pm, eta(done, total, pm))
	}
}
