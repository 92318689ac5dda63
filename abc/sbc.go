package abc

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Resample draws n particle indices of g with replacement, with
// probability proportional to their weights (multinomial resampling).
// Simulation-based calibration ranks the true value among such draws. It
// returns nil if g has no particles or n < 1.
func Resample(g *Generation, n int, rng *rand.Rand) []int {
	if len(g.Weights) == 0 || n < 1 {
		return nil
	}
	cum := make([]float64, len(g.Weights))
	c := 0.0
	for i, w := range g.Weights {
		c += w
		cum[i] = c
	}
	out := make([]int, n)
	for i := range out {
		out[i] = min(sort.SearchFloat64s(cum, rng.Float64()*c), len(cum)-1)
	}
	return out
}

// Rank returns the number of draws strictly below truth, in 0..len(draws):
// the statistic of simulation-based calibration (Talts et al. 2018,
// algorithm 1), uniform on 0..len(draws) when the posterior is calibrated.
func Rank(truth float64, draws []float64) int {
	r := 0
	for _, d := range draws {
		if d < truth {
			r++
		}
	}
	return r
}

// RankHistogram counts ranks (each in 0..draws) in bins equal bins. bins
// must divide draws+1, the number of possible ranks, so that every bin is
// equally likely under uniformity (Talts et al. 2018, section 4.1).
func RankHistogram(ranks []int, draws, bins int) ([]int, error) {
	if bins < 2 || draws < 1 || (draws+1)%bins != 0 {
		return nil, fmt.Errorf("%w: %d bins do not divide the %d possible ranks evenly (need bins >= 2 dividing draws+1)", ErrSettings, bins, draws+1)
	}
	h := make([]int, bins)
	for i, r := range ranks {
		if r < 0 || r > draws {
			return nil, fmt.Errorf("%w: rank %d is %d, outside 0..%d", ErrSettings, i, r, draws)
		}
		h[r*bins/(draws+1)]++
	}
	return h, nil
}

// ChiSquareUniform tests counts against equal expected counts with
// Pearson's chi-square test on len(counts)-1 degrees of freedom and
// returns the statistic and its p-value. It returns NaN for fewer than
// two bins or no counts.
func ChiSquareUniform(counts []int) (stat, p float64) {
	n := 0
	for _, c := range counts {
		n += c
	}
	if len(counts) < 2 || n == 0 {
		return math.NaN(), math.NaN()
	}
	e := float64(n) / float64(len(counts))
	for _, c := range counts {
		d := float64(c) - e
		stat += d * d / e
	}
	return stat, distuv.ChiSquared{K: float64(len(counts) - 1)}.Survival(stat)
}

// CentralInterval returns the central credible interval of mass level (in
// (0, 1)) of the weighted sample x, w: its (1-level)/2 and (1+level)/2
// weighted quantiles.
func CentralInterval(x, w []float64, level float64) (lo, hi float64) {
	a := (1 - level) / 2
	return WeightedQuantile(x, w, a), WeightedQuantile(x, w, 1-a)
}

// Coverage returns the fraction of truths[i] that lie in [lo[i], hi[i]].
func Coverage(truths, lo, hi []float64) float64 {
	if len(truths) == 0 || len(lo) != len(truths) || len(hi) != len(truths) {
		return math.NaN()
	}
	in := 0
	for i, t := range truths {
		if t >= lo[i] && t <= hi[i] {
			in++
		}
	}
	return float64(in) / float64(len(truths))
}
