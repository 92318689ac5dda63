package agents

import (
	"math"
	"math/rand/v2"
)

// UpdateOfficialsReference is the officials' update with the arithmetic
// the engine had before the kernel (issue 14): the rule of
// UpdateOfficials, with noise from rng's ziggurat NormFloat64 (a PCG in
// the engine), math.Exp, and products the compiler may fuse. The engine
// runs it only when a benchmark asks for the reference
// (sim.BenchmarkKernels); its results are not the kernel's.
func UpdateOfficialsReference(p *Population, o *Org, tension float64, k *Params, rng *rand.Rand) {
	SetBase(o, tension, k)
	base := o.Base
	x := o.Engagement
	line := 2*o.Line - 1 // leadership line in disposition units
	wd, wh, sd := k.WDisposition, k.WHabit, k.NoiseSD
	gain, decay := k.HabitGain, k.HabitDecay
	soc, bound := k.Socialization, k.ConfidenceBound
	rev, home := k.DispositionReversion, o.DispMean
	var psum, hsum, top float64
	last := len(o.RankLo) - 1
	for r, w := range o.RankWeight {
		lo, hi := o.RankLo[r], o.RankHi[r]
		disp, habit, prop := p.Disp[lo:hi], p.Habit[lo:hi], p.Prop[lo:hi]
		var rp, rh float64
		for i := range disp {
			d, h := disp[i], habit[i]
			pr := 1 / (1 + math.Exp(-(base + wd*d + wh*h + sd*rng.NormFloat64())))
			prop[i] = pr
			s := pr * x
			h += gain*s*(1-h) - decay*(1-s)*h
			habit[i] = h
			d += rev * (home - d)
			if diff := line - d; diff < bound && diff > -bound {
				d += soc * diff
			}
			disp[i] = d
			rp += pr
			rh += h
		}
		if r < maxRankSums {
			o.rankSums[r] = [2]float64{rp, rh}
		}
		psum += w * rp
		hsum += w * rh
		if r == last && hi > lo {
			top = rp / float64(hi-lo)
		}
	}
	finish(o, psum, hsum, top, k)
}
