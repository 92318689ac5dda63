package sweep

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/sampleuv"

	"github.com/entrench/entrench/lowdisc"
	"github.com/entrench/entrench/sim"
)

// Purposes of the design's random streams. They are sim.StreamSeed
// purposes, with the index they serve (factor, sample row, trajectory) in
// the point argument. The simulator draws, under the same master seed,
// from purposes 1 to 3 (sim.PurposeEnvironment, PurposeActors,
// PurposePopulation) with point 0 and the replicate number; the design
// keeps to 1000 and up, leaving the small numbers to the simulator, so
// that none of its streams is one a simulation draws from.
const (
	purposeLHS       uint64 = 1000 + iota // a Latin hypercube column, by factor
	purposeSobol                          // a row of the Saltelli matrices A and B
	purposeMorris                         // a Morris trajectory
	purposeBootstrap                      // the bootstrap resamples of the indices
	purposeScramble                       // the randomization of the Sobol' sequence
)

// newSource returns the PCG of one purpose and index under the
// experiment's seed, its two words derived with the simulator's
// SplitMix64 mixing so that neighbouring indices give unrelated streams.
// Points can thus be computed in any order and in any process.
func newSource(seed, purpose uint64, index int) *rand.PCG {
	return rand.NewPCG(sim.StreamSeed(seed, index, 0, purpose))
}

// newRand returns a generator on newSource(seed, purpose, index).
func newRand(seed, purpose uint64, index int) *rand.Rand {
	return rand.New(newSource(seed, purpose, index))
}

// plan computes the factor values of any design point on demand; only a
// Latin hypercube is held in memory (points x factors values), since its
// columns are permutations.
type plan struct {
	e   *Experiment
	k   int
	n   int
	lhs [][]float64       // lhs[j][i]: factor j at point i
	seq *lowdisc.Sequence // the Sobol' sequence of a sobol design, nil for random rows
}

func newPlan(e *Experiment) *plan {
	p := &plan{e: e, k: len(e.Factors), n: e.numPoints()}
	if e.Design.Kind == LHS {
		p.lhs = make([][]float64, p.k)
		for j := range e.Factors {
			p.lhs[j] = make([]float64, p.n)
			// One stratified column per factor, each with its own
			// random permutation: together a Latin hypercube.
			sampleuv.LatinHypercube{Q: &e.Factors[j], Src: newSource(e.Seed, purposeLHS, j)}.Sample(p.lhs[j])
		}
	}
	if e.Design.Kind == Sobol && e.Design.Sequence == SequenceSobol {
		r := lowdisc.Owen
		if e.Design.Scramble == ScrambleShift {
			r = lowdisc.DigitalShift
		}
		// Load checked the dimension and the randomization, so this
		// cannot fail.
		seq, err := lowdisc.NewSobol(2*p.k, r, newRand(e.Seed, purposeScramble, 0))
		if err != nil {
			panic("sweep: " + err.Error())
		}
		p.seq = seq
	}
	return p
}

// point fills x (len k) with the factor values of design point i.
func (p *plan) point(i int, x []float64) {
	fs := p.e.Factors
	switch p.e.Design.Kind {
	case Grid:
		// Mixed radix, the first factor varying slowest.
		for j := p.k - 1; j >= 0; j-- {
			l := fs[j].gridLevels()
			x[j] = fs[j].gridValue(i % l)
			i /= l
		}
	case LHS:
		for j := range fs {
			x[j] = p.lhs[j][i]
		}
	case External:
		copy(x, p.e.external[i])
	case Sobol:
		w := p.e.sobolWidth()
		row, c := i/w, i%w
		a, b := p.sobolRow(row)
		switch {
		case c == 0:
			copy(x, a)
		case c == 1:
			copy(x, b)
		case c < p.k+2:
			copy(x, a)
			x[c-2] = b[c-2]
		default:
			copy(x, b)
			x[c-p.k-2] = a[c-p.k-2]
		}
		for j := range fs {
			x[j] = fs[j].Quantile(x[j])
		}
	case Morris:
		t, s := i/(p.k+1), i%(p.k+1)
		u, order, step := p.trajectory(t)
		for _, j := range order[:s] {
			u[j] += step[j]
		}
		for j := range fs {
			x[j] = fs[j].Quantile(u[j])
		}
	}
}

// sobolRow returns row j of the Saltelli matrices A and B, in [0, 1).
// Row j is design points j*w to j*w+w-1, w = sobolWidth(): A_j, B_j, then
// A_j with column m taken from B_j (AB_m) for m = 0..k-1, and with
// second-order indices B_j with column m taken from A_j (BA_m). With
// the Sobol' sequence, A_j and B_j are the first and last k coordinates
// of its point j; with random rows, 2k draws of row j's own PCG.
func (p *plan) sobolRow(j int) (a, b []float64) {
	if p.seq != nil {
		ab := p.seq.Point(uint32(j), nil)
		return ab[:p.k], ab[p.k:]
	}
	r := newRand(p.e.Seed, purposeSobol, j)
	ab := make([]float64, 2*p.k)
	for i := range ab {
		ab[i] = r.Float64()
	}
	return ab[:p.k], ab[p.k:]
}

// trajectory returns Morris trajectory t: the starting levels u in [0, 1]
// (on the grid of p levels), the order in which factors move, and each
// factor's step, +delta or -delta, with delta = p/(2(p-1)). Starting
// levels are equally likely; a factor steps up when it can stay in [0,
// 1], otherwise down, so every level is visited symmetrically.
func (p *plan) trajectory(t int) (u []float64, order []int, step []float64) {
	levels := p.e.Design.Levels
	delta := morrisDelta(levels)
	r := newRand(p.e.Seed, purposeMorris, t)
	u = make([]float64, p.k)
	step = make([]float64, p.k)
	for j := range u {
		u[j] = float64(r.IntN(levels)) / float64(levels-1)
		if u[j]+delta <= 1+1e-12 {
			step[j] = delta
		} else {
			step[j] = -delta
		}
	}
	order = r.Perm(p.k)
	return u, order, step
}

// morrisDelta is the Morris step for p levels, p/(2(p-1)).
func morrisDelta(levels int) float64 { return float64(levels) / (2 * float64(levels-1)) }
