package abc

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Adjust names a post-processing of the final generation.
type Adjust int

const (
	// AdjustNone keeps the final generation as it is (the default).
	AdjustNone Adjust = iota
	// AdjustRegression is the local-linear regression adjustment of
	// Beaumont, Zhang and Balding (2002, Genetics 162:2025), as the R
	// package abc's method "loclinear": see AdjustGeneration.
	AdjustRegression
)

// String returns "none" or "regression".
func (a Adjust) String() string {
	switch a {
	case AdjustNone:
		return "none"
	case AdjustRegression:
		return "regression"
	}
	return fmt.Sprintf("Adjust(%d)", int(a))
}

// ParseAdjust returns the Adjust named "none" or "regression".
func ParseAdjust(name string) (Adjust, error) {
	switch name {
	case "none":
		return AdjustNone, nil
	case "regression":
		return AdjustRegression, nil
	}
	return 0, fmt.Errorf("%w: unknown adjustment %q (allowed: none, regression)", ErrSettings, name)
}

// Adjustment describes what AdjustGeneration did.
type Adjustment struct {
	// Method is the Adjust asked for, as String writes it.
	Method string `json:"method"`
	// Applied is true when the posterior is the adjusted population;
	// false for AdjustNone and when the regression fell back to the
	// unadjusted population (Note says why).
	Applied bool `json:"applied"`
	// Note says why a regression was not applied; "" otherwise.
	Note string `json:"note,omitempty"`
	// Used counts the particles with a positive regression weight.
	Used int `json:"used,omitempty"`
	// Summaries are the indices (from 0) of the summaries regressed on:
	// those with a positive distance weight.
	Summaries []int `json:"summaries,omitempty"`
	// Slopes[j][k] is the regression slope of parameter j (on its
	// transformed scale) on standardized summary Summaries[k].
	Slopes [][]float64 `json:"slopes,omitempty"`
}

// Support returns the interval holding every draw of p: its truncation
// intersected with the family's support (the uniform's [A, B], the beta's
// [0, 1], the log-normal's [0, +Inf)).
func (p Prior) Support() (lo, hi float64) {
	lo, hi = p.Lo, p.Hi
	switch p.Kind {
	case Uniform:
		lo, hi = max(lo, p.A), min(hi, p.B)
	case Beta:
		lo, hi = max(lo, 0), min(hi, 1)
	case LogNormal:
		lo = max(lo, 0)
	}
	return lo, hi
}

// transform maps x in [lo, hi] to the real line: the logit of (x -
// lo)/(hi - lo) when both bounds are finite, log(x - lo) or log(hi - x)
// when one is, x itself when none is (as the R package abc's transf
// "logit", "log" and "none"). A value on a finite bound maps to ±Inf.
func transform(x, lo, hi float64) float64 {
	fl, fh := !math.IsInf(lo, 0), !math.IsInf(hi, 0)
	switch {
	case fl && fh:
		u := (x - lo) / (hi - lo)
		return math.Log(u) - math.Log1p(-u)
	case fl:
		return math.Log(x - lo)
	case fh:
		return math.Log(hi - x)
	}
	return x
}

// untransform inverts transform, clamping the result to [lo, hi] against
// rounding.
func untransform(y, lo, hi float64) float64 {
	fl, fh := !math.IsInf(lo, 0), !math.IsInf(hi, 0)
	var x float64
	switch {
	case fl && fh:
		// The logistic function, written to avoid overflow of exp.
		var u float64
		if y >= 0 {
			u = 1 / (1 + math.Exp(-y))
		} else {
			e := math.Exp(y)
			u = e / (1 + e)
		}
		x = lo + (hi-lo)*u
	case fl:
		x = lo + math.Exp(y)
	case fh:
		x = hi - math.Exp(y)
	default:
		return y
	}
	return min(max(x, lo), hi)
}

// maxCondition is the largest condition number of the weighted design
// matrix for which the regression is applied; above it the design is
// treated as singular.
const maxCondition = 1e10

