package calibrate

import (
	"bytes"
	"image/color"
	"math"
	"math/rand/v2"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/entrench/entrench/abc"
	"github.com/entrench/entrench/output"
)

// Figure base names (each written as .png and .svg).
const (
	MarginalsFigure = "marginals"
	PairsFigure     = "pairs"
	// FanFigurePrefix is followed by the target name.
	FanFigurePrefix = "fit-"
)

// pairDraws is the number of resampled particles in the pair plot.
const pairDraws = 400

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, x, y
	output.StyleTitleAndAxes(p)
	p.Legend.TextStyle = output.TextStyle(9, color.Black)
	return p
}

// saveCanvas draws with fill onto a w×h canvas and writes base.png and
// base.svg into dir.
func saveCanvas(dir, base string, w, h vg.Length, fill func(draw.Canvas)) ([]string, error) {
	var files []string
	for _, ext := range []string{"png", "svg"} {
		var c vg.CanvasWriterTo
		if ext == "png" {
			c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(output.FigureDPI))}
		} else {
			c = vgsvg.New(w, h)
		}
		fill(draw.New(c))
		var b bytes.Buffer
		if _, err := c.WriteTo(&b); err != nil {
			return files, err
		}
		if err := output.WriteFileAtomic(dir, base+"."+ext, b.Bytes()); err != nil {
			return files, err
		}
		files = append(files, base+"."+ext)
	}
	return files, nil
}

func tiled(dir, base string, plots [][]*plot.Plot, cell vg.Length) ([]string, error) {
	rows, cols := len(plots), len(plots[0])
	return saveCanvas(dir, base, vg.Length(cols)*cell, vg.Length(rows)*cell, func(dc draw.Canvas) {
		t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter, PadY: vg.Millimeter, PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: vg.Millimeter}
		cs := plot.Align(plots, t, dc)
		for i := range plots {
			for j := range plots[i] {
				if plots[i][j] != nil {
					plots[i][j].Draw(cs[i][j])
				}
			}
		}
	})
}

