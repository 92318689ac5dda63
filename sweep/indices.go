package sweep

import (
	"math"
	"slices"

	"github.com/entrench/entrench/estimate"
	"gonum.org/v1/gonum/stat"
)

// SobolIndex holds the first-order and total Sobol indices of one factor
// for one metric, with bootstrap percentile intervals (NaN without
// bootstrap).
type SobolIndex struct {
	// S1 is the first-order index: the share of the output's variance
	// due to the factor alone (Saltelli et al. 2010, eq. b of table 2,
	// with the outputs centred on their mean, which leaves the estimate
	// unbiased and cuts its variance when the mean is large).
	S1, S1Lo, S1Hi float64
	// ST is the total index: the share due to the factor with all its
	// interactions (Jansen 1999, eq. f of table 2).
	ST, STLo, STHi float64
	// N is the number of sample rows used (rows with an undefined output
	// are left out).
	N int
}

// SobolAnalyze estimates Sobol indices from the outputs of a Saltelli
// design: yA[j] and yB[j] at rows j of matrices A and B, and yAB[i][j] at
// row j of A with column i taken from B. Rows where any output is NaN are
// left out. The intervals come from bootstrap resamples of the rows,
// drawn from a PCG seeded with seed, at level confidence. Indices are NaN
// when fewer than two rows remain or the outputs do not vary.
func SobolAnalyze(yA, yB []float64, yAB [][]float64, bootstrap int, confidence float64, seed uint64) []SobolIndex {
	k := len(yAB)
	var rows []int
	for j := range yA {
		ok := !math.IsNaN(yA[j]) && !math.IsNaN(yB[j])
		for i := 0; ok && i < k; i++ {
			ok = !math.IsNaN(yAB[i][j])
		}
		if ok {
			rows = append(rows, j)
		}
	}
	out := make([]SobolIndex, k)
	est := func(rows []int, s1, st []float64) {
		n := float64(len(rows))
		var all estimate.Moments // over yA and yB together
		for _, j := range rows {
			all.Add(yA[j])
			all.Add(yB[j])
		}
		mean, v := all.Mean, all.Variance()
		for i := range k {
			var a, b float64
			for _, j := range rows {
				d := yAB[i][j] - yA[j]
				a += (yB[j] - mean) * d
				b += d * d
			}
			s1[i] = a / n / v
			st[i] = b / (2 * n) / v
			if len(rows) < 2 || !(v > 0) {
				s1[i], st[i] = math.NaN(), math.NaN()
			}
		}
	}
	s1, st := make([]float64, k), make([]float64, k)
	est(rows, s1, st)
	for i := range out {
		out[i] = SobolIndex{S1: s1[i], ST: st[i], N: len(rows), S1Lo: math.NaN(), S1Hi: math.NaN(), STLo: math.NaN(), STHi: math.NaN()}
	}
	if bootstrap < 1 || len(rows) < 2 {
		return out
	}
	r := newRand(seed, purposeBootstrap, 0)
	bs1, bst := make([][]float64, k), make([][]float64, k)
	for i := range k {
		bs1[i], bst[i] = make([]float64, bootstrap), make([]float64, bootstrap)
	}
	re := make([]int, len(rows))
	for b := range bootstrap {
		for j := range re {
			re[j] = rows[r.IntN(len(rows))]
		}
		est(re, s1, st)
		for i := range k {
			bs1[i][b], bst[i][b] = s1[i], st[i]
		}
	}
	for i := range out {
		out[i].S1Lo, out[i].S1Hi = percentiles(bs1[i], confidence)
		out[i].STLo, out[i].STHi = percentiles(bst[i], confidence)
	}
	return out
}

// percentiles returns the equal-tailed percentile interval at level
// confidence of xs (sorted in place); NaN values are dropped.
func percentiles(xs []float64, confidence float64) (lo, hi float64) {
	xs = slices.DeleteFunc(xs, math.IsNaN)
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	a := (1 - confidence) / 2
	return stat.Quantile(a, stat.LinInterp, xs, nil), stat.Quantile(1-a, stat.LinInterp, xs, nil)
}

// MorrisIndex holds the Morris elementary-effect statistics of one factor
// for one metric. Effects are measured in the unit (quantile) space of the
// factor's range: an effect is the change of the metric divided by the
// step as a share of the range, so it reads "per full range".
type MorrisIndex struct {
	// Mu is the mean elementary effect; signs may cancel.
	Mu float64
	// MuStar is the mean absolute elementary effect (Campolongo et al.
	// 2007), the measure of importance; MuStarLo and MuStarHi bound its
	// bootstrap percentile interval over trajectories.
	MuStar, MuStarLo, MuStarHi float64
	// Sigma is the standard deviation of the elementary effects:
	// interactions and non-linearity.
	Sigma float64
	// N is the number of effects used (trajectories whose two points
	// have a defined output).
	N int
}

// MorrisAnalyze computes Morris statistics from elementary effects:
// effects[i] holds factor i's effect in each trajectory (NaN when
// undefined, then left out). Bootstrap intervals of mu* resample the
// trajectories with a PCG seeded with seed.
func MorrisAnalyze(effects [][]float64, bootstrap int, confidence float64, seed uint64) []MorrisIndex {
	out := make([]MorrisIndex, len(effects))
	r := newRand(seed, purposeBootstrap, 0)
	for i, ee := range effects {
		ee = slices.DeleteFunc(slices.Clone(ee), math.IsNaN)
		m := MorrisIndex{N: len(ee), Mu: math.NaN(), MuStar: math.NaN(), Sigma: math.NaN(), MuStarLo: math.NaN(), MuStarHi: math.NaN()}
		if len(ee) > 0 {
			abs := make([]float64, len(ee))
			for j, x := range ee {
				abs[j] = math.Abs(x)
			}
			m.Mu = stat.Mean(ee, nil)
			m.MuStar = stat.Mean(abs, nil)
			if len(ee) > 1 {
				m.Sigma = stat.StdDev(ee, nil)
			}
			if bootstrap > 0 && len(ee) > 1 {
				bs := make([]float64, bootstrap)
				for b := range bs {
					s := 0.0
					for range abs {
						s += abs[r.IntN(len(abs))]
					}
					bs[b] = s / float64(len(abs))
				}
				m.MuStarLo, m.MuStarHi = percentiles(bs, confidence)
			}
		}
		out[i] = m
	}
	return out
}
