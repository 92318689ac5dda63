package agents

import (
	"math"

	"github.com/entrench/entrench/philox"
)

// The officials kernel: one month of the officials' rule over a range of
// slots, elementwise (no sums), in two builds that give the same bits. The
// scalar twin is below; kernel_avx512.go and kernel_avx2.go have the
// vectorized kernel, kernel_simd.go its dispatch
// (GOEXPERIMENT=simd on amd64: AVX-512 or AVX2, chosen at run time).
//
// Floating point. The twin performs, per official, the IEEE operations
// the vectorized kernel performs, in the same order: basic arithmetic and
// fused multiply-adds (one rounding of x*y + z) at the same places, and
// no data-dependent branch in the rule (a select is written as arithmetic
// both builds do alike, as in step). The twin's FMAs are math.FMA, which
// is correctly rounded everywhere (one instruction on amd64 with FMA and
// on arm64, software elsewhere), the vector kernel's the FMA instructions
// (archsimd's MulAdd; the AVX2 width runs only where the CPU has FMA,
// else the twin runs), so their bits are the same (TestGolden passes
// with GOARCH=386 too, whose math.FMA is software). Every other product
// is wrapped in float64() so that no build fuses it on its own. Per
// official (step), with the organization's derived constants (derive):
//
//	t  = fma(sd, z, fma(wh, h, fma(wd, d, base)))   the logit, 3 FMAs
//	e^-t = p*2^k: t clamped to [-700, 700], m = fma(t, -1/ln2, 1.5*2^52),
//	   k = m - 1.5*2^52, y = fma(k, ln2, t), p = philox.Exp's degree-6
//	   polynomial at -y (its odd coefficients negated) by Estrin's
//	   scheme: y2 = y*y, y4 = y2*y2, p = fma(y4, fma(y2, q6, fma(y, q5,
//	   q4)), fma(y2, fma(y, q3, q2), fma(y, q1, q0))), 6 FMAs
//	   (Horner's 6 FMAs in a chain measured 2-3% slower)
//	pr = 1 / fma(p, 2^k, 1)                         the logistic
//	h1 = fma(h, fma(pr, x*(decay-gain), 1-decay), pr*(gain*x))
//	d1 = fma(d, 1-rev, rev*home), then fma(soc, diff, d1) with diff =
//	   line - d1 where |diff| < bound, else 0
//
// The habit and the reversion are the rule's (habit + gain*s*(1-habit)
// - decay*(1-s)*habit with s = pr*x; d + rev*(home-d)) regrouped, so
// fewer operations give the same values up to rounding (TestKernelRule
// holds the twin to the plain rule within 1e-8). The exponential is
// philox.Exp's method with one rounding fewer per step; philox.Exp itself,
// which other code uses, keeps its no-FMA form. The noise is philox's
// ziggurat normal: the vector kernel repeats
// its fast path lane by lane (a table look-up per lane, one product, one
// comparison) and, for the 0.43% of officials whose word fails it, calls
// the same scalar slow path (philox.ZigguratFrom) as the twin, so every
// official's normal has the same bits in every build. The rank-weighted
// sums are taken afterwards by one scalar loop (sums) that both builds
// share, so their order of addition is the same too.

// kernelConsts are one organization's constants for one month of the
// kernel.
type kernelConsts struct {
	base, wd, wh, sd float64 // logit: base + wd*disp + wh*habit + sd*noise
	x, gain, decay   float64 // engagement and habit rates
	rev, home        float64 // reversion rate and recruiting mean
	line, bound, soc float64 // leadership line (disposition units), confidence bound, socialization rate
	noise            uint64  // the tick's draws (philox.TickKey)

	// Derived by derive, for the habit and the reversion in the form the
	// kernel computes them (see step).
	gx, xc, keep float64 // gain*x, x*(decay-gain), 1-decay
	stay, pull   float64 // 1-rev, rev*home
}

// derive sets c's derived constants from the others. Every build takes
// them from here, so they have the same bits.
func (c *kernelConsts) derive() {
	c.gx = c.gain * c.x
	c.xc = c.x * (c.decay - c.gain)
	c.keep = 1 - c.decay
	c.stay = 1 - c.rev
	c.pull = c.rev * c.home
}

