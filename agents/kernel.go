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
// the vectorized kernel performs, in the same order: basic arithmetic
// only (philox's Exp is a polynomial), every product wrapped in float64()
// so that no build fuses it into an FMA, and no data-dependent branch in
// the rule (a select is written as arithmetic both builds do alike, as in
// step). The noise is philox's ziggurat normal: the vector kernel repeats
// its fast path lane by lane (a table look-up per lane, one product, one
// comparison) and, for the 1.5% of officials whose word fails it, calls
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
}

// Kernel names the officials kernel that runs: "avx512", "avx2" or
// "scalar".
func Kernel() string { return kernelName() }

// step is one official's month: noise z, disposition d and habit h in,
// propensity, habit and disposition out. It is the rule of
// UpdateOfficials; the vectorized kernel repeats it lane by lane.
func (c *kernelConsts) step(z, d, h float64) (pr, h1, d1 float64) {
	t := ((c.base + float64(c.wd*d)) + float64(c.wh*h)) + float64(c.sd*z)
	pr = 1 / (1 + exp(-t))
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

// step2 is step of two officials A and B in lockstep, with exp written
// out: one call where step makes four (step and exp, twice, are too large
// to inline), and two independent dependency chains (the exp, the
// logistic's division) for the processor to overlap. The same operations
// as step's (TestStep2 holds it to step's bits).
func (c *kernelConsts) step2(zA, dA, hA, zB, dB, hB float64) (prA, h1A, d1A, prB, h1B, d1B float64) {
	const (
		magic = 0x1.8p52
		log2e = 1.4426950408889634
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		p0    = 1.0000000005541663
		p1    = 1.0000000363231765
		p2    = 0.4999999207982802
		p3    = 0.16666420169946367
		p4    = 0.04166822556692284
		p5    = 0.008374815798301793
		p6    = 0.0013836846134577057
	)
	tA := ((c.base + float64(c.wd*dA)) + float64(c.wh*hA)) + float64(c.sd*zA)
	tB := ((c.base + float64(c.wd*dB)) + float64(c.wh*hB)) + float64(c.sd*zB)
	// exp(-t), as exp.
	xA, xB := -tA, -tB
	if xA > 700 {
		xA = 700
	}
	if xA < -700 {
		xA = -700
	}
	if xB > 700 {
		xB = 700
	}
	if xB < -700 {
		xB = -700
	}
	mA := float64(xA*log2e) + magic
	mB := float64(xB*log2e) + magic
	kA, kB := mA-magic, mB-magic
	kiA := int64(math.Float64bits(mA) - math.Float64bits(magic))
	kiB := int64(math.Float64bits(mB) - math.Float64bits(magic))
	rA := (xA - float64(kA*ln2Hi)) - float64(kA*ln2Lo)
	rB := (xB - float64(kB*ln2Hi)) - float64(kB*ln2Lo)
	r2A, r2B := float64(rA*rA), float64(rB*rB)
	r4A, r4B := float64(r2A*r2A), float64(r2B*r2B)
	pA := (p0 + float64(rA*p1)) + float64(r2A*(p2+float64(rA*p3))) +
		float64(r4A*((p4+float64(rA*p5))+float64(r2A*p6)))
	pB := (p0 + float64(rB*p1)) + float64(r2B*(p2+float64(rB*p3))) +
		float64(r4B*((p4+float64(rB*p5))+float64(r2B*p6)))
	eA := float64(pA * math.Float64frombits(uint64(kiA+1023)<<52))
	eB := float64(pB * math.Float64frombits(uint64(kiB+1023)<<52))
	prA, prB = 1/(1+eA), 1/(1+eB)
	sA, sB := float64(prA*c.x), float64(prB*c.x)
	h1A = hA + (float64(float64(c.gain*sA)*(1-hA)) - float64(float64(c.decay*(1-sA))*hA))
	h1B = hB + (float64(float64(c.gain*sB)*(1-hB)) - float64(float64(c.decay*(1-sB))*hB))
	d1A = dA + float64(c.rev*(c.home-dA))
	d1B = dB + float64(c.rev*(c.home-dB))
	diffA, diffB := c.line-d1A, c.line-d1B
	if !(diffA < c.bound && diffA > -c.bound) {
		diffA = 0
	}
	if !(diffB < c.bound && diffB > -c.bound) {
		diffB = 0
	}
	d1A += float64(c.soc * diffA)
	d1B += float64(c.soc * diffB)
	return prA, h1A, d1A, prB, h1B, d1B
}

// scalarRange runs the kernel on slots lo..hi-1 of p (global slot
// numbers: they address the draws). Official i's noise is the ziggurat
// normal of word i (philox.OfficialNormal): philox.ZigguratFast (which
// inlines) and, for the 1.5% of words that fail it, philox.ZigguratFrom.
func scalarRange(p *Population, c *kernelConsts, lo, hi int) {
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

// exp is philox.Exp with its clamp written as two branches, which are
// never taken in practice and so cost nothing, where min and max cost a
// few instructions each (the same result for every argument but NaN).
func exp(x float64) float64 {
	const (
		magic = 0x1.8p52
		log2e = 1.4426950408889634
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		p0    = 1.0000000005541663
		p1    = 1.0000000363231765
		p2    = 0.4999999207982802
		p3    = 0.16666420169946367
		p4    = 0.04166822556692284
		p5    = 0.008374815798301793
		p6    = 0.0013836846134577057
	)
	if x > 700 {
		x = 700
	}
	if x < -700 {
		x = -700
	}
	t := float64(x*log2e) + magic
	k := t - magic
	ki := int64(math.Float64bits(t) - math.Float64bits(magic))
	r := (x - float64(k*ln2Hi)) - float64(k*ln2Lo)
	r2 := float64(r * r)
	r4 := float64(r2 * r2)
	p := (p0 + float64(r*p1)) + float64(r2*(p2+float64(r*p3))) +
		float64(r4*((p4+float64(r*p5))+float64(r2*p6)))
	return p * math.Float64frombits(uint64(ki+1023)<<52)
}
