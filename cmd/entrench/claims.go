package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/entrench/entrench/claims"
	"github.com/entrench/entrench/sim"
)

// claimsSettings are the typed settings of "entrench claims".
type claimsSettings struct {
	Runs    int    // replicates per scenario; 0 means claims.DefaultRuns
	Workers int    // parallel workers; 0 means all cores
	Seed    uint64 // master seed; 0 means claims.DefaultSeed
	Out     string // output folder
	Quiet   bool   // no progress lines
}

func (a *app) newClaimsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "claims",
		Short: "Put the memo's claims to the test and write the claims table and figures",
		Long: `Run the built-in scenarios in pairs on common random numbers (same seed,
same replicate numbers) and decide each of the memo's claims by a rule
declared in advance: a test supports its claim when the 95% interval of its
estimate (a mean, or a mean paired difference B-A) lies entirely on the
claimed side of its threshold. Writes into the output folder:
  claims.md    the table: verdicts, then one row per test
  claims.csv   the same, one row per test, machine-readable
  *.png, *.svg the backcast fan chart and one figure per claim`,
		Example: `  entrench claims
  entrench claims --runs 1000 --out /tmp/claims
  entrench claims --runs 40 --seed 7 --workers 2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := a.v
			s := claimsSettings{
				Runs: v.GetInt("runs"), Workers: v.GetInt("workers"), Seed: v.GetUint64("seed"),
				Out: v.GetString("out"), Quiet: v.GetBool("quiet"),
			}
			if s.Runs < 0 || s.Runs == 1 {
				return usageErr(fmt.Errorf("--runs must be at least 2, got %d", s.Runs))
			}
			if s.Workers < 0 {
				return usageErr(fmt.Errorf("--workers must be at least 1 (0 means all cores), got %d", s.Workers))
			}
			if s.Out == "" {
				s.Out = "out/claims"
			}
			return a.claims(cmd.Context(), s)
		},
	}
	f := cmd.Flags()
	f.Int("runs", claims.DefaultRuns, "replicates per scenario (at least 2)")
	f.Int("workers", 0, "parallel workers (default: all cores)")
	f.Uint64("seed", claims.DefaultSeed, "master seed shared by every scenario")
	f.String("out", "out/claims", "output folder")
	f.Bool("quiet", false, "no progress lines")
	return cmd
}

// claims runs the claims and writes the table and figures.
func (a *app) claims(ctx context.Context, s claimsSettings) error {
	if err := os.MkdirAll(s.Out, 0o755); err != nil {
		return err
	}
	set := claims.Settings{Runs: s.Runs, Workers: s.Workers, Seed: s.Seed}
	if !s.Quiet {
		set.Progress = func(what string, i, n int) {
			fmt.Fprintf(a.stderr, "[%d/%d] %s\n", i, n, what)
		}
	}
	start := time.Now()
	rep, err := claims.Run(ctx, set)
	if err != nil {
		if errors.Is(err, sim.ErrInterrupted) { // exit code exitInterrupted
			return fmt.Errorf("interrupted: no claims table written: %w", err)
		}
		if errors.Is(err, claims.ErrSettings) {
			return usageErr(err)
		}
		return err
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
