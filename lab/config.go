package lab

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"time"
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
