package abc

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// ftoa formats x in its shortest exact form ("+Inf" for infinity).
func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// WritePosterior writes g's particles as CSV: one row per particle, with
// a column per parameter (named by names), then weight and distance.
// Numbers are written in their shortest exact form, so the file is a
// faithful copy of the population.
func WritePosterior(w io.Writer, names []string, g *Generation) error {
	c := csv.NewWriter(w)
	c.Write(append(slices.Clone(names), "weight", "distance"))
	rec := make([]string, len(names)+2)
	for i, th := range g.Particles {
		if len(th) != len(names) {
			return fmt.Errorf("abc: particle %d has %d parameters for %d names", i, len(th), len(names))
		}
		for k, x := range th {
			rec[k] = ftoa(x)
		}
		rec[len(names)] = ftoa(g.Weights[i])
		rec[len(names)+1] = ftoa(g.Distances[i])
		c.Write(rec)
	}
	c.Flush()
	return c.Error()
}

// WriteGenerations writes the diagnostics table as CSV: generation,
// tolerance ("+Inf" for generation 0), acceptance, ess, simulations,
// total_simulations, seconds. Seconds, the last column, is the only one
// that differs between identical runs.
func WriteGenerations(w io.Writer, stats []Stats) error {
	c := csv.NewWriter(w)
	c.Write([]string{"generation", "tolerance", "acceptance", "ess", "simulations", "total_simulations", "seconds"})
	for _, s := range stats {
		c.Write([]string{
			strconv.Itoa(s.Generation), ftoa(s.Tolerance), ftoa(s.Acceptance), ftoa(s.ESS),
			strconv.Itoa(s.Simulations), strconv.Itoa(s.TotalSimulations),
			strconv.FormatFloat(s.Seconds, 'f', 3, 64),
		})
	}
	c.Flush()
	return c.Error()
}

// WriteDistance writes the distance's terms as CSV: summary, observed,
// scale, weight. names labels the summaries; nil labels them s1, s2, ...
func WriteDistance(w io.Writer, names []string, d *Distance) error {
	if names != nil && len(names) != len(d.Observed) {
		return fmt.Errorf("abc: %d names for %d summaries", len(names), len(d.Observed))
	}
	c := csv.NewWriter(w)
	c.Write([]string{"summary", "observed", "scale", "weight"})
	for k := range d.Observed {
		n := "s" + strconv.Itoa(k+1)
		if names != nil {
			n = names[k]
		}
		c.Write([]string{n, ftoa(d.Observed[k]), ftoa(d.Scales[k]), ftoa(d.Weights[k])})
	}
	c.Flush()
	return c.Error()
}

// WeightedQuantile returns the q-quantile (q in [0, 1]) of values x with
// weights w (>= 0, not all 0): the smallest x_i whose cumulative weight,
// in increasing order of x, reaches q times the total (the inverse of the
// weighted empirical CDF). It returns NaN for empty input or q outside
// [0, 1].
func WeightedQuantile(x, w []float64, q float64) float64 {
	if len(x) == 0 || len(w) != len(x) || !(q >= 0 && q <= 1) {
		return math.NaN()
	}
	idx := make([]int, len(x))
	total := 0.0
	for i := range idx {
		idx[i] = i
		total += w[i]
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	target, c := q*total, 0.0
	for _, i := range idx {
		c += w[i]
		if c >= target && w[i] > 0 {
			return x[i]
		}
	}
	return x[idx[len(idx)-1]]
}

// Marginal summarizes one parameter's weighted posterior sample.
type Marginal struct {
	Name string
	// Mean and SD are the weighted mean and standard deviation.
	Mean, SD float64
	// Q05, Median and Q95 are weighted quantiles.
	Q05, Median, Q95 float64
}

// Summarize returns the marginal of every parameter of g, named by names
// (one per parameter).
func Summarize(names []string, g *Generation) ([]Marginal, error) {
	for i, th := range g.Particles {
		if len(th) != len(names) {
			return nil, fmt.Errorf("abc: particle %d has %d parameters for %d names", i, len(th), len(names))
		}
	}
	if len(g.Weights) != len(g.Particles) || len(g.Particles) == 0 {
		return nil, fmt.Errorf("abc: %d weights for %d particles", len(g.Weights), len(g.Particles))
	}
	out := make([]Marginal, len(names))
	x := make([]float64, len(g.Particles))
	for k, n := range names {
		for i, th := range g.Particles {
			x[i] = th[k]
		}
		m, v := 0.0, 0.0
		for i, v := range x {
			m += g.Weights[i] * v
		}
		for i, xi := range x {
			v += g.Weights[i] * (xi - m) * (xi - m)
		}
		out[k] = Marginal{
			Name: n, Mean: m, SD: math.Sqrt(v),
			Q05:    WeightedQuantile(x, g.Weights, 0.05),
			Median: WeightedQuantile(x, g.Weights, 0.5),
			Q95:    WeightedQuantile(x, g.Weights, 0.95),
		}
	}
	return out, nil
}

// WriteSummary writes marginals as CSV: parameter, mean, sd, q05, median,
// q95.
func WriteSummary(w io.Writer, ms []Marginal) error {
	c := csv.NewWriter(w)
	c.Write([]string{"parameter", "mean", "sd", "q05", "median", "q95"})
	for _, m := range ms {
		c.Write([]string{m.Name, ftoa(m.Mean), ftoa(m.SD), ftoa(m.Q05), ftoa(m.Median), ftoa(m.Q95)})
	}
	c.Flush()
	return c.Error()
}
