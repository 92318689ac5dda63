package sweep

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/sim"
)

// Output file names.
const (
	PointsFile   = "points.csv"
	FailuresFile = "failures.csv"
	IndicesFile  = "indices.csv"
	// ReplicatesFile holds one row per replicate of every point that did
	// not fail: point, replicate (0-based) and every summary metric
	// (sim.SummaryNames; empty where undefined). Join it to points.csv on
	// point for the factor values.
	ReplicatesFile = "replicates.csv"
	// Indices2File holds the second-order Sobol indices of a sobol
	// design with second_order: true.
	Indices2File = "indices2.csv"
	// ConvergenceFile holds a sobol design's indices computed from
	// prefixes of its rows (N = 8, 16, 32, ... and N).
	ConvergenceFile = "convergence.csv"
)

// csvFile is a CSV file written atomically.
type csvFile struct {
	f *output.AtomicFile
	b *bufio.Writer
	w *csv.Writer
}

func createCSV(dir, name string, header []string) (*csvFile, error) {
	f, err := output.CreateAtomic(dir, name)
	if err != nil {
		return nil, err
	}
	b := bufio.NewWriterSize(f, 1<<16)
	c := &csvFile{f: f, b: b, w: csv.NewWriter(b)}
	return c, c.w.Write(header)
}

func (c *csvFile) write(rec []string) error { return c.w.Write(rec) }

func (c *csvFile) commit() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		c.f.Abort()
		return err
	}
	if err := c.b.Flush(); err != nil {
		c.f.Abort()
		return err
	}
	return c.f.Commit()
}

// results holds the per-point means of the analysed metrics, the input of
// the indices and figures: means[m][i] is metric m's mean at point i (NaN
// when undefined or the point failed).
type results struct {
	means [][]float64
}

