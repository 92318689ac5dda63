//go:build goexperiment.simd && amd64

package agents

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestCutWidths runs CutDispositions' loop at every width this machine
// has, on slices of 0 to 40 dispositions (whole vectors and every tail)
// with random values, values at and around the floor, NaNs and signed
// zeros, against max(-1, d-loss) bit for bit, and checks that it writes
// nothing past the slice.
func TestCutWidths(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	special := []float64{-1, -0.75, math.Nextafter(-0.75, 0), math.Nextafter(-0.75, -1), 0, math.Copysign(0, -1), 0.25, math.NaN(), math.Inf(-1), 1}
	for _, w := range widths(t) {
		for n := range 41 {
			for _, loss := range []float64{0.25, 0, math.Copysign(0, -1)} {
				buf := make([]float64, n+8)
				for i := range buf {
					if rng.IntN(3) == 0 {
						buf[i] = special[rng.IntN(len(special))]
					} else {
						buf[i] = 2*rng.Float64() - 1
					}
				}
				want := make([]float64, len(buf))
				copy(want, buf)
				for i := range n {
					want[i] = max(-1, want[i]-loss)
				}
				cutAt(w, buf[:n], loss)
				for i := range buf {
					if math.Float64bits(buf[i]) != math.Float64bits(want[i]) && !(math.IsNaN(buf[i]) && math.IsNaN(want[i])) {
						t.Fatalf("width %d, %d dispositions, loss %v: slot %d = %v, want %v", w, n, loss, i, buf[i], want[i])
					}
				}
			}
		}
	}
}
