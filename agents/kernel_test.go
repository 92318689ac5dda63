package agents

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/entrench/entrench/philox"
)

// randomPopulation returns n officials with dispositions in -1..1 and
// habits in 0..1 drawn from rng, and random kernel constants in the
// ranges the scenarios allow (noise up to 1.5, rates up to 0.5).
func randomPopulation(rng *rand.Rand, n int) (*Population, kernelConsts) {
	p := &Population{}
	p.Resize(n)
	for i := 0; i < n; i++ {
		p.Disp[i] = 2*rng.Float64() - 1
		p.Habit[i] = rng.Float64()
		p.Prop[i] = rng.Float64()
	}
	c := kernelConsts{
		base: 4*rng.Float64() - 2, wd: 3 * rng.Float64(), wh: 3 * rng.Float64(), sd: 1.5 * rng.Float64(),
		x: rng.Float64(), gain: 0.5 * rng.Float64(), decay: 0.5 * rng.Float64(),
		rev: 0.1 * rng.Float64(), home: 2*rng.Float64() - 1,
		line: 2*rng.Float64() - 1, bound: 2 * rng.Float64(), soc: 0.5 * rng.Float64(),
		noise: rng.Uint64(),
	}
	c.derive()
	return p, c
}

func clonePopulation(p *Population) *Population {
	q := &Population{}
	q.Resize(len(p.Disp))
	copy(q.Disp, p.Disp)
	copy(q.Habit, p.Habit)
	copy(q.Prop, p.Prop)
	return q
}

// TestKernelRule checks the scalar twin against the rule written out
// plainly with the documented noise (philox.OfficialNormal), official by
// official: within 1e-8 (the plain form takes math.Exp where the kernel
// takes philox's, relative error 2.5e-9, and may group sums differently).
func TestKernelRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	for trial := 0; trial < 50; trial++ {
		p, c := randomPopulation(rng, 37)
		q := clonePopulation(p)
		scalarRange(p, &c, 3, 37)
		for i := 3; i < 37; i++ {
			z := philox.OfficialNormal(c.noise, uint32(i), 0)
			d, h := q.Disp[i], q.Habit[i]
			pr := 1 / (1 + math.Exp(-(c.base + c.wd*d + c.wh*h + c.sd*z)))
			s := pr * c.x
			h += c.gain*s*(1-h) - c.decay*(1-s)*h
			d += c.rev * (c.home - d)
			if diff := c.line - d; math.Abs(diff) < c.bound {
				d += c.soc * diff
			}
			for _, v := range [][2]float64{{p.Prop[i], pr}, {p.Habit[i], h}, {p.Disp[i], d}} {
				if math.Abs(v[0]-v[1]) > 1e-8 {
					t.Fatalf("trial %d official %d: kernel %v, plain rule %v", trial, i, v[0], v[1])
				}
			}
		}
		for i := 0; i < 3; i++ {
			if p.Disp[i] != q.Disp[i] || p.Habit[i] != q.Habit[i] || p.Prop[i] != q.Prop[i] {
				t.Fatalf("official %d outside the range was changed", i)
			}
		}
	}
}

// TestKernelSplitAnywhere checks that the result does not depend on where
// a range is cut (organization and rank boundaries fall on odd slots):
// the same bits whole or in pieces, in any order.
func TestKernelSplitAnywhere(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2))
	for trial := 0; trial < 50; trial++ {
		p, c := randomPopulation(rng, 61)
		q := clonePopulation(p)
		scalarRange(p, &c, 0, 61)
		cuts := []int{0, 1 + rng.IntN(20), 21 + rng.IntN(20), 41 + rng.IntN(19), 61}
		for k := len(cuts) - 2; k >= 0; k-- {
			scalarRange(q, &c, cuts[k], cuts[k+1])
		}
		assertSameBits(t, p, q, 0, 61)
	}
}

func assertSameBits(t *testing.T, p, q *Population, lo, hi int) {
	t.Helper()
	for i := lo; i < hi; i++ {
		for _, v := range [][2]float64{{p.Prop[i], q.Prop[i]}, {p.Habit[i], q.Habit[i]}, {p.Disp[i], q.Disp[i]}} {
			if math.Float64bits(v[0]) != math.Float64bits(v[1]) {
				t.Fatalf("official %d: %v (%016x) against %v (%016x)", i, v[0], math.Float64bits(v[0]), v[1], math.Float64bits(v[1]))
			}
		}
	}
}

// TestExp checks the kernel's exponential, e^-t = p*s from expParts,
// against math.Exp: relative error at most 2.5e-9 (philox.Exp's bound;
// the FMAs only round less) over |t| < 20 and at the clamp's ends, and t
// beyond the clamp gives the clamp's value.
func TestExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 5))
	for i := 0; i < 200000; i++ {
		x := 40*rng.Float64() - 20
		if i%10 == 0 {
			x = 700 - 40*rng.Float64()
			if i%20 == 0 {
				x = -x
			}
		}
		p, s := expParts(x)
		if e, w := p*s, math.Exp(-x); math.Abs(e-w) > 2.5e-9*w {
			t.Fatalf("e^-(%v) = %v, math.Exp %v (relative error %.3g)", x, e, w, math.Abs(e-w)/w)
		}
	}
	for _, x := range []float64{700, -700} {
		p, s := expParts(x)
		q, r := expParts(1.5 * x)
		if p != q || s != r {
			t.Errorf("expParts(%v) = %v, %v, expParts(%v) = %v, %v: not clamped", 1.5*x, q, r, x, p, s)
		}
	}
}

// TestStep2 holds step2 to step's bits, on random officials and
// constants and on logits beyond the exp's clamp.
func TestStep2(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 7))
	for trial := 0; trial < 20000; trial++ {
		p, c := randomPopulation(rng, 2)
		if trial%4 == 1 {
			c.base = []float64{-900, 900, -700, 700}[rng.IntN(4)]
		}
		zA, zB := 4*rng.NormFloat64(), 4*rng.NormFloat64()
		a0, a1, a2 := c.step(zA, p.Disp[0], p.Habit[0])
		b0, b1, b2 := c.step(zB, p.Disp[1], p.Habit[1])
		g0, g1, g2, g3, g4, g5 := c.step2(zA, p.Disp[0], p.Habit[0], zB, p.Disp[1], p.Habit[1])
		for k, v := range [][2]float64{{a0, g0}, {a1, g1}, {a2, g2}, {b0, g3}, {b1, g4}, {b2, g5}} {
			if math.Float64bits(v[0]) != math.Float64bits(v[1]) {
				t.Fatalf("trial %d, output %d: step %v, step2 %v", trial, k, v[0], v[1])
			}
		}
	}
}
