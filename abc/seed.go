package abc

import (
	"math/rand/v2"

	"github.com/entrench/entrench/sim"
)

// Purposes of the random streams of one attempt. They are part of the
// stream identity: changing one changes results.
const (
	// PurposePropose draws the proposal of an attempt: a prior draw in
	// generation 0, an ancestor and a kernel perturbation later.
	PurposePropose uint64 = 1
	// PurposeSimulate is the stream handed to the simulator.
	PurposeSimulate uint64 = 2
	// PurposeTwin is the stream of the second simulation of a generation-0
	// attempt under ScaleNoise.
	PurposeTwin uint64 = 3
)

// StreamSeed derives the two PCG seed words of one random stream from
// (seed, generation, attempt, purpose): it is sim.StreamSeed with the
// design point replaced by the generation and the replicate by the attempt.
func StreamSeed(seed uint64, generation, attempt int, purpose uint64) (uint64, uint64) {
	return sim.StreamSeed(seed, generation, attempt, purpose)
}

// stream returns a generator for one (seed, generation, attempt, purpose).
func stream(seed uint64, generation, attempt int, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(StreamSeed(seed, generation, attempt, purpose)))
}