// writeOutputs reads the sorted journal of folder dir, which holds every
// design point, and writes points.csv, failures.csv, indices.csv (sobol
// and morris) and the figures. It returns the names of the files written.
// Statistics are written with output.FormatFloat, like every CSV of the
// project; none of them is ever -0 (means, deviations and indices are
// sums and quotients that start from +0), so its "-0" never shows, and
// factor values are written exactly with formatValue.
func writeOutputs(ctx context.Context, e *Experiment, dir string, opt Options) ([]string, error) {
	total := e.numPoints()
	k := len(e.Factors)
	p := newPlan(e)
	res := &results{means: make([][]float64, len(e.Metrics))}
	for m := range res.means {
		res.means[m] = make([]float64, total)
		for i := range res.means[m] {
			res.means[m][i] = nan()
		}
	}
	head := []string{"point"}
	for _, f := range e.Factors {
		head = append(head, f.Name)
	}
	fhead := append(append([]string(nil), head...), "replicate", "error")
	head = append(head, "replicates")
	for _, m := range e.Metrics {
		head = append(head, m+"_mean", m+"_sd", m+"_lo", m+"_hi", m+"_n")
	}
	pts, err := createCSV(dir, PointsFile, head)
	if err != nil {
		return nil, err
	}
	defer pts.f.Abort()
	fails, err := createCSV(dir, FailuresFile, fhead)
	if err != nil {
		return nil, err
	}
	defer fails.f.Abort()
	reps, err := createCSV(dir, ReplicatesFile, append([]string{"point", "replicate"}, sim.SummaryNames[:]...))
	if err != nil {
		return nil, err
	}
	defer reps.f.Abort()
	rrow := make([]string, 0, 2+sim.NumSummary)
	x := make([]float64, k)
	count := 0
	var werr error
	row := make([]string, 0, len(head))
	_, err = scanJournal(filepath.Join(dir, JournalFile), len(e.Metrics), total, func(r record, _ journalEntry) {
		if werr != nil {
			return
		}
		count++
		p.point(r.point, x)
		row = append(row[:0], strconv.Itoa(r.point))
		for _, v := range x {
			row = append(row, formatValue(v))
		}
		if !r.ok() {
			for _, f := range r.fails {
				rep := ""
				if f.rep >= 0 {
					rep = strconv.Itoa(f.rep)
				}
				if werr = fails.write(append(row, rep, oneLine(f.msg))); werr != nil {
					return
				}
			}
			return
		}
		row = append(row, strconv.Itoa(r.reps))
		for m, s := range r.stats {
			est := estimate.FromSD(s.mean, s.sd, s.n, e.Design.Confidence)
			row = append(row, output.FormatFloat(s.mean), output.FormatFloat(s.sd), output.FormatFloat(est.Lo), output.FormatFloat(est.Hi), strconv.Itoa(s.n))
			res.means[m][r.point] = s.mean
		}
		if werr = pts.write(row); werr != nil {
			return
		}
		for rep := range len(r.values) / sim.NumSummary {
			rrow = append(rrow[:0], row[0], strconv.Itoa(rep))
			for _, v := range r.values[rep*sim.NumSummary : (rep+1)*sim.NumSummary] {
				rrow = append(rrow, output.FormatFloat(v))
			}
			if werr = reps.write(rrow); werr != nil {
				return
			}
		}
	})
	if err == nil {
		err = werr
	}
	if err != nil {
		return nil, err
	}
	if count != total {
		return nil, fmt.Errorf("%w: the journal in %s holds %d of %d points", ErrIncomplete, dir, count, total)
	}
	if err := pts.commit(); err != nil {
		return nil, err
	}
	if err := fails.commit(); err != nil {
		return nil, err
	}
	if err := reps.commit(); err != nil {
		return nil, err
	}
	files := []string{PointsFile, FailuresFile, ReplicatesFile}

	var sob [][]SobolIndex
	var conv *convergence
	var mor [][]MorrisIndex
	switch e.Design.Kind {
	case Sobol:
		var pairs [][]SobolPair
		sob, pairs = analyzeSobol(e, res)
		if err := writeSobolCSV(dir, e, sob); err != nil {
			return files, err
		}
		files = append(files, IndicesFile)
		if pairs != nil {
			if err := writeSobol2CSV(dir, e, pairs); err != nil {
				return files, err
			}
			files = append(files, Indices2File)
		}
		if opt.ExportSALib {
			names, err := exportSALib(e, p, dir, res)
			files = append(files, names...)
			if err != nil {
				return files, err
			}
		}
		conv = analyzeConvergence(e, res)
		if err := writeConvergenceCSV(dir, e, conv); err != nil {
			return files, err
		}
		files = append(files, ConvergenceFile)
	case Morris:
		mor = analyzeMorris(e, p, res)
		if err := writeMorrisCSV(dir, e, mor); err != nil {
			return files, err
		}
		files = append(files, IndicesFile)
	}
	if opt.NoFigures {
		return files, nil
	}
	figs, err := writeFigures(ctx, e, p, dir, res, sob, conv, mor, opt.Workers)
	return append(files, figs...), err
}

// sobolBlocks splits the per-point outputs y of a sobol design into the
// outputs of its first n rows: at A, B, AB_i and (with second-order
// indices, otherwise nil) BA_i.
func sobolBlocks(e *Experiment, y []float64, n int) (yA, yB []float64, yAB, yBA [][]float64) {
	k, w := len(e.Factors), e.sobolWidth()
	yA, yB = make([]float64, n), make([]float64, n)
	yAB = make([][]float64, k)
	for i := range yAB {
		yAB[i] = make([]float64, n)
	}
	if e.Design.Order == 2 {
		yBA = make([][]float64, k)
		for i := range yBA {
			yBA[i] = make([]float64, n)
		}
	}
	for j := range n {
		base := j * w
		yA[j], yB[j] = y[base], y[base+1]
		for i := range k {
			yAB[i][j] = y[base+2+i]
			if yBA != nil {
				yBA[i][j] = y[base+2+k+i]
			}
		}
	}
	return yA, yB, yAB, yBA
}

