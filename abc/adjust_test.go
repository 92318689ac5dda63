package abc

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

// conjugateCheck is the acceptance rule of TestAdjustConjugate: the
// posterior mean within 0.1 exact standard deviations of the exact mean,
// and the standard deviation within 8% of the exact one. With 1000
// particles and an effective sample size above 400 after the kernel
// weights, the Monte Carlo standard errors are about 0.05 sd for the mean
// and 3.5% for the standard deviation (1/sqrt(2 ESS)), so the rule holds
// with more than two standard errors to spare when the posterior is
// right.
func conjugateCheck(m Marginal, wantMean, wantSD float64) error {
	if e := math.Abs(m.Mean-wantMean) / wantSD; e > 0.1 {
		return fmt.Errorf("mean %.4f, exact %.4f: off by %.2f sd", m.Mean, wantMean, e)
	}
	if e := math.Abs(m.SD/wantSD - 1); e > 0.08 {
		return fmt.Errorf("sd %.4f, exact %.4f: off by %.1f%%", m.SD, wantSD, 100*e)
	}
	return nil
}

// TestAdjustConjugate stops ABC-SMC on the conjugate normal model after 3
// generations, while the tolerance is still wide and the unadjusted
// posterior too wide, and checks that the regression adjustment recovers
// the exact posterior. In this model θ given the summary is normal with a
// mean linear in the summary and a constant variance, the case where the
// adjustment is exact at any tolerance (Beaumont et al. 2002). The check
// rejects the unadjusted posterior and the adjustment with its slope's
// sign flipped, so it would catch an adjustment cut or reversed.
func TestAdjustConjugate(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	const ybar = 1.3
	wantMean, wantSD := c.exact(ybar)
	s := Settings{Particles: 1000, Seed: 7, MaxGenerations: 3, Workers: 2, Adjust: AdjustRegression}
	r, err := Run(context.Background(), c.problem(t, ybar), s)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Adjustment.Applied || r.Adjustment.Method != "regression" || r.Adjustment.Note != "" {
		t.Fatalf("adjustment %+v", r.Adjustment)
	}
	marg := func(g *Generation) Marginal {
		ms, err := Summarize(r.Names, g)
		if err != nil {
			t.Fatal(err)
		}
		return ms[0]
	}
	adj, raw := marg(r.Posterior), marg(r.Final)
	t.Logf("exact mean %.4f sd %.4f; unadjusted %.4f %.4f; adjusted %.4f %.4f (ESS %.0f); slope %.4f, tolerance %.4g",
		wantMean, wantSD, raw.Mean, raw.SD, adj.Mean, adj.SD, r.Posterior.ESS, r.Adjustment.Slopes[0][0], r.Final.Tolerance)
	if r.Posterior.ESS < 400 {
		t.Errorf("ESS after the kernel weights is %.0f, the tolerances assume > 400", r.Posterior.ESS)
	}
	if err := conjugateCheck(adj, wantMean, wantSD); err != nil {
		t.Errorf("adjusted: %v", err)
	}
	if e, eRaw := math.Abs(adj.SD/wantSD-1), math.Abs(raw.SD/wantSD-1); !(e < eRaw) {
		t.Errorf("the adjusted sd error %.3f is not below the unadjusted %.3f", e, eRaw)
	}
	if err := conjugateCheck(raw, wantMean, wantSD); err == nil {
		t.Errorf("the check accepts the unadjusted posterior (mean %.4f, sd %.4f): it would not catch a cut adjustment", raw.Mean, raw.SD)
	}
	// The slope flipped: θ + z β instead of θ - z β, with the adjusted
	// weights (θ is unbounded, so the transform is the identity).
	flip := *r.Posterior
	flip.Particles = make([][]float64, len(r.Final.Particles))
	for i, th := range r.Final.Particles {
		flip.Particles[i] = []float64{2*th[0] - r.Posterior.Particles[i][0]}
	}
	if err := conjugateCheck(marg(&flip), wantMean, wantSD); err == nil {
		t.Errorf("the check accepts the adjustment with its sign flipped")
	}
	// The slope is that of E[θ | ȳ] in ȳ, priorVar/(priorVar + 1/n),
	// per unit of the standardized summary.
	want := c.priorVar / (c.priorVar + 1/float64(c.n)) * r.Distance.Scales[0]
	if got := r.Adjustment.Slopes[0][0]; math.Abs(got/want-1) > 0.1 {
		t.Errorf("slope %.4f, want %.4f within 10%%", got, want)
	}
}

