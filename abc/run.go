package abc

import (
	"context"
	"fmt"
	"math"
	"os"
	"time"
)

// Stop says why a run ended.
type Stop string

// Reasons a run ends.
const (
	// StopGenerations: Settings.MaxGenerations generations were computed.
	StopGenerations Stop = "max-generations"
	// StopTolerance: a generation's tolerance reached Settings.MinTolerance.
	StopTolerance Stop = "min-tolerance"
	// StopAcceptance: the next generation could not keep an acceptance
	// rate of Settings.MinAcceptance; it was abandoned.
	StopAcceptance Stop = "min-acceptance"
	// StopBudget: Settings.MaxSimulations was spent; a generation that
	// could not complete within it was abandoned.
	StopBudget Stop = "max-simulations"
	// StopSchedule: the fixed tolerance schedule is exhausted.
	StopSchedule Stop = "schedule-done"
	// StopStalled: the adaptive tolerance can no longer decrease (the
	// quantile of the distances equals the tolerance, or is 0).
	StopStalled Stop = "tolerance-stalled"
)

// Result is the outcome of Run.
type Result struct {
	// Names are the parameter names, in the order of the particles.
	Names []string
	// Generations are the diagnostics of every completed generation.
	Generations []Stats
	// Final is the last completed generation.
	Final *Generation
	// Posterior is the posterior sample: Final adjusted under
	// Settings.Adjust (Final itself with AdjustNone or when the
	// adjustment fell back), as AdjustGeneration returns it.
	Posterior *Generation
	// Adjustment says what was done to Final.
	Adjustment Adjustment
	// Distance is the distance used, with its scales and weights.
	Distance *Distance
	// Stop says why the run ended.
	Stop Stop
	// Resumed counts the generations read from Settings.Dir rather than
	// computed.
	Resumed int
}

// Run calibrates p by ABC-SMC under settings s (see the package
// documentation). With s.Dir set it first resumes from the generations
// found there, and writes each new one there as soon as it is complete.
//
// When ctx is cancelled, Run returns an error wrapping ErrInterrupted; the
// generation in progress is lost, and a new Run with the same folder
// starts it again from its first attempt and gives the same result as an
// uninterrupted run.
//
// Run calls p.Simulate from up to s.Workers goroutines at once and
// s.Progress from its own goroutine. Two Runs may proceed at once if they
// use different folders; one folder must have one writer.
func Run(ctx context.Context, p *Problem, s Settings) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s = s.withDefaults()
	var gens []*Generation
	if s.Dir != "" {
		if err := os.MkdirAll(s.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("abc: %w", err)
		}
		var err error
		if gens, err = ReadGenerations(s.Dir, p, s); err != nil {
			return nil, err
		}
	}
	res := &Result{Names: p.Params.Names(), Resumed: len(gens)}
	if len(gens) > 0 {
		res.Stop = stopAfter(s, gens[len(gens)-1])
	}
	for res.Stop == "" {
		var prev *Generation
		if len(gens) > 0 {
			prev = gens[len(gens)-1]
		}
		g, stop, err := runGeneration(ctx, p, s, prev)
		if err != nil {
			return nil, err
		}
		if g == nil {
			if prev == nil {
				return nil, fmt.Errorf("abc: generation 0 could not complete: %s", stop)
			}
			res.Stop = stop
			break
		}
		if s.Dir != "" {
			if err := WriteGeneration(s.Dir, p, s, g); err != nil {
				return nil, err
			}
		}
		gens = append(gens, g)
		if s.Progress != nil {
			s.Progress(g.Stats())
		}
		res.Stop = stopAfter(s, g)
	}
	res.Final = gens[len(gens)-1]
	res.Distance = res.Final.Distance
	res.Posterior, res.Adjustment = AdjustGeneration(res.Final, p.Params, s.Adjust)
	for _, g := range gens {
		res.Generations = append(res.Generations, g.Stats())
	}
	return res, nil
}

// stopAfter returns why the run ends after generation g, or "" to go on.
func stopAfter(s Settings, g *Generation) Stop {
	st := g.Stats()
	switch {
	case g.Index+1 >= s.MaxGenerations:
		return StopGenerations
	case len(s.Tolerances) > 0 && g.Index >= len(s.Tolerances):
		return StopSchedule
	case s.MinTolerance > 0 && g.Tolerance <= s.MinTolerance:
		return StopTolerance
	case s.MinAcceptance > 0 && g.Index > 0 && st.Acceptance < s.MinAcceptance:
		return StopAcceptance
	case s.MaxSimulations > 0 && g.TotalSimulations >= s.MaxSimulations:
		return StopBudget
	}
	if len(s.Tolerances) == 0 {
		if next, _ := NextTolerance(s, g); !(next > 0) || next >= g.Tolerance {
			return StopStalled
		}
	}
	return ""
}

// runGeneration computes the generation after prev (generation 0 when
// prev is nil) in batches of attempts. It returns nil and the reason when
// the generation is abandoned under the budget or the minimum acceptance.
func runGeneration(ctx context.Context, p *Problem, s Settings, prev *Generation) (*Generation, Stop, error) {
	start := time.Now()
	st, err := NewStep(p, s, prev)
	if err != nil {
		return nil, "", err
	}
	limit, _ := st.Limit()
	rate := 1.0
	if prev != nil {
		rate = prev.Stats().Acceptance / 2
	}
	var shards []*Shard
	next, accepted := 0, 0
	for {
		need := s.Particles - accepted
		if accepted > 0 {
			rate = float64(accepted) / float64(next)
		}
		count := int(math.Ceil(float64(need)/rate*1.1)) + s.Workers
		count = max(2*s.Workers, min(count, 8*s.Particles, limit-next))
		count = min(count, limit-next)
		if count <= 0 {
			// Unreachable: Assemble abandons the generation at the limit.
			return nil, "", fmt.Errorf("abc: generation %d: no attempts left", st.gen)
		}
		sh, err := st.Evaluate(ctx, next, count, s.Workers)
		if err != nil {
			return nil, "", err
		}
		shards = append(shards, sh)
		accepted += len(sh.Accepted)
		g, n, stop, err := st.Assemble(shards, 0)
		if err != nil {
			return nil, "", err
		}
		if stop != "" {
			return nil, stop, nil
		}
		if g != nil {
			g.Seconds = time.Since(start).Seconds()
			return g, "", nil
		}
		next = n
	}
}

// NextStep reads the generations in checkpoint folder dir and returns the
// step that computes the next one, with the last generation (nil if there
// is none). When the stopping rules end the calibration after the last
// generation, it returns a nil step and the reason. It is the start of
// every job of a job chain (see the package documentation).
func NextStep(dir string, p *Problem, s Settings) (st *Step, last *Generation, stop Stop, err error) {
	if err := p.Validate(); err != nil {
		return nil, nil, "", err
	}
	if err := s.Validate(); err != nil {
		return nil, nil, "", err
	}
	gens, err := ReadGenerations(dir, p, s)
	if err != nil {
		return nil, nil, "", err
	}
	if len(gens) > 0 {
		last = gens[len(gens)-1]
		if stop = stopAfter(s.withDefaults(), last); stop != "" {
			return nil, last, stop, nil
		}
	}
	st, err = NewStep(p, s, last)
	return st, last, "", err
}
