package sweep

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/entrench/entrench/output"
)

var (
	colS1  = output.Palette[0]
	colST  = output.Palette[1]
	colNaN = color.NRGBA{R: 220, G: 220, B: 220, A: 255}
)

// writeFigures draws the figures of a finished sweep into dir:
//
//	heatmap_METRIC      two-factor grids: the mean of each metric
//	sobol_METRIC        sobol: first-order and total indices with intervals
//	sobol_convergence_METRIC
//	                    sobol: total indices and their intervals against N,
//	                    from prefixes of the design
//	morris_METRIC       morris: mu* against sigma
//	best_cooperation_fan, worst_cooperation_fan
//	                    fan charts of the points with the highest and
//	                    lowest mean of the first metric
//
// each as PNG and SVG. It returns the names of the files written.
func writeFigures(ctx context.Context, e *Experiment, p *plan, dir string, res *results, sob [][]SobolIndex, conv *convergence, mor [][]MorrisIndex, workers int) ([]string, error) {
	var files []string
	save := func(pl *plot.Plot, base string) error {
		names, err := output.SaveFigure(pl, dir, base)
		files = append(files, names...)
		return err
	}
	for m, metric := range e.Metrics {
		var pl *plot.Plot
		var err error
		switch {
		case e.Design.Kind == Grid && len(e.Factors) == 2:
			pl, err = heatMap(e, res.means[m], metric)
			if err == nil {
				err = save(pl, "heatmap_"+metric)
			}
		case sob != nil:
			pl, err = sobolBars(e, sob[m], metric)
			if err == nil {
				err = save(pl, "sobol_"+metric)
			}
			if err == nil && conv != nil && len(conv.sizes) > 1 {
				pl, err = convergencePlot(e, conv, m)
				if err == nil {
					err = save(pl, "sobol_convergence_"+metric)
				}
			}
		case mor != nil:
			pl, err = morrisPlot(e, mor[m], metric)
			if err == nil {
				err = save(pl, "morris_"+metric)
			}
		}
		if err != nil {
			return files, err
		}
	}
	best, worst := bestWorst(res.means[0])
	if best < 0 {
		return files, nil
	}
	for _, w := range []struct {
		name  string
		point int
	}{{"best", best}, {"worst", worst}} {
		agg, m, err := rerun(ctx, e, p, w.point, workers)
		if err != nil {
			return files, fmt.Errorf("sweep: fan chart of point %d: %w", w.point, err)
		}
		if agg.MetricIndex("cooperation") < 0 || agg.N() == 0 {
			continue
		}
		title := fmt.Sprintf("%s: %s point %d (%s %s): %s", e.Name, w.name, w.point, e.Metrics[0], output.Short(res.means[0][w.point]), pointLabel(e, p, w.point))
		if len(title) > 88 {
			title = title[:85] + "..."
		}
		pl, err := output.FanChart(agg, "cooperation", title, "Cooperation level (mean channel activity, 0-1)", output.MarkersFromScenario(m.Scenario))
		if err != nil {
			return files, err
		}
		if err := save(pl, w.name+"_cooperation_fan"); err != nil {
			return files, err
		}
	}
	return files, nil
}

// pointLabel lists a point's factor values, "a=1, b=2".
func pointLabel(e *Experiment, p *plan, i int) string {
	x := make([]float64, len(e.Factors))
	p.point(i, x)
	parts := make([]string, len(x))
	for j, v := range x {
		parts[j] = e.Factors[j].Name + "=" + output.Short(v)
	}
	return strings.Join(parts, ", ")
}

// sansStyle is the project's figure text style (package output) at size
// points, in black.
func sansStyle(size float64) text.Style {
	return output.TextStyle(size, color.Black)
}

func newPlot(title, xlabel, ylabel string) *plot.Plot {
	pl := plot.New()
	pl.Title.Text = title
	pl.Title.TextStyle = sansStyle(12)
	pl.Title.TextStyle.XAlign = draw.XCenter
	pl.Title.TextStyle.YAlign = draw.YTop
	pl.Title.Padding = vg.Points(6)
	pl.X.Label.Text = xlabel
	pl.Y.Label.Text = ylabel
	for _, ax := range []*plot.Axis{&pl.X, &pl.Y} {
		ax.Label.TextStyle = sansStyle(11)
		ax.Label.TextStyle.XAlign = draw.XCenter
		ax.Tick.Label = sansStyle(10)
	}
	pl.Y.Tick.Label.XAlign, pl.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	pl.X.Tick.Label.XAlign, pl.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	pl.Legend.TextStyle = sansStyle(10)
	return pl
}

// gridData is the GridXYZ of a two-factor grid, in level indices.
type gridData struct {
	c, r int
	z    []float64 // z[c*r+row]
}

func (g gridData) Dims() (int, int)   { return g.c, g.r }
func (g gridData) Z(c, r int) float64 { return g.z[c*g.r+r] }
func (g gridData) X(c int) float64    { return float64(c) }
func (g gridData) Y(r int) float64    { return float64(r) }

