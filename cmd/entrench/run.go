package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cast"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"golang.org/x/term"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/study"
)

// runSettings are the typed settings of "entrench run", built from flags,
// environment and config file by cmd and passed down.
type runSettings struct {
	Runs      int      // replicates; 0 keeps the scenario's runs
	Seed      uint64   // master seed, used when SeedSet
	SeedSet   bool     // whether Seed overrides the scenario's seed
	Workers   int      // parallel workers; 0 means all cores
	Out       string   // output folder; "" means out/<scenario name>
	Sets      []string // key.path=value overrides
	Quiet     bool     // no progress bar
	NoFigures bool     // skip the figures
}

func (a *app) runSettings(cmd *cobra.Command) (runSettings, error) {
	v := a.v
	runs, err := intSetting(v, "runs")
	if err != nil {
		return runSettings{}, err
	}
	workers, err := intSetting(v, "workers")
	if err != nil {
		return runSettings{}, err
	}
	s := runSettings{
		Runs:      runs,
		Workers:   workers,
		Out:       v.GetString("out"),
		Quiet:     v.GetBool("quiet"),
		NoFigures: v.GetBool("no-figures"),
		Sets:      v.GetStringSlice("set"),
	}
	if f := cmd.Flags().Lookup("set"); f != nil && f.Changed {
		s.Sets, _ = cmd.Flags().GetStringArray("set")
	}
	if v.IsSet("seed") {
		seed, err := cast.ToUint64E(v.Get("seed"))
		if err != nil || seedNegative(v.Get("seed")) {
			return s, usageErr(fmt.Errorf("seed (from --seed, ENTRENCH_SEED or the config file) must be a whole number from 0 to 18446744073709551615, got %v", v.Get("seed")))
		}
		s.Seed, s.SeedSet = seed, true
	}
	if s.Runs < 0 {
		return s, usageErr(fmt.Errorf("--runs must be at least 1, got %d", s.Runs))
	}
	if s.Workers < 0 {
		return s, usageErr(fmt.Errorf("--workers must be at least 1 (0 means all cores), got %d", s.Workers))
	}
	return s, nil
}

// intSetting reads a whole-number setting, refusing values from the
// environment or config file that are not whole numbers (viper's getters
// would silently turn them into 0).
func intSetting(v *viper.Viper, key string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(fmt.Sprint(v.Get(key))))
	if err != nil {
		return 0, usageErr(fmt.Errorf("%s (from --%s, ENTRENCH_%s or the config file) must be a whole number, got %q", key, key, strings.ToUpper(key), fmt.Sprint(v.Get(key))))
	}
	return n, nil
}

// seedNegative reports whether a seed setting is written as a negative
// number (cast wraps those around).
func seedNegative(x any) bool {
	return strings.HasPrefix(strings.TrimSpace(fmt.Sprint(x)), "-")
}

func addRunFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Int("runs", 0, "number of replicates (default: the scenario's runs)")
	f.Uint64("seed", 0, "master seed (default: the scenario's seed)")
	f.Int("workers", 0, "parallel workers (default: all cores)")
	f.String("out", "", "output folder (default: out/<scenario name>; for compare out/compare-<A>-vs-<B>)")
	f.StringArray("set", nil, "override a scenario value, key.path=value (repeatable), e.g. levers.tapi_stake.value=0.6")
	f.Bool("quiet", false, "no progress bar")
	f.Bool("no-figures", false, "skip the figures (CSV and manifest only)")
}

func (a *app) newRunCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run [FILE|NAME]",
		Short: "Run a Monte Carlo study of a scenario and write tables and figures",
		Long: `Run replicates of a scenario in parallel and write, into the output folder:
  timeseries.csv  per tick and metric: mean, sd and the 5/25/50/75/95% quantiles;
                  the probe series (entrenchment, entrenchment.channel.*,
                  entrenchment.side.*) are defined at probe dates (every
                  metrics.probe_every_months and the last tick) and hold the
                  latest probe's value between them (0 before the first)
  runs.csv        one row per replicate with its summary metrics
  events.csv      the crises and scheduled events of each replicate
  failures.csv    replicates that failed, with their error
  manifest.json   provenance; "completed": false marks an unfinished folder
  *.png, *.svg    the cooperation fan chart, entrenchment, channels, sides
Entrenchment is measured by a stress probe: if a Crimea-size crisis hit now and attention waned, the share of cooperation still standing a year later.
With no argument the built-in baseline runs. The same scenario and seed give
byte-identical CSV files and figures for any number of workers.`,
		Example: `  entrench run
  entrench run baseline --runs 1000 --workers 2 --out out/b1000
  entrench run my.yaml --set crises.rate_per_year=1.2 --set levers.tapi_stake.value=0.5`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.runSettings(cmd)
			if err != nil {
				return err
			}
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			return a.run(cmd.Context(), arg, s)
		},
	}
	addRunFlags(cmd)
	return cmd
}

// run loads, validates, runs and writes one study.
func (a *app) run(ctx context.Context, arg string, s runSettings) error {
	sc, err := loadScenario(arg, s.Sets)
	if err != nil {
		return err
	}
	if s.Runs > 0 {
		sc.Runs = s.Runs
	}
	if s.SeedSet {
		sc.Seed = s.Seed
	}
	m, err := compile(sc)
	if err != nil {
		return err
	}
	out := s.Out
	if out == "" {
		out = filepath.Join("out", sc.Name)
	}
	res, err := study.Run(ctx, m, study.Settings{
		Out: out, Workers: s.Workers, NoFigures: s.NoFigures,
		Progress: a.progress(s.Quiet, sc.Runs), Args: a.args, Version: versionString(),
	})
	if res != nil && res.Aggregate.N() > 0 {
		fmt.Fprintf(a.stdout, "%s: %d runs, seed %d, %s\n\n", sc.Name, res.Aggregate.N()+res.Aggregate.Failed, sc.Seed, res.Elapsed.Round(time.Millisecond))
		_ = output.WriteSummaryTable(a.stdout, res.Aggregate)
		fmt.Fprintf(a.stdout, "\nOutputs in %s\n", out)
	}
	if err == nil && res.Aggregate.Failed > 0 {
		return &codeError{exitSomeFailed, fmt.Errorf("%d of %d replicates failed; see %s", res.Aggregate.Failed, sc.Runs, filepath.Join(out, output.FailuresFile))}
	}
	return err
}

// progress returns a progress callback for a batch of total runs,
// drawing a bar on stderr when it is a terminal and quiet is false, or
// nil.
func (a *app) progress(quiet bool, total int) func(done, total int) {
	if quiet {
		return nil
	}
	f, ok := a.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetDescription("runs"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("runs"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return func(done, _ int) { _ = bar.Set(done) }
}
