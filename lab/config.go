package lab

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"time"

	"github.com/entrench/entrench/calibrate"
)

// Defaults of Config's zero fields.
const (
	DefaultAddr          = "127.0.0.1:8080"
	DefaultMaxRuns       = 2000
	DefaultStartRuns     = 300
	DefaultMaxHorizon    = 600
	DefaultRunTimeout    = 2 * time.Minute
	DefaultMaxBody       = 1 << 20
	DefaultMaxConcurrent = 2
	DefaultMaxOfficials  = 20_000
	// DefaultMaxWork fits the built-in scenarios (980 officials, up to 211
	// monthly ticks) at DefaultMaxRuns pairs: 980 × 211 × 2000 × 2 is about
	// 0.83e9 official-updates.
	DefaultMaxWork int64 = 2_000_000_000
)

// MinRuns is the fewest pairs a run may ask for: below it a paired
// interval says little (the t quantile alone more than doubles), so the
// page refuses such runs and reports no interval for a metric defined in
// fewer pairs.
const MinRuns = 10

// ErrConfig is wrapped by the errors of Config.Validate.
var ErrConfig = errors.New("lab: bad configuration")

// Config configures a Server. A zero field takes the default named in its
// comment; a negative number is rejected by Validate. Cmd builds it from
// flags; the package itself reads no flags or environment.
type Config struct {
	// Addr is the host:port to listen on. Default DefaultAddr (loopback
	// only). An empty host (":8080") listens on every interface.
	Addr string
	// MaxRuns caps the replicates of one run, MinRuns to 1,000,000.
	// Default DefaultMaxRuns (2000).
	MaxRuns int
	// StartRuns is the replicates a page starts with, MinRuns to
	// MaxRuns.
	// Default DefaultStartRuns (300), or MaxRuns when that is smaller.
	StartRuns int
	// MaxHorizon caps a scenario's horizon in ticks, 1 to 2400: longer
	// scenarios are refused. Default DefaultMaxHorizon (600, 50 years of
	// months).
	MaxHorizon int
	// MaxOfficials caps the officials of a scenario, summed over its
	// organizations, 4 to 100,000,000: larger scenarios are refused.
	// Default DefaultMaxOfficials (20,000).
	MaxOfficials int
	// MaxWork caps the work of one run in official-updates: officials ×
	// horizon ticks × pairs, summed over both scenarios of the pair. Runs
	// above it are refused before they start, and scenarios that exceed it
	// even at MinRuns pairs are refused when loaded. At least 1. Default
	// DefaultMaxWork (2e9).
	MaxWork int64
	// RunTimeout bounds the wall time of one run, queueing included.
	// Default DefaultRunTimeout (2 minutes).
	RunTimeout time.Duration
	// MaxBody caps a request body in bytes (an uploaded scenario or a
	// form), 1 KiB to 64 MiB. Default DefaultMaxBody (1 MiB).
	MaxBody int64
	// MaxConcurrent is how many runs may compute at once over all pages;
	// further runs wait for a slot, and at most 4*MaxConcurrent wait.
	// Default DefaultMaxConcurrent (2).
	MaxConcurrent int
	// Workers is the number of goroutines of one run. Default 0: all
	// cores.
	Workers int
	// Log receives one line per server-side failure (a recovered panic,
	// a failed run). Default nil: discarded.
	Log io.Writer
	// Posterior, if not nil, is a calibration's posterior (as read by
	// calibrate.ReadPosterior): every run then runs A and B as its
	// ensemble, each replicate drawing one particle by weight from a stream
	// of its own (sim.Model.WithPosterior), so that a pair shares its
	// particle as it shares its crises. A particle's values are applied
	// after the levers, as `entrench compare --posterior` applies them
	// after --set-b: a lever on one of the posterior's keys has no effect.
	// Default nil: the scenarios run as they are.
	Posterior *calibrate.Posterior
	// PosteriorFile names the posterior's file on the page. Default
	// "posterior.csv" when Posterior is set.
	PosteriorFile string
}

