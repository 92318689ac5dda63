package agents

import "github.com/entrench/entrench/philox"

// The officials kernel: one month of the officials' rule over a range of
// slots, elementwise (no sums), in two builds that give the same bits. The
// scalar twin is below; kernel_simd.go has the vectorized kernel
// (GOEXPERIMENT=simd on amd64: AVX-512 or AVX2, chosen at run time).
//
// Floating point. The twin performs, per official, the IEEE operations
// the vectorized kernel performs, in the same order: basic arithmetic and
// square root only (philox's Exp, logarithm, sine and cosine are
// polynomials), every product wrapped in float64() so that no build fuses
// it into an FMA, and no data-dependent branch (a select is written as
// arithmetic both builds do alike, as in step). The rank-weighted sums are
// taken afterwards by one scalar loop (sums) that both builds share, so
// their order of addition is the same too.

// kernelConsts are one organization's constants for one month of the
// kernel.
type kernelConsts struct {
	base, wd, wh, sd float64 // logit: base + wd*disp + wh*habit + sd*noise
	x, gain, decay   float64 // engagement and habit rates
	rev, home        float64 // reversion rate and recruiting mean
	line, bound, soc float64 // leadership line (disposition units), confidence bound, socialization rate
	noise            uint64  // the tick's draws (philox.TickKey)
}

// Kernel names the officials kernel that runs: "avx512", "avx2" or
// "scalar".
func Kernel() string { return kernelName() }

// step is one official's month: noise z, disposition d and habit h in,
// propensity, habit and disposition out. It is the rule of
// UpdateOfficials; the vectorized kernel repeats it lane by lane.
func (c *kernelConsts) step(z, d, h float64) (pr, h1, d1 float64) {
	t := ((c.base + float64(c.wd*d)) + float64(c.wh*h)) + float64(c.sd*z)
	pr = 1 / (1 + philox.Exp(-t))
	s := float64(pr * c.x)
	h1 = h + (float64(float64(c.gain*s)*(1-h)) - float64(float64(c.decay*(1-s))*h))
	d1 = d + float64(c.rev*(c.home-d))
	diff := c.line - d1
	// Bounded confidence: no pull from beyond the bound. Written as a
	// select of diff or 0 (then d1 + soc*0 = d1), as the vector does.
	if !(diff < c.bound && diff > -c.bound) {
		diff = 0
	}
	d1 += float64(c.soc * diff)
	return pr, h1, d1
}

// scalarRange runs the kernel on slots lo..hi-1 of p (global slot
// numbers: they address the draws). Officials 2j and 2j+1 share one
// Box-Muller pair (philox.PairIndex); a pair cut by lo or hi is computed
// whole and half used.
func scalarRange(p *Population, c *kernelConsts, lo, hi int) {
	disp, habit, prop := p.Disp, p.Habit, p.Prop
	i := lo
	if i < hi && i&1 == 1 {
		_, z1 := philox.PairNormals(c.noise, uint64(i-1))
		prop[i], habit[i], disp[i] = c.step(z1, disp[i], habit[i])
		i++
	}
	for ; i+1 < hi; i += 2 {
		z0, z1 := philox.PairNormals(c.noise, uint64(i))
		prop[i], habit[i], disp[i] = c.step(z0, disp[i], habit[i])
		prop[i+1], habit[i+1], disp[i+1] = c.step(z1, disp[i+1], habit[i+1])
	}
	if i < hi {
		z0, _ := philox.PairNormals(c.noise, uint64(i))
		prop[i], habit[i], disp[i] = c.step(z0, disp[i], habit[i])
	}
}

// UpdateOfficials runs one month of the officials' rules for one
// organization and refreshes its Stance, HabitMean, Line and Resistance.
// noise is the tick's draws, philox.TickKey(key, tick) with the key of
// the run's actors (or of a probe): official i's noise is
// philox.OfficialNormal(noise, i, 0), a pure function of (seed, point,
// replicate, purpose, tick, official), so the order of evaluation and the
// kernel's vector width cannot change it.
//
// Propensity: p = logistic(bias + wd*disp + wh*habit + ws*stakeIndex +
// wa*attention - wt*tension - wu*threat - wm*suspicion + noise), noise ~
// N(0, noiseSD), with philox's Exp. Habit (Bush-Mosteller): with
// participation s = p*engagement, habit += gain*s*(1-habit) -
// decay*(1-s)*habit. Disposition: drifts back toward the organization's
// recruiting mean at rate dispositionReversion (crises are forgotten),
// then moves toward the leadership line at rate socialization when within
// confidenceBound of it (bounded confidence: no pull from further away).
func UpdateOfficials(p *Population, o *Org, tension float64, k *Params, noise uint64) {
	updateOfficials(p, o, tension, k, noise, false)
}

// UpdateOfficialsScalar is UpdateOfficials with the scalar twin in every
// build: the same bits, for the tests and benchmarks that compare the
// builds.
func UpdateOfficialsScalar(p *Population, o *Org, tension float64, k *Params, noise uint64) {
	updateOfficials(p, o, tension, k, noise, true)
}

// updateOfficials is UpdateOfficials with the scalar twin when scalar is
// set. (A function value in its place would make the constants escape:
// one allocation per call.)
func updateOfficials(p *Population, o *Org, tension float64, k *Params, noise uint64, scalar bool) {
	SetBase(o, tension, k)
	c := kernelConsts{
		base: o.Base, wd: k.WDisposition, wh: k.WHabit, sd: k.NoiseSD,
		x: o.Engagement, gain: k.HabitGain, decay: k.HabitDecay,
		rev: k.DispositionReversion, home: o.DispMean,
		line: 2*o.Line - 1, bound: k.ConfidenceBound, soc: k.Socialization,
		noise: noise,
	}
	lo, hi := o.Slots()
	switch {
	case hi <= lo:
	case scalar:
		scalarRange(p, &c, lo, hi)
	default:
		updateRange(p, &c, lo, hi)
	}
	Aggregate(p, o, k)
}
