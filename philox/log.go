package philox

import "math"

// logPos returns the natural logarithm of x, for x positive, finite and
// normal (x >= 2^-1022); other x give meaningless results. It is fdlibm's
// e_log.c method (Sun Microsystems 1993; also Go's math.Log): x = 2^k m
// with sqrt(2)/2 <= m < sqrt(2), f = m - 1, s = f/(2+f), and
// log(1+f) = f - f^2/2 + s (f^2/2 + R(s^2)) with R the degree-7 minimax
// polynomial Lg1..Lg7, error below 2^-58.45 before rounding. Products are
// explicitly rounded (float64(a*b)) so no build fuses them into FMAs; the
// result is within 1 ulp of math.Log (TestLog).
func logPos(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01 // 3fe62e42 fee00000: k*ln2Hi is exact
		ln2Lo = 1.90821492927058770002e-10 // 3dea39ef 35793c76
		lg1   = 6.666666666666735130e-01   // 3FE55555 55555593
		lg2   = 3.999999999940941908e-01   // 3FD99999 9997FA04
		lg3   = 2.857142874366239149e-01   // 3FD24924 94229359
		lg4   = 2.222219843214978396e-01   // 3FCC71C5 1D8E78AF
		lg5   = 1.818357216161805012e-01   // 3FC74664 96CB03DE
		lg6   = 1.531383769920937332e-01   // 3FC39A09 D078C69F
		lg7   = 1.479819860511658591e-01   // 3FC2F112 DF3E5244
		// sqrt(2) has significand bits 0x6a09e667f3bcd: a mantissa above
		// that is reduced to m/2, k+1.
		sqrt2Frac = 0x6a09e667f3bcd
		fracMask  = 1<<52 - 1
	)
	bits := math.Float64bits(x)
	frac := bits & fracMask
	// big is 1 when the mantissa is above sqrt(2): then m is in
	// [sqrt(2)/2, 1) and k one more, else m in [1, sqrt(2)]. It is
	// computed without a branch (a data-dependent branch is mispredicted
	// about a third of the time), as the vectorized twin does.
	big := (sqrt2Frac - frac) >> 63
	k := int64(bits>>52) - 1023 + int64(big)
	frac |= (1023 - big) << 52
	f := math.Float64frombits(frac) - 1
	kf := float64(k)
	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	t1 := float64(s2 * (lg1 + float64(s4*(lg3+float64(s4*(lg5+float64(s4*lg7)))))))
	t2 := float64(s4 * (lg2 + float64(s4*(lg4+float64(s4*lg6)))))
	r := t1 + t2
	hfsq := float64(0.5 * float64(f*f))
	return float64(kf*ln2Hi) - ((hfsq - (float64(s*(hfsq+r)) + float64(kf*ln2Lo))) - f)
}

// sinCos2Pi returns sin(2 pi v) and cos(2 pi v) for v in [0, 1) (any
// finite v with |v| < 2^50 works). The reduction is exact: t = 4v, q is t
// rounded to the nearest integer and f = t - q in [-1/2, 1/2], so the
// angle is q quarter turns plus x = f pi/2 in [-pi/4, pi/4]. On that
// interval the Taylor series are cut after x^15 (sine) and x^16 (cosine):
// the first omitted terms, x^17/17! and x^18/18!, are below 6.5e-17 and
// 2e-18 relative. The coefficients are exact reciprocals of factorials
// rounded once. Error within a few ulp of math.Sincos (TestSinCos2Pi).
func sinCos2Pi(v float64) (sin, cos float64) {
	const (
		magic = 0x1.8p52 // adding it rounds a float64 below 2^51 to an integer
		s1    = -1.0 / 6
		s2    = 1.0 / 120
		s3    = -1.0 / 5040
		s4    = 1.0 / 362880
		s5    = -1.0 / 39916800
		s6    = 1.0 / 6227020800
		s7    = -1.0 / 1307674368000
		c1    = 1.0 / 24
		c2    = -1.0 / 720
		c3    = 1.0 / 40320
		c4    = -1.0 / 3628800
		c5    = 1.0 / 479001600
		c6    = -1.0 / 87178291200
		c7    = 1.0 / 20922789888000
	)
	t := float64(4 * v) // exact; the conversion keeps it out of an FMA
	tm := t + magic
	q := tm - magic
	n := math.Float64bits(tm) & 3 // quadrant: q mod 4
	x := float64((t - q) * (math.Pi / 2))
	z := float64(x * x)
	// Estrin's scheme: independent pieces in parallel, then z^2 and z^4
	// combine them, so the dependency chain is half Horner's.
	z2 := float64(z * z)
	z4 := float64(z2 * z2)
	ps := (s1 + float64(z*s2)) + float64(z2*(s3+float64(z*s4))) +
		float64(z4*((s5+float64(z*s6))+float64(z2*s7)))
	pc := (c1 + float64(z*c2)) + float64(z2*(c3+float64(z*c4))) +
		float64(z4*((c5+float64(z*c6))+float64(z2*c7)))
	sn := x + float64(float64(x*z)*ps)
	cs := (1 - float64(0.5*z)) + float64(z2*pc)
	// Quadrant n: (sin, cos) is (sn, cs), (cs, -sn), (-sn, -cs) or
	// (-cs, sn). Without branches (the quadrant is random, so a switch is
	// mispredicted three times in four): swap on odd n, flip the sign of
	// the sine when n is 2 or 3 and of the cosine when n is 1 or 2. A
	// sign flip is what negation does, so the bits are the switch's.
	swap := -(n & 1)
	sb, cb := math.Float64bits(sn), math.Float64bits(cs)
	s0 := sb&^swap | cb&swap
	c0 := cb&^swap | sb&swap
	s0 ^= (n >> 1) << 63
	c0 ^= ((n ^ n>>1) & 1) << 63
	return math.Float64frombits(s0), math.Float64frombits(c0)
}
