package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// PurposePosterior draws which model of a posterior ensemble a replicate
// runs (see Model.WithPosterior).
const PurposePosterior uint64 = 5

// posterior is a weighted set of models that a replicate picks from.
type posterior struct {
	models []*Model
	// cum are the cumulative weights, cum[len-1] the total.
	cum []float64
}

// WithPosterior returns a copy of m whose replicates each run one of
// models (typically m's scenario at one particle of a calibration's
// posterior), drawn with probability proportional to weights from the
// stream (seed, design point, replicate, PurposePosterior). The models
// must share m's seed, calendar and metric layout (the same metrics in the
// same order), so that results aggregate as m's. Two posterior models with
// the same seed and the same weights pick the same particle in replicate
// r: a paired comparison of A and B under one posterior keeps its common
// random numbers, and each replicate carries a particle's parameter
// uncertainty as well as chance. m itself is never run.
func (m *Model) WithPosterior(models []*Model, weights []float64) (*Model, error) {
	if len(models) == 0 || len(weights) != len(models) {
		return nil, fmt.Errorf("sim: a posterior needs models with one weight each, got %d models and %d weights", len(models), len(weights))
	}
	p := &posterior{models: models, cum: make([]float64, len(models))}
	total := 0.0
	for i, x := range models {
		w := weights[i]
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("sim: posterior weight %d is %g, want a finite number >= 0", i+1, w)
		}
		if x.Scenario.Seed != m.Scenario.Seed {
			return nil, fmt.Errorf("sim: posterior model %d has seed %d, want %d", i+1, x.Scenario.Seed, m.Scenario.Seed)
		}
		if len(x.Dates) != len(m.Dates) || x.Dates[0] != m.Dates[0] || len(x.Metrics) != len(m.Metrics) {
			return nil, fmt.Errorf("sim: posterior model %d has another calendar or metric list than %s", i+1, m.Scenario.Name)
		}
		for k := range x.Metrics {
			if x.Metrics[k].Name != m.Metrics[k].Name {
				return nil, fmt.Errorf("sim: posterior model %d has metric %s where %s has %s", i+1, x.Metrics[k].Name, m.Scenario.Name, m.Metrics[k].Name)
			}
		}
		total += w
		p.cum[i] = total
	}
	if !(total > 0) {
		return nil, fmt.Errorf("sim: posterior weights are all 0")
	}
	c := *m
	c.posterior = p
	return &c, nil
}

// Posterior returns the number of models of m's posterior ensemble, 0
// when m has none.
func (m *Model) Posterior() int {
	if m.posterior == nil {
		return 0
	}
	return len(m.posterior.models)
}

// ForReplicate returns the model that replicate rep of design point point
// runs: m itself, or the particle's model drawn from m's posterior.
func (m *Model) ForReplicate(point, rep int) *Model {
	p := m.posterior
	if p == nil {
		return m
	}
	return p.models[m.Particle(point, rep)]
}

// Particle returns the index of the posterior model that replicate rep of
// design point point runs (0 without a posterior).
func (m *Model) Particle(point, rep int) int {
	p := m.posterior
	if p == nil {
		return 0
	}
	rng := rand.New(rand.NewPCG(StreamSeed(m.Scenario.Seed, point, rep, PurposePosterior)))
	u := rng.Float64() * p.cum[len(p.cum)-1]
	// The first model whose cumulative weight exceeds u: zero weights are
	// never drawn.
	return min(sort.Search(len(p.cum), func(i int) bool { return p.cum[i] > u }), len(p.cum)-1)
}
