package estimate

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Moments is a running count, mean and sum of squared deviations
// (Welford's method); the zero value is empty.
type Moments struct {
	// N is the number of values added.
	N int
	// Mean is their mean, 0 when N is 0.
	Mean float64
	// M2 is the sum of squared deviations from Mean.
	M2 float64
}

// Add adds one value. NaN is not skipped: it makes Mean and M2 NaN.
func (m *Moments) Add(x float64) {
	m.N++
	d := x - m.Mean
	m.Mean += d / float64(m.N)
	m.M2 += d * (x - m.Mean)
}

// Merge adds the values summarised by o (Chan et al.'s parallel update).
// The result equals adding the same values one by one up to rounding, not
// to the bit; merge in a fixed order for reproducible results.
func (m *Moments) Merge(o Moments) {
	switch {
	case o.N == 0:
		return
	case m.N == 0:
		*m = o
		return
	}
	n := m.N + o.N
	d := o.Mean - m.Mean
	m.Mean += d * float64(o.N) / float64(n)
	m.M2 += o.M2 + d*d*float64(m.N)*float64(o.N)/float64(n)
	m.N = n
}

// Variance returns the sample variance (divisor N-1); NaN with fewer than
// two values.
func (m Moments) Variance() float64 {
	if m.N < 2 {
		return math.NaN()
	}
	return m.M2 / float64(m.N-1)
}

// SD returns the sample standard deviation; NaN with fewer than two values.
func (m Moments) SD() float64 { return math.Sqrt(m.Variance()) }

// TMultiplier is the number of standard errors on either side of the mean
// of n values in a two-sided confidence interval at level (0 < level < 1):
// the (1+level)/2 quantile of Student's t distribution with n-1 degrees of
// freedom (2.262 for n = 10 at 0.95, 1.962 for n = 1000). It is NaN for
// n < 2.
func TMultiplier(n int, level float64) float64 {
	if n < 2 {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile((1 + level) / 2)
}

// Estimate is a mean with its Student-t confidence interval. Fields that
// cannot be computed are NaN: everything but N and Level with no value,
// everything but N, Level and Mean with one.
type Estimate struct {
	// N is the number of values.
	N int
	// Mean is their mean.
	Mean float64
	// SD is their sample standard deviation and SE the standard error of
	// Mean, SD/sqrt(N).
	SD, SE float64
	// Lo and Hi bound the confidence interval of Mean, Mean ± t SE with t
	// = TMultiplier(N, Level).
	Lo, Hi float64
	// Level is the confidence level of the interval, e.g. 0.95.
	Level float64
}

func empty(n int, level float64) Estimate {
	nan := math.NaN()
	return Estimate{N: n, Mean: nan, SD: nan, SE: nan, Lo: nan, Hi: nan, Level: level}
}

// Mean returns the mean summarised by m with its interval at level. The
// standard error is computed as sqrt(Variance/N).
func Mean(m Moments, level float64) Estimate {
	e := empty(m.N, level)
	if m.N == 0 {
		return e
	}
	e.Mean = m.Mean
	if m.N < 2 {
		return e
	}
	v := m.Variance()
	e.SD = math.Sqrt(v)
	e.SE = math.Sqrt(v / float64(m.N))
	half := TMultiplier(m.N, level) * e.SE
	e.Lo, e.Hi = e.Mean-half, e.Mean+half
	return e
}

// FromSD returns the estimate of a mean known only by its mean, standard
// deviation sd and count n (as stored in a sweep's journal), with its
// interval at level. The half-width is computed as t*sd/sqrt(n).
func FromSD(mean, sd float64, n int, level float64) Estimate {
	e := empty(n, level)
	if n == 0 {
		return e
	}
	e.Mean = mean
	if n < 2 || math.IsNaN(sd) {
		return e
	}
	rn := math.Sqrt(float64(n))
	e.SD, e.SE = sd, sd/rn
	half := TMultiplier(n, level) * sd / rn
	e.Lo, e.Hi = mean-half, mean+half
	return e
}

// Sample returns the mean of xs, NaNs left out, with its interval at
// level.
func Sample(xs []float64, level float64) Estimate {
	var m Moments
	for _, x := range xs {
		if !math.IsNaN(x) {
			m.Add(x)
		}
	}
	return Mean(m, level)
}
