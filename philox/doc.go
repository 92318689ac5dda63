// Package philox provides counter-based random numbers: Philox4x32-10,
// SplitMix64 addressed by a counter (the officials kernel's generator: see
// counter.go for the choice), and the uniform and normal transforms and
// the fast exp that the officials kernel needs.
//
// Every draw is a pure function of a Key and a Counter, so the order in
// which draws are evaluated, the vector width and the number of workers
// cannot change a result, and a probe can fork a run without copying a
// generator.
//
// # Generator
//
// Block is Philox4x32 with 10 rounds (Salmon, Moraes, Dror and Shaw 2011,
// "Parallel random numbers: as easy as 1, 2, 3", SC11), bit-identical to
// philox4x32_R(10, ctr, key) of Random123 (checked against its known-answer
// vectors). One block is 128 bits: two 64-bit words, hence two uniforms or
// one Box-Muller pair of normals.
//
// # Keys and counters
//
// NewKey derives the 64-bit key from (seed, design point, replicate,
// purpose) with the SplitMix64 chain of sim.StreamSeed. At derives the
// counter from (tick, official, draw): word 0 is the low half of the draw
// index, word 1 the official, word 2 the tick and word 3 the high half of
// the draw index. A draw index counts blocks, not numbers: draw d of an
// official in a tick yields two uniforms or two normals.
//
// # Normals
//
// Two normal transforms. OfficialNormal, the officials kernel's, is a
// ziggurat with 1024 layers (Marsaglia and Tsang 2000, with Doornik's 2005
// correction: the layer, the uniform and the sign come from disjoint bits
// of one SplitMix64 word; see ziggurat.go): 98.5% of words give their
// normal by one table look-up, one product and one comparison; the rest
// take the wedge test or Marsaglia's exact tail algorithm (ZigguratFrom),
// so the tails are right as far as the tail algorithm's 53-bit uniforms
// reach (12.2 sigma: r plus the largest e with e^2 < -2 ln 2^-53). A
// vectorized kernel repeats the fast path lane by lane and calls the
// scalar ZigguratFrom for the lanes that fail it.
// The tables are generated constants (ziggurat_tables.go; the generator
// is in the tests, which check them). NormalPair, on Philox blocks, is
// Box-Muller on a 53-bit uniform in (0,1] for the radius and a 53-bit
// uniform in [0,1) for the angle: its largest magnitude is sqrt(-2 ln
// 2^-53) = 8.57. Its logarithm is fdlibm's (reduction to [sqrt(2)/2,
// sqrt(2)) and a minimax polynomial) and its sine and cosine reduce 2 pi v
// exactly to a quarter turn plus [-pi/4, pi/4] and sum Taylor series there
// (see log.go); the ziggurat's slow path uses the same logarithm.
//
// # Floating point
//
// The transforms use only IEEE basic arithmetic (+, -, *, /, sqrt),
// integer and bit operations and look-ups in constant tables, so a
// vectorized twin can reproduce them bit for bit. Every product that is
// added to something is wrapped in an explicit float64 conversion, which
// the Go specification says prevents fusing it into an FMA, so the results
// do not depend on GOAMD64 or the architecture (TestGolden pins them and
// passes with GOAMD64=v1 and v3; the amd64 v3 and arm64 builds of this
// package contain no fused multiply-add instruction). The officials kernel
// (package agents) has its own copy of Exp's method that does fuse, with
// FMAs at fixed places in every build (math.FMA in its scalar twin), so
// its bits do not depend on the build either; Exp here keeps the no-FMA
// form. In Box-Muller and
// Exp the data-dependent choices (the logarithm's mantissa range, the
// quadrant) are selects, not loops or rejections, so every lane does the
// same work; the ziggurat's one rejection branch is rare (0.43%) and its
// slow path is scalar in every build. Every integer-to-float conversion is
// exact (integers below 2^53), so a twin may convert by any method, such
// as the add-a-magic-constant trick where AVX2 has no 64-bit integer
// conversion. Exp is the fast exponential the kernel needs: range
// reduction and a degree-6 minimax polynomial, relative error 1.9e-9.
//
// # Concurrency
//
// The functions are pure and safe for concurrent use. A Stream is a value
// with state and is safe for one goroutine only; streams at different
// counters are independent and never need to be shared.
package philox