// heatMap draws the mean of a metric over a two-factor grid, with the
// value printed in every cell when there are few enough.
func heatMap(e *Experiment, y []float64, metric string) (*plot.Plot, error) {
	f0, f1 := &e.Factors[0], &e.Factors[1]
	g := gridData{c: f0.gridLevels(), r: f1.gridLevels(), z: y}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range y {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if hi <= lo {
		hi = lo + 1e-9
	}
	pal, err := brewer.GetPalette(brewer.TypeSequential, "YlGnBu", 9)
	if err != nil {
		return nil, err
	}
	pl := newPlot(fmt.Sprintf("%s: mean %s, %d replicates per point (light %s, dark %s)", e.Name, metric, e.Replicates, output.Short(lo), output.Short(hi)), f0.Name, f1.Name)
	h := plotter.NewHeatMap(g, pal)
	h.Min, h.Max, h.NaN = lo, hi, colNaN
	pl.Add(h)
	ticks := func(f *Factor, n int) plot.ConstantTicks {
		t := make([]plot.Tick, n)
		for i := range t {
			t[i] = plot.Tick{Value: float64(i), Label: output.Short(f.gridValue(i))}
		}
		return t
	}
	pl.X.Tick.Marker = ticks(f0, g.c)
	pl.Y.Tick.Marker = ticks(f1, g.r)
	if g.c*g.r <= 144 {
		var xys plotter.XYs
		var labels []string
		for c := range g.c {
			for r := range g.r {
				xys = append(xys, plotter.XY{X: float64(c), Y: float64(r)})
				labels = append(labels, output.Short(g.Z(c, r)))
			}
		}
		l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return nil, err
		}
		for i := range l.TextStyle {
			l.TextStyle[i] = sansStyle(9)
			l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
			if z := g.Z(int(xys[i].X), int(xys[i].Y)); (z-lo)/(hi-lo) > 0.6 {
				l.TextStyle[i].Color = color.White
			}
		}
		pl.Add(l)
	}
	pl.X.Min, pl.X.Max = -0.5, float64(g.c)-0.5
	pl.Y.Min, pl.Y.Max = -0.5, float64(g.r)-0.5
	return pl, nil
}

// errBars are points with asymmetric error bars (absolute bounds).
type errBars struct {
	xy     plotter.XYs
	lo, hi []float64 // absolute bounds
}

func (b errBars) Len() int                        { return len(b.xy) }
func (b errBars) XY(i int) (float64, float64)     { return b.xy[i].X, b.xy[i].Y }
func (b errBars) YError(i int) (float64, float64) { return b.xy[i].Y - b.lo[i], b.hi[i] - b.xy[i].Y }
func (b errBars) XError(i int) (float64, float64) { return b.xy[i].X - b.lo[i], b.hi[i] - b.xy[i].X }