// exactGeneration builds a generation whose parameter is an exact
// function of one summary: particle i has summary s_i and parameter
// f(s_i), distance |s_i - observed| and equal weights.
func exactGeneration(observed float64, s []float64, f func(float64) float64, tol float64) *Generation {
	g := &Generation{Index: 2, Tolerance: tol, Simulations: len(s), TotalSimulations: len(s),
		Distance: &Distance{Observed: []float64{observed}, Scales: []float64{0.5}, Weights: []float64{1}}}
	for _, x := range s {
		g.Particles = append(g.Particles, []float64{f(x)})
		g.Summaries = append(g.Summaries, []float64{x})
		g.Distances = append(g.Distances, g.Distance.Dist([]float64{x}))
		g.Weights = append(g.Weights, 1/float64(len(s)))
	}
	return g
}

// TestAdjustExactLine checks the adjustment by hand: when the parameter
// is an exact linear function of the summary on its transformed scale,
// every adjusted particle is that function at the observed summary. It
// covers the three transforms (logit, log, none), the kernel weights and
// the sign of the correction.
func TestAdjustExactLine(t *testing.T) {
	logistic := func(y float64) float64 { return 1 / (1 + math.Exp(-y)) }
	u01, _ := NewPrior(Uniform, 0, 1)
	ln, _ := NewPrior(LogNormal, 0, 1)
	nrm, _ := NewPrior(Normal, 0, 1)
	s := []float64{0.1, 0.4, 0.7, 1.0, 1.3, 1.6, 1.9}
	const obs = 1.0
	for _, tt := range []struct {
		name  string
		prior Prior
		f     func(float64) float64
	}{
		{"logit", u01, func(x float64) float64 { return logistic(0.3 - 2*x) }},
		{"log", ln, func(x float64) float64 { return math.Exp(1 + 0.5*x) }},
		{"none", nrm, func(x float64) float64 { return 3*x - 1 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := exactGeneration(obs, s, tt.f, 2.0)
			post, a := AdjustGeneration(g, Priors{{Name: "x", Prior: tt.prior}}, AdjustRegression)
			if !a.Applied || a.Used != len(s) {
				t.Fatalf("adjustment %+v", a)
			}
			want := tt.f(obs)
			for i, th := range post.Particles {
				if math.Abs(th[0]-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("particle %d: adjusted %.12g, want %.12g", i, th[0], want)
				}
			}
			// Kernel weights: 1 - (d/ε)² with d = |s - 1|/0.5, ε = 2.
			sum := 0.0
			for _, x := range s {
				u := math.Abs(x-obs) / 0.5 / 2
				sum += 1 - u*u
			}
			for i, x := range s {
				u := math.Abs(x-obs) / 0.5 / 2
				if w := (1 - u*u) / sum; math.Abs(post.Weights[i]-w) > 1e-14 {
					t.Errorf("weight %d: %.17g, want %.17g", i, post.Weights[i], w)
				}
			}
			if g.Particles[0][0] == post.Particles[0][0] || &g.Particles[0] == &post.Particles[0] {
				t.Error("the input generation was modified or shared")
			}
		})
	}
}

// TestAdjustStaysInSupport checks that adjusted particles of a bounded
// parameter stay inside its support, even when the linear correction
// would carry them far outside on the original scale.
func TestAdjustStaysInSupport(t *testing.T) {
	u, _ := NewPrior(Uniform, 0.05, 0.45)
	s := []float64{-3, -2, -1, 0, 1, 2, 3, 4, 5}
	// Nearly linear on the original scale with a steep slope, noisy.
	f := func(x float64) float64 { return min(0.449, max(0.051, 0.25+0.05*x+0.01*math.Sin(7*x))) }
	g := exactGeneration(4.5, s, f, 20)
	post, a := AdjustGeneration(g, Priors{{Name: "b", Prior: u}}, AdjustRegression)
	if !a.Applied {
		t.Fatalf("adjustment %+v", a)
	}
	for i, th := range post.Particles {
		if !(th[0] >= 0.05 && th[0] <= 0.45) {
			t.Errorf("particle %d adjusted to %g, outside [0.05, 0.45]", i, th[0])
		}
	}
}

