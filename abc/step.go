package abc

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"golang.org/x/sync/errgroup"
	"gonum.org/v1/gonum/mat"
)

// ErrInterrupted is returned when the context is cancelled; completed
// generations are on disk (with Settings.Dir set) and a new Run resumes.
var ErrInterrupted = errors.New("abc: interrupted")

// Generation is one population: its particles, their normalized weights
// and distances, with the tolerance that admitted them. Particle i is the
// i-th accepted attempt in attempt order. A Generation is read-only once
// built.
type Generation struct {
	// Index is the generation number, 0 for the prior sample.
	Index int
	// Tolerance admitted the particles: +Inf in generation 0.
	Tolerance float64
	// Particles[i] is a parameter vector, in the order of Problem.Params.
	Particles [][]float64
	// Summaries[i] are the summaries simulated at Particles[i].
	Summaries [][]float64
	// Weights are the normalized importance weights (sum 1).
	Weights []float64
	// Distances[i] is the distance of Summaries[i].
	Distances []float64
	// Simulations is the number of attempts this generation counted: the
	// attempt of its last particle plus one.
	Simulations int
	// TotalSimulations counts the simulations of generations 0..Index.
	TotalSimulations int
	// ESS is the effective sample size 1 / Σ w_i².
	ESS float64
	// Seconds is the wall time the generation took (volatile).
	Seconds float64
	// Distance is the distance function, built from generation 0's
	// summaries and the same in every generation.
	Distance *Distance
}

// Stats are the diagnostics of one generation.
type Stats struct {
	Generation int
	// Tolerance is +Inf in generation 0.
	Tolerance float64
	// Acceptance is particles / simulations.
	Acceptance       float64
	ESS              float64
	Simulations      int
	TotalSimulations int
	Seconds          float64
}

// String returns a progress line, as in "generation 3: tolerance 0.2414,
// acceptance 0.350, ESS 996, 2860 simulations (9715 in all), 0.1 s".
func (s Stats) String() string {
	return fmt.Sprintf("generation %d: tolerance %.4g, acceptance %.3f, ESS %.0f, %d simulations (%d in all), %.1f s",
		s.Generation, s.Tolerance, s.Acceptance, s.ESS, s.Simulations, s.TotalSimulations, s.Seconds)
}

// Stats returns the diagnostics of g.
func (g *Generation) Stats() Stats {
	return Stats{
		Generation:       g.Index,
		Tolerance:        g.Tolerance,
		Acceptance:       float64(len(g.Particles)) / float64(g.Simulations),
		ESS:              g.ESS,
		Simulations:      g.Simulations,
		TotalSimulations: g.TotalSimulations,
		Seconds:          g.Seconds,
	}
}

// Attempt is one accepted attempt: a proposal and its simulation.
type Attempt struct {
	// Index is the attempt number within its generation, from 0.
	Index     int       `json:"attempt"`
	Theta     []float64 `json:"theta"`
	Summaries []float64 `json:"summaries"`
	// Twin are the summaries of the second simulation of a generation-0
	// attempt under ScaleNoise; nil otherwise.
	Twin []float64 `json:"twin,omitempty"`
	// Distance is 0 in generation 0, where scales are not yet known.
	Distance float64 `json:"distance"`
}

// Shard holds the accepted attempts among attempts First..First+Count-1
// of one generation; rejected attempts are only counted.
type Shard struct {
	Generation int       `json:"generation"`
	First      int       `json:"first"`
	Count      int       `json:"count"`
	Accepted   []Attempt `json:"accepted"`
}

// Step computes one generation from the previous one. It is the unit of
// work of a job chain: NewStep, then Evaluate over attempt ranges (in one
// process or sharded over several), then Assemble the shards in attempt
// order; if they hold fewer than Particles accepted attempts, evaluate the
// next range and assemble again. The result depends only on the problem,
// the result settings and the previous generation, never on how the
// attempts were split. A Step is read-only after NewStep and safe for
// concurrent use.
type Step struct {
	p    *Problem
	s    Settings
	prev *Generation
	gen  int
	tol  float64
	dim  int
	// cum are the cumulative weights of prev, for picking ancestors.
	cum []float64
	// chol is the lower Cholesky factor of the kernel covariance, row
	// major dim×dim; logNorm is the log normalizing constant of the kernel
	// density.
	chol    []float64
	logNorm float64
	// limit is the first attempt the generation may not use, and why.
	limit int
	why   Stop
}

