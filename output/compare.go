package output

import (
	"encoding/csv"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// CompareFile is the name of the paired-comparison table.
const CompareFile = "compare.csv"

// CompareHeader is the header of compare.csv: one row per summary metric,
// with the means of A and B over the replicates where the metric is defined
// in both (n), the paired difference B-A with its 95% interval, the paired
// and unpaired standard errors, and how many times narrower pairing made
// the interval (se_unpaired/se_paired).
var CompareHeader = []string{"metric", "n", "mean_a", "mean_b", "diff", "ci_lo", "ci_hi", "se_paired", "se_unpaired", "narrowing"}

// WriteCompare writes compare.csv for c into dir, atomically.
func WriteCompare(dir string, c *sim.Comparison) error {
	return writeAtomic(dir, CompareFile, func(f *AtomicFile) error {
		w := csv.NewWriter(f)
		if err := w.Write(CompareHeader); err != nil {
			return err
		}
		for _, p := range c.Rows() {
			rec := []string{p.Name, strconv.Itoa(p.N)}
			for _, x := range []float64{p.MeanA, p.MeanB, p.Mean, p.Lo, p.Hi, p.SE, p.SEUnpaired, p.Narrowing} {
				rec = append(rec, FormatFloat(x))
			}
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		w.Flush()
		return w.Error()
	})
}

// CompareCharts returns the three panels of a comparison for one metric:
// the fan chart of A, the fan chart of B, and the fan chart of the paired
// difference B-A.
func CompareCharts(c *sim.Comparison, metric, label string, scA, scB *scenarios.Scenario) ([3]*plot.Plot, error) {
	var ps [3]*plot.Plot
	var err error
	ps[0], err = FanChart(c.A, metric, scA.Name+": "+label, label+" (0-1)", MarkersFromScenario(scA))
	if err != nil {
		return ps, err
	}
	ps[1], err = FanChart(c.B, metric, scB.Name+": "+label, label+" (0-1)", MarkersFromScenario(scB))
	if err != nil {
		return ps, err
	}
	// A and B share one scale so that their levels can be compared by eye.
	top := math.Max(ps[0].Y.Max, ps[1].Y.Max)
	ps[0].Y.Max, ps[1].Y.Max = top, top
	ps[2], err = FanChart(c.Diff, metric, fmt.Sprintf("Paired difference, %s minus %s", scB.Name, scA.Name),
		"Difference in "+label, MarkersFromScenario(scB))
	if err == nil && metric == "entrenchment" {
		for _, p := range ps {
			CaptionEntrenchment(p)
		}
	}
	return ps, err
}

// WriteCompareFigures writes, for the cooperation and entrenchment
// metrics, each panel as PNG and SVG (<metric>_a, <metric>_b,
// <metric>_diff) and the three side by side (<metric>_compare), and
// returns the file names written.
func WriteCompareFigures(dir string, c *sim.Comparison, scA, scB *scenarios.Scenario) ([]string, error) {
	var files []string
	for _, m := range []struct{ name, label string }{{"cooperation", "Cooperation"}, {"entrenchment", "Entrenchment"}} {
		ps, err := CompareCharts(c, m.name, m.label, scA, scB)
		if err != nil {
			return files, err
		}
		for i, suffix := range []string{"_a", "_b", "_diff"} {
			fs, err := SaveFigure(ps[i], dir, m.name+suffix)
			files = append(files, fs...)
			if err != nil {
				return files, err
			}
		}
		fs, err := saveTiled(ps[:], dir, m.name+"_compare")
		files = append(files, fs...)
		if err != nil {
			return files, err
		}
	}
	return files, nil
}

// saveTiled draws plots side by side, each at the standard figure size,
// and saves them as PNG and SVG.
func saveTiled(ps []*plot.Plot, dir, base string) ([]string, error) {
	w, h := FigureWidth*vg.Length(len(ps)), FigureHeight
	draw1 := func(c draw.Canvas) {
		tiles := draw.Tiles{Rows: 1, Cols: len(ps), PadX: vg.Points(6)}
		grid := [][]*plot.Plot{ps}
		cs := plot.Align(grid, tiles, c)
		for j, p := range ps {
			p.Draw(cs[0][j])
		}
	}
	var files []string
	png := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(FigureDPI))
	draw1(draw.New(png))
	if err := writeAtomic(dir, base+".png", func(f *AtomicFile) error {
		_, err := vgimg.PngCanvas{Canvas: png}.WriteTo(f)
		return err
	}); err != nil {
		return files, err
	}
	files = append(files, base+".png")
	svg := vgsvg.New(w, h)
	draw1(draw.New(svg))
	if err := writeAtomic(dir, base+".svg", func(f *AtomicFile) error {
		_, err := svg.WriteTo(f)
		return err
	}); err != nil {
		return files, err
	}
	return append(files, base+".svg"), nil
}
