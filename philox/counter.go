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
// number n+1 of that sequence. Official o's draw d in the tick is the
// ziggurat normal (ziggurat.go) of word o + d<<48, which in 0.43% of cases
// takes further words o + d<<48 + a<<32, a = 1, 2, ... Two (key, tick)
// sequences share a word only when the difference of their starting
// points is one of the differences between words they use: the
// consecutive run of about 1000 officials' words gives about 2000 such
// differences (a shared run), the sparse extra words (about 25 a tick)
// about 5*10^4 more (single words), so about 5*10^4/2^64 per pair of sequences, and over
// 10^6 runs of 240 ticks (10^16 pairs of ticks) a handful of ticks may
// share a run or a word of noise with a tick elsewhere, harmless as a
// birthday coincidence of any 64-bit generator is.

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

// OfficialNormal returns official official's standard normal for draw
// draw in the tick whose draws start at tk: the ziggurat normal of word
// index official | draw<<48 (ZigguratNormal), whose extra words, when it
// needs any, are at that index plus a<<32, a = 1, 2, ...
func OfficialNormal(tk uint64, official, draw uint32) float64 {
	return ZigguratNormal(tk, uint64(official)|uint64(draw)<<48)
}