// analyzeSobol computes the Sobol indices of every metric, and the
// second-order ones when the design has them (otherwise pairs is nil).
func analyzeSobol(e *Experiment, res *results) (sob [][]SobolIndex, pairs [][]SobolPair) {
	sob = make([][]SobolIndex, len(e.Metrics))
	if e.Design.Order == 2 {
		pairs = make([][]SobolPair, len(e.Metrics))
	}
	for m, y := range res.means {
		yA, yB, yAB, yBA := sobolBlocks(e, y, e.Design.N)
		s, p := SobolAnalyze2(yA, yB, yAB, yBA, e.Design.Bootstrap, e.Design.Confidence, e.Seed+uint64(m))
		sob[m] = s
		if pairs != nil {
			pairs[m] = p
		}
	}
	return sob, pairs
}

// convergenceSizes returns the prefix sizes of a sobol design of n rows
// at which the convergence of the indices is shown: the powers of two
// from 8 below n, and n.
func convergenceSizes(n int) []int {
	var sizes []int
	for s := 8; s < n; s *= 2 {
		sizes = append(sizes, s)
	}
	return append(sizes, n)
}

// convergence holds the indices of every metric computed from prefixes
// of a sobol design: idx[m][s] at the first sizes[s] rows.
type convergence struct {
	sizes []int
	idx   [][][]SobolIndex
}

// analyzeConvergence computes the first-order and total indices, with
// their intervals, from the prefixes of the design given by
// convergenceSizes. The design is prefix-stable, so each prefix is the
// design a sweep with that N would have run.
func analyzeConvergence(e *Experiment, res *results) *convergence {
	c := &convergence{sizes: convergenceSizes(e.Design.N), idx: make([][][]SobolIndex, len(e.Metrics))}
	for m, y := range res.means {
		for _, n := range c.sizes {
			yA, yB, yAB, _ := sobolBlocks(e, y, n)
			c.idx[m] = append(c.idx[m], SobolAnalyze(yA, yB, yAB, e.Design.Bootstrap, e.Design.Confidence, e.Seed+uint64(m)))
		}
	}
	return c
}

// analyzeMorris computes the Morris statistics of every metric.
func analyzeMorris(e *Experiment, p *plan, res *results) [][]MorrisIndex {
	k := len(e.Factors)
	r := e.Design.Trajectories
	out := make([][]MorrisIndex, len(e.Metrics))
	for m, y := range res.means {
		effects := make([][]float64, k)
		for i := range effects {
			effects[i] = make([]float64, r)
		}
		for t := range r {
			u, order, step := p.trajectory(t)
			base := t * (k + 1)
			for s, j := range order {
				effects[j][t] = (y[base+s+1] - y[base+s]) / realStep(&e.Factors[j], u[j], step[j])
			}
		}
		out[m] = MorrisAnalyze(effects, e.Design.Bootstrap, e.Design.Confidence, e.Seed+uint64(m))
	}
	return out
}

// realStep returns the step of a Morris move of factor f from level u by
// step (both in [0, 1] units of the range), as a share of the range: the
// nominal step, except for a uniform factor rounded to a multiple of
// Round, whose rounded values may be further apart or closer than the
// nominal step says (on [0, 4] with round 1 and 4 levels, the move from
// level 0 to 2/3 goes from 0 to 3, 3/4 of the range). A move between
// equal rounded values gives 0, so the effect is undefined (Inf or NaN,
// dropped by MorrisAnalyze as NaN).
func realStep(f *Factor, u, step float64) float64 {
	if !(f.Round > 0) || len(f.Values) > 0 || len(f.Choices) > 0 || (f.Distribution != "" && f.Distribution != Uniform) {
		return step
	}
	d := (f.Quantile(u+step) - f.Quantile(u)) / (f.Max - f.Min)
	if d == 0 {
		return math.NaN()
	}
	return d
}

