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

// SobolPair holds the second-order Sobol index of two factors I < J for
// one metric, with its bootstrap percentile interval (NaN without
// bootstrap).
type SobolPair struct {
	// I and J are the factors' indices, I < J.
	I, J int
	// S2 is the second-order index: the share of the output's variance
	// due to the interaction of factors I and J alone (Saltelli 2002,
	// eq. 12, as SALib computes it: V_IJ/V - S1_I - S1_J, with V_IJ the
	// mean of (y_BA_I - m) (y_AB_J - m) - (y_A - m) (y_B - m)).
	S2, S2Lo, S2Hi float64
	// N is the number of sample rows used.
	N int
}

// SobolAnalyze estimates Sobol indices from the outputs of a Saltelli
// design: yA[j] and yB[j] at rows j of matrices A and B, and yAB[i][j] at
// row j of A with column i taken from B. Rows where any output is NaN are
// left out. The intervals come from bootstrap resamples of the rows,
// drawn from a PCG seeded with seed, at level confidence. Indices are NaN
// when fewer than two rows remain or the outputs do not vary.
func SobolAnalyze(yA, yB []float64, yAB [][]float64, bootstrap int, confidence float64, seed uint64) []SobolIndex {
	out, _ := SobolAnalyze2(yA, yB, yAB, nil, bootstrap, confidence, seed)
	return out
}

// SobolAnalyze2 is SobolAnalyze with second-order indices: yBA[i][j] is
// the output at row j of B with column i taken from A. With yBA nil it
// returns no pairs and the same first-order and total indices as
// SobolAnalyze; otherwise the pairs (i, j), i < j, in row-major order,
// and rows where a yBA output is NaN are left out too. The bootstrap
// resamples are the same for every index.
func SobolAnalyze2(yA, yB []float64, yAB, yBA [][]float64, bootstrap int, confidence float64, seed uint64) ([]SobolIndex, []SobolPair) {
	k := len(yAB)
	second := yBA != nil
	var rows []int
	for j := range yA {
		ok := !math.IsNaN(yA[j]) && !math.IsNaN(yB[j])
		for i := 0; ok && i < k; i++ {
			ok = !math.IsNaN(yAB[i][j]) && (!second || !math.IsNaN(yBA[i][j]))
		}
		if ok {
			rows = append(rows, j)
		}
	}
	npairs := 0
	if second {
		npairs = k * (k - 1) / 2
	}
	out := make([]SobolIndex, k)
	pairs := make([]SobolPair, npairs)
	est := func(rows []int, s1, st, s2 []float64) {
		n := float64(len(rows))
		var all estimate.Moments // over yA and yB together
		for _, j := range rows {
			all.Add(yA[j])
			all.Add(yB[j])
		}
		mean, v := all.Mean, all.Variance()
		bad := len(rows) < 2 || !(v > 0)
		for i := range k {
			var a, b float64
			for _, j := range rows {
				d := yAB[i][j] - yA[j]
				a += (yB[j] - mean) * d
				b += d * d
			}
			s1[i] = a / n / v
			st[i] = b / (2 * n) / v
			if bad {
				s1[i], st[i] = math.NaN(), math.NaN()
			}
		}
		p := 0
		for i := 0; second && i < k; i++ {
			for l := i + 1; l < k; l++ {
				var c float64
				for _, j := range rows {
					c += (yBA[i][j]-mean)*(yAB[l][j]-mean) - (yA[j]-mean)*(yB[j]-mean)
				}
				s2[p] = c/n/v - s1[i] - s1[l]
				if bad {
					s2[p] = math.NaN()
				}
				p++
			}
		}
	}
	s1, st, s2 := make([]float64, k), make([]float64, k), make([]float64, npairs)
	est(rows, s1, st, s2)
	for i := range out {
		out[i] = SobolIndex{S1: s1[i], ST: st[i], N: len(rows), S1Lo: math.NaN(), S1Hi: math.NaN(), STLo: math.NaN(), STHi: math.NaN()}
	}
	p := 0
	for i := 0; second && i < k; i++ {
		for l := i + 1; l < k; l++ {
			pairs[p] = SobolPair{I: i, J: l, S2: s2[p], N: len(rows), S2Lo: math.NaN(), S2Hi: math.NaN()}
			p++
		}
	}
	if bootstrap < 1 || len(rows) < 2 {
		return out, pairs
	}
	r := newRand(seed, purposeBootstrap, 0)
	bs1, bst, bs2 := make([][]float64, k), make([][]float64, k), make([][]float64, npairs)
	for i := range k {
		bs1[i], bst[i] = make([]float64, bootstrap), make([]float64, bootstrap)
	}
	for i := range bs2 {
		bs2[i] = make([]float64, bootstrap)
	}
	re := make([]int, len(rows))
	for b := range bootstrap {
		for j := range re {
			re[j] = rows[r.IntN(len(rows))]
		}
		est(re, s1, st, s2)
		for i := range k {
			bs1[i][b], bst[i][b] = s1[i], st[i]
		}
		for i := range bs2 {
			bs2[i][b] = s2[i]
		}
	}
	for i := range out {
		out[i].S1Lo, out[i].S1Hi = percentiles(bs1[i], confidence)
		out[i].STLo, out[i].STHi = percentiles(bst[i], confidence)
	}
	for i := range pairs {
		pairs[i].S2Lo, pairs[i].S2Hi = percentiles(bs2[i], confidence)
	}
	return out, pairs
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
