package philox

import "math"

// The officials kernel's normal: a ziggurat on SplitMix64 words addressed
// by a counter.
//
// Method: Marsaglia and Tsang (2000), "The ziggurat method for generating
// random variables", J. Stat. Softw. 5(8), with 1024 layers, and with the
// correction of Doornik (2005), "An improved ziggurat method to generate
// normal random samples": the layer index and the uniform come from
// independent bits (Marsaglia and Tsang took both from one 32-bit
// integer, which correlates the layer with the uniform's low bits). One
// 64-bit word w gives, on disjoint bits,
//
//	layer i = w & 1023 (bits 0-9),
//	u in [0, 1), 52 bits: (bits 11-62) * 2^-52,
//	the sign: bit 63.
//
// Fast path (99.57% of words): x = u * zigW[i]; if u < zigK[i] the
// normal is x with the sign bit of w. The rest goes to the slow path
// (ZigguratFrom): layer 0's part beyond r is the tail, drawn by
// Marsaglia's exact tail algorithm (1964: e = -ln(U1)/r, y = -ln(U2)
// until 2y > e^2, then r + e); in the other layers the wedge test
// accepts x when a uniform height in the layer lies below exp(-x^2/2),
// compared in the log domain (ln y < -x^2/2) with this package's
// logarithm, so the slow path too is basic arithmetic and gives the same
// bits on every platform; a rejected attempt starts over with a fresh
// word. Every layer has the same area, so the layer index is uniform, and
// the result is exactly normal up to the 52-bit resolution of u and the
// rounding of the tables (relative 1e-16).
//
// Addressing. A normal is identified by a word index n: its first word
// is Word(tk, n), and the slow path takes further words Word(tk, n +
// a<<32), a = 1, 2, ... in order. The kernel's official o, draw d has n =
// o | d<<48 (OfficialNormal), so the extra words of its attempts never
// meet another official's or draw's words while a < 2^16 (the chance of
// needing 2^16 words is below 0.01^30000).

// zigLayers is the number of layers of the ziggurat (a power of two: the
// layer is the word's low 10 bits). 1024 layers rather than 256 send
// 0.43% of words to the slow path rather than 0.7%, which the vectorized
// officials kernel, for which a slow lane is a costly exit to scalar
// code, measurably gains from; the tables take 24 KiB.
const zigLayers = 1024

// ZigguratLayers is the number of layers of the ziggurat normal: the
// length of ZigguratTables' tables (the layer of word w is w &
// (ZigguratLayers-1)).
const ZigguratLayers = zigLayers

// zigR is the start of the tail, x_1 (see zigguratTables in the tests).
const zigR = 4.038849846109504

// Bits of a word.
const (
	zigLayerMask = zigLayers - 1
	zigSignBit   = 1 << 63
	zigFracMask  = 1<<52 - 1
	zigOneBits   = 0x3ff0000000000000 // bits of 1.0
)

// ZigguratTables returns copies of the ziggurat's width and fast-path
// tables: the normal of word w is on the fast path when u < k[i], and is
// then u*w[i] with the sign bit of w (see ZigguratFast). A vectorized
// kernel that repeats ZigguratFast lane by lane needs them.
func ZigguratTables() (w, k [zigLayers]float64) { return zigW, zigK }

// ZigguratFast returns the fast path of the ziggurat normal of word w:
// z = +-u*zigW[i] and ok when u < zigK[i], with layer i = w&1023, u =
// (bits 11-62 of w) * 2^-52 and the sign bit 63 of w. When ok is false z
// is meaningless and the normal is ZigguratFrom's.
func ZigguratFast(w uint64) (z float64, ok bool) {
	i := w & zigLayerMask
	u := math.Float64frombits(w>>11&zigFracMask|zigOneBits) - 1
	x := float64(u * zigW[i])
	return math.Float64frombits(math.Float64bits(x) ^ w&zigSignBit), u < zigK[i]
}

// ZigguratNormal returns the standard normal of word index n of the draws
// that start at tk (see the addressing above): ZigguratFast of Word(tk, n)
// when it is on the fast path, else ZigguratFrom's.
func ZigguratNormal(tk, n uint64) float64 {
	w := Word(tk, n)
	if z, ok := ZigguratFast(w); ok {
		return z
	}
	return ZigguratFrom(tk, n, w)
}

// ZigguratFrom returns ZigguratNormal(tk, n) given its first word w =
// Word(tk, n), by the whole algorithm: fast path, tail, wedge and new
// attempts. It is the slow path of every build: the vectorized kernel
// calls it for the lanes whose word failed the fast path, so their bits
// are the scalar twin's.
func ZigguratFrom(tk, n, w uint64) float64 {
	a := uint64(1) // the next extra word is Word(tk, n + a<<32)
	next := func() uint64 {
		x := Word(tk, n+a<<32)
		a++
		return x
	}
	for {
		i := w & zigLayerMask
		u := math.Float64frombits(w>>11&zigFracMask|zigOneBits) - 1
		x := float64(u * zigW[i])
		sign := w & zigSignBit
		if u < zigK[i] {
			return math.Float64frombits(math.Float64bits(x) ^ sign)
		}
		if i == 0 {
			// The tail beyond r (Marsaglia 1964): with e exponential of
			// rate r and y exponential of rate 1, r + e accepted when 2y >
			// e^2 is distributed as a normal conditioned on |z| > r.
			for {
				e := -logPos(uniformPos(next())) / zigR
				y := -logPos(uniformPos(next()))
				if y+y > float64(e*e) {
					return math.Float64frombits(math.Float64bits(zigR+e) ^ sign)
				}
			}
		}
		// The wedge of layer i: x lies between x_{i+1} and x_i, whose
		// densities are zigF[i+1] > zigF[i]; accept when a uniform height
		// between them is below exp(-x^2/2).
		y := zigF[i] + float64(Uniform53(next())*(zigF[i+1]-zigF[i]))
		if logPos(y) < float64(-0.5*float64(x*x)) {
			return math.Float64frombits(math.Float64bits(x) ^ sign)
		}
		w = next()
	}
}
