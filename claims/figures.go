package claims

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// curve is one scenario's median (with its middle-50% band) on a
// comparison figure.
type curve struct {
	label string
	agg   *sim.Aggregate
}

// mark is a dated vertical line on a comparison figure.
type mark struct {
	date  scenarios.Month
	label string
	c     color.Color
}

// curveColor colours the curves of a comparison figure in order: the
// reference scenario grey, then the shared palette.
var curveColor = []color.NRGBA{
	{R: 90, G: 90, B: 90, A: 255}, // the reference scenario: grey
	output.Palette[0],             // blue
	output.Palette[1],             // orange
	output.Palette[2],             // green
	output.Palette[4],             // purple
	output.Palette[3],             // red
}

// style is the figures' black text at size points.
func style(size float64) text.Style { return output.TextStyle(size, color.Black) }

// WriteFigures draws the claims' figures into folder dir, each as PNG and
// SVG, and returns the names of the files written (the report must come
// from Run with Settings.Figures):
//
//	claim1_crisis_prone_fan     cooperation fan chart of crisis-prone
//	claim1_attention            median cooperation, baseline and
//	                            attention-wanes
//	claim3_ru_military          median Russian military stance, baseline
//	                            and mil2mil-push
//	claim4_5_reference_crisis   median cooperation of the baseline, each
//	                            stake and all three around the reference
//	                            crisis
//	backcast_cooperation_fan    fan chart of the backcast with its events
//	claim7_backcast_vs_memo     median cooperation of the backcast and of
//	                            the memo's levers from 2010
//
// A figure whose scenarios were not run is skipped.
func (r *Report) WriteFigures(dir string) ([]string, error) {
	var files []string
	save := func(p *plot.Plot, err error, base string) error {
		if err != nil {
			return fmt.Errorf("claims: figure %s: %w", base, err)
		}
		names, err := output.SaveFigure(p, dir, base)
		files = append(files, names...)
		return err
	}
	runs := fmt.Sprintf("%d runs", r.Runs)
	ref := func(name string) string { return Scenario{Name: name, Ref: Militarized}.Key() }

	if a := r.aggs[CrisisProne]; a != nil {
		p, err := output.FanChart(a, "cooperation", "Claim 1: crisis-prone, no stakes: cooperation over "+runs,
			"Cooperation level (mean channel activity, 0-1)", nil)
		if err := save(p, err, "claim1_crisis_prone_fan"); err != nil {
			return files, err
		}
	}
	if cs := r.curves([]string{Baseline, Attention}, []string{"baseline", "attention-wanes"}); cs != nil {
		p, err := medianPlot("Claim 1: waning US attention, median of "+runs,
			"Cooperation level (median, 0-1)", "cooperation", cs, nil, true)
		if err := save(p, err, "claim1_attention"); err != nil {
			return files, err
		}
	}
	if cs := r.curves([]string{Baseline, Mil2Mil}, []string{"baseline (pressure 0.2)", "mil2mil-push (pressure 0.9)"}); cs != nil {
		p, err := medianPlot("Claim 3: mil-to-mil pressure and the Russian military, median of "+runs,
			"Russian military stance (0-1)", "ru_military_stance", cs, nil, true)
		if err := save(p, err, "claim3_ru_military"); err != nil {
			return files, err
		}
	}
	if cs := r.curves([]string{ref(Baseline), ref(TAPIOnly), ref(BorderOnly), ref(DefenseOnly), ref(ThreeStakes)},
		[]string{Baseline, TAPIOnly, BorderOnly, DefenseOnly, ThreeStakes}); cs != nil {
		sc := r.scs[ref(Baseline)]
		p, err := medianPlot("Claims 4 and 5: the stakes and a reference crisis, median of "+runs,
			"Cooperation level (median, 0-1)", "cooperation", cs,
			[]mark{{sc.DateOf(ReferenceTick), "reference crisis", output.ColorCrisis}}, false)
		if err := save(p, err, "claim4_5_reference_crisis"); err != nil {
			return files, err
		}
	}
	if a := r.aggs[Backcast]; a != nil {
		p, err := output.FanChart(a, "cooperation", "Backcast: cooperation over "+runs,
			"Cooperation level (mean channel activity, 0-1)", output.MarkersFromScenario(r.scs[Backcast]))
		if err := save(p, err, "backcast_cooperation_fan"); err != nil {
			return files, err
		}
	}
	if cs := r.curves([]string{Backcast, MemoLevers}, []string{"backcast (history)", "memo-levers-2010 (the memo's stakes from 2010)"}); cs != nil {
		marks := []mark{
			{mustMonth("1999-03"), "Kosovo", output.ColorCrisis}, {mustMonth("2008-08"), "Georgia", output.ColorCrisis},
			{mustMonth("2010-10"), "memo's stakes", output.ColorLever}, {mustMonth("2014-03"), "Crimea", output.ColorCrisis},
		}
		p, err := medianPlot("Claim 7: backcast and the memo's counterfactual, median of "+runs,
			"Cooperation level (median, 0-1)", "cooperation", cs, marks, true)
		if err := save(p, err, "claim7_backcast_vs_memo"); err != nil {
			return files, err
		}
	}
	return files, nil
}