// Kernel names the officials kernel that runs: "avx512", "avx2" or
// "scalar".
func Kernel() string { return kernelName() }

// The kernel's exponential, e^-t for the logistic: philox.Exp's method
// and polynomial with fused multiply-adds (see the header). Its constants:
// the reduction is t + k ln2 in one FMA, with k the integer nearest
// -t/ln 2, so the polynomial is evaluated at y = -r, its odd coefficients
// negated.
const (
	expMagic  = 0x1.8p52
	expNlog2e = -1.4426950408889634 // -1/ln 2
	expLn2    = 0.6931471805599453
	expQ0     = 1.0000000005541663
	expQ1     = -1.0000000363231765
	expQ2     = 0.4999999207982802
	expQ3     = -0.16666420169946367
	expQ4     = 0.04166822556692284
	expQ5     = -0.008374815798301793
	expQ6     = 0.0013836846134577057
)

// step is one official's month: noise z, disposition d and habit h in,
// propensity, habit and disposition out. It is the rule of
// UpdateOfficials, arranged for fused multiply-adds (math.FMA, one
// rounding, in every build); the vectorized kernel repeats it lane by
// lane. c's derived constants must be set (derive).
func (c *kernelConsts) step(z, d, h float64) (pr, h1, d1 float64) {
	t := math.FMA(c.sd, z, math.FMA(c.wh, h, math.FMA(c.wd, d, c.base)))
	ep, es := expParts(t)
	pr = 1 / math.FMA(ep, es, 1)
	h1 = math.FMA(h, math.FMA(pr, c.xc, c.keep), float64(pr*c.gx))
	d1 = math.FMA(d, c.stay, c.pull)
	diff := c.line - d1
	// Bounded confidence: no pull from beyond the bound. Written as a
	// select of diff or 0 (then d1 + soc*0 = d1), as the vector does.
	if !(math.Abs(diff) < c.bound) {
		diff = 0
	}
	d1 = math.FMA(c.soc, diff, d1)
	return pr, h1, d1
}

// step2 is step of two officials A and B in lockstep, with exp written
// out: one call where step makes four (step and expParts, twice, are too
// large to inline), and two independent dependency chains (the exp, the
// logistic's division) for the processor to overlap. The same operations
// as step's (TestStep2 holds it to step's bits).
func (c *kernelConsts) step2(zA, dA, hA, zB, dB, hB float64) (prA, h1A, d1A, prB, h1B, d1B float64) {
	tA := math.FMA(c.sd, zA, math.FMA(c.wh, hA, math.FMA(c.wd, dA, c.base)))
	tB := math.FMA(c.sd, zB, math.FMA(c.wh, hB, math.FMA(c.wd, dB, c.base)))
	// e^-t, as expParts.
	if tA > 700 {
		tA = 700
	}
	if tA < -700 {
		tA = -700
	}
	if tB > 700 {
		tB = 700
	}
	if tB < -700 {
		tB = -700
	}
	mA, mB := math.FMA(tA, expNlog2e, expMagic), math.FMA(tB, expNlog2e, expMagic)
	kA, kB := mA-expMagic, mB-expMagic
	kiA := int64(math.Float64bits(mA) - math.Float64bits(expMagic))
	kiB := int64(math.Float64bits(mB) - math.Float64bits(expMagic))
	yA, yB := math.FMA(kA, expLn2, tA), math.FMA(kB, expLn2, tB)
	yA2 := float64(yA * yA)
	yA4 := float64(yA2 * yA2)
	pA := math.FMA(yA4, math.FMA(yA2, expQ6, math.FMA(yA, expQ5, expQ4)),
		math.FMA(yA2, math.FMA(yA, expQ3, expQ2), math.FMA(yA, expQ1, expQ0)))
	yB2 := float64(yB * yB)
	yB4 := float64(yB2 * yB2)
	pB := math.FMA(yB4, math.FMA(yB2, expQ6, math.FMA(yB, expQ5, expQ4)),
		math.FMA(yB2, math.FMA(yB, expQ3, expQ2), math.FMA(yB, expQ1, expQ0)))
	prA = 1 / math.FMA(pA, math.Float64frombits(uint64(kiA+1023)<<52), 1)
	prB = 1 / math.FMA(pB, math.Float64frombits(uint64(kiB+1023)<<52), 1)
	h1A = math.FMA(hA, math.FMA(prA, c.xc, c.keep), float64(prA*c.gx))
	h1B = math.FMA(hB, math.FMA(prB, c.xc, c.keep), float64(prB*c.gx))
	d1A, d1B = math.FMA(dA, c.stay, c.pull), math.FMA(dB, c.stay, c.pull)
	diffA, diffB := c.line-d1A, c.line-d1B
	if !(math.Abs(diffA) < c.bound) {
		diffA = 0
	}
	if !(math.Abs(diffB) < c.bound) {
		diffB = 0
	}
	d1A, d1B = math.FMA(c.soc, diffA, d1A), math.FMA(c.soc, diffB, d1B)
	return prA, h1A, d1A, prB, h1B, d1B
}

