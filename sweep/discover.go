package sweep

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/prim"
	"github.com/entrench/entrench/sim"
)

// DefaultDensity is the density DiscoverOptions.Density asks of the
// chosen box by default (the EMA Workbench's default threshold).
const DefaultDensity = 0.8

// Files written by Discover.
const (
	DiscoverTrajectoryFile = "prim_trajectory.csv" // every box of the trajectory
	DiscoverBoxFile        = "prim_box.csv"        // the chosen box's limits
	DiscoverOverrideFile   = "prim_box.yaml"       // the chosen box as `run --config` settings
	discoverFigure         = "prim_trajectory"     // coverage against density, .png and .svg
)

// ErrCondition is wrapped by the errors of a bad --where condition.
var ErrCondition = errors.New("sweep: bad condition")

// Condition is a test on one outcome: Metric Op Value, e.g.
// "final_cooperation >= 0.5".
type Condition struct {
	// Metric is a summary metric (sim.SummaryNames).
	Metric string
	// Op is one of >=, <=, >, <, ==, !=.
	Op string
	// Value is the number compared with.
	Value float64
}

// ParseCondition reads "METRIC OP VALUE".
func ParseCondition(s string) (Condition, error) {
	for _, op := range []string{">=", "<=", "==", "!=", ">", "<"} {
		m, v, ok := strings.Cut(s, op)
		if !ok {
			continue
		}
		c := Condition{Metric: strings.TrimSpace(m), Op: op}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !finite(x) {
			return c, fmt.Errorf("%w: %q: %q is not a finite number", ErrCondition, s, strings.TrimSpace(v))
		}
		c.Value = x
		if !slices.Contains(sim.SummaryNames[:], c.Metric) {
			return c, fmt.Errorf("%w: %q: unknown metric %q; metrics: %s", ErrCondition, s, c.Metric, strings.Join(sim.SummaryNames[:], ", "))
		}
		return c, nil
	}
	return Condition{}, fmt.Errorf("%w: %q: want METRIC OP VALUE with OP one of >=, <=, >, <, ==, !=, e.g. \"final_cooperation >= 0.5\"", ErrCondition, s)
}

// Holds reports whether x meets the condition; an undefined x (NaN) never
// does.
func (c Condition) Holds(x float64) bool {
	switch c.Op {
	case ">=":
		return x >= c.Value
	case "<=":
		return x <= c.Value
	case ">":
		return x > c.Value
	case "<":
		return x < c.Value
	case "==":
		return x == c.Value
	case "!=":
		return !math.IsNaN(x) && x != c.Value
	}
	return false
}

// String writes the condition as ParseCondition reads it.
func (c Condition) String() string { return c.Metric + " " + c.Op + " " + formatValue(c.Value) }

// DiscoverOptions configure Discover. The zero value is invalid: Where is
// required.
type DiscoverOptions struct {
	// Where is the condition that makes a case one of interest.
	Where Condition
	// PerPoint makes the cases the design points, tested on the mean of
	// the metric over the point's replicates (the metric must be one of
	// the experiment's metrics). False (the default) makes every
	// replicate a case, tested on its own value, with its point's factor
	// values.
	PerPoint bool
	// PRIM are the settings of the search (prim.Settings; the zero value
	// is PRIM's defaults). Its Threshold is not used: Density chooses.
	PRIM prim.Settings
	// Density chooses the box: the first box of the trajectory (the one
	// with the highest coverage) whose density reaches it, in (0, 1].
	// Zero means DefaultDensity; when no box reaches it, the knee of the
	// trajectory (prim.Result.Chosen without a threshold) is chosen.
	Density float64
	// Out is the folder written into; "" means the folder discover inside
	// the sweep folder.
	Out string
	// NoFigures skips the trajectory figure.
	NoFigures bool
}

// Discovery is what Discover found.
type Discovery struct {
	// Result is PRIM's trajectory and chosen box.
	Result *prim.Result
	// Cases and Positives count the cases and those of interest.
	Cases, Positives int
	// Files are the names of the files written, in Out.
	Files []string
	// Overrides is the chosen box as scenario overrides, one value per
	// restricted factor: the middle of a range (rounded as the factor
	// is), the first value of a list inside the box, or the first choice's
	// overrides.
	Overrides []string
}

