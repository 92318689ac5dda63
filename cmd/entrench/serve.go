package main

import (
	"context"
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/entrench/entrench/calibrate"
	"github.com/entrench/entrench/lab"
)

// serveConfig builds the lab's typed configuration from the layered
// settings (flags, ENTRENCH_* environment, config file). Whole-number
// settings that are not whole numbers are usage errors, not zeros (which
// would silently mean the default); so is a posterior file that cannot be
// read.
func (a *app) serveConfig() (lab.Config, error) {
	v := a.v
	cfg := lab.Config{
		Addr:       v.GetString("addr"),
		RunTimeout: v.GetDuration("run-timeout"),
		Log:        a.stderr,
	}
	ints := []struct {
		key string
		dst *int
	}{
		{"max-runs", &cfg.MaxRuns}, {"runs", &cfg.StartRuns}, {"max-horizon", &cfg.MaxHorizon},
		{"max-officials", &cfg.MaxOfficials}, {"max-concurrent", &cfg.MaxConcurrent}, {"workers", &cfg.Workers},
	}
	for _, s := range ints {
		n, err := wholeSetting(v, s.key, strconv.IntSize)
		if err != nil {
			return cfg, err
		}
		*s.dst = int(n)
	}
	for key, dst := range map[string]*int64{"max-body": &cfg.MaxBody, "max-work": &cfg.MaxWork} {
		n, err := wholeSetting(v, key, 64)
		if err != nil {
			return cfg, err
		}
		*dst = n
	}
	if path := v.GetString("posterior"); path != "" {
		p, err := calibrate.ReadPosterior(path)
		if err != nil {
			return cfg, usageErr(err)
		}
		cfg.Posterior, cfg.PosteriorFile = p, path
	}
	if err := cfg.Validate(); err != nil {
		return cfg, usageErr(err)
	}
	return cfg, nil
}

// wholeSetting reads a whole-number setting of the given bit size,
// refusing values from the environment or config file that are not whole
// numbers (viper's getters would silently turn them into 0). It also
// takes a whole number written in exponent form (2e9), as YAML config
// files may hold.
func wholeSetting(v *viper.Viper, key string, bits int) (int64, error) {
	raw := strings.TrimSpace(fmt.Sprint(v.Get(key)))
	n, err := strconv.ParseInt(raw, 10, bits)
	if err != nil {
		f, ferr := strconv.ParseFloat(raw, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) >= math.Ldexp(1, bits-1) {
			return 0, usageErr(fmt.Errorf("%s (from --%s, ENTRENCH_%s or the config file) must be a whole number, got %q",
				key, key, strings.ToUpper(strings.ReplaceAll(key, "-", "_")), raw))
		}
		n = int64(f)
	}
	return n, nil
}

func (a *app) newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the policy lab: a local web page to turn the levers and compare",
		Long: `Serve the policy lab, a web page where students choose a scenario (or
upload one), move its levers and crisis climate with sliders, and see how
cooperation and entrenchment change against the unchanged scenario, run pair
by pair on the same crisis draws (common random numbers), with paired 95%
intervals and fan charts. The settings download as a scenario file that
"entrench run" accepts and that reproduces the page's numbers.

The page is built into the binary and fetches nothing from elsewhere. It
listens on 127.0.0.1 only unless --addr names another interface; every input
is checked on the server, scenarios and runs are capped (horizon, officials,
pairs, and their product: the work of a run) and time-limited, and a new run
from a page cancels its previous one. Stop it with Ctrl-C: it stops at once,
cancelling the runs in progress.

With --posterior (the posterior.csv of "entrench calibrate"), every run
draws each replicate's parameters from the calibration's posterior, as
"entrench run --posterior" and "entrench compare --posterior" do: both runs
of a pair take the same particle, whose values override the scenario's and
the levers' on the calibrated keys. The page names the file, its particles
and its parameters. A posterior that cannot be read, or with a particle the
scenario schema refuses, stops the lab before it starts.`,
		Example: `  entrench serve                       # then open http://127.0.0.1:8080/
  entrench serve --addr 127.0.0.1:9000 --runs 500
  entrench serve --addr 0.0.0.0:8080   # a classroom network: anyone who can reach it can use it
  entrench serve --posterior out/calibration/posterior.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.serveConfig()
			if err != nil {
				return err
			}
			return a.serve(cmd.Context(), cfg)
		},
	}
	f := cmd.Flags()
	f.String("addr", lab.DefaultAddr, "host:port to listen on; anything but a loopback address exposes the lab to the network")
	f.Int("runs", lab.DefaultStartRuns, "pairs of runs a page starts with")
	f.Int("max-runs", lab.DefaultMaxRuns, "most pairs of runs one request may ask for")
	f.Int("max-horizon", lab.DefaultMaxHorizon, "longest scenario horizon accepted, in ticks")
	f.Int("max-officials", lab.DefaultMaxOfficials, "most officials a scenario may have, summed over its organizations")
	f.Int64("max-work", lab.DefaultMaxWork, "most work one run may ask for, in official-updates: officials × horizon ticks × pairs × 2")
	f.Duration("run-timeout", lab.DefaultRunTimeout, "wall-time limit of one run, waiting included")
	f.Int64("max-body", lab.DefaultMaxBody, "largest request body (uploaded scenario) in bytes")
	f.Int("max-concurrent", lab.DefaultMaxConcurrent, "runs computed at once over all pages; more wait")
	f.Int("workers", 0, "parallel workers per run (default: all cores)")
	f.String("posterior", "", "posterior.csv of a calibration: every run draws each replicate's particle by weight")
	return cmd
}

// serve listens and serves the lab until ctx is cancelled.
func (a *app) serve(ctx context.Context, cfg lab.Config) error {
	srv, err := lab.New(cfg)
	if err != nil {
		return usageErr(err)
	}
	if !lab.IsLoopback(cfg.Addr) {
		fmt.Fprintf(a.stderr, "entrench serve: WARNING: %s is not a loopback address; anyone who can reach this machine can use the lab and its CPU.\n", cfg.Addr)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return usageErr(fmt.Errorf("cannot listen on %s: %w", cfg.Addr, err))
	}
	fmt.Fprintf(a.stdout, "entrench policy lab: open http://%s/ (Ctrl-C to stop)\n", browseAddr(ln.Addr()))
	err = srv.Serve(ctx, ln)
	fmt.Fprintln(a.stdout, "entrench policy lab: stopped")
	return err
}

// browseAddr turns a listener address into one a browser can open: an
// unspecified host (0.0.0.0, ::) becomes 127.0.0.1.
func browseAddr(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
