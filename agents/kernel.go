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
	for ; i+3 < hi; i += 4 {
		z0, z1, z2, z3 := pairNormals2(c.noise, uint64(i), uint64(i+2))
		prop[i], habit[i], disp[i] = c.step(z0, disp[i], habit[i])
		prop[i+1], habit[i+1], disp[i+1] = c.step(z1, disp[i+1], habit[i+1])
		prop[i+2], habit[i+2], disp[i+2] = c.step(z2, disp[i+2], habit[i+2])
		prop[i+3], habit[i+3], disp[i+3] = c.step(z3, disp[i+3], habit[i+3])
	}
	for ; i+1 < hi; i += 2 {
		z0, z1 := pairNormals(c.noise, uint64(i))
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

// gamma is SplitMix64's increment (philox.Word).
const gamma = 0x9e3779b97f4a7c15

// pairNormals is philox.PairNormals(tk, n) written out in one function
// (philox's Word, BoxMuller, logPos and sinCos2Pi: the same operations),
// so that the scalar twin makes one call per pair where philox makes
// four (about a tenth off the twin's tick). TestPairNormals holds it to
// philox's bits.
func pairNormals(tk, n uint64) (z0, z1 float64) {
	const (
		ln2Hi     = 6.93147180369123816490e-01
		ln2Lo     = 1.90821492927058770002e-10
		lg1       = 6.666666666666735130e-01
		lg2       = 3.999999999940941908e-01
		lg3       = 2.857142874366239149e-01
		lg4       = 2.222219843214978396e-01
		lg5       = 1.818357216161805012e-01
		lg6       = 1.531383769920937332e-01
		lg7       = 1.479819860511658591e-01
		sqrt2Frac = 0x6a09e667f3bcd
		fracMask  = 1<<52 - 1
		magic     = 0x1.8p52
		s1        = -1.0 / 6
		s2        = 1.0 / 120
		s3        = -1.0 / 5040
		s4        = 1.0 / 362880
		s5        = -1.0 / 39916800
		s6        = 1.0 / 6227020800
		s7        = -1.0 / 1307674368000
		c1        = 1.0 / 24
		c2        = -1.0 / 720
		c3        = 1.0 / 40320
		c4        = -1.0 / 3628800
		c5        = 1.0 / 479001600
		c6        = -1.0 / 87178291200
		c7        = 1.0 / 20922789888000
	)
	ctr := tk + (n+1)*gamma
	a, b := philox.Mix(ctr), philox.Mix(ctr+gamma)
	// Radius: sqrt(-2 log u), u in (0, 1].
	x := float64(a>>11+1) * 0x1p-53
	bits := math.Float64bits(x)
	frac := bits & fracMask
	big := (sqrt2Frac - frac) >> 63
	k := int64(bits>>52) - 1023 + int64(big)
	frac |= (1023 - big) << 52
	f := math.Float64frombits(frac) - 1
	kf := float64(k)
	s := f / (2 + f)
	sq := float64(s * s)
	s4q := float64(sq * sq)
	t1 := float64(sq * (lg1 + float64(s4q*(lg3+float64(s4q*(lg5+float64(s4q*lg7)))))))
	t2 := float64(s4q * (lg2 + float64(s4q*(lg4+float64(s4q*lg6)))))
	hfsq := float64(0.5 * float64(f*f))
	l := float64(kf*ln2Hi) - ((hfsq - (float64(s*(hfsq+(t1+t2))) + float64(kf*ln2Lo))) - f)
	r := math.Sqrt(-2 * l)
	// Angle: sin and cos of 2 pi v, v in [0, 1).
	v := float64(b>>11) * 0x1p-53
	t := float64(4 * v)
	tm := t + magic
	q := tm - magic
	qn := math.Float64bits(tm) & 3
	y := float64((t - q) * (math.Pi / 2))
	z := float64(y * y)
	z2 := float64(z * z)
	z4 := float64(z2 * z2)
	ps := (s1 + float64(z*s2)) + float64(z2*(s3+float64(z*s4))) +
		float64(z4*((s5+float64(z*s6))+float64(z2*s7)))
	pc := (c1 + float64(z*c2)) + float64(z2*(c3+float64(z*c4))) +
		float64(z4*((c5+float64(z*c6))+float64(z2*c7)))
	sn := y + float64(float64(y*z)*ps)
	cs := (1 - float64(0.5*z)) + float64(z2*pc)
	swap := -(qn & 1)
	sb, cb := math.Float64bits(sn), math.Float64bits(cs)
	sv := (sb&^swap | cb&swap) ^ (qn>>1)<<63
	cv := (cb&^swap | sb&swap) ^ ((qn^qn>>1)&1)<<63
	return r * math.Float64frombits(cv), r * math.Float64frombits(sv)
}

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

// pairNormals2 is pairNormals of two pairs, nA and nB, in lockstep: two
// independent dependency chains (the logarithm's division, the square
// root) let the processor overlap what one pair leaves it waiting on.
// TestPairNormals holds it to philox's bits.
func pairNormals2(tk, nA, nB uint64) (zA0, zA1, zB0, zB1 float64) {
	const (
		ln2Hi     = 6.93147180369123816490e-01
		ln2Lo     = 1.90821492927058770002e-10
		lg1       = 6.666666666666735130e-01
		lg2       = 3.999999999940941908e-01
		lg3       = 2.857142874366239149e-01
		lg4       = 2.222219843214978396e-01
		lg5       = 1.818357216161805012e-01
		lg6       = 1.531383769920937332e-01
		lg7       = 1.479819860511658591e-01
		sqrt2Frac = 0x6a09e667f3bcd
		fracMask  = 1<<52 - 1
		magic     = 0x1.8p52
		s1        = -1.0 / 6
		s2        = 1.0 / 120
		s3        = -1.0 / 5040
		s4        = 1.0 / 362880
		s5        = -1.0 / 39916800
		s6        = 1.0 / 6227020800
		s7        = -1.0 / 1307674368000
		c1        = 1.0 / 24
		c2        = -1.0 / 720
		c3        = 1.0 / 40320
		c4        = -1.0 / 3628800
		c5        = 1.0 / 479001600
		c6        = -1.0 / 87178291200
		c7        = 1.0 / 20922789888000
	)
	ctrA := tk + (nA+1)*gamma
	ctrB := tk + (nB+1)*gamma
	aA, bA := philox.Mix(ctrA), philox.Mix(ctrA+gamma)
	aB, bB := philox.Mix(ctrB), philox.Mix(ctrB+gamma)
	xA := float64(aA>>11+1) * 0x1p-53
	xB := float64(aB>>11+1) * 0x1p-53
	bitsA := math.Float64bits(xA)
	bitsB := math.Float64bits(xB)
	fracA := bitsA & fracMask
	fracB := bitsB & fracMask
	bigA := (sqrt2Frac - fracA) >> 63
	bigB := (sqrt2Frac - fracB) >> 63
	kA := int64(bitsA>>52) - 1023 + int64(bigA)
	kB := int64(bitsB>>52) - 1023 + int64(bigB)
	fracA |= (1023 - bigA) << 52
	fracB |= (1023 - bigB) << 52
	fA := math.Float64frombits(fracA) - 1
	fB := math.Float64frombits(fracB) - 1
	kfA := float64(kA)
	kfB := float64(kB)
	sA := fA / (2 + fA)
	sB := fB / (2 + fB)
	sqA := float64(sA * sA)
	sqB := float64(sB * sB)
	s4qA := float64(sqA * sqA)
	s4qB := float64(sqB * sqB)
	t1A := float64(sqA * (lg1 + float64(s4qA*(lg3+float64(s4qA*(lg5+float64(s4qA*lg7)))))))
	t1B := float64(sqB * (lg1 + float64(s4qB*(lg3+float64(s4qB*(lg5+float64(s4qB*lg7)))))))
	t2A := float64(s4qA * (lg2 + float64(s4qA*(lg4+float64(s4qA*lg6)))))
	t2B := float64(s4qB * (lg2 + float64(s4qB*(lg4+float64(s4qB*lg6)))))
	hfsqA := float64(0.5 * float64(fA*fA))
	hfsqB := float64(0.5 * float64(fB*fB))
	lA := float64(kfA*ln2Hi) - ((hfsqA - (float64(sA*(hfsqA+(t1A+t2A))) + float64(kfA*ln2Lo))) - fA)
	lB := float64(kfB*ln2Hi) - ((hfsqB - (float64(sB*(hfsqB+(t1B+t2B))) + float64(kfB*ln2Lo))) - fB)
	rA := math.Sqrt(-2 * lA)
	rB := math.Sqrt(-2 * lB)
	vA := float64(bA>>11) * 0x1p-53
	vB := float64(bB>>11) * 0x1p-53
	tA := float64(4 * vA)
	tB := float64(4 * vB)
	tmA := tA + magic
	tmB := tB + magic
	qA := tmA - magic
	qB := tmB - magic
	qnA := math.Float64bits(tmA) & 3
	qnB := math.Float64bits(tmB) & 3
	yA := float64((tA - qA) * (math.Pi / 2))
	yB := float64((tB - qB) * (math.Pi / 2))
	zA := float64(yA * yA)
	zB := float64(yB * yB)
	z2A := float64(zA * zA)
	z2B := float64(zB * zB)
	z4A := float64(z2A * z2A)
	z4B := float64(z2B * z2B)
	psA := (s1 + float64(zA*s2)) + float64(z2A*(s3+float64(zA*s4))) +
		float64(z4A*((s5+float64(zA*s6))+float64(z2A*s7)))
	psB := (s1 + float64(zB*s2)) + float64(z2B*(s3+float64(zB*s4))) +
		float64(z4B*((s5+float64(zB*s6))+float64(z2B*s7)))
	pcA := (c1 + float64(zA*c2)) + float64(z2A*(c3+float64(zA*c4))) +
		float64(z4A*((c5+float64(zA*c6))+float64(z2A*c7)))
	pcB := (c1 + float64(zB*c2)) + float64(z2B*(c3+float64(zB*c4))) +
		float64(z4B*((c5+float64(zB*c6))+float64(z2B*c7)))
	snA := yA + float64(float64(yA*zA)*psA)
	snB := yB + float64(float64(yB*zB)*psB)
	csA := (1 - float64(0.5*zA)) + float64(z2A*pcA)
	csB := (1 - float64(0.5*zB)) + float64(z2B*pcB)
	swapA := -(qnA & 1)
	swapB := -(qnB & 1)
	sbA, cbA := math.Float64bits(snA), math.Float64bits(csA)
	sbB, cbB := math.Float64bits(snB), math.Float64bits(csB)
	svA := (sbA&^swapA | cbA&swapA) ^ (qnA>>1)<<63
	svB := (sbB&^swapB | cbB&swapB) ^ (qnB>>1)<<63
	cvA := (cbA&^swapA | sbA&swapA) ^ ((qnA^qnA>>1)&1)<<63
	cvB := (cbB&^swapB | sbB&swapB) ^ ((qnB^qnB>>1)&1)<<63
	return rA * math.Float64frombits(cvA), rA * math.Float64frombits(svA), rB * math.Float64frombits(cvB), rB * math.Float64frombits(svB)
}
