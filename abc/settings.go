package abc

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
)

// Simulator runs the model at parameters theta (one value per parameter,
// in the order of Problem.Params) and returns its summaries, one per
// observed summary. It must draw all its randomness from rng and nothing
// else, so that results are reproducible; it is called from several
// goroutines at once, each with its own rng and theta, and must not keep
// theta. A summary that is NaN or infinite rejects the attempt (a failed
// run); a returned error stops the calibration. It should return promptly
// when ctx is cancelled.
type Simulator func(ctx context.Context, theta []float64, rng *rand.Rand) ([]float64, error)

// Problem is what is calibrated: the parameters with their priors, the
// observed summaries with their weights, and the simulator.
type Problem struct {
	// Params are the free parameters and their priors.
	Params Priors
	// Observed are the observed summaries, all finite.
	Observed []float64
	// Weights are the per-summary weights of the distance, >= 0; nil means
	// all 1.
	Weights []float64
	// Simulate runs the model.
	Simulate Simulator
}

// Validate checks the problem.
func (p *Problem) Validate() error {
	if p == nil {
		return fmt.Errorf("%w: no problem", ErrSettings)
	}
	if err := p.Params.Validate(); err != nil {
		return err
	}
	if err := checkSummaries(p.Observed, p.Weights); err != nil {
		return err
	}
	if p.Simulate == nil {
		return fmt.Errorf("%w: no simulator", ErrSettings)
	}
	return nil
}

// Defaults of Settings' zero fields.
const (
	DefaultParticles      = 1000
	DefaultQuantile       = 0.5
	DefaultMaxGenerations = 20
	// maxProposals bounds the kernel draws of one attempt that all fall
	// outside the prior's support before the attempt is an error.
	maxProposals = 10000
)

// Settings configure the algorithm. A zero field takes the default named
// in its comment; values out of range are rejected by Validate. Fields
// marked "result" change results and are part of the Fingerprint that a
// checkpoint folder must match; the others may change between a run and
// its resumption (raise MaxGenerations or MaxSimulations to continue a
// finished calibration).
type Settings struct {
	// Particles is the population size N (result), >= 2. Default
	// DefaultParticles (1000).
	Particles int
	// Seed seeds every random stream (result). Zero is a valid seed.
	Seed uint64
	// Quantile sets the adaptive tolerance of generation t >= 1 to this
	// quantile of generation t-1's accepted distances (result), in (0, 1).
	// Default DefaultQuantile (0.5). Ignored when Tolerances is set.
	Quantile float64
	// Tolerances, if not empty, is a fixed schedule (result): generation t
	// >= 1 uses Tolerances[t-1]; the values must be finite, > 0 and
	// strictly decreasing, and the run stops after the last.
	Tolerances []float64
	// Scale standardizes the summaries (result). Default ScaleMAD. With
	// ScaleNoise every attempt of generation 0 runs two simulations (the
	// second on the stream PurposeTwin), counted as one attempt in
	// Simulations, MaxSimulations and the acceptance rate.
	Scale Scale
	// Adjust post-processes the final generation into Result.Posterior
	// (see AdjustGeneration). Default AdjustNone. It is not a result
	// setting: the generations do not depend on it, so a checkpoint
	// folder can be finished with or without it.
	Adjust Adjust

	// MinTolerance stops the run after the first generation whose
	// tolerance is at most MinTolerance. Default 0: no such rule.
	MinTolerance float64
	// MinAcceptance, in [0, 1), stops the run when a generation's
	// acceptance rate (particles / simulations) would fall below it: the
	// generation is abandoned as soon as that is certain (after
	// Particles/MinAcceptance simulations) and the previous one is final.
	// Default 0: no such rule.
	MinAcceptance float64
	// MaxGenerations, >= 1, counts generation 0. Default
	// DefaultMaxGenerations (20).
	MaxGenerations int
	// MaxSimulations is the budget of simulations over the whole run,
	// generation 0 included; a generation that cannot complete within it
	// is abandoned and the previous one is final. Default 0: no budget.
	MaxSimulations int

	// Workers is the number of simulations run at once. Default 0 (or
	// less): all cores. Results do not depend on it.
	Workers int
	// Dir, if not empty, is a folder (created if missing) where every
	// completed generation is written atomically; a run with the same
	// problem and result settings resumes from it.
	Dir string
	// Progress, if not nil, is called after each generation computed
	// (not those resumed from Dir), from one goroutine.
	Progress func(Stats)
}

// withDefaults returns s with its zero fields set to their defaults.
func (s Settings) withDefaults() Settings {
	if s.Particles == 0 {
		s.Particles = DefaultParticles
	}
	if s.Quantile == 0 {
		s.Quantile = DefaultQuantile
	}
	if s.MaxGenerations == 0 {
		s.MaxGenerations = DefaultMaxGenerations
	}
	if s.Workers <= 0 {
		s.Workers = runtime.NumCPU()
	}
	return s
}

// Validate checks s after filling its defaults and reports the first
// problem.
func (s Settings) Validate() error {
	s = s.withDefaults()
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrSettings}, a...)...)
	}
	switch {
	case s.Particles < 2:
		return bad("particles is %d, want >= 2", s.Particles)
	case !(s.Quantile > 0 && s.Quantile < 1):
		return bad("quantile is %g, want a number in (0, 1)", s.Quantile)
	case s.Scale != ScaleMAD && s.Scale != ScaleSD && s.Scale != ScaleNoise:
		return bad("unknown scale %v (allowed: mad, sd, noise)", s.Scale)
	case s.Adjust != AdjustNone && s.Adjust != AdjustRegression:
		return bad("unknown adjustment %v (allowed: none, regression)", s.Adjust)
	case !(s.MinTolerance >= 0) || math.IsInf(s.MinTolerance, 0):
		return bad("minimum tolerance is %g, want a finite number >= 0", s.MinTolerance)
	case !(s.MinAcceptance >= 0 && s.MinAcceptance < 1):
		return bad("minimum acceptance is %g, want a number in [0, 1)", s.MinAcceptance)
	case s.MaxGenerations < 1:
		return bad("maximum generations is %d, want >= 1", s.MaxGenerations)
	case s.MaxSimulations < 0:
		return bad("maximum simulations is %d, want >= 0 (0: no budget)", s.MaxSimulations)
	case s.MaxSimulations > 0 && s.MaxSimulations < s.Particles:
		return bad("maximum simulations %d is below the %d particles of generation 0", s.MaxSimulations, s.Particles)
	}
	for i, t := range s.Tolerances {
		if !(t > 0) || math.IsInf(t, 0) {
			return bad("tolerance %d is %g, want a finite number > 0", i+1, t)
		}
		if i > 0 && t >= s.Tolerances[i-1] {
			return bad("tolerance %d (%g) is not below tolerance %d (%g): the schedule must decrease", i+1, t, i, s.Tolerances[i-1])
		}
	}
	return nil
}
