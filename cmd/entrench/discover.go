package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/prim"
	"github.com/entrench/entrench/sweep"
)

func (a *app) newDiscoverCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "discover DIR --where CONDITION",
		Short: "Scenario discovery: find the region of a sweep's factors where a condition on the outcomes holds (PRIM)",
		Long: `Run PRIM (Friedman and Fisher 1999, as the EMA Workbench does) over the
factors of a finished sweep folder: the cases of interest are the replicates
(or, with --per point, the design points, by their mean) that meet the
condition "METRIC OP VALUE", OP one of >=, <=, >, <, ==, !=. PRIM peels the
factor space down to a box where those cases are dense; every box along
the way is kept (the peeling trajectory). The chosen box is the first one
whose density (share of its cases that are of interest) reaches --density.

Writes into DIR/discover (or --out):
  prim_trajectory.csv, .png, .svg   every box: coverage (share of the cases
                 of interest inside), density, mass; the figure plots
                 density against coverage
  prim_box.csv   the chosen box: each restricted factor's limits and its
                 quasi-p-value (Bryant and Lempert 2010; a large value says
                 the restriction could be dropped)
  prim_box.yaml  the box as settings for "entrench run SCENARIO --config
                 prim_box.yaml": one value inside the box per restricted
                 factor (the middle of its range)`,
		Example: `  entrench discover out/lhs-demo --where "final_cooperation >= 0.5"
  entrench discover out/study --where "crisis_survival < 0.5" --per point --density 0.9
  entrench run baseline --config out/study/discover/prim_box.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v := a.v
			where, err := sweep.ParseCondition(v.GetString("where"))
			if err != nil {
				return usageErr(err)
			}
			per := v.GetString("per")
			if per != "replicate" && per != "point" {
				return usageErr(fmt.Errorf("--per %q: must be replicate or point", per))
			}
			opt := sweep.DiscoverOptions{
				Where: where, PerPoint: per == "point", Out: v.GetString("out"), NoFigures: v.GetBool("no-figures"),
				Density: v.GetFloat64("density"),
				PRIM:    prim.Settings{Alpha: v.GetFloat64("alpha"), MinMass: v.GetFloat64("min-mass"), Paste: v.GetBool("paste")},
			}
			d, err := sweep.Discover(args[0], opt)
			if err != nil {
				if errors.Is(err, prim.ErrSettings) || errors.Is(err, sweep.ErrCondition) {
					return usageErr(err)
				}
				return err
			}
			b := d.Result.Box()
			fmt.Fprintf(a.stdout, "%d of %d cases meet %s\n", d.Positives, d.Cases, where)
			fmt.Fprintf(a.stdout, "Box %d of %d: coverage %s, density %s, mass %s\n", d.Result.Chosen, len(d.Result.Steps)-1, output.Short(b.Coverage), output.Short(b.Density), output.Short(b.Mass))
			if !d.Result.ThresholdMet {
				fmt.Fprintf(a.stdout, "(no box reaches density %g: the knee of the trajectory is shown)\n", opt.Density)
			}
			fmt.Fprintf(a.stdout, "%-24s %-12s %-12s %s\n", "factor", "min", "max", "quasi-p")
			for _, j := range b.Restricted {
				l := b.Limits[j]
				lo, hi := output.Short(l.Min), output.Short(l.Max)
				if len(l.Categories) > 0 {
					lo, hi = fmt.Sprint(l.Categories), ""
				}
				fmt.Fprintf(a.stdout, "%-24s %-12s %-12s %s\n", d.Result.Factors[j].Name, lo, hi, output.Short(b.QuasiP[j]))
			}
			if len(b.Restricted) == 0 {
				fmt.Fprintln(a.stdout, "(no factor is restricted)")
			}
			fmt.Fprintf(a.stdout, "Files: %s\n", strings.Join(d.Files, ", "))
			return nil
		},
	}
	f := cmd.Flags()
	f.String("where", "", `the condition on an outcome, "METRIC OP VALUE", e.g. "final_cooperation >= 0.5" (required)`)
	f.String("per", "replicate", "what a case is: replicate (each run, its own value) or point (each design point, by its mean)")
	f.Float64("density", sweep.DefaultDensity, "density the chosen box must reach: the first such box of the trajectory is chosen")
	f.Float64("alpha", prim.DefaultAlpha, "share of the box's cases peeled per step, in (0, 0.5)")
	f.Float64("min-mass", prim.DefaultMinMass, "smallest share of all cases a box may hold")
	f.Bool("paste", false, "paste after peeling")
	f.String("out", "", "output folder (default: DIR/discover)")
	f.Bool("no-figures", false, "skip the trajectory figure")
	_ = cmd.MarkFlagRequired("where")
	return cmd
}
