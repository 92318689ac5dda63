package philox_test

import (
	"fmt"

	"github.com/entrench/entrench/philox"
)

// Every draw is addressed, not sequenced: official 17's second draw in tick
// 3 of replicate 5 is the same whichever worker computes it and whatever
// was drawn before.
func Example() {
	key := philox.NewKey(20260101, 0, 5, 2) // seed, design point, replicate, purpose
	z0, z1 := philox.NormalPair(key, philox.At(3, 17, 1))
	again, _ := philox.NormalPair(key, philox.At(3, 17, 1))
	fmt.Println(z0 == again, z0 != z1)
	// Output: true true
}
