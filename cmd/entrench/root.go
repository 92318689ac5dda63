package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// Exit codes.
const (
	exitOK          = 0
	exitError       = 1   // a run-time failure (I/O, a sink error)
	exitUsage       = 2   // bad input: flags, scenario files, overrides
	exitSomeFailed  = 3   // the batch finished but some replicates failed
	exitInterrupted = 130 // stopped by a signal; outputs marked incomplete
)

// codeError carries an exit code with an error. A usage error (bad flags,
// arguments, settings or scenario files: exitUsage) is a codeError made by
// usageErr; execute classifies errors by type, never by their text.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

// usageErr wraps err as a usage error (exit code exitUsage).
func usageErr(err error) error { return &codeError{exitUsage, err} }

// version is set at build time with -ldflags "-X main.version=..."; when
// empty it comes from the module build information.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.modified" && s.Value == "true" {
				// Uncommitted changes: resume and merge must not take
				// this build for the committed one.
				v += "-dirty"
			}
		}
		if v != "" && v != "(devel)" {
			return v
		}
	}
	return "dev"
}

// app holds what every command shares: the layered settings and the
// output streams. Nothing here is global, so tests run commands in
// parallel.
type app struct {
	v      *viper.Viper
	stdout io.Writer
	stderr io.Writer
	// args are the arguments given to the command (without the program
	// name), as cobra receives them; studies record them in their
	// manifests.
	args []string
	// started is set when a command's settings start loading: an error
	// before it (an unknown command, bad arguments) is a usage error.
	started bool
}

// execute runs the command line args and returns the exit code.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{v: viper.New(), stdout: stdout, stderr: stderr, args: args}
	root := a.newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if !a.started {
		// Cobra failed before any command ran: an unknown command, a bad
		// flag or the wrong number of arguments.
		err = usageErr(err)
	}
	fmt.Fprintln(stderr, "entrench:", err)
	return exitCode(err)
}

// exitCode classifies an error by its type.
func exitCode(err error) int {
	var ce *codeError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ce):
		return ce.code
	case errors.Is(err, sim.ErrInterrupted):
		return exitInterrupted
	}
	return exitError
}

func (a *app) newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "entrench",
		Short: "Simulate how security cooperation between rivals becomes entrenched, or collapses",
		Long: `entrench is an agent-based model of Russia-West security cooperation.
Bureaucratic organizations in Moscow, Washington and European capitals,
made of officials, work together in cooperation channels that yield stakes;
crises knock cooperation back; stakes held by many domestic actors make it
resist the shocks.

Settings come, in increasing priority, from a config file (--config, or
entrench.yaml in the working folder), ENTRENCH_* environment variables
(e.g. ENTRENCH_RUNS=500, ENTRENCH_WORKERS=2, ENTRENCH_SET="a.b=1 c=2"),
and flags.`,
		Example: `  entrench run                      # the built-in baseline, into out/baseline
  entrench run backcast-1997-2016 --runs 1000
  entrench run my.yaml --set levers.tapi_stake.value=0.6
  entrench validate my.yaml
  entrench scenarios
  entrench show baseline > my.yaml`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.started = true
			return a.loadConfig(cmd)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr(err) })
	root.PersistentFlags().String("config", "", "config file (YAML) with default settings, e.g. runs: 500 (default: ./entrench.yaml if present)")
	root.AddCommand(a.newRunCmd(), a.newCompareCmd(), a.newValidateCmd(), a.newScenariosCmd(), a.newShowCmd(), a.newVersionCmd(), a.newClaimsCmd(), a.newServeCmd(), a.newSweepCmd(), a.newMergeCmd(), a.newGendocsCmd(), a.newDiscoverCmd(), a.newSchemaCmd())
	return root
}

// loadConfig layers the config file and ENTRENCH_* environment under the
// command's flags.
func (a *app) loadConfig(cmd *cobra.Command) error {
	v := a.v
	v.SetEnvPrefix("ENTRENCH")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_", ".", "_"))
	v.AutomaticEnv()
	cfg, _ := cmd.Flags().GetString("config")
	if cfg == "" {
		cfg = os.Getenv("ENTRENCH_CONFIG")
	}
	if cfg == "" {
		if _, err := os.Stat("entrench.yaml"); err == nil {
			cfg = "entrench.yaml"
		}
	}
	if cfg != "" {
		v.SetConfigFile(cfg)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return usageErr(fmt.Errorf("config file %s: %w", cfg, err))
		}
	}
	var bindErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "config" || f.Name == "help" {
			return
		}
		if err := v.BindPFlag(f.Name, f); err != nil && bindErr == nil {
			bindErr = err
		}
	})
	return bindErr
}

// loadScenario loads a scenario file, or a built-in by name (the baseline
// when arg is empty), with the --set overrides applied.
func loadScenario(arg string, sets []string) (*scenarios.Scenario, error) {
	var ovs []scenarios.Override
	for _, s := range sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			return nil, usageErr(err)
		}
		ovs = append(ovs, o)
	}
	var sc *scenarios.Scenario
	var err error
	switch {
	case arg == "":
		sc, err = scenarios.LoadBuiltin("baseline", ovs)
	case isFile(arg):
		sc, err = scenarios.LoadFile(arg, ovs)
	case strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") || strings.ContainsRune(arg, os.PathSeparator):
		return nil, usageErr(fmt.Errorf("scenario file %s does not exist", arg))
	default:
		sc, err = scenarios.LoadBuiltin(arg, ovs)
	}
	if err != nil {
		return nil, usageErr(err)
	}
	return sc, nil
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// compile validates and compiles a loaded scenario.
func compile(sc *scenarios.Scenario) (*sim.Model, error) {
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, usageErr(err)
	}
	return m, nil
}