// Discover runs PRIM (package prim) over the factors of the finished sweep
// in folder dir: the cases of interest are the replicates (or, with
// PerPoint, the points) that meet opt.Where. It writes the trajectory
// (prim_trajectory.csv and a figure of coverage against density), the
// chosen box with each limit's quasi-p-value (prim_box.csv) and the box
// as settings for `entrench run --config` (prim_box.yaml: a set list
// with one value inside the box per restricted factor).
func Discover(dir string, opt DiscoverOptions) (*Discovery, error) {
	e, err := loadForAnalysis(dir)
	if err != nil {
		return nil, err
	}
	pts, err := readTable(filepath.Join(dir, PointsFile))
	if err != nil {
		return nil, err
	}
	k := len(e.Factors)
	cols := make([]int, k)
	for j, f := range e.Factors {
		if cols[j] = slices.Index(pts.head, f.Name); cols[j] < 0 {
			return nil, fmt.Errorf("sweep: %s has no column %s", filepath.Join(dir, PointsFile), f.Name)
		}
	}
	xs := map[string][]float64{} // by point number
	for i, row := range pts.rows {
		x := make([]float64, k)
		for j, c := range cols {
			if x[j], err = strconv.ParseFloat(row[c], 64); err != nil {
				return nil, fmt.Errorf("sweep: %s:%d: %s: %w", filepath.Join(dir, PointsFile), i+2, e.Factors[j].Name, err)
			}
		}
		xs[row[0]] = x
	}
	var x [][]float64
	var y []bool
	add := func(file string, line int, point, value string) error {
		px, ok := xs[point]
		if !ok {
			return fmt.Errorf("sweep: %s:%d: point %s is not in %s", file, line, point, PointsFile)
		}
		v := math.NaN()
		if value != "" {
			if v, err = strconv.ParseFloat(value, 64); err != nil {
				return fmt.Errorf("sweep: %s:%d: %w", file, line, err)
			}
		}
		x, y = append(x, px), append(y, opt.Where.Holds(v))
		return nil
	}
	if opt.PerPoint {
		c := slices.Index(pts.head, opt.Where.Metric+"_mean")
		if c < 0 {
			return nil, fmt.Errorf("%w: %s is not one of the sweep's metrics (%s): use it per replicate, or one of those", ErrCondition, opt.Where.Metric, strings.Join(e.Metrics, ", "))
		}
		for i, row := range pts.rows {
			if err := add(PointsFile, i+2, row[0], row[c]); err != nil {
				return nil, err
			}
		}
	} else {
		reps, err := readTable(filepath.Join(dir, ReplicatesFile))
		if err != nil {
			return nil, err
		}
		c := slices.Index(reps.head, opt.Where.Metric)
		if c < 0 {
			return nil, fmt.Errorf("sweep: %s has no column %s", filepath.Join(dir, ReplicatesFile), opt.Where.Metric)
		}
		for i, row := range reps.rows {
			if err := add(ReplicatesFile, i+2, row[0], row[c]); err != nil {
				return nil, err
			}
		}
	}
	if len(y) == 0 {
		what := ReplicatesFile + " has no rows (the sweep failed everywhere, or an older entrench wrote it without per-replicate values): try --per point"
		if opt.PerPoint {
			what = PointsFile + " has no rows: every point failed"
		}
		return nil, fmt.Errorf("sweep: discover in %s: %s", dir, what)
	}
	factors := make([]prim.Factor, k)
	for j, f := range e.Factors {
		factors[j] = prim.Factor{Name: f.Name, Kind: primKind(&f)}
	}
	ps := opt.PRIM
	ps.Threshold = 0
	res, err := prim.Find(factors, x, y, ps)
	if err != nil {
		return nil, fmt.Errorf("sweep: discover %s: %w", opt.Where, err)
	}
	density := opt.Density
	if density == 0 {
		density = DefaultDensity
	}
	if !(density > 0 && density <= 1) {
		return nil, fmt.Errorf("sweep: discover: density %s is out of range: must be in (0, 1]", formatValue(density))
	}
	// Density never falls along the trajectory and coverage never rises:
	// the first box dense enough covers the most.
	for i, s := range res.Steps {
		if s.Density >= density {
			res.Chosen, res.ThresholdMet = i, true
			break
		}
	}
	d := &Discovery{Result: res, Cases: len(y)}
	for _, v := range y {
		if v {
			d.Positives++
		}
	}
	out := opt.Out
	if out == "" {
		out = filepath.Join(dir, "discover")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	if err := d.write(e, out, opt); err != nil {
		return d, err
	}
	return d, nil
}

// primKind is the PRIM kind of a factor: categorical for choices,
// integer for a factor whose values are all whole numbers (round a whole
// number, or a list of whole numbers), continuous otherwise.
func primKind(f *Factor) prim.Kind {
	switch {
	case len(f.Choices) > 0:
		return prim.Categorical
	case len(f.Values) > 0:
		for _, v := range f.Values {
			if v != math.Trunc(v) {
				return prim.Continuous
			}
		}
		return prim.Integer
	case f.Round > 0 && f.Round == math.Trunc(f.Round) && (f.Distribution == "" || f.Distribution == Uniform):
		return prim.Integer
	}
	return prim.Continuous
}

// loadForAnalysis loads the experiment stored in a finished sweep folder,
// whatever version wrote it (results are read, not recomputed).
func loadForAnalysis(dir string) (*Experiment, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s is not a sweep folder (no %s)", ErrMismatch, dir, ManifestFile)
		}
		return nil, err
	}
	if !m.Outputs {
		return nil, fmt.Errorf("%w: %s has no outputs yet (%d of %d points done): finish it with `entrench sweep --resume %s` (or merge its shards)", ErrIncomplete, dir, m.PointsDone, m.ShardPoints, dir)
	}
	src, err := os.ReadFile(filepath.Join(dir, ExperimentCopy))
	if err != nil {
		return nil, err
	}
	scen, err := os.ReadFile(filepath.Join(dir, ScenarioCopy))
	if err != nil {
		return nil, err
	}
	e, err := Load(m.ExperimentFile, src, func(string) (string, []byte, error) { return m.ScenarioFile, scen, nil })
	if err != nil {
		return nil, fmt.Errorf("sweep: the experiment stored in %s: %w", dir, err)
	}
	return e, nil
}

