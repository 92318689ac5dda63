package claims

import (
	"fmt"
	"math"

	"github.com/entrench/entrench/sim"
)

// Measure is a per-replicate quantity computed from one run.
type Measure struct {
	// Name is the machine name used in claims.csv, e.g.
	// "relative_drawdown_reference".
	Name string
	// Label is the human label used in claims.md.
	Label string
	// Unit is a short unit for the table, e.g. "share" or "months";
	// empty when the label already names it.
	Unit string
	// Value computes the measure for run r of model m; NaN marks a run
	// where it is undefined (such runs are left out).
	Value func(m *sim.Model, r *sim.RunResult) float64
}

// replicateSink computes the measures of every replicate it receives and
// keeps them by replicate number, so that values of two scenarios run on
// the same replicate numbers can be paired. It implements sim.Sink and,
// like every sink, is called from one goroutine.
type replicateSink struct {
	m        *sim.Model
	measures []Measure
	first    int
	vals     [][]float64 // vals[k][rep-first]
}

func newReplicateSink(m *sim.Model, measures []Measure, first, runs int) *replicateSink {
	s := &replicateSink{m: m, measures: measures, first: first, vals: make([][]float64, len(measures))}
	for k := range s.vals {
		s.vals[k] = make([]float64, runs)
		for i := range s.vals[k] {
			s.vals[k][i] = math.NaN()
		}
	}
	return s
}

// Consume records the measures of one run; failed runs stay NaN.
func (s *replicateSink) Consume(r *sim.RunResult) error {
	i := r.Replicate - s.first
	if i < 0 || i >= len(s.vals[0]) {
		return fmt.Errorf("claims: replicate %d outside %d..%d", r.Replicate, s.first, s.first+len(s.vals[0])-1)
	}
	if r.Err != nil {
		return nil
	}
	for k, ms := range s.measures {
		s.vals[k][i] = ms.Value(s.m, r)
	}
	return nil
}
