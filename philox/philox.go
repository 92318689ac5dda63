package philox

// Key is a Philox4x32 key: 64 bits in two words.
type Key [2]uint32

// Counter is a Philox4x32 counter: 128 bits in four words. At gives the
// layout the project uses.
type Counter [4]uint32

// Philox4x32 constants: multipliers and the Weyl key increments (Salmon
// et al. 2011, table 2; PHILOX_M4x32_* and PHILOX_W32_* in Random123's
// philox.h).
const (
	m0 = 0xD2511F53
	m1 = 0xCD9E8D57
	w0 = 0x9E3779B9 // golden ratio
	w1 = 0xBB67AE85 // sqrt(3) - 1
)

// Block returns the Philox4x32-10 encryption of counter c under key k: four
// 32-bit words, uniform and independent for distinct (k, c).
func Block(k Key, c Counter) [4]uint32 {
	a, b := Block64(k, c)
	return [4]uint32{uint32(a), uint32(a >> 32), uint32(b), uint32(b >> 32)}
}

// Block64 returns Block(k, c) as two 64-bit words: words 0 and 1 (low
// first), then words 2 and 3. It is the generator itself, ten unrolled
// rounds with the key bumped by the Weyl constants between rounds; the
// other draws call it once per block.
func Block64(k Key, c Counter) (uint64, uint64) {
	k0, k1 := k[0], k[1]
	x0, x1, x2, x3 := c[0], c[1], c[2], c[3]
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	k0, k1 = k0+w0, k1+w1
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	k0, k1 = k0+w0, k1+w1
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	k0, k1 = k0+w0, k1+w1
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	k0, k1 = k0+w0, k1+w1
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	k0, k1 = k0+w0, k1+w1
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	k0, k1 = k0+w0, k1+w1
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	k0, k1 = k0+w0, k1+w1
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	k0, k1 = k0+w0, k1+w1
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	k0, k1 = k0+w0, k1+w1
	x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
	return uint64(x0) | uint64(x1)<<32, uint64(x2) | uint64(x3)<<32
}

// Block64x2 returns Block64(k, c) and Block64(k, d), computed in lockstep:
// two independent chains of multiplies keep the processor busy where one
// waits on its products, so a pair costs 0.6 to 0.8 of two calls (compare
// BenchmarkBlock64x2 with BenchmarkBlock64). It is for scalar loops over
// officials, two at a time.
func Block64x2(k Key, c, d Counter) (c0, c1, d0, d1 uint64) {
	k0, k1 := k[0], k[1]
	x0, x1, x2, x3 := c[0], c[1], c[2], c[3]
	y0, y1, y2, y3 := d[0], d[1], d[2], d[3]
	for i := 0; i < 10; i++ {
		x0, x1, x2, x3 = round(k0, k1, x0, x1, x2, x3)
		y0, y1, y2, y3 = round(k0, k1, y0, y1, y2, y3)
		k0, k1 = k0+w0, k1+w1
	}
	return uint64(x0) | uint64(x1)<<32, uint64(x2) | uint64(x3)<<32,
		uint64(y0) | uint64(y1)<<32, uint64(y2) | uint64(y3)<<32
}

// round is one Philox4x32 round: two 32x32->64-bit products, their high
// halves mixed with the other two words and the key.
func round(k0, k1, x0, x1, x2, x3 uint32) (uint32, uint32, uint32, uint32) {
	p0 := uint64(m0) * uint64(x0)
	p1 := uint64(m1) * uint64(x2)
	return uint32(p1>>32) ^ x1 ^ k0, uint32(p1), uint32(p0>>32) ^ x3 ^ k1, uint32(p0)
}

// At returns the counter of draw (block) number draw of official official
// in tick tick. Each (tick, official) owns 2^64 draws.
func At(tick, official uint32, draw uint64) Counter {
	return Counter{uint32(draw), official, tick, uint32(draw >> 32)}
}

// NewKey derives the key of one random stream from the run seed, the
// design point, the replicate and the purpose (the sim.Purpose* numbers),
// with the SplitMix64 chain of sim.StreamSeed: every input passes through
// the finalizer before it is combined, so neighbouring inputs give
// unrelated keys. Keys have 64 bits: among N streams two share a key with
// probability about N^2/2^65 (2.4e-7 for 10^6 runs of three purposes).
func NewKey(seed uint64, point, replicate int, purpose uint64) Key {
	x := mix(seed + 0x9e3779b97f4a7c15)
	x = mix(x ^ mix(uint64(point)+0xbf58476d1ce4e5b9))
	x = mix(x ^ mix(uint64(replicate)+0x94d049bb133111eb))
	x = mix(x ^ mix(purpose+0x2545f4914f6cdd1d))
	// A final round with a constant of its own, so a key never equals the
	// first PCG seed word sim.StreamSeed gives for the same inputs.
	x = mix(x ^ 0x7c5e1d3a9b2f4861)
	return Key{uint32(x), uint32(x >> 32)}
}

// mix is the SplitMix64 finalizer (Steele, Lea and Flood 2014).
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
