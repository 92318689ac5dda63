package philox

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The benchmarks report ns per number drawn ("ns/draw": one uniform, one
// normal, one exp), next to the references the kernel replaces: math/rand/v2
// PCG with its ziggurat NormFloat64, and math.Exp.

var sinkF float64
var sinkU uint64

func perDraw(b *testing.B, perOp int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(perOp), "ns/draw")
}

func BenchmarkBlock64(b *testing.B) {
	b.ReportAllocs()
	k := NewKey(1, 2, 3, 4)
	var acc uint64
	for i := 0; b.Loop(); i++ {
		x, y := Block64(k, At(1, uint32(i), 0))
		acc += x ^ y
	}
	sinkU = acc
	perDraw(b, 2) // two 64-bit words per block
}

func BenchmarkUniforms(b *testing.B) {
	b.ReportAllocs()
	k := NewKey(1, 2, 3, 4)
	var acc float64
	for i := 0; b.Loop(); i++ {
		u, v := Uniforms(k, At(1, uint32(i), 0))
		acc += u + v
	}
	sinkF = acc
	perDraw(b, 2)
}

func BenchmarkNormalPair(b *testing.B) {
	b.ReportAllocs()
	k := NewKey(1, 2, 3, 4)
	var acc float64
	for i := 0; b.Loop(); i++ {
		z0, z1 := NormalPair(k, At(1, uint32(i), 0))
		acc += z0 + z1
	}
	sinkF = acc
	perDraw(b, 2)
}

func BenchmarkNormal(b *testing.B) {
	b.ReportAllocs()
	k := NewKey(1, 2, 3, 4)
	var acc float64
	for i := 0; b.Loop(); i++ {
		acc += Normal(k, At(1, uint32(i), 0))
	}
	sinkF = acc
	perDraw(b, 1)
}

// BenchmarkBoxMuller is the transform alone, on bits already drawn.
func BenchmarkBoxMuller(b *testing.B) {
	b.ReportAllocs()
	var acc float64
	x := uint64(0x9e3779b97f4a7c15)
	for b.Loop() {
		x += 0x9e3779b97f4a7c15
		z0, z1 := BoxMuller(x, x*0xbf58476d1ce4e5b9)
		acc += z0 + z1
	}
	sinkF = acc
	perDraw(b, 2)
}

func BenchmarkStreamUint64(b *testing.B) {
	b.ReportAllocs()
	s := NewStream(NewKey(1, 2, 3, 4), 0, 0)
	var acc uint64
	for b.Loop() {
		acc += s.Uint64()
	}
	sinkU = acc
	perDraw(b, 1)
}

func BenchmarkExp(b *testing.B) {
	b.ReportAllocs()
	var acc float64
	x := -20.0
	for b.Loop() {
		acc += Exp(x)
		if x += 0.001; x > 20 {
			x = -20
		}
	}
	sinkF = acc
	perDraw(b, 1)
}

func BenchmarkRefPCGFloat64(b *testing.B) {
	b.ReportAllocs()
	r := rand.New(rand.NewPCG(1, 2))
	var acc float64
	for b.Loop() {
		acc += r.Float64()
	}
	sinkF = acc
	perDraw(b, 1)
}

func BenchmarkRefPCGNormFloat64(b *testing.B) {
	b.ReportAllocs()
	r := rand.New(rand.NewPCG(1, 2))
	var acc float64
	for b.Loop() {
		acc += r.NormFloat64()
	}
	sinkF = acc
	perDraw(b, 1)
}

func BenchmarkRefMathExp(b *testing.B) {
	b.ReportAllocs()
	var acc float64
	x := -20.0
	for b.Loop() {
		acc += math.Exp(x)
		if x += 0.001; x > 20 {
			x = -20
		}
	}
	sinkF = acc
	perDraw(b, 1)
}

func BenchmarkBlock64x2(b *testing.B) {
	b.ReportAllocs()
	k := NewKey(1, 2, 3, 4)
	var acc uint64
	for i := 0; b.Loop(); i++ {
		a0, a1, b0, b1 := Block64x2(k, At(1, uint32(2*i), 0), At(1, uint32(2*i+1), 0))
		acc += a0 ^ a1 ^ b0 ^ b1
	}
	sinkU = acc
	perDraw(b, 4)
}

func BenchmarkWord(b *testing.B) {
	b.ReportAllocs()
	tk := TickKey(NewKey(1, 2, 3, 4), 5)
	var acc uint64
	for i := uint64(0); b.Loop(); i++ {
		acc += Word(tk, i)
	}
	sinkU = acc
	perDraw(b, 1)
}

// BenchmarkOfficialNormal is the kernel's normal: a SplitMix64 word and
// the ziggurat (its slow path 0.43% of the time), per normal.
func BenchmarkOfficialNormal(b *testing.B) {
	b.ReportAllocs()
	tk := TickKey(NewKey(1, 2, 3, 4), 5)
	var acc float64
	for i := uint32(0); b.Loop(); i++ {
		acc += OfficialNormal(tk, i, 0)
	}
	sinkF = acc
	perDraw(b, 1)
}