// NewStep prepares generation prev.Index+1, or generation 0 when prev is
// nil.
func NewStep(p *Problem, s Settings, prev *Generation) (*Step, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s = s.withDefaults()
	st := &Step{p: p, s: s, prev: prev, dim: len(p.Params), tol: math.Inf(1), limit: math.MaxInt}
	if s.MaxSimulations > 0 {
		used := 0
		if prev != nil {
			used = prev.TotalSimulations
		}
		st.limit, st.why = max(0, s.MaxSimulations-used), StopBudget
	}
	if s.MinAcceptance > 0 && prev != nil {
		// Past this many attempts the acceptance is below the minimum.
		if l := int(float64(s.Particles) / s.MinAcceptance); l < st.limit {
			st.limit, st.why = l, StopAcceptance
		}
	}
	if prev == nil {
		return st, nil
	}
	if err := checkGeneration(prev, p, s); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSettings, err)
	}
	st.gen = prev.Index + 1
	tol, ok := NextTolerance(s, prev)
	if !ok {
		return nil, fmt.Errorf("%w: the fixed schedule has no tolerance for generation %d", ErrSettings, st.gen)
	}
	st.tol = tol
	st.cum = make([]float64, len(prev.Weights))
	c := 0.0
	for i, w := range prev.Weights {
		c += w
		st.cum[i] = c
	}
	st.chol, st.logNorm = kernel(prev.Particles, prev.Weights)
	return st, nil
}

// NextTolerance returns the tolerance of the generation after prev under
// settings s: the fixed schedule's entry, or the Quantile (type 7, linear
// interpolation between order statistics, as R's default and numpy's) of
// prev's distances. ok is false when a fixed schedule is exhausted.
func NextTolerance(s Settings, prev *Generation) (tol float64, ok bool) {
	s = s.withDefaults()
	if len(s.Tolerances) > 0 {
		if prev.Index >= len(s.Tolerances) {
			return 0, false
		}
		return s.Tolerances[prev.Index], true
	}
	return quantile7(prev.Distances, s.Quantile), true
}

// quantile7 returns the q-quantile of x by linear interpolation between
// order statistics (Hyndman and Fan's type 7).
func quantile7(x []float64, q float64) float64 {
	y := slices.Clone(x)
	slices.Sort(y)
	h := q * float64(len(y)-1)
	lo := int(math.Floor(h))
	if lo >= len(y)-1 {
		return y[len(y)-1]
	}
	return y[lo] + (h-float64(lo))*(y[lo+1]-y[lo])
}

