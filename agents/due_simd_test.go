//go:build goexperiment.simd && amd64

package agents

import "testing"

// TestDueScanWidths runs turnover's scan at every width this machine
// has against the plain loop (dueCases), and checks that it reads
// nothing past its slice (a due official just past it changes nothing).
func TestDueScanWidths(t *testing.T) {
	for _, w := range widths(t) {
		dueCases(func(retire []int32, now int32) {
			buf := append(append([]int32(nil), retire...), make([]int32, 16)...)
			for i := len(retire); i < len(buf); i++ {
				buf[i] = min(now, 0) // due, past the end
			}
			gi, gm := dueScanAt(w, buf[:len(retire)], now)
			wi, wm := dueScanRef(retire, now)
			if gi != wi || gm != wm {
				t.Fatalf("width %d, %d officials, now %d: (%d, %d), want (%d, %d)", w, len(retire), now, gi, gm, wi, wm)
			}
		})
	}
}
