package abc

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// ErrSettings is wrapped by the errors of bad settings or problems.
var ErrSettings = errors.New("abc: bad settings")

// Scale names how summaries are standardized.
type Scale int

const (
	// ScaleMAD divides each summary by the median absolute deviation of
	// generation 0's summaries (robust; the default, as in pyabc's
	// AdaptivePNormDistance with its default scale). A summary whose MAD is
	// 0 falls back to its standard deviation, and to 1 if that is 0 too.
	ScaleMAD Scale = iota
	// ScaleSD divides by the standard deviation (falling back to 1 if 0).
	ScaleSD
	// ScaleNoise divides each summary by its noise: the median absolute
	// deviation of the half-differences (s - s')/√2 of two simulations at
	// the same parameters, one pair per particle of generation 0 (falling
	// back to their standard deviation, then to 1). Prior-predictive
	// scales (mad, sd) mix the summaries' spread due to the parameters
	// with their noise, so a summary that a parameter with a wide prior
	// moves a lot (an observation intercept, say) gets a large scale and
	// little weight, although it is the one that pins that parameter down;
	// its tolerance is then wide against its noise and the posterior too
	// wide. Standardizing by the noise, the diagonal of the conditional
	// covariance of the summaries (the synthetic-likelihood view of the
	// ABC kernel), makes the tolerance equally tight against the noise of
	// every summary. It costs one more simulation per attempt of
	// generation 0.
	ScaleNoise
)

// String returns "mad", "sd" or "noise".
func (s Scale) String() string {
	switch s {
	case ScaleMAD:
		return "mad"
	case ScaleSD:
		return "sd"
	case ScaleNoise:
		return "noise"
	}
	return fmt.Sprintf("Scale(%d)", int(s))
}

// ParseScale returns the Scale named "mad", "sd" or "noise".
func ParseScale(name string) (Scale, error) {
	switch name {
	case "mad":
		return ScaleMAD, nil
	case "sd":
		return ScaleSD, nil
	case "noise":
		return ScaleNoise, nil
	}
	return 0, fmt.Errorf("%w: unknown scale %q (allowed: mad, sd, noise)", ErrSettings, name)
}

// Distance is the weighted Euclidean distance of standardized summaries,
//
//	d(s) = sqrt( Σ_k W_k ((s_k - Observed_k) / Scales_k)² ).
//
// A summary that is NaN or infinite makes the distance +Inf, so that a
// failed simulation is never accepted. A Distance is read-only once built
// and safe for concurrent use.
type Distance struct {
	// Observed are the observed summaries.
	Observed []float64 `json:"observed"`
	// Scales are the standardizing scales, all > 0.
	Scales []float64 `json:"scales"`
	// Weights are the per-summary weights, all >= 0, not all 0.
	Weights []float64 `json:"weights"`
	// Scale says how Scales were computed.
	Scale string `json:"scale"`
}

// Dist returns the distance of summaries s (len(Observed) values).
func (d *Distance) Dist(s []float64) float64 {
	sum := 0.0
	for k, o := range d.Observed {
		x := s[k]
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return math.Inf(1)
		}
		z := (x - o) / d.Scales[k]
		sum += d.Weights[k] * z * z
	}
	return math.Sqrt(sum)
}

// NewDistance returns the distance to observed with the given weights
// (nil: all 1) and scales computed by method from the summaries in sample
// (one slice per simulation, each len(observed) values, all finite). For
// ScaleNoise, sample holds the half-differences (s - s')/√2 of pairs of
// simulations at the same parameters (NoiseSample).
func NewDistance(observed, weights []float64, method Scale, sample [][]float64) (*Distance, error) {
	if err := checkSummaries(observed, weights); err != nil {
		return nil, err
	}
	if method != ScaleMAD && method != ScaleSD && method != ScaleNoise {
		return nil, fmt.Errorf("%w: unknown scale %v (allowed: mad, sd, noise)", ErrSettings, method)
	}
	if len(sample) < 2 {
		return nil, fmt.Errorf("%w: scales need at least 2 simulations, got %d", ErrSettings, len(sample))
	}
	d := &Distance{
		Observed: slices.Clone(observed),
		Scales:   make([]float64, len(observed)),
		Weights:  make([]float64, len(observed)),
		Scale:    method.String(),
	}
	for k := range d.Weights {
		d.Weights[k] = 1
		if weights != nil {
			d.Weights[k] = weights[k]
		}
	}
	col := make([]float64, len(sample))
	for k := range observed {
		for i, s := range sample {
			if len(s) != len(observed) {
				return nil, fmt.Errorf("%w: simulation %d gave %d summaries, want %d", ErrSettings, i, len(s), len(observed))
			}
			col[i] = s[k]
		}
		sc := 0.0
		if method != ScaleSD {
			sc = mad(col)
		}
		if sc == 0 {
			sc = stat.StdDev(col, nil)
		}
		if sc == 0 || math.IsNaN(sc) {
			sc = 1
		}
		d.Scales[k] = sc
	}
	return d, nil
}

// NoiseSample returns the half-differences (a[i] - b[i])/√2 of paired
// summaries, the sample from which ScaleNoise estimates each summary's
// noise: for two independent simulations at the same parameters, it has
// the spread of one simulation about its mean.
func NoiseSample(a, b [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = make([]float64, len(a[i]))
		for k := range a[i] {
			out[i][k] = (a[i][k] - b[i][k]) / math.Sqrt2
		}
	}
	return out
}

// checkSummaries checks observed summaries and their weights.
func checkSummaries(observed, weights []float64) error {
	if len(observed) == 0 {
		return fmt.Errorf("%w: no observed summaries", ErrSettings)
	}
	for k, o := range observed {
		if math.IsNaN(o) || math.IsInf(o, 0) {
			return fmt.Errorf("%w: observed summary %d is %g, want a finite number", ErrSettings, k+1, o)
		}
	}
	if weights == nil {
		return nil
	}
	if len(weights) != len(observed) {
		return fmt.Errorf("%w: %d summary weights for %d observed summaries", ErrSettings, len(weights), len(observed))
	}
	pos := false
	for k, w := range weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("%w: summary weight %d is %g, want a finite number >= 0", ErrSettings, k+1, w)
		}
		pos = pos || w > 0
	}
	if !pos {
		return fmt.Errorf("%w: all summary weights are 0", ErrSettings)
	}
	return nil
}

// mad returns the median absolute deviation from the median of x
// (unscaled: no 1.4826 factor, which would cancel in a distance anyway).
// x is reordered.
func mad(x []float64) float64 {
	m := median(x)
	dev := make([]float64, len(x))
	for i, v := range x {
		dev[i] = math.Abs(v - m)
	}
	return median(dev)
}

// median sorts x and returns its median.
func median(x []float64) float64 {
	slices.Sort(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}
