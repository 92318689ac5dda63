package agents

import (
	"math"
	"math/rand/v2"
)

// UpdateOfficialsReference is UpdateOfficials with the arithmetic the
// engine had before the kernel (issue 14): noise from rng's ziggurat
// NormFloat64 (a PCG in the engine), math.Exp, products the compiler may
// fuse. The benchmarks keep it as the reference the kernel is measured
// against; the engine does not call it. It runs one month of the
// officials' rules for one
// organization and refreshes its Stance, HabitMean, Line and Resistance.
//
// Propensity: p = logistic(bias + wd*disp + wh*habit + ws*stakeIndex +
// wa*attention - wt*tension - wu*threat + noise), noise ~ N(0, noiseSD).
// Habit (Bush-Mosteller): with participation s = p*engagement,
// habit += gain*s*(1-habit) - decay*(1-s)*habit.
// Disposition: drifts back toward the organization's recruiting mean at
// rate dispositionReversion (crises are forgotten), and moves toward the
// leadership line at rate socialization when within confidenceBound of it
// (bounded confidence: no pull from further away).
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
		psum += w * rp
		hsum += w * rh
		if r == last && hi > lo {
			top = rp / float64(hi-lo)
		}
	}
	finish(o, psum, hsum, top, k)
}
