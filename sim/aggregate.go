package sim

import (
	"fmt"
	"math"

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

// SummaryStat are the across-run statistics of one summary metric over the
// runs where it is defined (not NaN).
type SummaryStat struct {
	// N is the number of runs where the metric is defined.
	N int
	// Mean and SD over those runs; NaN when N is 0.
	Mean, SD float64
	// CILo and CIHi bound the 95% confidence interval of the mean
	// (Student's t with N-1 degrees of freedom).
	CILo, CIHi float64
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
	mean, m2   []float64
	minv, maxv []float64
	hist       []uint32
	sn         [NumSummary]int
	smean      [NumSummary]float64
	sm2        [NumSummary]float64
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
		mean:    make([]float64, k),
		m2:      make([]float64, k),
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
	if len(r.Series) != len(a.mean) {
		return fmt.Errorf("sim: run has %d series values, aggregate expects %d", len(r.Series), len(a.mean))
	}
	a.n++
	fn := float64(a.n)
	for i, x := range r.Series {
		d := x - a.mean[i]
		a.mean[i] += d / fn
		a.m2[i] += d * (x - a.mean[i])
		a.hist[i*HistogramBins+bin((x-a.Lo)/(a.Hi-a.Lo))]++
		if a.n == 1 || x < a.minv[i] {
			a.minv[i] = x
		}
		if a.n == 1 || x > a.maxv[i] {
			a.maxv[i] = x
		}
	}
	for i, x := range r.Summary {
		if math.IsNaN(x) {
			continue
		}
		a.sn[i]++
		d := x - a.smean[i]
		a.smean[i] += d / float64(a.sn[i])
		a.sm2[i] += d * (x - a.smean[i])
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
		sd = math.Sqrt(a.m2[i] / float64(a.n-1))
	}
	h := a.hist[i*HistogramBins : (i+1)*HistogramBins]
	// Quantiles are clamped to the observed range, so a metric that is
	// constant across runs reports that constant exactly.
	q := func(p float64) float64 {
		return math.Max(a.minv[i], math.Min(a.maxv[i], a.Lo+(a.Hi-a.Lo)*quantile(h, a.n, p)))
	}
	return TickStats{
		Mean: a.mean[i], SD: sd,
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

// Summary returns the statistics of summary metric i.
func (a *Aggregate) Summary(i int) SummaryStat {
	n := a.sn[i]
	s := SummaryStat{N: n, Mean: math.NaN(), SD: math.NaN(), CILo: math.NaN(), CIHi: math.NaN()}
	if n == 0 {
		return s
	}
	s.Mean = a.smean[i]
	if n > 1 {
		s.SD = math.Sqrt(a.sm2[i] / float64(n-1))
		half := T975(n) * s.SD / math.Sqrt(float64(n))
		s.CILo, s.CIHi = s.Mean-half, s.Mean+half
	}
	return s
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