// TestAdjustDegenerate checks the fallbacks: the unadjusted generation,
// Applied false and a note saying why, never a panic.
func TestAdjustDegenerate(t *testing.T) {
	nrm, _ := NewPrior(Normal, 0, 1)
	u01, _ := NewPrior(Uniform, 0, 1)
	one := Priors{{Name: "x", Prior: nrm}}
	lin := func(x float64) float64 { return x }
	cases := []struct {
		name   string
		g      func() *Generation
		params Priors
		note   string
	}{
		{"too few particles", func() *Generation { return exactGeneration(0, []float64{0.1, 0.2}, lin, 1) }, one, "2 particles of positive weight for 1 summaries"},
		{"outside the kernel", func() *Generation {
			// Only two particles inside the bandwidth: the others at it.
			return exactGeneration(0, []float64{0.1, -0.1, 0.5, -0.5, 0.5}, lin, 1)
		}, one, "2 particles of positive weight"},
		{"constant summary", func() *Generation {
			return exactGeneration(0.2, []float64{0.2, 0.2, 0.2, 0.2, 0.2}, lin, 1)
		}, one, "singular"},
		{"observed outside the particles' range", func() *Generation {
			return exactGeneration(0, []float64{0.1, 0.2, 0.3, 0.4, 0.5}, lin, 1)
		}, one, "observed summary 1 (0) lies outside the range of the particles' [0.1, 0.4]"},
		{"collinear summaries", func() *Generation {
			g := exactGeneration(0, []float64{0.1, 0.2, 0.3, -0.2, 0.05}, lin, 1)
			g.Distance = &Distance{Observed: []float64{0, 0}, Scales: []float64{1, 1}, Weights: []float64{1, 1}}
			for i, s := range g.Summaries {
				g.Summaries[i] = []float64{s[0], 2 * s[0]}
			}
			return g
		}, one, "singular"},
		{"on the bound", func() *Generation {
			return exactGeneration(0, []float64{0.1, 0.2, 0.3, -0.2, 0}, func(x float64) float64 { return max(x, 0) }, 1)
		}, Priors{{Name: "p", Prior: u01}}, "on the bound of its support"},
		{"no distance", func() *Generation {
			g := exactGeneration(0, []float64{0.1, 0.2, 0.3, -0.2}, lin, 1)
			g.Distance = nil
			return g
		}, one, "lacks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.g()
			post, a := AdjustGeneration(g, tc.params, AdjustRegression)
			if post != g || a.Applied || a.Slopes != nil || !strings.Contains(a.Note, tc.note) || !strings.HasPrefix(a.Note, "not adjusted: ") {
				t.Errorf("got same=%v %+v, want the unadjusted generation and a note containing %q", post == g, a, tc.note)
			}
		})
	}
	// A zero-weight summary is left out of the regression, not singular.
	g := exactGeneration(0, []float64{0.1, 0.2, 0.3, -0.2, 0.05}, lin, 1)
	g.Distance = &Distance{Observed: []float64{0, 7}, Scales: []float64{1, 1}, Weights: []float64{1, 0}}
	for i, s := range g.Summaries {
		g.Summaries[i] = []float64{s[0], 7}
	}
	if _, a := AdjustGeneration(g, one, AdjustRegression); !a.Applied || len(a.Summaries) != 1 || a.Summaries[0] != 0 {
		t.Errorf("zero-weight summary: %+v", a)
	}
	// Generation 0 (infinite tolerance): every particle keeps its weight.
	g = exactGeneration(0, []float64{0.1, 0.2, 0.3, -0.2, 0.05}, lin, math.Inf(1))
	g.Index = 0
	if post, a := AdjustGeneration(g, one, AdjustRegression); !a.Applied || post.Weights[0] != 0.2 {
		t.Errorf("generation 0: %+v, weights %v", a, post.Weights)
	}
	// None returns the generation itself.
	if post, a := AdjustGeneration(g, one, AdjustNone); post != g || a.Applied || a.Method != "none" {
		t.Errorf("none: %+v", a)
	}
}

// TestParseAdjust checks the names and the error of an unknown one.
func TestParseAdjust(t *testing.T) {
	for _, a := range []Adjust{AdjustNone, AdjustRegression} {
		if b, err := ParseAdjust(a.String()); b != a || err != nil {
			t.Errorf("ParseAdjust(%q) = %v, %v", a.String(), b, err)
		}
	}
	if _, err := ParseAdjust("loclinear"); err == nil || !strings.Contains(err.Error(), "allowed: none, regression") {
		t.Errorf("ParseAdjust(loclinear): %v", err)
	}
	if err := (Settings{Adjust: 5}).Validate(); err == nil || !strings.Contains(err.Error(), "unknown adjustment") {
		t.Errorf("Validate with Adjust 5: %v", err)
	}
}

// TestAdjustWorkersIdentical checks that the adjusted posterior is the
// same for any number of workers and that the adjustment does not enter
// the checkpoint fingerprint (a folder calibrated without it can be
// finished with it).
func TestAdjustWorkersIdentical(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	var post [2]string
	for i, w := range []int{1, 3} {
		s := smallSettings(w, "")
		s.Adjust = AdjustRegression
		r, err := Run(context.Background(), c.problem(t, -0.4), s)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Adjustment.Applied {
			t.Fatalf("not applied: %+v", r.Adjustment)
		}
		var b strings.Builder
		if err := WritePosterior(&b, r.Names, r.Posterior); err != nil {
			t.Fatal(err)
		}
		post[i] = b.String()
	}
	if post[0] != post[1] {
		t.Error("adjusted posteriors differ between 1 and 3 workers")
	}
	p := c.problem(t, -0.4)
	a, b := smallSettings(1, ""), smallSettings(1, "")
	b.Adjust = AdjustRegression
	if Fingerprint(p, a) != Fingerprint(p, b) {
		t.Error("the adjustment changes the fingerprint")
	}
}
