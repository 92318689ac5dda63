package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// compareSettings are the typed settings of "entrench compare".
type compareSettings struct {
	runSettings
	SetsA, SetsB []string // overrides for A only and for B only
}

func (a *app) newCompareCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "compare A [B]",
		Short: "Compare two scenarios replicate by replicate with common random numbers",
		Long: `Run scenarios A and B on the same replicate numbers and seed, so that
replicate r of both sees the same crises (common random numbers) as long as
the two share a crisis process, and report for every summary metric the
paired difference B-A with its 95% confidence interval, and how many times
narrower pairing made the interval than an unpaired comparison would.

A and B are files or built-in names. With one scenario, B is A with the
--set-b overrides. --set applies to both. B runs with A's seed and runs.

Writes into the output folder: compare.csv; cooperation_{a,b,diff,compare}
and entrenchment_{a,b,diff,compare} figures (PNG and SVG); a/ and b/ with
each scenario's runs.csv, events.csv, failures.csv and timeseries.csv; and
manifest.json.`,
		Example: `  entrench compare baseline tapi-only --runs 1000
  entrench compare baseline --set-b levers.tapi_stake.value=0.8 --set-b levers.border_cooperation.value=0.8
  entrench compare backcast-1997-2014 memo-levers-2010 --out out/memo`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			rs, err := a.runSettings(cmd)
			if err != nil {
				return err
			}
			s := compareSettings{runSettings: rs}
			s.SetsA, s.SetsB = a.v.GetStringSlice("set-a"), a.v.GetStringSlice("set-b")
			if f := cmd.Flags().Lookup("set-a"); f.Changed {
				s.SetsA, _ = cmd.Flags().GetStringArray("set-a")
			}
			if f := cmd.Flags().Lookup("set-b"); f.Changed {
				s.SetsB, _ = cmd.Flags().GetStringArray("set-b")
			}
			if len(args) == 1 && len(s.SetsB) == 0 && len(s.SetsA) == 0 {
				return usageErr(errors.New("compare needs two scenarios, or one with --set-a/--set-b overrides"))
			}
			argB := args[0]
			if len(args) == 2 {
				argB = args[1]
			}
			return a.compare(cmd.Context(), args[0], argB, s)
		},
	}
	addRunFlags(cmd)
	cmd.Flags().StringArray("set-a", nil, "override a value in scenario A only, key.path=value (repeatable)")
	cmd.Flags().StringArray("set-b", nil, "override a value in scenario B only, key.path=value (repeatable)")
	return cmd
}

func (a *app) compare(ctx context.Context, argA, argB string, s compareSettings) error {
	scA, err := loadScenario(argA, append(append([]string(nil), s.Sets...), s.SetsA...))
	if err != nil {
		return err
	}
	scB, err := loadScenario(argB, append(append([]string(nil), s.Sets...), s.SetsB...))
	if err != nil {
		return err
	}
	if s.Runs > 0 {
		scA.Runs = s.Runs
	}
	if s.SeedSet {
		scA.Seed = s.Seed
	}
	scB.Runs, scB.Seed = scA.Runs, scA.Seed
	if scA.Name == scB.Name {
		scB.Name += "-b"
	}
	ma, err := compile(scA)
	if err != nil {
		return err
	}
	mb, err := compile(scB)
	if err != nil {
		return err
	}
	if _, err := sim.NewComparison(ma, mb); err != nil {
		return usageErr(err) // before any output is written
	}
	out := s.Out
	if out == "" {
		out = filepath.Join("out", "compare-"+scA.Name+"-vs-"+scB.Name)
	}
	res, err := runComparison(ctx, ma, mb, studySettings{
		Out: out, Workers: s.Workers, NoFigures: s.NoFigures, Progress: a.progress(s.Quiet), Args: os.Args,
	})
	if res != nil && res.Comparison != nil && res.Comparison.A.N() > 0 {
		fmt.Fprintf(a.stdout, "%s (A) vs %s (B): %d replicate pairs, seed %d, %s\n\n", scA.Name, scB.Name,
			res.Report.Delivered, scA.Seed, res.Elapsed.Round(time.Millisecond))
		writeCompareTable(a.stdout, res.Comparison)
		fmt.Fprintf(a.stdout, "\nOutputs in %s\n", out)
	}
	return err
}