// table is a CSV file read whole.
type table struct {
	head []string
	rows [][]string
}

func readTable(path string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("sweep: %s is empty", path)
	}
	return &table{head: recs[0], rows: recs[1:]}, nil
}

// limitText writes a box limit of factor f for people.
func limitText(f *Factor, l prim.Limit) string {
	if len(f.Choices) > 0 {
		names := make([]string, len(l.Categories))
		for i, c := range l.Categories {
			names[i] = f.Choices[c].Name
		}
		return strings.Join(names, " | ")
	}
	return "[" + formatValue(l.Min) + ", " + formatValue(l.Max) + "]"
}

// write writes the discovery's files into out.
func (d *Discovery) write(e *Experiment, out string, opt DiscoverOptions) error {
	r := d.Result
	tr, err := createCSV(out, DiscoverTrajectoryFile, []string{"step", "coverage", "density", "mass", "cases", "positives", "restricted", "pasted", "chosen"})
	if err != nil {
		return err
	}
	defer tr.f.Abort()
	for i, s := range r.Steps {
		names := make([]string, len(s.Restricted))
		for n, j := range s.Restricted {
			names[n] = e.Factors[j].Name
		}
		if err := tr.write([]string{strconv.Itoa(i), output.FormatFloat(s.Coverage), output.FormatFloat(s.Density), output.FormatFloat(s.Mass),
			strconv.Itoa(s.N), strconv.Itoa(s.Positives), strings.Join(names, " "), strconv.FormatBool(s.Pasted), strconv.FormatBool(i == r.Chosen)}); err != nil {
			return err
		}
	}
	if err := tr.commit(); err != nil {
		return err
	}
	d.Files = append(d.Files, DiscoverTrajectoryFile)
	box := r.Box()
	bx, err := createCSV(out, DiscoverBoxFile, []string{"factor", "path", "min", "max", "categories", "quasi_p"})
	if err != nil {
		return err
	}
	defer bx.f.Abort()
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "# entrench discover: where %s (%s), box %d of %d of the PRIM trajectory:\n", opt.Where, map[bool]string{true: "per point", false: "per replicate"}[opt.PerPoint], r.Chosen, len(r.Steps)-1)
	fmt.Fprintf(&yaml, "# coverage %s, density %s, mass %s (%d of %d cases of interest).\n", output.Short(box.Coverage), output.Short(box.Density), output.Short(box.Mass), d.Positives, d.Cases)
	yaml.WriteString("# One value inside the box per restricted factor: entrench run SCENARIO --config THIS_FILE\n")
	for _, j := range box.Restricted {
		f := &e.Factors[j]
		l := box.Limits[j]
		cats := make([]string, len(l.Categories))
		for i, c := range l.Categories {
			cats[i] = strconv.Itoa(c)
		}
		mn, mx := output.FormatFloat(l.Min), output.FormatFloat(l.Max)
		if len(f.Choices) > 0 {
			mn, mx = "", ""
		}
		if err := bx.write([]string{f.Name, f.Path, mn, mx, strings.Join(cats, " "), output.FormatFloat(box.QuasiP[j])}); err != nil {
			return err
		}
		fmt.Fprintf(&yaml, "#   %s in %s (quasi-p %s)\n", f.Name, limitText(f, l), output.Short(box.QuasiP[j]))
		d.Overrides = append(d.Overrides, boxValue(f, l)...)
	}
	if err := bx.commit(); err != nil {
		return err
	}
	d.Files = append(d.Files, DiscoverBoxFile)
	if len(d.Overrides) == 0 {
		yaml.WriteString("set: []\n")
	} else {
		yaml.WriteString("set:\n")
		for _, o := range d.Overrides {
			fmt.Fprintf(&yaml, "  - %s\n", strconv.Quote(o))
		}
	}
	if err := output.WriteFileAtomic(out, DiscoverOverrideFile, []byte(yaml.String())); err != nil {
		return err
	}
	d.Files = append(d.Files, DiscoverOverrideFile)
	if opt.NoFigures {
		return nil
	}
	pl, err := trajectoryPlot(e, r, opt.Where)
	if err != nil {
		return err
	}
	names, err := output.SaveFigure(pl, out, discoverFigure)
	d.Files = append(d.Files, names...)
	return err
}

