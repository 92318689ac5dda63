//go:build goexperiment.simd && amd64

package agents

import "simd/archsimd"

// cutRange is CutDispositions' loop, at the kernel's vector width
// (vectorWidth).
func cutRange(disp []float64, loss float64) { cutAt(vectorWidth, disp, loss) }

// cutAt runs CutDispositions' loop at width w: 8, 4 or 1 (the tests run
// every width the machine has).
func cutAt(w int, disp []float64, loss float64) {
	switch w {
	case 8:
		cut8(disp, loss)
	case 4:
		cut4(disp, loss)
	default:
		cutScalar(disp, loss)
	}
}

// cut8 is cutScalar on 8 lanes (AVX-512): the same subtraction, then -1
// in the lanes whose result compares below -1 (an ordered compare, false
// for a NaN, which stays), so the same bits. It clears the vector
// registers' upper halves on exit, before scalar floating point runs
// again (see the kernel).
func cut8(disp []float64, loss float64) {
	l, floor := archsimd.BroadcastFloat64x8(loss), archsimd.BroadcastFloat64x8(-1)
	i := 0
	for ; i+8 <= len(disp); i += 8 {
		d := archsimd.LoadFloat64x8Slice(disp[i : i+8]).Sub(l)
		floor.Merge(d, d.Less(floor)).StoreSlice(disp[i : i+8])
	}
	if i < len(disp) {
		d := archsimd.LoadFloat64x8SlicePart(disp[i:]).Sub(l)
		floor.Merge(d, d.Less(floor)).StoreSlicePart(disp[i:])
	}
	archsimd.ClearAVXUpperBits()
}

// cut4 is cut8 on 4 lanes (AVX2).
func cut4(disp []float64, loss float64) {
	l, floor := archsimd.BroadcastFloat64x4(loss), archsimd.BroadcastFloat64x4(-1)
	i := 0
	for ; i+4 <= len(disp); i += 4 {
		d := archsimd.LoadFloat64x4Slice(disp[i : i+4]).Sub(l)
		floor.Merge(d, d.Less(floor)).StoreSlice(disp[i : i+4])
	}
	if i < len(disp) {
		d := archsimd.LoadFloat64x4SlicePart(disp[i:]).Sub(l)
		floor.Merge(d, d.Less(floor)).StoreSlicePart(disp[i:])
	}
	archsimd.ClearAVXUpperBits()
}