// kernel returns the lower Cholesky factor of twice the weighted
// covariance of the particles, Σ = 2 Σ_i w_i (θ_i - μ)(θ_i - μ)ᵀ
// (Beaumont et al. 2009), and the log normalizing constant of its normal
// density. A parameter with no spread gets a tiny variance, so that the
// kernel is never singular.
func kernel(parts [][]float64, w []float64) ([]float64, float64) {
	d := len(parts[0])
	mu := make([]float64, d)
	for i, th := range parts {
		for k, x := range th {
			mu[k] += w[i] * x
		}
	}
	cov := mat.NewSymDense(d, nil)
	for i, th := range parts {
		for a := range d {
			da := th[a] - mu[a]
			for b := a; b < d; b++ {
				cov.SetSym(a, b, cov.At(a, b)+2*w[i]*da*(th[b]-mu[b]))
			}
		}
	}
	for a := range d {
		floor := 1e-12 * max(1, mu[a]*mu[a])
		if cov.At(a, a) < floor {
			cov.SetSym(a, a, floor)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		// Collinear particles: keep the variances, drop the covariances.
		diag := mat.NewSymDense(d, nil)
		for a := range d {
			diag.SetSym(a, a, cov.At(a, a))
		}
		ch.Factorize(diag)
	}
	var l mat.TriDense
	ch.LTo(&l)
	chol := make([]float64, d*d)
	logDet := 0.0
	for a := range d {
		for b := 0; b <= a; b++ {
			chol[a*d+b] = l.At(a, b)
		}
		logDet += math.Log(chol[a*d+a])
	}
	return chol, -logDet - float64(d)/2*math.Log(2*math.Pi)
}

// logKernel returns the log density of the kernel centred on mu at x,
// using z as scratch (dim values).
func (st *Step) logKernel(x, mu, z []float64) float64 {
	d, l := st.dim, st.chol
	ss := 0.0
	for a := range d {
		v := x[a] - mu[a]
		for b := range a {
			v -= l[a*d+b] * z[b]
		}
		v /= l[a*d+a]
		z[a] = v
		ss += v * v
	}
	return st.logNorm - ss/2
}

// Generation returns the number of the generation the step computes.
func (st *Step) Generation() int { return st.gen }

// Tolerance returns the step's tolerance (+Inf for generation 0).
func (st *Step) Tolerance() float64 { return st.tol }

// Limit returns the number of attempts the generation may use (math.MaxInt
// for no limit) and the rule that sets it: the budget of simulations
// (StopBudget) or the minimum acceptance rate (StopAcceptance). Attempts
// at or past the limit are never evaluated by Run and are ignored by
// Assemble.
func (st *Step) Limit() (int, Stop) { return st.limit, st.why }

// propose returns the parameters of attempt a.
func (st *Step) propose(a int) ([]float64, error) {
	rng := stream(st.s.Seed, st.gen, a, PurposePropose)
	theta := make([]float64, st.dim)
	if st.prev == nil {
		st.p.Params.Rand(rng, theta)
		return theta, nil
	}
	z := make([]float64, st.dim)
	d, l := st.dim, st.chol
	// Redrawing both the ancestor and the perturbation when the proposal
	// leaves the prior's support samples the mixture Σ_j w_j K(·|θ_j)
	// restricted to the support, so the weights below stay exact.
	for range maxProposals {
		u := rng.Float64() * st.cum[len(st.cum)-1]
		j := min(sort.SearchFloat64s(st.cum, u), len(st.cum)-1)
		for k := range z {
			z[k] = rng.NormFloat64()
		}
		anc := st.prev.Particles[j]
		for a := range d {
			v := anc[a]
			for b := 0; b <= a; b++ {
				v += l[a*d+b] * z[b]
			}
			theta[a] = v
		}
		if !math.IsInf(st.p.Params.LogProb(theta), -1) {
			return theta, nil
		}
	}
	return nil, fmt.Errorf("abc: generation %d attempt %d: %d kernel proposals in a row fell outside the prior's support", st.gen, a, maxProposals)
}

// attempt evaluates attempt a: it returns the attempt and whether it was
// accepted.
func (st *Step) attempt(ctx context.Context, a int) (Attempt, bool, error) {
	theta, err := st.propose(a)
	if err != nil {
		return Attempt{}, false, err
	}
	rng := stream(st.s.Seed, st.gen, a, PurposeSimulate)
	sum, err := st.p.Simulate(ctx, slices.Clone(theta), rng)
	if err != nil {
		if ctx.Err() != nil {
			return Attempt{}, false, fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
		}
		return Attempt{}, false, fmt.Errorf("abc: generation %d attempt %d: %w", st.gen, a, err)
	}
	if len(sum) != len(st.p.Observed) {
		return Attempt{}, false, fmt.Errorf("abc: generation %d attempt %d: the simulator returned %d summaries, want %d", st.gen, a, len(sum), len(st.p.Observed))
	}
	at := Attempt{Index: a, Theta: theta, Summaries: sum}
	if st.prev == nil {
		if st.s.Scale == ScaleNoise {
			twin, err := st.p.Simulate(ctx, slices.Clone(theta), stream(st.s.Seed, st.gen, a, PurposeTwin))
			if err != nil {
				if ctx.Err() != nil {
					return Attempt{}, false, fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
				}
				return Attempt{}, false, fmt.Errorf("abc: generation %d attempt %d (twin): %w", st.gen, a, err)
			}
			if len(twin) != len(st.p.Observed) {
				return Attempt{}, false, fmt.Errorf("abc: generation %d attempt %d: the simulator returned %d summaries, want %d", st.gen, a, len(twin), len(st.p.Observed))
			}
			at.Twin = twin
			sum = append(slices.Clip(sum), twin...)
		}
		for _, x := range sum {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return at, false, nil
			}
		}
		return at, true, nil
	}
	at.Distance = st.prev.Distance.Dist(sum)
	return at, at.Distance <= st.tol, nil
}

// Evaluate runs attempts first..first+count-1 on up to workers goroutines
// (0: all cores) and returns the accepted ones in attempt order. On
// cancellation it returns an error wrapping ErrInterrupted.
func (st *Step) Evaluate(ctx context.Context, first, count, workers int) (*Shard, error) {
	if first < 0 || count < 0 {
		return nil, fmt.Errorf("%w: attempt range %d+%d", ErrSettings, first, count)
	}
	if workers <= 0 {
		workers = st.s.Workers
	}
	res := make([]Attempt, count)
	ok := make([]bool, count)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range count {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if gctx.Err() != nil {
				return gctx.Err()
			}
			var err error
			res[i], ok[i], err = st.attempt(gctx, first+i)
			return err
		})
	}
	err := g.Wait()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
	}
	if err != nil {
		return nil, err
	}
	sh := &Shard{Generation: st.gen, First: first, Count: count, Accepted: []Attempt{}}
	for i := range count {
		if ok[i] {
			sh.Accepted = append(sh.Accepted, res[i])
		}
	}
	return sh, nil
}