// boxValue returns the overrides that put factor f inside limit l.
func boxValue(f *Factor, l prim.Limit) []string {
	if len(f.Choices) > 0 {
		var s []string
		for _, o := range f.choiceSets[l.Categories[0]] {
			s = append(s, o.Path+"="+o.Value)
		}
		return s
	}
	var v float64
	if len(f.Values) > 0 {
		v = math.NaN()
		for _, x := range f.Values {
			if x >= l.Min && x <= l.Max && (math.IsNaN(v) || math.Abs(x-(l.Min+l.Max)/2) < math.Abs(v-(l.Min+l.Max)/2)) {
				v = x
			}
		}
	} else {
		v = f.round((l.Min + l.Max) / 2)
		if v < l.Min || v > l.Max {
			v = f.round(l.Min)
		}
	}
	return []string{f.Path + "=" + formatValue(v)}
}

// trajectoryPlot draws the peeling trajectory: density against coverage,
// one point per box, the chosen box marked.
func trajectoryPlot(e *Experiment, r *prim.Result, where Condition) (*plot.Plot, error) {
	pl := newPlot(fmt.Sprintf("%s: PRIM trajectory for %s", e.Name, where), "coverage (share of the cases of interest in the box)", "density (share of the box's cases of interest)")
	xy := make(plotter.XYs, len(r.Steps))
	for i, s := range r.Steps {
		xy[i] = plotter.XY{X: s.Coverage, Y: s.Density}
	}
	l, pts, err := plotter.NewLinePoints(xy)
	if err != nil {
		return nil, err
	}
	l.Color, pts.Color = colS1, colS1
	pl.Add(l, pts)
	pl.Legend.Add("boxes of the trajectory", l, pts)
	ch, err := plotter.NewScatter(plotter.XYs{xy[r.Chosen]})
	if err != nil {
		return nil, err
	}
	ch.Color, ch.Shape, ch.Radius = colST, draw.RingGlyph{}, 6
	pl.Add(ch)
	pl.Legend.Add(fmt.Sprintf("chosen box (step %d)", r.Chosen), ch)
	pl.X.Min, pl.X.Max = 0, 1.02
	pl.Y.Min, pl.Y.Max = 0, 1.02
	pl.Legend.Left, pl.Legend.Top = true, false
	pl.Add(plotter.NewGrid())
	return pl, nil
}
