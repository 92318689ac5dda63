//go:build goexperiment.simd && amd64

package agents

import (
	"math"
	"simd/archsimd"
)

// dueScan is dueScanScalar at the kernel's vector width (vectorWidth):
// 16 RetireAt at a time with AVX-512, 8 with AVX2.
func dueScan(retire []int32, now int32) (int, int32) { return dueScanAt(vectorWidth, retire, now) }

// dueScanAt runs dueScan at the width of the kernel's w: 8 (16 lanes of
// int32), 4 (8 lanes) or 1 (dueScanScalar); the tests run every width
// the machine has.
func dueScanAt(w int, retire []int32, now int32) (int, int32) {
	switch w {
	case 8:
		return dueScan16(retire, now)
	case 4:
		return dueScan8(retire, now)
	default:
		return dueScanScalar(retire, now)
	}
}

// dueScan16 is dueScanScalar on 16 lanes (AVX-512): whole vectors while
// every lane is after now, their lane-wise minimum reduced at the end,
// then one by one. Integers only, so the same results; it clears the
// vector registers' upper halves before turnover's scalar floating point
// runs again (see the kernel).
func dueScan16(retire []int32, now int32) (int, int32) {
	nv := archsimd.BroadcastInt32x16(now)
	mv := archsimd.BroadcastInt32x16(math.MaxInt32)
	i := 0
	for ; i+16 <= len(retire); i += 16 {
		v := archsimd.LoadInt32x16Slice(retire[i : i+16])
		if v.Greater(nv).ToBits() != 0xFFFF {
			break
		}
		mv = mv.Min(v)
	}
	m8 := mv.GetLo().Min(mv.GetHi())
	m4 := m8.GetLo().Min(m8.GetHi())
	m := min(min(m4.GetElem(0), m4.GetElem(1)), min(m4.GetElem(2), m4.GetElem(3)))
	archsimd.ClearAVXUpperBits()
	for i < len(retire) && retire[i] > now {
		m = min(m, retire[i])
		i++
	}
	return i, m
}

// dueScan8 is dueScan16 on 8 lanes (AVX2).
func dueScan8(retire []int32, now int32) (int, int32) {
	nv := archsimd.BroadcastInt32x8(now)
	mv := archsimd.BroadcastInt32x8(math.MaxInt32)
	i := 0
	for ; i+8 <= len(retire); i += 8 {
		v := archsimd.LoadInt32x8Slice(retire[i : i+8])
		if v.Greater(nv).ToBits() != 0xFF {
			break
		}
		mv = mv.Min(v)
	}
	m4 := mv.GetLo().Min(mv.GetHi())
	m := min(min(m4.GetElem(0), m4.GetElem(1)), min(m4.GetElem(2), m4.GetElem(3)))
	archsimd.ClearAVXUpperBits()
	for i < len(retire) && retire[i] > now {
		m = min(m, retire[i])
		i++
	}
	return i, m
}