// zeroNaN replaces NaN by 0 for drawing.
func zeroNaN(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// sobolBars draws first-order and total indices side by side per factor,
// with their bootstrap intervals.
func sobolBars(e *Experiment, idx []SobolIndex, metric string) (*plot.Plot, error) {
	k := len(idx)
	pl := newPlot(fmt.Sprintf("%s: Sobol indices of %s (N=%d, %d replicates per point)", e.Name, metric, e.Design.N, e.Replicates), "Factor", "Sobol index (share of variance)")
	names := make([]string, k)
	s1, st := make(plotter.Values, k), make(plotter.Values, k)
	var e1, et errBars
	for i, s := range idx {
		names[i] = e.Factors[i].Name
		s1[i], st[i] = zeroNaN(s.S1), zeroNaN(s.ST)
		if !math.IsNaN(s.S1Lo) && !math.IsNaN(s.S1) {
			e1.xy = append(e1.xy, plotter.XY{X: float64(i) - 0.2, Y: s.S1})
			e1.lo, e1.hi = append(e1.lo, s.S1Lo), append(e1.hi, s.S1Hi)
		}
		if !math.IsNaN(s.STLo) && !math.IsNaN(s.ST) {
			et.xy = append(et.xy, plotter.XY{X: float64(i) + 0.2, Y: s.ST})
			et.lo, et.hi = append(et.lo, s.STLo), append(et.hi, s.STHi)
		}
	}
	// The data area is about 7 inches wide for k+0.6 units; a bar takes
	// a third of a unit.
	w := vg.Length(7*vg.Inch) / vg.Length(float64(k)+0.6) / 3
	for _, b := range []struct {
		v     plotter.Values
		x     float64
		c     color.Color
		label string
		eb    errBars
	}{{s1, -0.2, colS1, "first order S1", e1}, {st, 0.2, colST, "total ST", et}} {
		bc, err := plotter.NewBarChart(b.v, w)
		if err != nil {
			return nil, err
		}
		bc.XMin, bc.Color = b.x, b.c
		bc.LineStyle.Width = 0
		pl.Add(bc)
		pl.Legend.Add(b.label, bc)
		if b.eb.Len() > 0 {
			eb, err := plotter.NewYErrorBars(b.eb)
			if err != nil {
				return nil, err
			}
			pl.Add(eb)
		}
	}
	pl.Legend.Top = true
	pl.NominalX(names...)
	pl.Y.Min = math.Min(pl.Y.Min, 0)
	pl.Y.Max = math.Max(pl.Y.Max, 1)
	pl.Add(plotter.NewGrid())
	return pl, nil
}

// convergencePlot draws the total index of every factor for metric m,
// with its bootstrap interval, against the number of rows N of the
// design's prefixes, on a log2 axis: the indices settle and the
// intervals narrow as N grows.
func convergencePlot(e *Experiment, conv *convergence, m int) (*plot.Plot, error) {
	metric := e.Metrics[m]
	pl := newPlot(fmt.Sprintf("%s: convergence of the total Sobol indices of %s", e.Name, metric), "N (rows of the Saltelli design, log scale)", "total index ST with interval")
	pl.X.Scale = plot.LogScale{}
	pl.X.Tick.Marker = plot.LogTicks{Prec: -1}
	k := len(e.Factors)
	for i := range k {
		var xy plotter.XYs
		var eb errBars
		// Factors are spread a little along x so that their bars do not
		// hide each other.
		shift := math.Pow(2, 0.25*(float64(i)-float64(k-1)/2)/float64(max(k, 1)))
		for s, n := range conv.sizes {
			x := conv.idx[m][s][i]
			if math.IsNaN(x.ST) {
				continue
			}
			pt := plotter.XY{X: float64(n) * shift, Y: x.ST}
			xy = append(xy, pt)
			if !math.IsNaN(x.STLo) {
				eb.xy = append(eb.xy, pt)
				eb.lo, eb.hi = append(eb.lo, x.STLo), append(eb.hi, x.STHi)
			}
		}
		if len(xy) == 0 {
			continue
		}
		c := output.Palette[i%len(output.Palette)]
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		l.Color, pts.Color = c, c
		pl.Add(l, pts)
		pl.Legend.Add(e.Factors[i].Name, l, pts)
		if eb.Len() > 0 {
			b, err := plotter.NewYErrorBars(eb)
			if err != nil {
				return nil, err
			}
			b.Color = c
			pl.Add(b)
		}
	}
	pl.Legend.Top = true
	pl.Y.Min = math.Min(pl.Y.Min, 0)
	pl.Add(plotter.NewGrid())
	return pl, nil
}

// morrisPlot draws mu* (x) against sigma (y), one labelled point per
// factor, with the bootstrap interval of mu*, and the line sigma = mu*.
func morrisPlot(e *Experiment, idx []MorrisIndex, metric string) (*plot.Plot, error) {
	pl := newPlot(fmt.Sprintf("%s: Morris screening of %s (%d trajectories, %d levels)", e.Name, metric, e.Design.Trajectories, e.Design.Levels),
		"mu* (mean |elementary effect|, per full range)", "sigma (sd of elementary effects)")
	var xy plotter.XYs
	var labels []string
	var eb errBars
	top := 0.0
	for i, s := range idx {
		if math.IsNaN(s.MuStar) {
			continue
		}
		pt := plotter.XY{X: s.MuStar, Y: zeroNaN(s.Sigma)}
		xy = append(xy, pt)
		labels = append(labels, e.Factors[i].Name)
		top = math.Max(top, math.Max(pt.X, pt.Y))
		if !math.IsNaN(s.MuStarLo) {
			eb.xy = append(eb.xy, pt)
			eb.lo, eb.hi = append(eb.lo, s.MuStarLo), append(eb.hi, s.MuStarHi)
			top = math.Max(top, s.MuStarHi)
		}
	}
	if top == 0 {
		top = 1
	}
	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: top * 1.05, Y: top * 1.05}})
	if err != nil {
		return nil, err
	}
	diag.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	diag.Color = color.Gray{Y: 150}
	pl.Add(diag)
	pl.Legend.Add("sigma = mu*", diag)
	if len(xy) > 0 {
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = colS1, vg.Points(4), draw.CircleGlyph{}
		pl.Add(sc)
		l, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: labels})
		if err != nil {
			return nil, err
		}
		for i := range l.TextStyle {
			l.TextStyle[i] = sansStyle(9)
			l.TextStyle[i].YAlign = draw.YBottom
		}
		l.Offset = vg.Point{X: vg.Points(5), Y: vg.Points(3)}
		pl.Add(l)
		if eb.Len() > 0 {
			x, err := plotter.NewXErrorBars(eb)
			if err != nil {
				return nil, err
			}
			pl.Add(x)
		}
	}
	pl.X.Min, pl.Y.Min = 0, 0
	pl.X.Max, pl.Y.Max = top*1.15, top*1.15
	pl.Legend.Top = true
	pl.Legend.Left = true
	return pl, nil
}
