//go:build goexperiment.simd && amd64

package agents

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"

	"github.com/entrench/entrench/philox"
)

// widths are the vector widths this machine can run.
func widths(t *testing.T) []int {
	var ws []int
	if archsimd.X86.AVX512() {
		ws = append(ws, 8)
	}
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		ws = append(ws, 4)
	}
	if len(ws) == 0 {
		t.Skip("no AVX2 with FMA: only the scalar twin runs here")
	}
	return ws
}

// TestKernelBitIdentical is the byte-identity test: the vectorized
// kernel, at every width the machine has (AVX-512 and AVX2), gives the
// scalar twin's bits for propensity, habit and disposition, on random
// populations and constants, on ranges that start and end on odd and even
// slots and are shorter and longer than a vector, with and without
// officials whose normal takes the ziggurat's slow path (the test counts
// them: more than a thousand), and on extreme inputs
// (logits beyond the exp clamp, dispositions at the confidence bound,
// zero noise, noise that reaches the normal's far tails).
func TestKernelBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 3))
	for _, w := range widths(t) {
		t.Run(widthName(w), func(t *testing.T) {
			officials, slow := 0, 0
			for trial := 0; trial < 20000; trial++ {
				n := 1 + rng.IntN(120)
				p, c := randomPopulation(rng, n)
				switch trial % 6 {
				case 1:
					c.base = []float64{-900, 900, -700, 700, 0}[rng.IntN(5)]
				case 2:
					c.sd = 0
				case 3:
					c.sd = 200 // every tail draw crosses the clamp
				case 4:
					// dispositions where line - d lands on the bound
					c.rev, c.bound = 0, 0.25
					for i := range p.Disp {
						p.Disp[i] = c.line - []float64{0.25, -0.25, 0.5, 0}[rng.IntN(4)]
					}
				case 5:
					c.x, c.gain, c.decay = 1, 1, 1
				}
				lo := rng.IntN(n)
				hi := lo + rng.IntN(n-lo+1)
				q := clonePopulation(p)
				rangeAt(w, p, &c, lo, hi)
				scalarRange(q, &c, lo, hi)
				assertSameBits(t, p, q, 0, n)
				officials += hi - lo
				for i := lo; i < hi; i++ {
					if _, ok := philox.ZigguratFast(philox.Word(c.noise, uint64(i))); !ok {
						slow++
					}
				}
			}
			t.Logf("%d officials compared bit for bit, %d of them on the slow path", officials, slow)
			if slow < 1000 {
				t.Errorf("only %d officials took the ziggurat's slow path", slow)
			}
		})
	}
}

// TestUpdateOfficialsBuilds checks UpdateOfficials (this build's kernel)
// against UpdateOfficialsScalar on a whole organization, aggregates
// included.
func TestUpdateOfficialsBuilds(t *testing.T) {
	widths(t)
	rng := rand.New(rand.NewPCG(14, 4))
	k := &Params{WDisposition: 2, WHabit: 1.5, NoiseSD: 0.6, HabitGain: 0.1, HabitDecay: 0.02,
		Socialization: 0.05, ConfidenceBound: 0.8, DispositionReversion: 0.01, StakeHalf: 1, ResistMax: 0.8}
	p, _ := randomPopulation(rng, 203)
	o := &Org{RankLo: []int{3, 150, 190}, RankHi: []int{150, 190, 203}, RankWeight: []float64{1, 2, 4},
		WeightSum: 147 + 80 + 52, Engagement: 0.7, DispMean: 0.1, Line: 0.6}
	q, oq := clonePopulation(p), *o
	for tick := uint64(0); tick < 24; tick++ {
		UpdateOfficials(p, o, 0.1, k, tick*7919)
		UpdateOfficialsScalar(q, &oq, 0.1, k, tick*7919)
	}
	assertSameBits(t, p, q, 0, 203)
	if o.Stance != oq.Stance || o.HabitMean != oq.HabitMean || o.Line != oq.Line || o.Resistance != oq.Resistance {
		t.Errorf("aggregates differ: %+v against %+v", *o, oq)
	}
}

// BenchmarkWidths reports ns per official-update of the kernel alone (no
// aggregates) at each width: AVX-512, AVX2 and the scalar twin, over the
// baseline's 17 organizations of 58 officials.
func BenchmarkWidths(b *testing.B) {
	for _, w := range []int{8, 4, 1} {
		if (w == 8 && !archsimd.X86.AVX512()) || (w == 4 && !(archsimd.X86.AVX2() && archsimd.X86.FMA())) {
			continue
		}
		b.Run(widthName(w), func(b *testing.B) {
			p, orgs, _ := benchOrgs()
			c := kernelConsts{base: 0.1, wd: 2, wh: 1.5, sd: 0.6, x: 0.6, gain: 0.1, decay: 0.02,
				rev: 0.01, home: 0.1, line: 0.2, bound: 0.8, soc: 0.05}
			for t := 0; b.Loop(); t++ {
				c.noise = uint64(t)
				for i := range orgs {
					lo, hi := orgs[i].Slots()
					rangeAt(w, p, &c, lo, hi)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(p.Disp)), "ns/official")
		})
	}
}

// TestZigLanes holds the vector kernels' fast path (zig8, zig4) to
// philox.ZigguratFast lane by lane: the normal's bits where the word is
// on the fast path and the lane's fast-path bit everywhere, on random
// words and on words made to fall in every layer at the fast path's
// bound, one step either side of it and at the ends of u, with both
// signs.
func TestZigLanes(t *testing.T) {
	ws := widths(t)
	rng := rand.New(rand.NewPCG(14, 8))
	_, bounds := philox.ZigguratTables()
	var words []uint64
	for j := range philox.ZigguratLayers {
		b := uint64(math.Ceil(bounds[j] * (1 << 52)))
		for _, f := range []uint64{b - 1, b, b + 1, 0, 1<<52 - 1} {
			for _, s := range []uint64{0, 1 << 63} {
				words = append(words, s|(f&(1<<52-1))<<11|uint64(j))
			}
		}
	}
	for range 100000 {
		words = append(words, rng.Uint64())
	}
	for len(words)%8 != 0 {
		words = append(words, rng.Uint64())
	}
	slow := 0
	for _, w := range ws {
		for b := 0; b < len(words); b += w {
			var z [8]float64
			var ok uint8
			switch w {
			case 8:
				var buf [8]uint64
				v, k := zig8(archsimd.LoadUint64x8((*[8]uint64)(words[b:b+8])), &buf)
				v.Store(&z)
				ok = k
			case 4:
				var buf [4]uint64
				v, k := zig4(archsimd.LoadUint64x4((*[4]uint64)(words[b:b+4])), &buf)
				v.Store((*[4]float64)(z[:4]))
				ok = k
			}
			archsimd.ClearAVXUpperBits()
			for l := range w {
				zp, okp := philox.ZigguratFast(words[b+l])
				if okp != (ok>>l&1 != 0) || (okp && math.Float64bits(zp) != math.Float64bits(z[l])) {
					t.Fatalf("%s lane %d, word %x: %v (fast %v), philox %v (fast %v)", widthName(w), l, words[b+l], z[l], ok>>l&1, zp, okp)
				}
				if !okp {
					slow++
				}
			}
		}
	}
	if slow < 2000 {
		t.Errorf("only %d words off the fast path", slow)
	}
}
