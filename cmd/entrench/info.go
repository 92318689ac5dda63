package main

import (
	"fmt"
	"runtime"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sweep"
)

func (a *app) newValidateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate FILE|NAME...",
		Short: "Check scenario files and report every problem with file:line:column and key",
		Example: `  entrench validate my.yaml
  entrench validate baseline my.yaml --set horizon=240`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sets := a.v.GetStringSlice("set")
			if f := cmd.Flags().Lookup("set"); f != nil && f.Changed {
				sets, _ = cmd.Flags().GetStringArray("set")
			}
			var first error
			for _, arg := range args {
				sc, err := loadScenario(arg, sets)
				if err == nil {
					_, err = compile(sc)
				}
				if err != nil {
					fmt.Fprintln(a.stderr, err)
					if first == nil {
						first = usageErr(fmt.Errorf("%s is not valid", arg))
					}
					continue
				}
				fmt.Fprintf(a.stdout, "%s: ok (%s: %d sides, %d organizations, %d officials, %d channels, %d events, %d ticks)\n",
					arg, sc.Name, len(sc.Sides), len(sc.Organizations), officials(sc), len(sc.Channels), len(sc.Events), sc.Horizon)
			}
			return first
		},
	}
	cmd.Flags().StringArray("set", nil, "override a scenario value, key.path=value (repeatable)")
	return cmd
}

func officials(sc *scenarios.Scenario) int {
	n := 0
	for _, o := range sc.Organizations {
		n += o.Officials
	}
	return n
}

func (a *app) newScenariosCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "scenarios",
		Short:   "List the built-in scenarios",
		Example: "  entrench scenarios",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, b := range scenarios.Builtins() {
				fmt.Fprintf(tw, "%s\t%s\n", b.Name, b.Description)
			}
			fmt.Fprintln(tw, "\nExperiments:")
			for _, b := range sweep.Builtins() {
				fmt.Fprintf(tw, "%s\t%s\n", b.Name, b.Description)
			}
			return tw.Flush()
		},
	}
}

func (a *app) newShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "show NAME",
		Short:   "Print a built-in scenario's YAML, to copy and edit",
		Example: "  entrench show baseline > my.yaml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := scenarios.BuiltinSource(args[0])
			if err != nil && sweep.IsBuiltin(args[0]) {
				src, err = sweep.BuiltinSource(args[0])
			}
			if err != nil {
				return usageErr(err)
			}
			_, err = a.stdout.Write(src)
			return err
		},
	}
}

func (a *app) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version",
		Example: "  entrench version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "entrench %s (%s, %s/%s, kernel %s)\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH, agents.Kernel())
			return nil
		},
	}
}
