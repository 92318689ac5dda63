package philox

import (
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// TestExp checks Exp against math.Exp over a dense grid of |x| < 20 (step
// 2^-12, 327,680 points, including every multiple of ln2/2 where the
// reduction switches) and 10^6 random points: relative error at most
// 2.5e-9 (the polynomial's own is 1.8558e-9; math.Exp is within 1 ulp).
func TestExp(t *testing.T) {
	const tol = 2.5e-9
	worst, at := 0.0, 0.0
	check := func(x float64) {
		want := math.Exp(x)
		if e := math.Abs(Exp(x)-want) / want; e > worst {
			worst, at = e, x
		}
	}
	for i := -20 << 12; i < 20<<12; i++ {
		check(float64(i) * 0x1p-12)
	}
	for i := -40; i <= 40; i++ {
		h := float64(i) * math.Ln2 / 2
		check(math.Nextafter(h, -1))
		check(h)
		check(math.Nextafter(h, 1))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1e6; i++ {
		check(40*r.Float64() - 20)
	}
	t.Logf("worst relative error %.4g at x = %v", worst, at)
	if worst > tol {
		t.Errorf("Exp relative error %.4g at x = %v, want <= %g", worst, at, tol)
	}
	// The clamp keeps extreme arguments finite and ordered.
	for _, tc := range []struct{ x, want float64 }{
		{800, Exp(700)}, {math.Inf(1), Exp(700)}, {-800, Exp(-700)}, {math.Inf(-1), Exp(-700)},
	} {
		if g := Exp(tc.x); g != tc.want || math.IsInf(g, 0) || g == 0 {
			t.Errorf("Exp(%v) = %v, want %v (clamped, finite, positive)", tc.x, g, tc.want)
		}
	}
	if g := Exp(math.NaN()); !math.IsNaN(g) {
		t.Errorf("Exp(NaN) = %v, want NaN", g)
	}
}

// TestLog checks logPos against math.Log on every value uniformPos can
// give near 0 (k 2^-53 for k < 2^16), at powers of two and their
// neighbours, and at 10^6 random 53-bit grid points: within 1 ulp of the
// result (both are fdlibm's method; they can differ in the last bit where
// math.Log fuses or rounds differently).
func TestLog(t *testing.T) {
	check := func(x float64) {
		t.Helper()
		got, want := logPos(x), math.Log(x)
		if got != want && math.Abs(got-want) > ulp(want) {
			t.Fatalf("logPos(%v) = %v, math.Log = %v (%.3g ulp)", x, got, want, math.Abs(got-want)/ulp(want))
		}
	}
	for k := 1; k < 1<<16; k++ {
		check(float64(k) * 0x1p-53)
	}
	for e := -60; e <= 60; e++ {
		x := math.Ldexp(1, e)
		check(math.Nextafter(x, 0))
		check(x)
		check(math.Nextafter(x, 2*x))
		check(x * math.Sqrt2)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1e6; i++ {
		check(uniformPos(r.Uint64()))
	}
	if logPos(1) != 0 {
		t.Errorf("logPos(1) = %v, want 0", logPos(1))
	}
}

// TestSinCos2Pi checks sinCos2Pi against math.Sincos at the quadrant and
// octant boundaries and 10^6 random 53-bit uniforms. The reference angle is
// 2 pi w with w = v - round(v) in [-1/2, 1/2] (exact), rounded once, which
// moves it by up to pi 2^-53 = 3.5e-16; with 1 ulp (1.1e-16) for each side
// the bound is 6e-16 absolute. sin^2 + cos^2 is within 8e-16 of 1 (two
// 1-ulp errors times |s| + |c| <= sqrt 2, plus three roundings).
func TestSinCos2Pi(t *testing.T) {
	const tol = 6e-16
	check := func(v float64) {
		t.Helper()
		s, c := sinCos2Pi(v)
		ws, wc := math.Sincos(2 * math.Pi * (v - math.Round(v)))
		if math.Abs(s-ws) > tol || math.Abs(c-wc) > tol {
			t.Fatalf("sinCos2Pi(%v) = %v, %v; want %v, %v", v, s, c, ws, wc)
		}
		if n := s*s + c*c; math.Abs(n-1) > 8e-16 {
			t.Fatalf("sinCos2Pi(%v): sin^2+cos^2 = %v", v, n)
		}
	}
	for i := 0; i < 16; i++ {
		v := float64(i) / 16
		check(v)
		check(math.Nextafter(v, 1))
		if v > 0 {
			check(math.Nextafter(v, 0))
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 1e6; i++ {
		check(Uniform53(r.Uint64()))
	}
	// Exact values at quarter turns.
	for _, tc := range []struct{ v, s, c float64 }{{0, 0, 1}, {0.25, 1, 0}, {0.5, 0, -1}, {0.75, -1, 0}} {
		if s, c := sinCos2Pi(tc.v); s != tc.s || c != tc.c {
			t.Errorf("sinCos2Pi(%v) = %v, %v; want %v, %v", tc.v, s, c, tc.s, tc.c)
		}
	}
}

func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

// TestUniformRanges checks the end points of the three uniform maps and
// of the normal's radius.
func TestUniformRanges(t *testing.T) {
	const max = ^uint64(0)
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"Uniform53(0)", Uniform53(0), 0},
		{"Uniform53(max)", Uniform53(max), 1 - 0x1p-53},
		{"UniformOpen(0)", UniformOpen(0), 0x1p-53},
		{"UniformOpen(max)", UniformOpen(max), 1 - 0x1p-53},
		{"uniformPos(0)", uniformPos(0), 0x1p-53},
		{"uniformPos(max)", uniformPos(max), 1},
		{"largest normal", func() float64 { z, _ := BoxMuller(0, 0); return z }(), math.Sqrt(-2 * math.Log(0x1p-53))},
		{"radius 0", func() float64 { z, _ := BoxMuller(max, 0); return z }(), 0},
	} {
		if math.Abs(tc.got-tc.want) > 1e-15*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	// UniformOpen is symmetric: u(x) + u(^x) = 1 exactly.
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 1000; i++ {
		x := r.Uint64()
		if s := UniformOpen(x) + UniformOpen(^x); s != 1 {
			t.Fatalf("UniformOpen(%x) + UniformOpen(^x) = %v, want 1", x, s)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the golden hash in TestGolden's failure message")

// TestGolden pins the exact bits of 4096 normals, uniforms and Exp values,
// so a change of arithmetic (a product fused into an FMA by GOAMD64=v3 or
// on arm64, a reordered sum) cannot pass silently. Do NOT change the
// golden hash to make this test pass: a difference means results differ
// between builds, which the vectorized kernel's bit-identity relies on.
// Run it under GOAMD64=v1 and v3 (and on arm64) to check.
func TestGolden(t *testing.T) {
	const golden = "64a31da6cdf4889b"
	h := fnv.New64a()
	k := NewKey(20260101, 3, 17, 2)
	var buf [8]byte
	put := func(x float64) {
		b := math.Float64bits(x)
		for i := range buf {
			buf[i] = byte(b >> (8 * i))
		}
		h.Write(buf[:])
	}
	for i := uint32(0); i < 4096; i++ {
		z0, z1 := NormalPair(k, At(i/64, i%64, uint64(i)))
		u0, u1 := Uniforms(k, At(i/64, i%64, uint64(i)+1<<40))
		put(z0)
		put(z1)
		put(u0)
		put(u1)
		put(Exp(40*u0 - 20))
		put(UniformOpen(uint64(i) * 0x9e3779b97f4a7c15))
	}
	got := fmt.Sprintf("%016x", h.Sum64())
	if got != golden {
		if *update {
			t.Logf("golden hash is %s", got)
		}
		t.Errorf("hash of draws = %s, want %s (see the comment: do not just update it)", got, golden)
	}
}
