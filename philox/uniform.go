package philox

import "math"

// Uniform53 maps 64 random bits to a uniform float64 in [0, 1): the top 53
// bits times 2^-53, exactly, so every value is a multiple of 2^-53 and 1 -
// 2^-53 is the largest.
func Uniform53(u uint64) float64 {
	return float64(u>>11) * 0x1p-53
}

// UniformOpen maps 64 random bits to a uniform float64 in the open
// interval (0, 1): (the top 52 bits + 1/2) times 2^-52, exactly. Its values
// run from 2^-53 to 1 - 2^-53, symmetric about 1/2 (1-u has the same
// distribution as u), so it can feed log(u) and log(1-u) alike. It has 52
// bits, one fewer than Uniform53: a 53-bit grid shifted by half a step
// would need 54 bits of significand.
func UniformOpen(u uint64) float64 {
	return (float64(u>>12) + 0.5) * 0x1p-52
}

// uniformPos maps 64 random bits to a uniform float64 in (0, 1]: (the top
// 53 bits + 1) times 2^-53, exactly. Box-Muller takes its logarithm, which
// must not see 0 and may see 1 (radius 0).
func uniformPos(u uint64) float64 {
	return float64(u>>11+1) * 0x1p-53
}

// Uniforms returns the two uniforms in [0, 1) of draw c under key k
// (Uniform53 of the two words of Block64).
func Uniforms(k Key, c Counter) (float64, float64) {
	a, b := Block64(k, c)
	return Uniform53(a), Uniform53(b)
}

// Uniform returns the first of Uniforms(k, c). Use Uniforms where both are
// needed: a block costs the same either way.
func Uniform(k Key, c Counter) float64 {
	a, _ := Block64(k, c)
	return Uniform53(a)
}

// BoxMuller maps 128 random bits to two independent standard normals (Box
// and Muller 1958): with u in (0, 1] from a (53 bits) and v in [0, 1) from
// b (53 bits), r = sqrt(-2 ln u), z0 = r cos(2 pi v), z1 = r sin(2 pi v).
// |z| <= sqrt(-2 ln 2^-53) = 8.57. The logarithm, sine and cosine are this
// package's own, in basic arithmetic (see log.go), so the result is the
// same on every platform and in a vectorized twin.
func BoxMuller(a, b uint64) (z0, z1 float64) {
	r := math.Sqrt(-2 * logPos(uniformPos(a)))
	s, c := sinCos2Pi(Uniform53(b))
	return r * c, r * s
}

// NormalPair returns the two standard normals of draw c under key k
// (BoxMuller of the two words of Block64).
func NormalPair(k Key, c Counter) (float64, float64) {
	return BoxMuller(Block64(k, c))
}

// Normal returns the first of NormalPair(k, c). Use NormalPair where both
// are needed: a block costs the same either way.
func Normal(k Key, c Counter) float64 {
	z, _ := NormalPair(k, c)
	return z
}