// Assemble merges shards that together cover attempts 0..n-1 without gap
// or overlap (in any order) into the generation. If they hold fewer than
// Particles accepted attempts, it returns nil and next = n, the first
// attempt still to evaluate; if moreover n has reached the Limit, the
// generation is abandoned and stop says why (the previous generation is
// then the final one). Attempts after the Particles-th accepted one, or at
// or past the Limit, are ignored and not counted. seconds is recorded as
// the generation's wall time.
func (st *Step) Assemble(shards []*Shard, seconds float64) (g *Generation, next int, stop Stop, err error) {
	sh := slices.Clone(shards)
	slices.SortFunc(sh, func(a, b *Shard) int { return cmp.Compare(a.First, b.First) })
	n := 0
	for _, s := range sh {
		if s.Generation != st.gen {
			return nil, 0, "", fmt.Errorf("%w: a shard of generation %d given to generation %d", ErrSettings, s.Generation, st.gen)
		}
		if s.First != n {
			return nil, 0, "", fmt.Errorf("%w: generation %d: shards leave attempts %d..%d uncovered or overlap", ErrSettings, st.gen, n, s.First-1)
		}
		n += s.Count
	}
	N := st.s.Particles
	var acc []Attempt
	for _, s := range sh {
		for _, a := range s.Accepted {
			if len(acc) < N && a.Index < st.limit {
				acc = append(acc, a)
			}
		}
	}
	if len(acc) < N {
		if n >= st.limit {
			return nil, n, st.why, nil
		}
		return nil, n, "", nil
	}
	g = &Generation{
		Index:       st.gen,
		Tolerance:   st.tol,
		Particles:   make([][]float64, N),
		Summaries:   make([][]float64, N),
		Distances:   make([]float64, N),
		Simulations: acc[N-1].Index + 1,
		Seconds:     seconds,
	}
	for i, a := range acc {
		g.Particles[i], g.Summaries[i], g.Distances[i] = a.Theta, a.Summaries, a.Distance
	}
	if st.prev == nil {
		sample := g.Summaries
		if st.s.Scale == ScaleNoise {
			twins := make([][]float64, N)
			for i, a := range acc {
				if len(a.Twin) != len(st.p.Observed) {
					return nil, 0, "", fmt.Errorf("%w: generation 0 attempt %d has no twin simulation, which the noise scale needs", ErrSettings, a.Index)
				}
				twins[i] = a.Twin
			}
			sample = NoiseSample(g.Summaries, twins)
		}
		g.Distance, err = NewDistance(st.p.Observed, st.p.Weights, st.s.Scale, sample)
		if err != nil {
			return nil, 0, "", err
		}
		for i, s := range g.Summaries {
			g.Distances[i] = g.Distance.Dist(s)
		}
		g.Weights = make([]float64, N)
		for i := range g.Weights {
			g.Weights[i] = 1 / float64(N)
		}
		g.TotalSimulations = g.Simulations
	} else {
		g.Distance = st.prev.Distance
		g.Weights = st.weights(g.Particles)
		g.TotalSimulations = st.prev.TotalSimulations + g.Simulations
	}
	g.ESS = ess(g.Weights)
	return g, n, "", nil
}

// weights returns the normalized importance weights of new particles,
// w_i ∝ π(θ_i) / Σ_j w_j K(θ_i | θ_j), computed in log space. Each
// particle's sum runs over j in order, so the result does not depend on
// the number of workers.
func (st *Step) weights(parts [][]float64) []float64 {
	prev := st.prev
	lw := make([]float64, len(parts))
	logPrev := make([]float64, len(prev.Weights))
	for j, w := range prev.Weights {
		logPrev[j] = math.Log(w)
	}
	var g errgroup.Group
	g.SetLimit(st.s.Workers)
	const chunk = 64
	for lo := 0; lo < len(parts); lo += chunk {
		g.Go(func() error {
			z := make([]float64, st.dim)
			terms := make([]float64, len(prev.Particles))
			for i := lo; i < min(lo+chunk, len(parts)); i++ {
				for j, mu := range prev.Particles {
					terms[j] = logPrev[j] + st.logKernel(parts[i], mu, z)
				}
				lw[i] = st.p.Params.LogProb(parts[i]) - logSumExp(terms)
			}
			return nil
		})
	}
	g.Wait()
	return normalizeLog(lw)
}

// logSumExp returns log Σ exp(x_i), summed in order.
func logSumExp(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = max(m, v)
	}
	if math.IsInf(m, 0) {
		return m
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// normalizeLog returns exp(lw) normalized to sum 1.
func normalizeLog(lw []float64) []float64 {
	lse := logSumExp(lw)
	w := make([]float64, len(lw))
	for i, v := range lw {
		w[i] = math.Exp(v - lse)
	}
	return w
}

// ess returns 1 / Σ w_i² of normalized weights.
func ess(w []float64) float64 {
	s := 0.0
	for _, v := range w {
		s += v * v
	}
	return 1 / s
}
