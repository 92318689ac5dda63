package sim

import (
	"fmt"
	"math"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/scenarios"
)

// HistogramBins is the number of equal-width bins over the metric's range
// ([0, 1] for per-tick metrics, [-1, 1] for paired differences) that the
// streaming quantile sketch keeps per metric and tick. Quantiles are read
// by linear interpolation inside a bin, so their error is at most 1/1024 of
// the range, whatever the number of runs.
const HistogramBins = 1024

// SamplePaths is how many replicates' full series an Aggregate keeps for
// figures (the first ones, by replicate number).
const SamplePaths = 5

// TickStats are the across-run statistics of one metric at one tick.
type TickStats struct {
	Mean, SD                float64
	Q05, Q25, Q50, Q75, Q95 float64
}

// Aggregate accumulates per-tick statistics of many runs in memory that
// does not grow with the number of runs: Welford means and variances and a
// fixed-bin histogram per metric and tick. Results must be added in
// replicate order (Batch does this) so that floating-point sums, and thus
// output bytes, do not depend on scheduling. An Aggregate is not safe for
// concurrent use.
type Aggregate struct {
	// Metrics describes the per-tick metrics, in Series order.
	Metrics []Metric
	// Ticks is horizon+1.
	Ticks int
	// Dates holds the calendar month of every tick.
	Dates []scenarios.Month
	// Samples holds the series of the first SamplePaths successful runs.
	Samples []*RunResult
	// Failed counts replicates that returned an error.
	Failed int

	// Lo and Hi bound the values the histograms cover; values outside
	// are counted in the end bins.
	Lo, Hi float64

	n          int
	moments    []estimate.Moments // per metric and tick
	minv, maxv []float64
	hist       []uint32
	summary    [NumSummary]estimate.Moments
}

// NewAggregate returns an empty Aggregate for runs of the given shape,
// whose values lie in [0, 1].
func NewAggregate(metrics []Metric, dates []scenarios.Month) *Aggregate {
	return NewAggregateRange(metrics, dates, 0, 1)
}

// NewAggregateRange returns an empty Aggregate whose histograms cover
// [lo, hi] (hi > lo).
func NewAggregateRange(metrics []Metric, dates []scenarios.Month, lo, hi float64) *Aggregate {
	k := len(metrics) * len(dates)
	return &Aggregate{
		Lo: lo, Hi: hi,
		Metrics: metrics,
		Ticks:   len(dates),
		Dates:   dates,
		moments: make([]estimate.Moments, k),
		minv:    make([]float64, k),
		maxv:    make([]float64, k),
		hist:    make([]uint32, k*HistogramBins),
	}
}

// N returns the number of successful runs added.
func (a *Aggregate) N() int { return a.n }

// Consume adds one run; it implements Sink. Failed runs are counted only.
func (a *Aggregate) Consume(r *RunResult) error {
	if r.Err != nil {
		a.Failed++
		return nil
	}
	if len(r.Series) != len(a.moments) {
		return fmt.Errorf("sim: run has %d series values, aggregate expects %d", len(r.Series), len(a.moments))
	}
	a.n++
	for i, x := range r.Series {
		a.moments[i].Add(x)
		a.hist[i*HistogramBins+bin((x-a.Lo)/(a.Hi-a.Lo))]++
		if a.n == 1 || x < a.minv[i] {
			a.minv[i] = x
		}
		if a.n == 1 || x > a.maxv[i] {
			a.maxv[i] = x
		}
	}
	for i, x := range r.Summary {
		if !math.IsNaN(x) {
			a.summary[i].Add(x)
		}
	}
	if len(a.Samples) < SamplePaths {
		c := *r
		c.Series = append([]float64(nil), r.Series...)
		c.Events = append([]EventRecord(nil), r.Events...)
		a.Samples = append(a.Samples, &c)
	}
	return nil
}

func bin(x float64) int {
	b := int(x * HistogramBins)
	if b < 0 || x != x {
		return 0
	}
	if b >= HistogramBins {
		return HistogramBins - 1
	}
	return b
}

// Stats returns the statistics of metric m at tick t. With no runs every
// field is NaN.
func (a *Aggregate) Stats(m, t int) TickStats {
	i := m*a.Ticks + t
	if a.n == 0 {
		nan := math.NaN()
		return TickStats{nan, nan, nan, nan, nan, nan, nan}
	}
	sd := 0.0
	if a.n > 1 {
		sd = a.moments[i].SD()
	}
	h := a.hist[i*HistogramBins : (i+1)*HistogramBins]
	// Quantiles are clamped to the observed range, so a metric that is
	// constant across runs reports that constant exactly.
	q := func(p float64) float64 {
		return math.Max(a.minv[i], math.Min(a.maxv[i], a.Lo+(a.Hi-a.Lo)*quantile(h, a.n, p)))
	}
	return TickStats{
		Mean: a.moments[i].Mean, SD: sd,
		Q05: q(0.05), Q25: q(0.25), Q50: q(0.5), Q75: q(0.75), Q95: q(0.95),
	}
}

// quantile reads the q-quantile off a histogram of n values by linear
// interpolation inside the bin where the cumulative count reaches q*n.
func quantile(h []uint32, n int, q float64) float64 {
	target := q * float64(n)
	cum := 0.0
	for b, c := range h {
		if c == 0 {
			continue
		}
		next := cum + float64(c)
		if next >= target {
			frac := (target - cum) / float64(c)
			return (float64(b) + frac) / HistogramBins
		}
		cum = next
	}
	return 1
}

// Summary returns the mean of summary metric i over the runs where it is
// defined (not NaN), with its standard deviation and its interval at level
// Confidence.
func (a *Aggregate) Summary(i int) estimate.Estimate {
	return estimate.Mean(a.summary[i], Confidence)
}

// MetricIndex returns the index of the named metric, or -1.
func (a *Aggregate) MetricIndex(name string) int {
	for i, m := range a.Metrics {
		if m.Name == name {
			return i
		}
	}
	return -1
}