// curves returns the curves of the given scenario keys, or nil if any was
// not run.
func (r *Report) curves(keys, labels []string) []curve {
	cs := make([]curve, len(keys))
	for i, k := range keys {
		a := r.aggs[k]
		if a == nil || a.N() == 0 {
			return nil
		}
		cs[i] = curve{labels[i], a}
	}
	return cs
}

// markTop is where the vertical lines of marks end, below the legend.
const markTop = 0.82

// medianPlot draws the median over runs of one metric for each curve, with
// its middle-50% band when bands is set, and a labelled dashed vertical
// line for each mark (up to markTop, leaving the top of the plot to the
// legend). The y axis runs from 0 to 1.
func medianPlot(title, ylabel, metric string, cs []curve, marks []mark, bands bool) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	output.StyleTitleAndAxes(p)
	p.X.Label.Text, p.Y.Label.Text = "Year", ylabel
	p.X.Tick.Marker = output.YearTicks{}
	p.Legend.TextStyle = style(10)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(4), -vg.Points(4)
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color = output.ColorGrid
	g.Horizontal.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
	p.Add(g)

	dates := cs[0].agg.Dates
	x0, x1 := dates[0].DecimalYear(), dates[len(dates)-1].DecimalYear()
	for _, mk := range marks {
		x := mk.date.DecimalYear()
		if x < x0 || x > x1 {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: markTop}})
		if err != nil {
			return nil, err
		}
		l.Color, l.Width, l.Dashes = mk.c, vg.Points(1), []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: markTop - 0.03}}, Labels: []string{" " + mk.label}})
		if err != nil {
			return nil, err
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i] = style(9)
			lab.TextStyle[i].Color = mk.c
		}
		p.Add(lab)
	}
	for i, c := range cs {
		m := c.agg.MetricIndex(metric)
		if m < 0 {
			return nil, fmt.Errorf("no metric %q in %s", metric, c.label)
		}
		col := curveColor[i%len(curveColor)]
		n := c.agg.Ticks
		med := make(plotter.XYs, n)
		band := make(plotter.XYs, 2*n)
		for t := range n {
			s := c.agg.Stats(m, t)
			x := c.agg.Dates[t].DecimalYear()
			med[t] = plotter.XY{X: x, Y: s.Q50}
			band[t] = plotter.XY{X: x, Y: s.Q25}
			band[2*n-1-t] = plotter.XY{X: x, Y: s.Q75}
		}
		if bands {
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, err
			}
			fill := col
			fill.A = 60
			poly.Color = fill
			poly.LineStyle.Color = color.Transparent
			p.Add(poly)
		}
		l, err := plotter.NewLine(med)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = col, vg.Points(2)
		if i == 0 {
			l.Width = vg.Points(2.5)
		}
		p.Add(l)
		p.Legend.Add(c.label, l)
	}
	if bands {
		p.Legend.Add("(shading: middle 50% of runs)")
	}
	p.X.Min, p.X.Max = x0, x1
	p.Y.Min, p.Y.Max = 0, 1
	return p, nil
}
