package philox

import "math"

// Exp returns e^x with relative error at most 1.9e-9 for |x| <= 700
// (TestExp checks 2.5e-9 against math.Exp over |x| < 20). x is clamped to
// [-700, 700]; NaN gives NaN. It is for the hot loop: no branches in the
// arithmetic, no tables, so a vectorized twin can reproduce it bit for bit.
//
// Method: k = x/ln 2 rounded to the nearest integer (by adding and
// subtracting 1.5*2^52), r = x - k ln 2 in [-ln2/2, ln2/2] with ln 2 split
// in two so k*ln2Hi is exact, e^r by a degree-6 polynomial, times 2^k built
// from its exponent bits. The polynomial is the minimax approximation of
// e^r for relative error on [-ln2/2, ln2/2], computed by the Remez exchange
// algorithm at 40 digits (mpmath); its equioscillation error is
// 1.8558e-9. It is evaluated by Estrin's scheme. Consequently Exp(0) is 1 + 5.5e-10, not 1.
func Exp(x float64) float64 {
	const (
		magic = 0x1.8p52
		log2e = 1.4426950408889634         // 1/ln 2
		ln2Hi = 6.93147180369123816490e-01 // 3fe62e42 fee00000
		ln2Lo = 1.90821492927058770002e-10 // 3dea39ef 35793c76
		p0    = 1.0000000005541663
		p1    = 1.0000000363231765
		p2    = 0.4999999207982802
		p3    = 0.16666420169946367
		p4    = 0.04166822556692284
		p5    = 0.008374815798301793
		p6    = 0.0013836846134577057
	)
	x = max(min(x, 700), -700)
	t := float64(x*log2e) + magic
	k := t - magic
	ki := int64(math.Float64bits(t) - math.Float64bits(magic))
	r := (x - float64(k*ln2Hi)) - float64(k*ln2Lo)
	// Estrin's scheme (as in sinCos2Pi): a dependency chain of four
	// multiply-adds instead of six.
	r2 := float64(r * r)
	r4 := float64(r2 * r2)
	p := (p0 + float64(r*p1)) + float64(r2*(p2+float64(r*p3))) +
		float64(r4*((p4+float64(r*p5))+float64(r2*p6)))
	return p * math.Float64frombits(uint64(ki+1023)<<52)
}