// comparisonResult is what runComparison produced.
type comparisonResult struct {
	Comparison *sim.Comparison
	Report     sim.Report
	Elapsed    time.Duration
}

// runComparison runs the paired study into folder out, with the same
// manifest discipline as runStudy.
func runComparison(ctx context.Context, ma, mb *sim.Model, st studySettings) (*comparisonResult, error) {
	scA, scB := ma.Scenario, mb.Scenario
	workers := st.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	dirA, dirB := filepath.Join(st.Out, "a"), filepath.Join(st.Out, "b")
	for _, d := range []string{st.Out, dirA, dirB} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	man := &output.Manifest{
		Scenario: scA.Name + " vs " + scB.Name, ScenarioHash: scenarios.Hash(scA) + " " + scenarios.Hash(scB),
		Seed: scA.Seed, Runs: scA.Runs, Workers: workers, Version: versionString(), Args: st.Args, Started: time.Now(),
	}
	if err := output.WriteManifest(st.Out, man); err != nil {
		return nil, err
	}
	rwA, err := output.NewRunWriter(dirA, false)
	if err != nil {
		return nil, err
	}
	rwB, err := output.NewRunWriter(dirB, false)
	if err != nil {
		rwA.Abort()
		return nil, err
	}
	opt := sim.Options{Runs: scA.Runs, Workers: workers}
	if st.Progress != nil {
		opt.Progress = st.Progress(scA.Runs)
	}
	start := time.Now()
	c, rep, berr := sim.Compare(ctx, ma, mb, opt, []sim.Sink{rwA}, []sim.Sink{rwB})
	res := &comparisonResult{Comparison: c, Report: rep, Elapsed: time.Since(start)}
	interrupted := errors.Is(berr, sim.ErrInterrupted)
	if berr != nil && !interrupted {
		rwA.Abort()
		rwB.Abort()
		return res, berr
	}
	for _, rw := range []*output.RunWriter{rwA, rwB} {
		if err := rw.Close(); err != nil {
			return res, err
		}
	}
	files := []string{output.CompareFile}
	for _, f := range rwA.Files() {
		files = append(files, "a/"+f, "b/"+f)
	}
	if c.A.N() > 0 && c.B.N() > 0 {
		if err := output.WriteCompare(st.Out, c); err != nil {
			return res, err
		}
		for _, x := range []struct {
			dir string
			agg *sim.Aggregate
		}{{dirA, c.A}, {dirB, c.B}} {
			if err := output.WriteTimeseries(x.dir, x.agg); err != nil {
				return res, err
			}
		}
		files = append(files, "a/timeseries.csv", "b/timeseries.csv")
		if !st.NoFigures && c.Diff.N() > 0 {
			figs, err := output.WriteCompareFigures(st.Out, c, scA, scB)
			if err != nil {
				return res, err
			}
			files = append(files, figs...)
		}
	}
	man.RunsCompleted, man.RunsFailed = c.Diff.N(), rep.Failed
	man.Finished, man.Files, man.Interrupted, man.Completed = time.Now(), files, interrupted, !interrupted
	if err := output.WriteManifest(st.Out, man); err != nil {
		return res, err
	}
	switch {
	case interrupted:
		return res, &codeError{exitInterrupted, fmt.Errorf("interrupted: %d of %d replicate pairs finished and written to %s; its manifest is marked incomplete", rep.Delivered, scA.Runs, st.Out)}
	case rep.Failed > 0:
		return res, &codeError{exitSomeFailed, fmt.Errorf("%d of %d replicate pairs had a failure; see a/failures.csv and b/failures.csv in %s", rep.Failed, scA.Runs, st.Out)}
	}
	return res, nil
}

// writeCompareTable prints the paired comparison as an aligned table.
func writeCompareTable(w io.Writer, c *sim.Comparison) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Metric\tA\tB\tB-A [95% CI]\tCI narrowing\tn")
	for i := range sim.NumSummary {
		p := c.Paired(i)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s [%s, %s]\t%s\t%d\n", sim.SummaryLabels[i], output.Short(p.MeanA), output.Short(p.MeanB),
			output.Short(p.Mean), output.Short(p.Lo), output.Short(p.Hi), narrowing(p.Narrowing), p.N)
	}
	_ = tw.Flush()
}

func narrowing(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + "x"
}
