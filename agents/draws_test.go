package agents_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/entrench/entrench/agents"
)

// drawNs are the bounds TestDrawsMatchRand gives IntN: 1, every power of
// two, small and large others (near 2^63 most draws of Lemire's method
// are rejected and drawn again).
func drawNs() []int {
	ns := []int{1, 3, 5, 6, 7, 10, 12, 100, 245, 1000, 1 << 20 * 3, 1e9 + 7,
		1<<62 + 1, 3 << 61, math.MaxInt64 - 1, math.MaxInt64}
	for s := 1; s < 63; s++ {
		ns = append(ns, 1<<s)
	}
	return ns
}

// TestDrawsMatchRand: Draws gives the numbers rand.Rand gives from the
// same source, 10^6 of each kind and 10^6 mixed, through the PCG (the
// engine's) and through a rand.Rand, and leaves the source where
// rand.Rand leaves it.
func TestDrawsMatchRand(t *testing.T) {
	const n = 1_000_000
	ns := drawNs()
	for _, via := range []string{"pcg", "rand"} {
		for seed := uint64(1); seed <= 2; seed++ {
			src := rand.NewPCG(seed, 99)
			d := agents.PCGDraws(src)
			if via == "rand" {
				d = agents.RandDraws(rand.New(src))
			}
			ref := rand.New(rand.NewPCG(seed, 99))
			var tails, multi int
			for i := range n {
				if got, want := d.Float64(), ref.Float64(); got != want {
					t.Fatalf("%s seed %d: Float64 #%d = %v, want %v", via, seed, i, got, want)
				}
			}
			for i := range n {
				k := ns[i%len(ns)]
				if got, want := d.IntN(k), ref.IntN(k); got != want {
					t.Fatalf("%s seed %d: IntN(%d) #%d = %d, want %d", via, seed, k, i, got, want)
				}
			}
			for i := range n {
				// The draws a normal takes: 1 in the strips, more in the
				// wedges and the tail.
				before := *src
				got, want := d.NormFloat64(), ref.NormFloat64()
				if got != want {
					t.Fatalf("%s seed %d: NormFloat64 #%d = %v, want %v", via, seed, i, got, want)
				}
				if math.Abs(got) > 3.442619855899 {
					tails++
				}
				if before.Uint64(); before != *src {
					multi++ // a wedge test, or the tail
				}
			}
			for i := range n {
				var got, want float64
				switch k := ns[i%len(ns)]; i % 3 {
				case 0:
					got, want = d.NormFloat64(), ref.NormFloat64()
				case 1:
					got, want = float64(d.IntN(k)), float64(ref.IntN(k))
				default:
					got, want = d.Float64(), ref.Float64()
				}
				if got != want {
					t.Fatalf("%s seed %d: mixed draw #%d = %v, want %v", via, seed, i, got, want)
				}
			}
			if got, want := d.Uint64(), ref.Uint64(); got != want {
				t.Errorf("%s seed %d: the source after the draws gives %#x, want %#x", via, seed, got, want)
			}
			// About 5.8e-4 of normals fall in the tail and about 1% take
			// more than one Uint64: the test reaches both branches.
			if tails < 100 || multi < 1000 {
				t.Errorf("%s seed %d: %d tail normals and %d of more than one draw in %d: the test misses a branch", via, seed, tails, multi, n)
			}
		}
	}
}

// TestDrawsIntNPanics: IntN rejects bounds below 1, as rand.Rand's does.
func TestDrawsIntNPanics(t *testing.T) {
	for _, n := range []int{0, -1, math.MinInt} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("IntN(%d) did not panic", n)
				}
			}()
			agents.PCGDraws(rand.NewPCG(1, 2)).IntN(n)
		}()
	}
}
