package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/sim"
	"github.com/entrench/entrench/study"
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
and entrenchment_{a,b,diff,compare} figures (PNG and SVG; entrenchment is
the stress probe's: if a Crimea-size crisis hit now and attention waned, the
share of cooperation still standing a year later); a/ and b/ with
each scenario's runs.csv, events.csv, failures.csv and timeseries.csv; and
manifest.json.`,
		Example: `  entrench compare baseline tapi-only --runs 1000
  entrench compare baseline --set-b levers.tapi_stake.value=0.8 --set-b levers.border_cooperation.value=0.8
  entrench compare backcast-1997-2016 memo-levers-2010 --out out/memo`,
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
	out := s.Out
	if out == "" {
		out = filepath.Join("out", "compare-"+scA.Name+"-vs-"+scB.Name)
	}
	res, err := study.Compare(ctx, ma, mb, study.Settings{
		Out: out, Workers: s.Workers, NoFigures: s.NoFigures,
		Progress: a.progress(s.Quiet, scA.Runs), Args: a.args, Version: versionString(),
	})
	if errors.Is(err, study.ErrIncomparable) {
		return usageErr(err) // nothing was written
	}
	if res != nil && res.Comparison != nil && res.Comparison.A.N() > 0 {
		fmt.Fprintf(a.stdout, "%s (A) vs %s (B): %d replicate pairs, seed %d, %s\n\n", scA.Name, scB.Name,
			res.Report.Delivered, scA.Seed, res.Elapsed.Round(time.Millisecond))
		writeCompareTable(a.stdout, res.Comparison)
		fmt.Fprintf(a.stdout, "\nOutputs in %s\n", out)
	}
	if err == nil && res.Report.Failed > 0 {
		return &codeError{exitSomeFailed, fmt.Errorf("%d of %d replicate pairs had a failure; see a/failures.csv and b/failures.csv in %s", res.Report.Failed, scA.Runs, out)}
	}
	return err
}

// writeCompareTable prints the paired comparison as an aligned table.
func writeCompareTable(w io.Writer, c *sim.Comparison) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Metric\tA\tB\tB-A [95% CI]\tCI narrowing\tn")
	for _, p := range c.Rows() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s [%s, %s]\t%s\t%d\n", p.Label, output.Short(p.MeanA), output.Short(p.MeanB),
			output.Short(p.Mean), output.Short(p.Lo), output.Short(p.Hi), narrowing(p.Narrowing), p.N)
	}
	_ = tw.Flush()
	if len(c.SharedChannels) > 0 {
		fmt.Fprintf(w, "Channels in both: %s (the shared-channel rows average over these only).\n", strings.Join(c.SharedChannels, ", "))
	}
}

func narrowing(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + "x"
}