// scalarRange runs the kernel on slots lo..hi-1 of p (global slot
// numbers: they address the draws). Official i's noise is the ziggurat
// normal of word i (philox.OfficialNormal): philox.ZigguratFast (which
// inlines) and, for the 0.43% of words that fail it, philox.ZigguratFrom.
func scalarRange(p *Population, c *kernelConsts, lo, hi int) {
	c.derive()
	disp, habit, prop := p.Disp[:hi], p.Habit[:hi], p.Prop[:hi]
	ctr := c.noise + uint64(lo+1)*gamma
	i := lo
	for ; i+1 < hi; i += 2 {
		wA, wB := philox.Mix(ctr), philox.Mix(ctr+gamma)
		ctr += gamma2
		zA, okA := philox.ZigguratFast(wA)
		zB, okB := philox.ZigguratFast(wB)
		if !okA {
			zA = philox.ZigguratFrom(c.noise, uint64(i), wA)
		}
		if !okB {
			zB = philox.ZigguratFrom(c.noise, uint64(i+1), wB)
		}
		prop[i], habit[i], disp[i], prop[i+1], habit[i+1], disp[i+1] =
			c.step2(zA, disp[i], habit[i], zB, disp[i+1], habit[i+1])
	}
	if i < hi {
		z := philox.ZigguratNormal(c.noise, uint64(i))
		prop[i], habit[i], disp[i] = c.step(z, disp[i], habit[i])
	}
}

// UpdateOfficials runs one month of the officials' rules for one
// organization and refreshes its Stance, HabitMean, Line and Resistance.
// noise is the tick's draws, philox.TickKey(key, tick) with the key of
// the run's actors (or of a probe): official i's noise is
// philox.OfficialNormal(noise, i, 0) (a ziggurat normal), a pure function
// of (seed, point, replicate, purpose, tick, official), so the order of
// evaluation and the kernel's vector width cannot change it.
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

// gamma is SplitMix64's increment (philox.Word), gamma2 twice it (mod
// 2^64).
const (
	gamma  = 0x9e3779b97f4a7c15
	gamma2 = 2*gamma - 1<<64
)

// expParts returns p and s with e^-t = p*s: s = 2^k, the integer k
// nearest -t/ln 2 (t clamped to [-700, 700]), and p = e^-y by the
// polynomial of philox.Exp, y = t + k ln 2 in [-ln2/2, ln2/2] (Estrin's
// scheme, with FMAs). The clamp is two branches, never taken in practice
// and so free, where min and max cost a few instructions each.
func expParts(t float64) (p, s float64) {
	if t > 700 {
		t = 700
	}
	if t < -700 {
		t = -700
	}
	m := math.FMA(t, expNlog2e, expMagic)
	k := m - expMagic
	ki := int64(math.Float64bits(m) - math.Float64bits(expMagic))
	y := math.FMA(k, expLn2, t)
	y2 := float64(y * y)
	y4 := float64(y2 * y2)
	p = math.FMA(y4, math.FMA(y2, expQ6, math.FMA(y, expQ5, expQ4)),
		math.FMA(y2, math.FMA(y, expQ3, expQ2), math.FMA(y, expQ1, expQ0)))
	return p, math.Float64frombits(uint64(ki+1023) << 52)
}