// writeFigures writes the marginals, the pair plot and one fan chart per
// series target.
func (c *Calibration) writeFigures(dir string, res *abc.Result, fit []FitRow) ([]string, error) {
	var files []string
	g := res.Posterior
	np := len(c.Params)
	col := func(k int) []float64 {
		x := make([]float64, len(g.Particles))
		for i, th := range g.Particles {
			x[i] = th[k]
		}
		return x
	}
	// Marginals against priors.
	cols := min(np, 4)
	rows := (np + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for i := range grid {
		grid[i] = make([]*plot.Plot, cols)
	}
	for k, prm := range c.Params {
		x := col(k)
		p := newPlot(prm.Name, "", "density")
		lo, hi := span(x)
		slo, shi := Support(prm.Prior)
		w := hi - lo
		if w == 0 {
			w = math.Max(math.Abs(lo), 1) * 0.1
		}
		lo, hi = math.Max(lo-w/2, slo), math.Min(hi+w/2, shi)
		if xys := weighted(x, g.Weights); len(xys) > 0 {
			h, err := plotter.NewHistogram(xys, 20)
			if err == nil {
				h.Normalize(1)
				h.FillColor = output.Palette[0]
				h.LineStyle.Width = 0
				p.Add(h)
				if k == 0 {
					p.Legend.Add("posterior", h)
				}
			}
		}
		pr := prm.Prior
		f := plotter.NewFunction(func(v float64) float64 { return math.Exp(pr.LogProb(v)) })
		f.XMin, f.XMax, f.Samples = lo, hi, 200
		f.Color = output.Palette[1]
		f.Width = vg.Points(1.5)
		p.Add(f)
		if k == 0 {
			p.Legend.Add("prior", f)
			p.Legend.Top = true
		}
		p.X.Min, p.X.Max = lo, hi
		grid[k/cols][k%cols] = p
	}
	for i := range grid {
		for j := range grid[i] {
			if grid[i][j] == nil {
				grid[i][j] = newPlot("", "", "")
				grid[i][j].HideAxes()
			}
		}
	}
	fs, err := tiled(dir, MarginalsFigure, grid, 5*vg.Centimeter)
	files = append(files, fs...)
	if err != nil {
		return files, err
	}
	// Pair plot of resampled particles.
	idx := abc.Resample(g, pairDraws, rand.New(rand.NewPCG(abc.StreamSeed(c.Settings.Seed, predictGeneration, 1, purposeResample))))
	pg := make([][]*plot.Plot, np)
	for i := range np {
		pg[i] = make([]*plot.Plot, np)
		for j := range np {
			xl, yl := "", ""
			if i == np-1 {
				xl = c.Params[j].Name
			}
			if j == 0 {
				yl = c.Params[i].Name
			}
			p := newPlot("", xl, yl)
			switch {
			case i == j:
				if xys := weighted(col(i), g.Weights); len(xys) > 0 {
					if h, err := plotter.NewHistogram(xys, 15); err == nil {
						h.FillColor = output.Palette[0]
						h.LineStyle.Width = 0
						p.Add(h)
					}
				}
			case j < i:
				pts := make(plotter.XYs, len(idx))
				for n, k := range idx {
					pts[n].X, pts[n].Y = g.Particles[k][j], g.Particles[k][i]
				}
				if s, err := plotter.NewScatter(pts); err == nil {
					s.GlyphStyle.Radius = vg.Points(1)
					s.GlyphStyle.Color = color.NRGBA{R: 31, G: 119, B: 180, A: 120}
					p.Add(s)
				}
			default:
				p.HideAxes()
			}
			pg[i][j] = p
		}
	}
	fs, err = tiled(dir, PairsFigure, pg, 3*vg.Centimeter)
	files = append(files, fs...)
	if err != nil {
		return files, err
	}
	// Fan charts of the series targets.
	for _, t := range c.Targets {
		if t.Series == "" {
			continue
		}
		var rs []FitRow
		for _, r := range fit {
			if r.Target == t.Name && !math.IsNaN(r.Median) {
				rs = append(rs, r)
			}
		}
		if len(rs) == 0 {
			continue
		}
		fs, err := c.fanChart(dir, t, rs)
		files = append(files, fs...)
		if err != nil {
			return files, err
		}
	}
	return files, nil
}

// fanChart draws a target's observed points over its posterior predictive
// band, with the fit window shaded and out-of-sample points hollow.
func (c *Calibration) fanChart(dir string, t TargetSpec, rs []FitRow) ([]string, error) {
	p := newPlot(t.Name+": posterior predictive", "year", t.Series+" (observed scale)")
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for _, r := range rs {
		ylo, yhi = math.Min(ylo, math.Min(r.Q05, r.Observed)), math.Max(yhi, math.Max(r.Q95, r.Observed))
	}
	pad := (yhi - ylo) * 0.1
	if pad == 0 {
		pad = 0.05
	}
	ylo, yhi = ylo-pad, yhi+pad
	x0, x1 := rs[0].Year-0.5, rs[len(rs)-1].Year+0.5
	wlo, whi := math.Max(c.From.DecimalYear(), x0), math.Min((c.To+1).DecimalYear(), x1)
	if whi > wlo {
		win, err := plotter.NewPolygon(plotter.XYs{{X: wlo, Y: ylo}, {X: whi, Y: ylo}, {X: whi, Y: yhi}, {X: wlo, Y: yhi}})
		if err == nil {
			win.Color = color.NRGBA{R: 230, G: 230, B: 230, A: 255}
			win.LineStyle.Width = 0
			p.Add(win)
			p.Legend.Add("fit window", win)
		}
	}
	band := make(plotter.XYs, 0, 2*len(rs))
	med := make(plotter.XYs, len(rs))
	var in, out plotter.XYs
	for i, r := range rs {
		band = append(band, plotter.XY{X: r.Year, Y: r.Q05})
		med[i] = plotter.XY{X: r.Year, Y: r.Median}
		if r.InWindow {
			in = append(in, plotter.XY{X: r.Year, Y: r.Observed})
		} else {
			out = append(out, plotter.XY{X: r.Year, Y: r.Observed})
		}
	}
	for i := len(rs) - 1; i >= 0; i-- {
		band = append(band, plotter.XY{X: rs[i].Year, Y: rs[i].Q95})
	}
	if poly, err := plotter.NewPolygon(band); err == nil {
		poly.Color = color.NRGBA{R: 31, G: 119, B: 180, A: 80}
		poly.LineStyle.Width = 0
		p.Add(poly)
		p.Legend.Add("90% predictive interval", poly)
	}
	if l, err := plotter.NewLine(med); err == nil {
		l.Color = output.Palette[0]
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add("predictive median", l)
	}
	if len(in) > 0 {
		s, _ := plotter.NewScatter(in)
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		s.GlyphStyle.Color = color.Black
		s.GlyphStyle.Radius = vg.Points(3)
		p.Add(s)
		p.Legend.Add("observed (fitted)", s)
	}
	if len(out) > 0 {
		s, _ := plotter.NewScatter(out)
		s.GlyphStyle.Shape = draw.RingGlyph{}
		s.GlyphStyle.Color = output.Palette[3]
		s.GlyphStyle.Radius = vg.Points(3.5)
		p.Add(s)
		p.Legend.Add("observed (out of sample)", s)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = x0, x1, ylo, yhi
	p.Legend.Top = false
	p.Legend.Left = true
	return saveCanvas(dir, FanFigurePrefix+t.Name, output.FigureWidth, output.FigureHeight, func(dc draw.Canvas) { p.Draw(dc) })
}

// weighted pairs values with weights for a weighted histogram.
func weighted(x, w []float64) plotter.XYs {
	xys := make(plotter.XYs, len(x))
	for i := range x {
		xys[i] = plotter.XY{X: x[i], Y: w[i]}
	}
	return xys
}

func span(x []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}
