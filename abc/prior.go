package abc

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// ErrPrior is wrapped by the errors of bad priors.
var ErrPrior = errors.New("abc: bad prior")

// Kind names a prior family.
type Kind int

// Prior families. The zero Kind is invalid.
const (
	// Uniform on [A, B], A < B.
	Uniform Kind = iota + 1
	// Normal with mean A and standard deviation B > 0.
	Normal
	// LogNormal: log x is normal with mean A and standard deviation B > 0.
	LogNormal
	// Beta with shape parameters A > 0 (alpha) and B > 0 (beta), on [0, 1].
	Beta
)

var kindNames = [...]string{"", "uniform", "normal", "lognormal", "beta"}

// String returns the lower-case name of the family ("uniform", "normal",
// "lognormal", "beta").
func (k Kind) String() string {
	if k < Uniform || k > Beta {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// ParseKind returns the Kind of a family name as String writes it
// ("log-normal" is accepted too).
func ParseKind(s string) (Kind, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "log-normal" {
		s = "lognormal"
	}
	for k := Uniform; k <= Beta; k++ {
		if kindNames[k] == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown family %q (allowed: uniform, normal, lognormal, beta)", ErrPrior, s)
}

// Prior is a univariate prior distribution, optionally truncated to
// [Lo, Hi]. Build it with NewPrior (or set the fields and call Validate):
// the zero Prior is invalid. A Prior is a plain value, safe for concurrent
// use; its random draws come from the generator passed to Rand.
type Prior struct {
	// Kind is the family.
	Kind Kind
	// A and B are the family's parameters, as documented on Kind.
	A, B float64
	// Lo and Hi truncate the distribution to [Lo, Hi]; -Inf and +Inf (as
	// NewPrior sets them) mean no truncation. The interval must hold
	// positive probability.
	Lo, Hi float64
}

// NewPrior returns the prior of family k with parameters a and b, not
// truncated, or an error if the parameters are invalid.
func NewPrior(k Kind, a, b float64) (Prior, error) {
	p := Prior{Kind: k, A: a, B: b, Lo: math.Inf(-1), Hi: math.Inf(1)}
	return p, p.Validate()
}

// Truncate returns p restricted to [lo, hi] (intersected with any
// truncation p already has), or an error if that leaves no probability.
func (p Prior) Truncate(lo, hi float64) (Prior, error) {
	if math.IsNaN(lo) || math.IsNaN(hi) || lo >= hi {
		return p, fmt.Errorf("%w: truncation [%g, %g] is empty", ErrPrior, lo, hi)
	}
	p.Lo, p.Hi = max(p.Lo, lo), min(p.Hi, hi)
	return p, p.Validate()
}

// Validate checks the family, its parameters and the truncation.
func (p Prior) Validate() error {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if !finite(p.A) || !finite(p.B) {
		return fmt.Errorf("%w: %v parameters must be finite, got %g and %g", ErrPrior, p.Kind, p.A, p.B)
	}
	switch p.Kind {
	case Uniform:
		if p.A >= p.B {
			return fmt.Errorf("%w: uniform needs min < max, got [%g, %g]", ErrPrior, p.A, p.B)
		}
	case Normal, LogNormal:
		if p.B <= 0 {
			return fmt.Errorf("%w: %v needs a standard deviation > 0, got %g", ErrPrior, p.Kind, p.B)
		}
	case Beta:
		if p.A <= 0 || p.B <= 0 {
			return fmt.Errorf("%w: beta needs shapes > 0, got %g and %g", ErrPrior, p.A, p.B)
		}
	default:
		return fmt.Errorf("%w: unknown family %v (allowed: uniform, normal, lognormal, beta)", ErrPrior, p.Kind)
	}
	if math.IsNaN(p.Lo) || math.IsNaN(p.Hi) || p.Lo >= p.Hi {
		return fmt.Errorf("%w: truncation [%g, %g] is empty", ErrPrior, p.Lo, p.Hi)
	}
	if lo, hi := p.cdfs(); !(hi-lo > 0) {
		return fmt.Errorf("%w: %v truncated to [%g, %g] has no probability", ErrPrior, p, p.Lo, p.Hi)
	}
	return nil
}

// String describes p, as in "normal(0, 10) on [-5, 5]".
func (p Prior) String() string {
	s := fmt.Sprintf("%v(%g, %g)", p.Kind, p.A, p.B)
	if !math.IsInf(p.Lo, -1) || !math.IsInf(p.Hi, 1) {
		s += fmt.Sprintf(" on [%g, %g]", p.Lo, p.Hi)
	}
	return s
}

// dist is the untruncated distribution.
type dist interface {
	LogProb(float64) float64
	CDF(float64) float64
	Quantile(float64) float64
}

func (p Prior) dist() dist {
	switch p.Kind {
	case Uniform:
		return distuv.Uniform{Min: p.A, Max: p.B}
	case Normal:
		return distuv.Normal{Mu: p.A, Sigma: p.B}
	case LogNormal:
		return distuv.LogNormal{Mu: p.A, Sigma: p.B}
	case Beta:
		return distuv.Beta{Alpha: p.A, Beta: p.B}
	}
	return nil
}

// cdfs returns the untruncated CDF at Lo and Hi.
func (p Prior) cdfs() (float64, float64) {
	d := p.dist()
	lo, hi := 0.0, 1.0
	if !math.IsInf(p.Lo, -1) {
		lo = d.CDF(p.Lo)
	}
	if !math.IsInf(p.Hi, 1) {
		hi = d.CDF(p.Hi)
	}
	return lo, hi
}

// LogProb returns the log density of p at x: -Inf outside the support or
// the truncation, and the density renormalized over [Lo, Hi] inside. The
// support is open where the density is undefined or infinite (a
// log-normal at 0, a beta with a shape below 1 at 0 or 1): LogProb is -Inf
// there too, never NaN or +Inf, so such points are never particles.
func (p Prior) LogProb(x float64) float64 {
	if math.IsNaN(x) || x < p.Lo || x > p.Hi {
		return math.Inf(-1)
	}
	lp := p.dist().LogProb(x)
	if math.IsNaN(lp) || math.IsInf(lp, 1) {
		return math.Inf(-1)
	}
	if math.IsInf(p.Lo, -1) && math.IsInf(p.Hi, 1) {
		return lp
	}
	lo, hi := p.cdfs()
	return lp - math.Log(hi-lo)
}

// Rand returns a draw from p by inversion of its CDF. It uses one value of
// rng, and another in the rare case that rounding puts the draw where
// LogProb is -Inf (on the boundary of an open support).
func (p Prior) Rand(rng *rand.Rand) float64 {
	lo, hi := p.cdfs()
	d := p.dist()
	var x float64
	for range 100 {
		// u in (0, 1), never 0 or 1, so that the quantile is finite.
		u := (float64(rng.Uint64()>>11) + 0.5) / (1 << 53)
		x = min(max(d.Quantile(lo+u*(hi-lo)), p.Lo), p.Hi)
		if !math.IsInf(p.LogProb(x), -1) {
			break
		}
	}
	return x
}

// Param is a named parameter with its prior.
type Param struct {
	// Name identifies the parameter in outputs; non-empty, unique.
	Name  string
	Prior Prior
}

// Priors is the product prior of independent parameters, in order: a
// parameter vector theta has theta[i] for Priors[i].
type Priors []Param

// Validate checks every prior and that names are non-empty and unique.
func (ps Priors) Validate() error {
	if len(ps) == 0 {
		return fmt.Errorf("%w: no parameters", ErrPrior)
	}
	seen := make(map[string]bool, len(ps))
	for i, p := range ps {
		if strings.TrimSpace(p.Name) == "" {
			return fmt.Errorf("%w: parameter %d has no name", ErrPrior, i+1)
		}
		if seen[p.Name] {
			return fmt.Errorf("%w: parameter %q appears twice", ErrPrior, p.Name)
		}
		seen[p.Name] = true
		if err := p.Prior.Validate(); err != nil {
			return fmt.Errorf("parameter %q: %w", p.Name, err)
		}
	}
	return nil
}

// Names returns the parameter names in order.
func (ps Priors) Names() []string {
	n := make([]string, len(ps))
	for i, p := range ps {
		n[i] = p.Name
	}
	return n
}

// LogProb returns the joint log density of theta (len(ps) values), -Inf
// outside the support.
func (ps Priors) LogProb(theta []float64) float64 {
	s := 0.0
	for i, p := range ps {
		s += p.Prior.LogProb(theta[i])
		if math.IsInf(s, -1) {
			return s
		}
	}
	return s
}

// Rand fills theta (len(ps) values) with a draw from the product prior,
// one parameter after the other.
func (ps Priors) Rand(rng *rand.Rand, theta []float64) {
	for i, p := range ps {
		theta[i] = p.Prior.Rand(rng)
	}
}