func writeSobolCSV(dir string, e *Experiment, sob [][]SobolIndex) error {
	c, err := createCSV(dir, IndicesFile, []string{"metric", "factor", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi", "rows"})
	if err != nil {
		return err
	}
	defer c.f.Abort()
	for m, idx := range sob {
		for i, s := range idx {
			if err := c.write([]string{e.Metrics[m], e.Factors[i].Name, output.FormatFloat(s.S1), output.FormatFloat(s.S1Lo), output.FormatFloat(s.S1Hi),
				output.FormatFloat(s.ST), output.FormatFloat(s.STLo), output.FormatFloat(s.STHi), strconv.Itoa(s.N)}); err != nil {
				return err
			}
		}
	}
	return c.commit()
}

func writeSobol2CSV(dir string, e *Experiment, pairs [][]SobolPair) error {
	c, err := createCSV(dir, Indices2File, []string{"metric", "factor_i", "factor_j", "S2", "S2_lo", "S2_hi", "rows"})
	if err != nil {
		return err
	}
	defer c.f.Abort()
	for m, ps := range pairs {
		for _, s := range ps {
			if err := c.write([]string{e.Metrics[m], e.Factors[s.I].Name, e.Factors[s.J].Name, output.FormatFloat(s.S2), output.FormatFloat(s.S2Lo),
				output.FormatFloat(s.S2Hi), strconv.Itoa(s.N)}); err != nil {
				return err
			}
		}
	}
	return c.commit()
}

func writeConvergenceCSV(dir string, e *Experiment, conv *convergence) error {
	c, err := createCSV(dir, ConvergenceFile, []string{"metric", "factor", "n", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi", "rows"})
	if err != nil {
		return err
	}
	defer c.f.Abort()
	for m, bySize := range conv.idx {
		for i := range e.Factors {
			for s, idx := range bySize {
				x := idx[i]
				if err := c.write([]string{e.Metrics[m], e.Factors[i].Name, strconv.Itoa(conv.sizes[s]), output.FormatFloat(x.S1), output.FormatFloat(x.S1Lo), output.FormatFloat(x.S1Hi),
					output.FormatFloat(x.ST), output.FormatFloat(x.STLo), output.FormatFloat(x.STHi), strconv.Itoa(x.N)}); err != nil {
					return err
				}
			}
		}
	}
	return c.commit()
}

func writeMorrisCSV(dir string, e *Experiment, mor [][]MorrisIndex) error {
	c, err := createCSV(dir, IndicesFile, []string{"metric", "factor", "mu", "mu_star", "mu_star_lo", "mu_star_hi", "sigma", "effects"})
	if err != nil {
		return err
	}
	defer c.f.Abort()
	for m, idx := range mor {
		for i, s := range idx {
			if err := c.write([]string{e.Metrics[m], e.Factors[i].Name, output.FormatFloat(s.Mu), output.FormatFloat(s.MuStar), output.FormatFloat(s.MuStarLo),
				output.FormatFloat(s.MuStarHi), output.FormatFloat(s.Sigma), strconv.Itoa(s.N)}); err != nil {
				return err
			}
		}
	}
	return c.commit()
}

// bestWorst returns the points with the highest and lowest defined mean
// of y, the lowest point number winning ties; -1, -1 when none is defined.
func bestWorst(y []float64) (best, worst int) {
	best, worst = -1, -1
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		if best < 0 || v > y[best] {
			best = i
		}
		if worst < 0 || v < y[worst] {
			worst = i
		}
	}
	return best, worst
}

// rerun runs design point i again, with an aggregate for its fan chart.
// Common random numbers make it reproduce the journal's results.
func rerun(ctx context.Context, e *Experiment, p *plan, i, workers int) (*sim.Aggregate, *sim.Model, error) {
	x := make([]float64, len(e.Factors))
	p.point(i, x)
	sc, err := e.ScenarioAt(x)
	if err != nil {
		return nil, nil, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, nil, err
	}
	agg := m.NewAggregate()
	if _, err := sim.Batch(ctx, m, sim.Options{Runs: e.Replicates, Workers: workers}, agg); err != nil {
		return nil, nil, err
	}
	return agg, m, nil
}

// exists reports whether a file exists (for tests and merges).
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
