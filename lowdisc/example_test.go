package lowdisc_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/entrench/entrench/lowdisc"
)

// The first points of the plain two-dimensional sequence, as
// scipy.stats.qmc.Sobol(2, scramble=False) gives them.
func ExampleNewSobol() {
	s, err := lowdisc.NewSobol(2, lowdisc.Unscrambled, nil)
	if err != nil {
		panic(err)
	}
	it := s.Iter(0)
	for range 4 {
		p, _ := it.Next(nil)
		fmt.Println(p)
	}
	// Output:
	// [0 0]
	// [0.5 0.5]
	// [0.75 0.25]
	// [0.25 0.75]
}

// A scrambled design grows without changing its first points: the first
// four points of an eight-point design are the four-point design.
func ExampleSequence_Point() {
	s, _ := lowdisc.NewSobol(3, lowdisc.Owen, rand.New(rand.NewPCG(2026, 13)))
	four, _ := s.Points(0, 4)
	eight, _ := s.Points(0, 8)
	fmt.Println(fmt.Sprint(four) == fmt.Sprint(eight[:4]))
	fmt.Println(fmt.Sprint(s.Point(6, nil)) == fmt.Sprint(eight[6]))
	// Output:
	// true
	// true
}
