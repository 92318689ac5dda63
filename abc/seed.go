package abc

import "math/rand/v2"

// Purposes of the random streams of one attempt. They are part of the
// stream identity: changing one changes results.
const (
	// PurposePropose draws the proposal of an attempt: a prior draw in
	// generation 0, an ancestor and a kernel perturbation later.
	PurposePropose uint64 = 1
	// PurposeSimulate is the stream handed to the simulator.
	PurposeSimulate uint64 = 2
)

// StreamSeed derives the two PCG seed words of one random stream from
// (seed, generation, attempt, purpose) with SplitMix64 mixing. It is the
// mixing of sim.StreamSeed with the design point replaced by the
// generation and the replicate by the attempt.
func StreamSeed(seed uint64, generation, attempt int, purpose uint64) (uint64, uint64) {
	x := mix(seed + 0x9e3779b97f4a7c15)
	x = mix(x ^ mix(uint64(generation)+0xbf58476d1ce4e5b9))
	x = mix(x ^ mix(uint64(attempt)+0x94d049bb133111eb))
	x = mix(x ^ mix(purpose+0x2545f4914f6cdd1d))
	return x, mix(x ^ 0xda942042e4dd58b5)
}

// mix is the SplitMix64 finalizer.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// stream returns a generator for one (seed, generation, attempt, purpose).
func stream(seed uint64, generation, attempt int, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(StreamSeed(seed, generation, attempt, purpose)))
}
