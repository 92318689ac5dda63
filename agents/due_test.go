package agents

import (
	"math"
	"math/rand/v2"
	"testing"
)

// dueScanRef is dueScan written plainly: the first index due at now, and
// the least RetireAt before it.
func dueScanRef(retire []int32, now int32) (int, int32) {
	m := int32(math.MaxInt32)
	for i, x := range retire {
		if x <= now {
			return i, m
		}
		m = min(m, x)
	}
	return len(retire), m
}

// dueCases calls f with RetireAt slices of 0 to 70 officials (whole
// vectors of 8 and 16 and every tail) and ticks now: nobody due, one due
// at each position (at now exactly or before), several due, values at
// the int32 extremes.
func dueCases(f func(retire []int32, now int32)) {
	rng := rand.New(rand.NewPCG(14, 3))
	for n := range 71 {
		for trial := range 12 {
			now := int32(100 + rng.IntN(50))
			retire := make([]int32, n)
			for i := range retire {
				retire[i] = now + 1 + int32(rng.IntN(300))
			}
			switch trial {
			case 0: // nobody due
			case 1, 2, 3: // one due, at now or long before
				if n > 0 {
					retire[rng.IntN(n)] = now - int32(rng.IntN(2))*now
				}
			case 4: // the extremes
				for i := range retire {
					if rng.IntN(4) == 0 {
						retire[i] = math.MaxInt32
					}
				}
				if n > 0 && rng.IntN(2) == 0 {
					retire[rng.IntN(n)] = math.MinInt32
				}
			case 5: // everyone due
				for i := range retire {
					retire[i] = now - int32(rng.IntN(5))
				}
			case 6: // a tick at the int32 extremes
				now = []int32{math.MinInt32, math.MaxInt32}[rng.IntN(2)]
			default: // several due
				for range 1 + rng.IntN(3) {
					if n > 0 {
						retire[rng.IntN(n)] = now - int32(rng.IntN(3))
					}
				}
			}
			f(retire, now)
		}
	}
}

// TestDueScanScalar: the scalar scan finds the first official due and
// the least RetireAt before it, as the plain loop does.
func TestDueScanScalar(t *testing.T) {
	dueCases(func(retire []int32, now int32) {
		gi, gm := dueScanScalar(retire, now)
		wi, wm := dueScanRef(retire, now)
		if gi != wi || gm != wm {
			t.Fatalf("%d officials, now %d: (%d, %d), want (%d, %d)", len(retire), now, gi, gm, wi, wm)
		}
	})
}
