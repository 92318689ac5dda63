package prim_test

import (
	"fmt"

	"github.com/entrench/entrench/prim"
)

// Cases on a 20 x 20 grid of two levers; the outcome of interest happens
// when both are high. PRIM finds the region and says that both
// restrictions matter.
func ExampleFind() {
	factors := []prim.Factor{{Name: "subsidy"}, {Name: "audits", Kind: prim.Integer}}
	var x [][]float64
	var y []bool
	for i := range 20 {
		for a := range 20 {
			subsidy := (float64(i) + 0.5) / 20
			x = append(x, []float64{subsidy, float64(a)})
			y = append(y, subsidy > 0.6 && a >= 10)
		}
	}
	r, err := prim.Find(factors, x, y, prim.Settings{Threshold: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	b := r.Box()
	fmt.Printf("step %d of %d: coverage %.2f, density %.2f, mass %.2f\n", r.Chosen, len(r.Steps), b.Coverage, b.Density, b.Mass)
	for _, j := range b.Restricted {
		fmt.Printf("%s in [%g, %g], quasi-p %.1e\n", factors[j].Name, b.Limits[j].Min, b.Limits[j].Max, b.QuasiP[j])
	}
	// Output:
	// step 22 of 23: coverage 1.00, density 1.00, mass 0.20
	// subsidy in [0.625, 0.975], quasi-p 1.5e-32
	// audits in [10, 19], quasi-p 8.3e-25
}
