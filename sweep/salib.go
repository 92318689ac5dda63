package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/entrench/entrench/output"
)

// Files of the SALib export (Options.ExportSALib).
const (
	// SALibProblemFile is the SALib problem: num_vars, names, bounds and
	// dists, plus calc_second_order and the sample size N.
	SALibProblemFile = "salib_problem.json"
	// SALibSampleFile is the design in SALib's row order, one point a
	// line, factor values separated by spaces (numpy.loadtxt reads it).
	SALibSampleFile = "salib_sample.txt"
	// SALibOutputPrefix starts the name of each metric's output file,
	// salib_Y_METRIC.txt: the per-point mean, one a line, in the rows of
	// SALibSampleFile; "nan" where the mean is undefined or the point
	// failed.
	SALibOutputPrefix = "salib_Y_"
)

// salibRow returns the entrench design point (its number within the
// row block, 0 to w-1) that SALib puts at position c of a block of a
// design with k factors. entrench orders each block [A, B, AB_1..AB_k]
// (and BA_1..BA_k with order 2); SALib orders it [A, AB_1..AB_k, B]
// (calc_second_order=False) or [A, AB_1..AB_k, BA_1..BA_k, B].
func salibRow(c, k, w int) int {
	switch {
	case c == 0:
		return 0 // A
	case c == w-1:
		return 1 // B
	default:
		return c + 1 // AB_i at 1+i in SALib, 2+i in entrench; BA_i follow
	}
}

// salibProblem is SALib's problem dictionary, with two keys SALib's
// analysers take as arguments instead.
type salibProblem struct {
	NumVars         int         `json:"num_vars"`
	Names           []string    `json:"names"`
	Bounds          [][]float64 `json:"bounds"`
	Dists           []string    `json:"dists"`
	CalcSecondOrder bool        `json:"calc_second_order"`
	N               int         `json:"N"`
	Outputs         []string    `json:"outputs"`
}

// exportSALib writes the SALib files of a finished sobol sweep into dir
// from its per-point means, and returns their names. Factor bounds and
// dists follow SALib's conventions (unif [min, max], logunif [min, max],
// triang [min, max, (mode-min)/(max-min)], truncnorm [min, max, mean,
// sd]); a factor with values gets unif over its smallest and largest.
// These describe the factors; SALib's sobol.analyze reads only num_vars
// and names, and the sample file holds the values entrench ran.
func exportSALib(e *Experiment, p *plan, dir string, res *results) ([]string, error) {
	k, w := len(e.Factors), e.sobolWidth()
	pr := salibProblem{NumVars: k, CalcSecondOrder: e.Design.Order == 2, N: e.Design.N}
	for _, f := range e.Factors {
		pr.Names = append(pr.Names, f.Name)
		switch {
		case len(f.Values) > 0:
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, v := range f.Values {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			pr.Bounds, pr.Dists = append(pr.Bounds, []float64{lo, hi}), append(pr.Dists, "unif")
		case f.Distribution == LogUniform:
			pr.Bounds, pr.Dists = append(pr.Bounds, []float64{f.Min, f.Max}), append(pr.Dists, "logunif")
		case f.Distribution == Triangular:
			pr.Bounds, pr.Dists = append(pr.Bounds, []float64{f.Min, f.Max, (f.Mode - f.Min) / (f.Max - f.Min)}), append(pr.Dists, "triang")
		case f.Distribution == Normal:
			pr.Bounds, pr.Dists = append(pr.Bounds, []float64{f.Min, f.Max, f.Mean, f.SD}), append(pr.Dists, "truncnorm")
		default:
			pr.Bounds, pr.Dists = append(pr.Bounds, []float64{f.Min, f.Max}), append(pr.Dists, "unif")
		}
	}
	for _, m := range e.Metrics {
		pr.Outputs = append(pr.Outputs, SALibOutputPrefix+m+".txt")
	}
	js, err := json.MarshalIndent(pr, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := output.WriteFileAtomic(dir, SALibProblemFile, append(js, '\n')); err != nil {
		return nil, err
	}
	files := []string{SALibProblemFile}
	var sample bytes.Buffer
	ys := make([]bytes.Buffer, len(e.Metrics))
	x := make([]float64, k)
	for j := range e.Design.N {
		for c := range w {
			i := j*w + salibRow(c, k, w)
			p.point(i, x)
			for f, v := range x {
				if f > 0 {
					sample.WriteByte(' ')
				}
				sample.WriteString(formatValue(v))
			}
			sample.WriteByte('\n')
			for m := range ys {
				y := res.means[m][i]
				if math.IsNaN(y) {
					ys[m].WriteString("nan\n")
				} else {
					ys[m].WriteString(strconv.FormatFloat(y, 'g', -1, 64))
					ys[m].WriteByte('\n')
				}
			}
		}
	}
	if err := output.WriteFileAtomic(dir, SALibSampleFile, sample.Bytes()); err != nil {
		return files, err
	}
	files = append(files, SALibSampleFile)
	for m := range ys {
		if err := output.WriteFileAtomic(dir, pr.Outputs[m], ys[m].Bytes()); err != nil {
			return files, fmt.Errorf("sweep: SALib export: %w", err)
		}
		files = append(files, pr.Outputs[m])
	}
	return files, nil
}