// AdjustGeneration returns the posterior of g under method, with a
// description of what was done. AdjustNone returns g itself.
//
// AdjustRegression is the local-linear regression adjustment (Beaumont,
// Zhang and Balding 2002). Each parameter, mapped to the real line by
// transform with the bounds of its prior's support (logit on a bounded
// support, log on a half-bounded one), is regressed on the standardized
// summaries z_k = sqrt(W_k) (s_k - Observed_k) / Scales_k of the distance
// (those with weight W_k > 0) by weighted least squares, weighting
// particle i by its importance weight times the Epanechnikov kernel 1 -
// (d_i/ε)² of its distance d_i with bandwidth ε = g.Tolerance (1 for
// every particle in generation 0, whose tolerance is infinite). With
// slopes β, particle i becomes θ_i - z_i·β on the transformed scale,
// mapped back, so it stays in the support. The returned generation has
// the same particles in the same order (a particle on the edge of the
// kernel keeps its row with weight 0), with the adjusted values and the
// normalized regression weights; its summaries, distances, tolerance and
// counts are g's.
//
// When the regression cannot be done it returns g with Applied false and
// a Note: fewer particles of positive weight than summaries + 2, a
// particle on a finite bound of its support, an observed summary outside
// the range of the particles' (of positive weight), where the linear fit
// would be extrapolated (a summary the model cannot reach, as under
// misspecification), a design matrix whose
// condition number exceeds 1e10 (a summary constant over the particles,
// say), or an adjusted value that is not finite. It never panics on a
// valid generation, and its result depends only on g and params.
func AdjustGeneration(g *Generation, params Priors, method Adjust) (*Generation, Adjustment) {
	a := Adjustment{Method: method.String()}
	if method != AdjustRegression {
		return g, a
	}
	fallback := func(format string, args ...any) (*Generation, Adjustment) {
		a.Note = "not adjusted: " + fmt.Sprintf(format, args...)
		a.Slopes, a.Summaries = nil, nil
		return g, a
	}
	n, dim := len(g.Particles), len(params)
	if g.Distance == nil || len(g.Weights) != n || len(g.Summaries) != n || len(g.Distances) != n {
		return fallback("the generation lacks summaries, distances or weights")
	}
	d := g.Distance
	for k, w := range d.Weights {
		if w > 0 {
			a.Summaries = append(a.Summaries, k)
		}
	}
	m := len(a.Summaries)
	// Regression weights.
	rw := make([]float64, n)
	for i, w := range g.Weights {
		k := 1.0
		if !math.IsInf(g.Tolerance, 1) {
			u := g.Distances[i] / g.Tolerance
			k = max(0, 1-u*u)
		}
		if rw[i] = w * k; rw[i] > 0 {
			a.Used++
		}
	}
	if a.Used < m+2 {
		return fallback("%d particles of positive weight for %d summaries (need summaries + 2)", a.Used, m)
	}
	// Transformed parameters and standardized summaries.
	lo, hi := make([]float64, dim), make([]float64, dim)
	for j, p := range params {
		lo[j], hi[j] = p.Prior.Support()
	}
	phi := make([][]float64, n)
	z := make([][]float64, n)
	for i, th := range g.Particles {
		if len(th) != dim || len(g.Summaries[i]) != len(d.Observed) {
			return fallback("particle %d has %d parameters and %d summaries, want %d and %d", i, len(th), len(g.Summaries[i]), dim, len(d.Observed))
		}
		phi[i] = make([]float64, dim)
		for j, x := range th {
			phi[i][j] = transform(x, lo[j], hi[j])
			if math.IsNaN(phi[i][j]) || math.IsInf(phi[i][j], 0) {
				return fallback("particle %d's %s (%g) is on the bound of its support [%g, %g]", i+1, params[j].Name, x, lo[j], hi[j])
			}
		}
		z[i] = make([]float64, m)
		for c, k := range a.Summaries {
			z[i][c] = math.Sqrt(d.Weights[k]) * (g.Summaries[i][k] - d.Observed[k]) / d.Scales[k]
		}
	}
	// The regression must interpolate: an observed summary outside the
	// range of the particles' (the model cannot reach it, say) would have
	// every particle moved by an extrapolation of the linear fit.
	for c, k := range a.Summaries {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range n {
			if rw[i] > 0 {
				lo, hi = min(lo, z[i][c]), max(hi, z[i][c])
			}
		}
		if !(lo <= 0 && hi >= 0) {
			return fallback("observed summary %d (%g) lies outside the range of the particles' [%g, %g]: the regression would extrapolate", k+1, d.Observed[k], d.Observed[k]+lo*d.Scales[k]/math.Sqrt(d.Weights[k]), d.Observed[k]+hi*d.Scales[k]/math.Sqrt(d.Weights[k]))
		}
	}
	// Weighted least squares: rows scaled by the square roots of the
	// weights, columns the intercept and the summaries.
	X := mat.NewDense(a.Used, m+1, nil)
	Y := mat.NewDense(a.Used, dim, nil)
	r := 0
	for i := range n {
		if rw[i] <= 0 {
			continue
		}
		sw := math.Sqrt(rw[i])
		X.Set(r, 0, sw)
		for c := range m {
			X.Set(r, c+1, sw*z[i][c])
		}
		for j := range dim {
			Y.Set(r, j, sw*phi[i][j])
		}
		r++
	}
	if c := mat.Cond(X, 2); !(c <= maxCondition) {
		return fallback("the weighted design matrix is singular (condition number %.3g; a summary may be constant over the particles)", c)
	}
	var beta mat.Dense
	if err := beta.Solve(X, Y); err != nil {
		return fallback("the weighted least squares failed: %v", err)
	}
	a.Slopes = make([][]float64, dim)
	for j := range dim {
		a.Slopes[j] = make([]float64, m)
		for c := range m {
			a.Slopes[j][c] = beta.At(c+1, j)
		}
	}
	out := *g
	out.Particles = make([][]float64, n)
	out.Weights = make([]float64, n)
	total := 0.0
	for _, w := range rw {
		total += w
	}
	ess := 0.0
	for i := range n {
		out.Particles[i] = make([]float64, dim)
		for j := range dim {
			y := phi[i][j]
			for c := range m {
				y -= z[i][c] * a.Slopes[j][c]
			}
			x := untransform(y, lo[j], hi[j])
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fallback("particle %d's adjusted %s is %g", i+1, params[j].Name, x)
			}
			out.Particles[i][j] = x
		}
		out.Weights[i] = rw[i] / total
		ess += out.Weights[i] * out.Weights[i]
	}
	out.ESS = 1 / ess
	a.Applied = true
	a.Summaries = slices.Clip(a.Summaries)
	return &out, a
}