// withDefaults returns c with its zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.MaxRuns == 0 {
		c.MaxRuns = DefaultMaxRuns
	}
	if c.StartRuns == 0 {
		c.StartRuns = min(DefaultStartRuns, c.MaxRuns)
	}
	if c.MaxHorizon == 0 {
		c.MaxHorizon = DefaultMaxHorizon
	}
	if c.MaxOfficials == 0 {
		c.MaxOfficials = DefaultMaxOfficials
	}
	if c.MaxWork == 0 {
		c.MaxWork = DefaultMaxWork
	}
	if c.RunTimeout == 0 {
		c.RunTimeout = DefaultRunTimeout
	}
	if c.MaxBody == 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxConcurrent == 0 {
		c.MaxConcurrent = DefaultMaxConcurrent
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Posterior != nil && c.PosteriorFile == "" {
		c.PosteriorFile = "posterior.csv"
	}
	return c
}

// Validate checks c after filling its defaults and reports every problem.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("address %q is not host:port: %v", c.Addr, err)
	}
	if c.MaxRuns < MinRuns || c.MaxRuns > 1_000_000 {
		bad("the replicate cap must be from %d to 1000000, got %d", MinRuns, c.MaxRuns)
	} else if c.StartRuns < MinRuns || c.StartRuns > c.MaxRuns {
		bad("the default replicates must be from %d to the cap %d, got %d", MinRuns, c.MaxRuns, c.StartRuns)
	}
	if c.MaxHorizon < 1 || c.MaxHorizon > 2400 {
		bad("the horizon cap must be from 1 to 2400 ticks, got %d", c.MaxHorizon)
	}
	if c.MaxOfficials < 4 || c.MaxOfficials > 100_000_000 {
		bad("the officials cap must be from 4 to 100000000, got %d", c.MaxOfficials)
	}
	if c.MaxWork < 1 {
		bad("the work cap must be at least 1 official-update, got %d", c.MaxWork)
	}
	if c.RunTimeout < 0 {
		bad("the run timeout must be positive, got %s", c.RunTimeout)
	}
	if c.MaxBody < 1<<10 || c.MaxBody > 64<<20 {
		bad("the body limit must be from 1024 bytes to 64 MiB, got %d", c.MaxBody)
	}
	if c.MaxConcurrent < 1 || c.MaxConcurrent > 1024 {
		bad("concurrent runs must be from 1 to 1024, got %d", c.MaxConcurrent)
	}
	if c.Workers < 0 {
		bad("workers must be at least 1 (0 means all cores), got %d", c.Workers)
	}
	if p := c.Posterior; p != nil {
		if err := checkPosterior(p); err != nil {
			bad("posterior %s: %v", c.PosteriorFile, err)
		}
	}
	return errors.Join(errs...)
}

// IsLoopback reports whether the host of addr (host:port) is a loopback
// address or "localhost", so that only this machine can connect. An empty
// host means every interface and is not loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// checkPosterior checks the shape of a posterior: names and keys that
// match, particles of one value per parameter, finite weights >= 0 that
// are not all 0, and at least one parameter that sets a scenario key (an
// ensemble of observation parameters alone would change nothing).
func checkPosterior(p *calibrate.Posterior) error {
	if len(p.Names) == 0 || len(p.Keys) != len(p.Names) {
		return fmt.Errorf("%d parameter names for %d keys", len(p.Names), len(p.Keys))
	}
	keyed := false
	for _, k := range p.Keys {
		keyed = keyed || k != ""
	}
	if !keyed {
		return errors.New("no parameter sets a scenario key (only observation-model parameters): the ensemble would change nothing")
	}
	if len(p.Particles) == 0 || len(p.Weights) != len(p.Particles) {
		return fmt.Errorf("%d particles with %d weights", len(p.Particles), len(p.Weights))
	}
	total := 0.0
	for i, th := range p.Particles {
		if len(th) != len(p.Names) {
			return fmt.Errorf("particle %d has %d values for %d parameters", i+1, len(th), len(p.Names))
		}
		w := p.Weights[i]
		if !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("particle %d has weight %g, want a finite number >= 0", i+1, w)
		}
		total += w
	}
	if !(total > 0) {
		return errors.New("the weights are all 0")
	}
	return nil
}
