package calibrate

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/entrench/entrench/abc"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// Overrides returns the scenario overrides that set parameter vector
// theta (one value per Params entry; observation parameters are skipped).
func (c *Calibration) Overrides(theta []float64) []scenarios.Override {
	var ovs []scenarios.Override
	for i, k := range c.Keys {
		if k != "" {
			ovs = append(ovs, scenarios.Override{Path: k, Value: ftoa(theta[i])})
		}
	}
	return ovs
}

// Model compiles the scenario with parameter vector theta applied through
// the override machinery, so that every value is validated as a --set
// value would be. Its error says why theta is not a valid scenario (for
// example a combination that breaks a rule between two keys).
func (c *Calibration) Model(theta []float64) (*sim.Model, error) {
	return c.model(theta, nil)
}

// model is Model with the scenario's seed replaced by *seed when not nil.
func (c *Calibration) model(theta []float64, seed *uint64) (*sim.Model, error) {
	sc, err := c.scenario(c.Overrides(theta))
	if err != nil {
		return nil, err
	}
	if seed != nil {
		sc.Seed = *seed
	}
	return sim.Compile(sc)
}

// Summaries counts the fitted points (inside the fit window), the length
// of Observed; names them target@date.
func (c *Calibration) Summaries() (observed, weights []float64, names []string) {
	for _, t := range c.Targets {
		for _, p := range t.Points {
			if p.InWindow {
				observed = append(observed, p.Observed)
				weights = append(weights, t.Weight)
				names = append(names, t.Name+"@"+pointDate(p))
			}
		}
	}
	return observed, weights, names
}

func pointDate(p Point) string {
	if p.Yearly {
		return p.Date.String()[:4]
	}
	return p.Date.String()
}

// Problem returns the abc problem: the priors, the fitted observations
// with the targets' weights, and a simulator that runs Replicates
// replicates of the scenario at theta (seeded by a draw of its stream)
// and returns the observed-scale statistics of the fitted points.
func (c *Calibration) Problem() *abc.Problem {
	obs, w, _ := c.Summaries()
	return &abc.Problem{
		Params: c.Params, Observed: obs, Weights: w,
		Simulate: func(ctx context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
			return c.Simulate(ctx, theta, rng, false)
		},
	}
}

// Simulate runs the model at theta and returns the statistics of the
// targets' points through their observation models: the fitted points
// only, or every point (in target and point order) when all is true. A
// theta the scenario rejects, or a failed replicate, gives NaN summaries
// (an attempt abc rejects). Randomness: the scenario seed is rng's first
// draw, the observation noise the next ones.
func (c *Calibration) Simulate(ctx context.Context, theta []float64, rng *rand.Rand, all bool) ([]float64, error) {
	n := 0
	for _, t := range c.Targets {
		for _, p := range t.Points {
			if all || p.InWindow {
				n++
			}
		}
	}
	out := make([]float64, n)
	seed := rng.Uint64()
	m, err := c.model(theta, &seed)
	if err != nil {
		for i := range out {
			out[i] = math.NaN()
		}
		return out, nil
	}
	T := len(m.Dates)
	w := sim.NewWorld(m)
	res := &sim.RunResult{Series: make([]float64, len(m.Metrics)*T)}
	for r := range c.Replicates {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		w.Reset(0, r, res)
		if err := w.Run(); err != nil {
			for i := range out {
				out[i] = math.NaN()
			}
			return out, nil
		}
		k := 0
		for _, t := range c.Targets {
			x := res.Series[t.metric*T : (t.metric+1)*T]
			for _, p := range t.Points {
				if all || p.InWindow {
					out[k] += statistic(t, p, x, m.Dates)
					k++
				}
			}
		}
	}
	k := 0
	for _, t := range c.Targets {
		for _, p := range t.Points {
			if all || p.InWindow {
				x := out[k] / float64(c.Replicates)
				out[k] = t.intercept.at(theta) + t.slope.at(theta)*x
				if t.Noise > 0 {
					out[k] += t.Noise * rng.NormFloat64()
				}
				k++
			}
		}
	}
	return out, nil
}

// statistic computes target t's statistic at point p from the metric's
// per-tick series x.
func statistic(t TargetSpec, p Point, x []float64, dates []scenarios.Month) float64 {
	switch t.Statistic {
	case YearlyMean:
		s := 0.0
		for _, v := range x[p.t0 : p.t1+1] {
			s += v
		}
		return s / float64(p.t1-p.t0+1)
	case FallsBelow:
		for k := t.afterTick + 1; k < len(x); k++ {
			if x[k] < t.Level {
				return dates[k].DecimalYear()
			}
		}
	case RisesAbove:
		for k := t.afterTick + 1; k < len(x); k++ {
			if x[k] >= t.Level {
				return dates[k].DecimalYear()
			}
		}
	}
	return (dates[len(dates)-1] + 1).DecimalYear()
}
