//go:build goexperiment.simd && amd64

package agents

import (
	"math"
	"simd/archsimd"

	"github.com/entrench/entrench/philox"
)

// vectorWidth is the kernel's: 8 (AVX-512: avx512f, dq, bw and vl, which
// include the fused multiply-add), 4 (AVX2 with FMA) or 1 (the scalar
// twin), chosen once from the CPU's features.
var vectorWidth = func() int {
	switch {
	case archsimd.X86.AVX512():
		initConsts8()
		initConsts4()
		return 8
	case archsimd.X86.AVX2() && archsimd.X86.FMA():
		initConsts4()
		return 4
	}
	return 1
}()

// zigWK holds the bits of philox's ziggurat tables (philox.ZigguratTables:
// the widths and the fast path's bounds) side by side, so that a vector
// kernel loads both of a lane's entries with one 128-bit load.
var zigWK = func() (t [philox.ZigguratLayers][2]uint64) {
	w, k := philox.ZigguratTables()
	for j := range t {
		t[j] = [2]uint64{math.Float64bits(w[j]), math.Float64bits(k[j])}
	}
	return t
}()

func kernelName() string { return widthName(vectorWidth) }

func widthName(w int) string {
	switch w {
	case 8:
		return "avx512"
	case 4:
		return "avx2"
	}
	return "scalar"
}

// updateRange runs the kernel on slots lo..hi-1 at the machine's width.
func updateRange(p *Population, c *kernelConsts, lo, hi int) { rangeAt(vectorWidth, p, c, lo, hi) }

// rangeAt runs the kernel at width w (the tests run every width the
// machine has).
func rangeAt(w int, p *Population, c *kernelConsts, lo, hi int) {
	switch w {
	case 8:
		range8(p, c, lo, hi)
	case 4:
		range4(p, c, lo, hi)
	default:
		scalarRange(p, c, lo, hi)
	}
}
