package sim

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// PairedStat is the paired comparison of one summary metric between
// scenario A and scenario B over the replicates where it is defined in
// both.
type PairedStat struct {
	// N is the number of replicates where the metric is defined in both.
	N int
	// MeanA and MeanB are the means over those replicates.
	MeanA, MeanB float64
	// Diff is the mean paired difference B-A; CILo and CIHi bound its 95%
	// confidence interval (Student's t with N-1 degrees of freedom).
	Diff, CILo, CIHi float64
	// SEPaired is the standard error of Diff from the paired differences;
	// SEUnpaired is what it would be for independent samples,
	// sqrt(varA/N + varB/N).
	SEPaired, SEUnpaired float64
	// Narrowing is SEUnpaired/SEPaired: how many times narrower common
	// random numbers made the interval. NaN when SEPaired is 0.
	Narrowing float64
}

// T975 is the 97.5% quantile of Student's t distribution with n-1 degrees
// of freedom: a 95% confidence interval of a mean of n values is the mean
// plus or minus T975(n) standard errors. It is NaN for n < 2.
func T975(n int) float64 {
	if n < 2 {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
}

// Welford is a running mean and variance (Welford's method); the zero
// value is empty. Values must be added in a fixed order for results to be
// reproducible to the bit.
type Welford struct {
	// N is the number of values added; Mean their mean; M2 the sum of
	// squared deviations from the mean.
	N        int
	Mean, M2 float64
}

// Add adds one value.
func (w *Welford) Add(x float64) {
	w.N++
	d := x - w.Mean
	w.Mean += d / float64(w.N)
	w.M2 += d * (x - w.Mean)
}

// Variance returns the sample variance, NaN with fewer than two values.
func (w *Welford) Variance() float64 {
	if w.N < 2 {
		return math.NaN()
	}
	return w.M2 / float64(w.N-1)
}

// Comparison accumulates a paired comparison of two models run on the same
// replicate numbers, and so on the same random streams (common random
// numbers): the crisis sequence of replicate r is the same in A and B as
// long as the two share a crisis process. Not safe for concurrent use.
type Comparison struct {
	// A and B aggregate each scenario's runs.
	A, B *Aggregate
	// Diff aggregates the per-tick paired difference B-A of every metric
	// the two models share (by name); its values lie in [-1, 1].
	Diff *Aggregate

	pairs  [NumSummary]struct{ d, a, b Welford }
	ia, ib []int // metric indices in A and B of Diff's metrics
	buf    []float64
}

// NewComparison prepares a comparison of a and b, which must have the same
// calendar (start, tick length and horizon).
func NewComparison(a, b *Model) (*Comparison, error) {
	if len(a.Dates) != len(b.Dates) || a.Dates[0] != b.Dates[0] || a.Scenario.TickMonths != b.Scenario.TickMonths {
		return nil, fmt.Errorf("sim: cannot compare %s (%s, %d ticks) with %s (%s, %d ticks): start, tick length and horizon must match",
			a.Scenario.Name, a.Dates[0], len(a.Dates), b.Scenario.Name, b.Dates[0], len(b.Dates))
	}
	c := &Comparison{A: a.NewAggregate(), B: b.NewAggregate()}
	var shared []Metric
	for i, m := range a.Metrics {
		for j, n := range b.Metrics {
			if m.Name == n.Name {
				shared = append(shared, m)
				c.ia, c.ib = append(c.ia, i), append(c.ib, j)
				break
			}
		}
	}
	c.Diff = NewAggregateRange(shared, a.Dates, -1, 1)
	c.buf = make([]float64, len(shared)*len(a.Dates))
	return c, nil
}

// Add adds one replicate's pair of results (same replicate number).
func (c *Comparison) Add(ra, rb *RunResult) error {
	if err := c.A.Consume(ra); err != nil {
		return err
	}
	if err := c.B.Consume(rb); err != nil {
		return err
	}
	if ra.Err != nil || rb.Err != nil {
		c.Diff.Failed++
		return nil
	}
	T := c.A.Ticks
	for k := range c.ia {
		sa := ra.Series[c.ia[k]*T : (c.ia[k]+1)*T]
		sb := rb.Series[c.ib[k]*T : (c.ib[k]+1)*T]
		d := c.buf[k*T : (k+1)*T]
		for t := range d {
			d[t] = sb[t] - sa[t]
		}
	}
	if err := c.Diff.Consume(&RunResult{Replicate: ra.Replicate, Series: c.buf}); err != nil {
		return err
	}
	for i := range c.pairs {
		xa, xb := ra.Summary[i], rb.Summary[i]
		if math.IsNaN(xa) || math.IsNaN(xb) {
			continue
		}
		p := &c.pairs[i]
		p.d.Add(xb - xa)
		p.a.Add(xa)
		p.b.Add(xb)
	}
	return nil
}

// Paired returns the paired statistics of summary metric i.
func (c *Comparison) Paired(i int) PairedStat {
	p := &c.pairs[i]
	nan := math.NaN()
	s := PairedStat{N: p.d.N, MeanA: nan, MeanB: nan, Diff: nan, CILo: nan, CIHi: nan, SEPaired: nan, SEUnpaired: nan, Narrowing: nan}
	if p.d.N == 0 {
		return s
	}
	s.MeanA, s.MeanB, s.Diff = p.a.Mean, p.b.Mean, p.d.Mean
	if p.d.N < 2 {
		return s
	}
	n := float64(p.d.N)
	s.SEPaired = math.Sqrt(p.d.Variance() / n)
	s.SEUnpaired = math.Sqrt(p.a.Variance()/n + p.b.Variance()/n)
	half := T975(p.d.N) * s.SEPaired
	s.CILo, s.CIHi = s.Diff-half, s.Diff+half
	if s.SEPaired > 0 {
		s.Narrowing = s.SEUnpaired / s.SEPaired
	}
	return s
}

// Compare runs opt.Runs replicates of a and b in parallel, replicate r of
// both on the same random streams (the seed, design point and replicate
// number of each; give both models the same seed for common random
// numbers), and feeds each pair, in replicate order, to the comparison and
// to sinksA and sinksB. Interruption and failures behave as in Batch.
func Compare(ctx context.Context, a, b *Model, opt Options, sinksA, sinksB []Sink) (*Comparison, Report, error) {
	c, err := NewComparison(a, b)
	if err != nil {
		return nil, Report{}, err
	}
	rep, err := batch(ctx, []*Model{a, b}, opt, func(rs []*RunResult) error {
		for _, s := range sinksA {
			if err := s.Consume(rs[0]); err != nil {
				return err
			}
		}
		for _, s := range sinksB {
			if err := s.Consume(rs[1]); err != nil {
				return err
			}
		}
		return c.Add(rs[0], rs[1])
	})
	return c, rep, err
}
