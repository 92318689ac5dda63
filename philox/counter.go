package philox

// The officials kernel's generator: SplitMix64 addressed by a counter.
//
// SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable pseudorandom
// number generators", OOPSLA) returns, as its output number n from seed s,
// mix(s + n*gamma) with gamma = 0x9e3779b97f4a7c15 and mix the
// finalizer of Stafford's variant 13: its n-th number is a pure function
// of (s, n), so it is a counter-based generator as it stands. Its
// published record: the sequence passes TestU01's BigCrush (Steele et al.
// 2014) and is the seeding generator of xoshiro (Blackman and Vigna 2021).
// This package's statistical suite (stats_test.go) runs on it too.
//
// It is chosen over Philox4x32-10 for the kernel on cost: a 64-bit word
// is two 64-bit multiplies and three shift-xors, about a sixth of a Philox
// block per word in scalar Go (BenchmarkWord against BenchmarkBlock64),
// and the scalar twin must run at 0.6 of the reference loop. AVX-512 has
// the 64-bit multiply (VPMULLQ); AVX2 builds it from three 32-bit ones.
//
// Addressing. TickKey(k, tick) starts a fresh SplitMix64 sequence for each
// (key, tick): the key k comes from (seed, point, replicate, purpose)
// (NewKey) and the tick passes through mix, so the starting points of
// different ticks and keys are unrelated 64-bit numbers. Word(tk, n) is
// number n+1 of that sequence. Official o's draw d in the tick uses words
// 2 (o>>1) + d<<32 and the one after (PairIndex): the two officials 2j and
// 2j+1 share one Box-Muller pair, the first taking the cosine normal, the
// second the sine normal. Two (key, tick) sequences overlap only when
// their starting points fall within the number of words used (about
// 2000 officials) of each other: probability about 4000/2^64 per pair of
// sequences, so over 10^6 runs of 240 ticks (10^16 pairs) a few ticks may
// share some noise with a tick elsewhere, harmless as a birthday
// coincidence of any 64-bit generator is.

// gamma is SplitMix64's increment, 2^64 over the golden ratio, odd.
const gamma = 0x9e3779b97f4a7c15

// Mix is the SplitMix64 finalizer (Stafford's variant 13): a bijection of
// 64-bit words with full avalanche.
func Mix(z uint64) uint64 { return mix(z) }

// TickKey returns the starting point of the draws of tick tick under key
// k (see Word). It is a pure function of (k, tick).
func TickKey(k Key, tick uint32) uint64 {
	key := uint64(k[0]) | uint64(k[1])<<32
	return mix(key^mix(uint64(tick)+0x6a09e667f3bcc909)) + 0x3c6ef372fe94f82b
}

// Word returns word n of the draws that start at tk: SplitMix64's number
// n+1 from seed tk, mix(tk + (n+1)*gamma), with wrapping arithmetic.
func Word(tk, n uint64) uint64 { return mix(tk + (n+1)*gamma) }

// PairIndex returns the index of the first of the two words of official
// official's draw draw in a tick: 2*(official/2) + draw<<32. Officials 2j
// and 2j+1 share the pair (see OfficialNormal).
func PairIndex(official uint32, draw uint32) uint64 {
	return uint64(official&^1) | uint64(draw)<<32
}

// PairNormals returns the two normals of the pair whose first word is
// number n of the draws at tk: BoxMuller(Word(tk, n), Word(tk, n+1)).
func PairNormals(tk, n uint64) (z0, z1 float64) {
	return BoxMuller(Word(tk, n), Word(tk, n+1))
}

// OfficialNormal returns official official's standard normal for draw
// draw in the tick whose draws start at tk: the cosine normal of its pair
// for an even official, the sine normal for an odd one.
func OfficialNormal(tk uint64, official, draw uint32) float64 {
	z0, z1 := PairNormals(tk, PairIndex(official, draw))
	if official&1 == 0 {
		return z0
	}
	return z1
}
