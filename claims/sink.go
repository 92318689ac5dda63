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

// Estimate is a mean (one scenario) or a mean paired difference (two
// scenarios) with its 95% confidence interval.
type Estimate struct {
	// N is the number of replicates used (where the measure is defined, in
	// both scenarios for a paired estimate).
	N int
	// MeanA and MeanB are the means of the measure in scenarios A and B
	// over those replicates; MeanB is NaN for a single scenario.
	MeanA, MeanB float64
	// Value is MeanA for a single scenario and the mean paired difference
	// B-A for two.
	Value float64
	// SE is the standard error of Value; CILo and CIHi bound its 95%
	// confidence interval, Value ± t SE with t the 97.5% quantile of
	// Student's t with N-1 degrees of freedom (1.962 at N = 1000).
	SE, CILo, CIHi float64
}

// single returns the mean of xs (NaNs left out) with its interval.
func single(xs []float64) Estimate {
	var w sim.Welford
	for _, x := range xs {
		if !math.IsNaN(x) {
			w.Add(x)
		}
	}
	nan := math.NaN()
	e := Estimate{N: w.N, MeanA: nan, MeanB: nan, Value: nan, SE: nan, CILo: nan, CIHi: nan}
	if w.N == 0 {
		return e
	}
	e.MeanA, e.Value = w.Mean, w.Mean
	if w.N > 1 {
		e.SE = math.Sqrt(w.Variance() / float64(w.N))
		e.CILo, e.CIHi = e.Value-sim.T975(w.N)*e.SE, e.Value+sim.T975(w.N)*e.SE
	}
	return e
}

// paired returns the mean paired difference b-a over replicates where both
// are defined, with its interval.
func paired(a, b []float64) Estimate {
	var wa, wb, wd sim.Welford
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			continue
		}
		wa.Add(a[i])
		wb.Add(b[i])
		wd.Add(b[i] - a[i])
	}
	nan := math.NaN()
	e := Estimate{N: wd.N, MeanA: nan, MeanB: nan, Value: nan, SE: nan, CILo: nan, CIHi: nan}
	if wd.N == 0 {
		return e
	}
	e.MeanA, e.MeanB, e.Value = wa.Mean, wb.Mean, wd.Mean
	if wd.N > 1 {
		e.SE = math.Sqrt(wd.Variance() / float64(wd.N))
		e.CILo, e.CIHi = e.Value-sim.T975(wd.N)*e.SE, e.Value+sim.T975(wd.N)*e.SE
	}
	return e
}
