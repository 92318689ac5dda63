package output

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// Figure size and PNG resolution: 8 by 4.5 inches, 1200 by 675 pixels.
const (
	FigureWidth  = 8 * vg.Inch
	FigureHeight = 4.5 * vg.Inch
	FigureDPI    = 150
)

// Marker is a dated event drawn on a figure as a vertical dashed line,
// labelled above the plot area.
type Marker struct {
	// Date is the month of the event.
	Date scenarios.Month
	// Label is the text shown; labels longer than 28 characters are
	// shortened with an ellipsis.
	Label string
	// Kind is a scenarios event kind. It sets the colour: "crisis" red,
	// "initiative" and "recovery" green, "lever" blue, anything else grey.
	Kind string
}

// MarkersFromScenario returns a marker for every scheduled event of sc,
// labelled with the event's name, in date order (ties keep file order).
func MarkersFromScenario(sc *scenarios.Scenario) []Marker {
	ms := make([]Marker, 0, len(sc.Events))
	for _, e := range sc.Events {
		ms = append(ms, Marker{Date: e.Date, Label: e.Name, Kind: e.Kind})
	}
	slices.SortStableFunc(ms, func(a, b Marker) int { return int(a.Date) - int(b.Date) })
	return ms
}

// Colours of the fan charts and line charts (the shared ones are in
// style.go).
var (
	colBand90  = color.NRGBA{R: 218, G: 218, B: 235, A: 255}
	colBand50  = color.NRGBA{R: 158, G: 154, B: 200, A: 255}
	colMedian  = color.NRGBA{R: 63, G: 0, B: 125, A: 255}
	colSample  = color.NRGBA{R: 120, G: 120, B: 120, A: 150}
	colSample0 = color.NRGBA{R: 60, G: 60, B: 60, A: 230}

	// paletteDashes vary the line pattern once the Palette repeats.
	paletteDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(2)}, {vg.Points(2), vg.Points(2)}}

	noLine = draw.LineStyle{Color: color.Transparent}
)

// newPlot returns a plot with the date axis over a's ticks, a 0-1 y axis
// labelled ylabel, horizontal grid lines and the package's fonts.
func newPlot(a *sim.Aggregate, title, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	StyleTitleAndAxes(p)

	p.X.Label.Text = "Year"
	p.X.Tick.Marker = YearTicks{}
	p.Y.Label.Text = ylabel

	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal = draw.LineStyle{Color: ColorGrid, Width: vg.Points(0.5), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}
	p.Add(g)
	return p
}

// CaptionEntrenchment writes under p's x axis what the stress probe's
// entrenchment means (sim.EntrenchmentMeaning) and that it is measured at
// probe dates and held between them.
func CaptionEntrenchment(p *plot.Plot) {
	p.X.Label.Text = "Year\n" + wrapWords("Entrenchment: "+sim.EntrenchmentMeaning+
		" (measured at probe dates, held between them)", 58)
}

// wrapWords breaks s into lines of at most width bytes at spaces (a longer
// word gets a line of its own).
func wrapWords(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		if i > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

// unitRange reports whether a's values lie in [0, 1] (per-tick metrics)
// rather than another range (paired differences).
func unitRange(a *sim.Aggregate) bool { return a.Lo == 0 && a.Hi == 1 }

// setRanges fixes the axes: the simulated period, and [0, 1] for per-tick
// metrics; for other ranges (differences) the data's range, always
// including zero.
func setRanges(p *plot.Plot, a *sim.Aggregate) {
	p.X.Min = a.Dates[0].DecimalYear()
	p.X.Max = a.Dates[len(a.Dates)-1].DecimalYear()
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + 1.0/12
	}
	if unitRange(a) {
		// From 0 to the data's top rounded up to the next tenth (at most
		// 1), so that low levels of cooperation are not squashed flat.
		top := math.Min(1, math.Ceil((p.Y.Max+0.02)*10)/10)
		if math.IsNaN(top) || top <= 0 {
			top = 1
		}
		p.Y.Min, p.Y.Max = 0, top
		p.Y.Tick.Marker = shareTicks{}
		return
	}
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, 0), math.Max(p.Y.Max, 0)
	pad := 0.05 * (p.Y.Max - p.Y.Min)
	if pad == 0 {
		pad = 0.05
	}
	p.Y.Min, p.Y.Max = p.Y.Min-pad, p.Y.Max+pad
}

// checkAggregate rejects aggregates that cannot be drawn.
func checkAggregate(a *sim.Aggregate) error {
	if a == nil || a.N() == 0 {
		return ErrNoRuns
	}
	if a.Ticks == 0 || len(a.Dates) != a.Ticks {
		return fmt.Errorf("output: aggregate has %d ticks and %d dates", a.Ticks, len(a.Dates))
	}
	return nil
}

// FanChart draws the distribution over runs of one metric over time: the
// band holding the middle 90% of runs (5%-95% quantiles, light), the
// middle 50% (quartiles, darker), the median (bold), the sample runs kept
// by the aggregate (thin grey; the first one darker, with red triangles at
// its random crises), and a dashed vertical line per marker, labelled
// above the plot. The y axis runs from 0 to 1, or, for an aggregate of
// paired differences (a.Lo < 0), over the data with a line at zero. It
// returns ErrNoRuns if a has no successful run.
func FanChart(a *sim.Aggregate, metric, title, ylabel string, events []Marker) (*plot.Plot, error) {
	if err := checkAggregate(a); err != nil {
		return nil, err
	}
	m := a.MetricIndex(metric)
	if m < 0 {
		return nil, fmt.Errorf("output: no metric %q in the aggregate", metric)
	}
	xs := years(a.Dates)
	p := newPlot(a, title, ylabel)

	n := a.Ticks
	band90 := make(plotter.XYs, 2*n)
	band50 := make(plotter.XYs, 2*n)
	median := make(plotter.XYs, n)
	env := make([]span, n)
	for t := range n {
		s := a.Stats(m, t)
		band90[t] = plotter.XY{X: xs[t], Y: s.Q05}
		band90[2*n-1-t] = plotter.XY{X: xs[t], Y: s.Q95}
		band50[t] = plotter.XY{X: xs[t], Y: s.Q25}
		band50[2*n-1-t] = plotter.XY{X: xs[t], Y: s.Q75}
		median[t] = plotter.XY{X: xs[t], Y: s.Q50}
		env[t] = span{x: xs[t], lo: s.Q05, hi: s.Q95}
	}
	leg := newLegendLayer(env)
	leg.outside = true

	var bands [2]*plotter.Polygon
	for i, b := range []struct {
		xy plotter.XYs
		c  color.Color
	}{{band90, colBand90}, {band50, colBand50}} {
		poly, err := plotter.NewPolygon(b.xy)
		if err != nil {
			return nil, fmt.Errorf("output: %s: %w", metric, err)
		}
		poly.Color = b.c
		poly.LineStyle = noLine
		p.Add(poly)
		bands[i] = poly
	}
	ml := newMarkerLayer(events, xs[0], xs[n-1])
	p.Add(markerLines{ml})
	if !unitRange(a) {
		zero, err := plotter.NewLine(plotter.XYs{{X: xs[0], Y: 0}, {X: xs[n-1], Y: 0}})
		if err != nil {
			return nil, err
		}
		zero.Color, zero.Width = color.Black, vg.Points(0.8)
		p.Add(zero)
	}

	// Sample paths: later ones first so that run 1 is drawn on top.
	var sample0, sampleN *plotter.Line
	for i := len(a.Samples) - 1; i >= 0; i-- {
		r := a.Samples[i]
		xy := make(plotter.XYs, n)
		for t := range n {
			xy[t] = plotter.XY{X: xs[t], Y: r.Value(m, t, n)}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("output: %s, sample run %d: %w", metric, i+1, err)
		}
		l.Width = vg.Points(0.6)
		l.Color = colSample
		if i == 0 {
			l.Width = vg.Points(1)
			l.Color = colSample0
			sample0 = l
		} else {
			sampleN = l
		}
		p.Add(l)
	}

	med, err := plotter.NewLine(median)
	if err != nil {
		return nil, fmt.Errorf("output: %s: %w", metric, err)
	}
	med.Width = vg.Points(2.2)
	med.Color = colMedian
	p.Add(med)

	var crises *plotter.Scatter
	if len(a.Samples) > 0 {
		r := a.Samples[0]
		var pts plotter.XYs
		for _, e := range r.Events {
			if e.Kind == scenarios.EventCrisis && !e.Scheduled && e.Tick >= 0 && e.Tick < n {
				pts = append(pts, plotter.XY{X: xs[e.Tick], Y: r.Value(m, e.Tick, n)})
			}
		}
		if len(pts) > 0 {
			crises, err = plotter.NewScatter(pts)
			if err != nil {
				return nil, fmt.Errorf("output: %s: %w", metric, err)
			}
			crises.GlyphStyle = draw.GlyphStyle{Color: ColorCrisis, Radius: vg.Points(3.5), Shape: draw.PyramidGlyph{}}
			p.Add(crises)
		}
	}

	p.Add(ml)

	leg.add("Median", med)
	leg.add("Middle 50% of runs", bands[1])
	leg.add("Middle 90% of runs", bands[0])
	if sample0 != nil {
		leg.add("Run 1", sample0)
	}
	if crises != nil {
		leg.add("Random crisis in run 1", crises)
	}
	switch {
	case len(a.Samples) == 2:
		leg.add("Run 2", sampleN)
	case len(a.Samples) > 2:
		leg.add(fmt.Sprintf("Runs 2-%d", len(a.Samples)), sampleN)
	}
	ml.addLegend(leg)
	p.Add(leg)
	setRanges(p, a)
	return p, nil
}

// MedianChart draws the median over runs of every metric whose name starts
// with prefix (for example "channel."), one coloured line each, with the
// markers and a legend naming each metric by its label (or by its name
// without the prefix when it has no label). It returns ErrNoRuns if a has
// no successful run, and an error if no metric has the prefix.
func MedianChart(a *sim.Aggregate, prefix, title, ylabel string, events []Marker) (*plot.Plot, error) {
	if err := checkAggregate(a); err != nil {
		return nil, err
	}
	xs := years(a.Dates)
	n := a.Ticks
	p := newPlot(a, title, ylabel)
	ml := newMarkerLayer(events, xs[0], xs[n-1])
	p.Add(markerLines{ml})
	var env []span
	type entry struct {
		name string
		line *plotter.Line
	}
	var entries []entry
	for m, met := range a.Metrics {
		if !strings.HasPrefix(met.Name, prefix) {
			continue
		}
		k := len(entries)
		xy := make(plotter.XYs, n)
		for t := range n {
			q := a.Stats(m, t).Q50
			xy[t] = plotter.XY{X: xs[t], Y: q}
			env = append(env, span{x: xs[t], lo: q, hi: q})
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("output: %s: %w", met.Name, err)
		}
		l.Width = vg.Points(1.8)
		l.Color = Palette[k%len(Palette)]
		l.Dashes = paletteDashes[(k/len(Palette))%len(paletteDashes)]
		p.Add(l)
		name := met.Label
		if name == "" {
			name = strings.TrimPrefix(met.Name, prefix)
		}
		entries = append(entries, entry{name, l})
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("output: no metric named %s* in the aggregate", prefix)
	}
	p.Add(ml)
	leg := newLegendLayer(env)
	leg.outside = len(entries) > 4
	for _, e := range entries {
		leg.add(e.name, e.line)
	}
	ml.addLegend(leg)
	p.Add(leg)
	setRanges(p, a)
	return p, nil
}

// WriteFigures draws the standard figures of a run into folder dir, each
// as PNG and SVG:
//
//	cooperation_fan   fan chart of "cooperation"
//	entrenchment_fan  fan chart of "entrenchment" (the stress probe's,
//	                  captioned by CaptionEntrenchment)
//	channels          median of every "channel.*" metric
//	sides             median of every "side.*" metric
//
// with sc's scheduled events as markers (sc may be nil: no markers, no
// scenario name in the titles). A figure whose metrics are missing from a
// is skipped. It returns the names of the files written,
// in the order above. Every file is written atomically.
func WriteFigures(dir string, a *sim.Aggregate, sc *scenarios.Scenario) ([]string, error) {
	if err := checkAggregate(a); err != nil {
		return nil, err
	}
	var ms []Marker
	prefix := ""
	if sc != nil {
		ms = MarkersFromScenario(sc)
		prefix = sc.Name + ": "
	}
	runs := fmt.Sprintf("%d runs", a.N())
	if a.N() == 1 {
		runs = "1 run"
	}
	type fig struct {
		base   string
		metric string // fan chart metric, or "" for a median chart
		prefix string
		title  string
		ylabel string
	}
	figs := []fig{
		{"cooperation_fan", "cooperation", "", "Cooperation", "Cooperation level (mean channel activity, 0-1)"},
		{"entrenchment_fan", "entrenchment", "", "Entrenchment", "Entrenchment (stress probe, 0-1)"},
		{"channels", "", "channel.", "Channel activity, median", "Channel activity (0-1)"},
		{"sides", "", "side.", "Activity by side, median", "Mean activity of the side's channels (0-1)"},
	}
	var files []string
	for _, f := range figs {
		title := fmt.Sprintf("%s%s over %s", prefix, f.title, runs)
		var p *plot.Plot
		var err error
		if f.metric != "" {
			if a.MetricIndex(f.metric) < 0 {
				continue
			}
			p, err = FanChart(a, f.metric, title, f.ylabel, ms)
			if err == nil && f.metric == "entrenchment" {
				CaptionEntrenchment(p)
			}
		} else {
			if !slices.ContainsFunc(a.Metrics, func(m sim.Metric) bool { return strings.HasPrefix(m.Name, f.prefix) }) {
				continue
			}
			p, err = MedianChart(a, f.prefix, title, f.ylabel, ms)
		}
		if err != nil {
			return files, err
		}
		names, err := SaveFigure(p, dir, f.base)
		files = append(files, names...)
		if err != nil {
			return files, err
		}
	}
	return files, nil
}

// SaveFigure writes p as base.png (FigureDPI dots per inch) and base.svg
// (fonts referenced by name, not embedded), FigureWidth by FigureHeight,
// atomically, into folder dir. It returns the names of the files written.
func SaveFigure(p *plot.Plot, dir, base string) ([]string, error) {
	var files []string
	for _, ext := range []string{"png", "svg"} {
		name := base + "." + ext
		err := writeAtomic(dir, name, func(f *AtomicFile) error {
			var c vg.CanvasWriterTo
			if ext == "png" {
				c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(FigureWidth, FigureHeight), vgimg.UseDPI(FigureDPI))}
			} else {
				c = vgsvg.New(FigureWidth, FigureHeight)
			}
			p.Draw(draw.New(c))
			_, err := c.WriteTo(f)
			return err
		})
		if err != nil {
			return files, err
		}
		files = append(files, name)
	}
	return files, nil
}

// span is the vertical extent [lo, hi] of the data at x, used to place an
// inner legend where it hides the least.
type span struct{ x, lo, hi float64 }

// legendLayer is a plotter that draws a legend on a white box, either
// inside the data area in the corner that hides the least data, or
// outside it on the right (reserving the room through its glyph box).
type legendLayer struct {
	leg     plot.Legend
	outside bool
	env     []span
}

const (
	legendPad    = 4 // points of padding inside the box
	legendMargin = 6 // points between the box and the data area's edge
)

func newLegendLayer(env []span) *legendLayer {
	leg := plot.NewLegend()
	leg.TextStyle = TextStyle(9, color.Black)
	leg.ThumbnailWidth = vg.Points(22)
	leg.Padding = vg.Points(1.5)
	leg.Top, leg.Left = true, true
	leg.YPosition = draw.PosCenter
	return &legendLayer{leg: leg, env: env}
}

func (l *legendLayer) add(name string, thumbs ...plot.Thumbnailer) { l.leg.Add(name, thumbs...) }

// size returns the box size, padding included.
func (l *legendLayer) size() (w, h vg.Length) {
	var c draw.Canvas
	s := l.leg.Rectangle(c).Size()
	return s.X + 2*legendPad, s.Y + 2*legendPad
}

// GlyphBoxes reserves room on the right for an outside legend.
func (l *legendLayer) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	if !l.outside {
		return nil
	}
	w, _ := l.size()
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{
		Min: vg.Point{X: legendMargin},
		Max: vg.Point{X: legendMargin + w},
	}}}
}

// Plot draws the legend box.
func (l *legendLayer) Plot(c draw.Canvas, p *plot.Plot) {
	w, h := l.size()
	var box vg.Rectangle
	if l.outside {
		box.Min = vg.Point{X: c.Max.X + legendMargin, Y: c.Max.Y - h}
	} else {
		box.Min = l.corner(c, p, w, h)
	}
	box.Max = box.Min.Add(vg.Point{X: w, Y: h})
	corners := []vg.Point{box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y}}
	c.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 225}, corners)
	c.StrokeLines(draw.LineStyle{Color: ColorGrid, Width: vg.Points(0.5)}, append(corners, box.Min))
	inner := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: box.Min.Add(vg.Point{X: legendPad, Y: legendPad}),
		Max: box.Max.Sub(vg.Point{X: legendPad, Y: legendPad}),
	}}
	l.leg.Draw(inner)
}

// corner returns the lower left point of a w by h box in the corner of
// the data area that covers the least of the data envelope; ties prefer
// top left, top right, bottom right, bottom left.
func (l *legendLayer) corner(c draw.Canvas, p *plot.Plot, w, h vg.Length) vg.Point {
	trX, trY := p.Transforms(&c)
	left, right := c.Min.X+legendMargin, c.Max.X-legendMargin-w
	top, bottom := c.Max.Y-legendMargin-h, c.Min.Y+legendMargin
	cands := []vg.Point{{X: left, Y: top}, {X: right, Y: top}, {X: right, Y: bottom}, {X: left, Y: bottom}}
	best, bestCost := cands[0], math.Inf(1)
	for _, pt := range cands {
		cost := 0.0
		for _, s := range l.env {
			x := trX(s.x)
			if x < pt.X || x > pt.X+w {
				continue
			}
			lo, hi := trY(s.lo), trY(s.hi)
			ov := math.Min(float64(hi), float64(pt.Y+h)) - math.Max(float64(lo), float64(pt.Y))
			if ov > 0 {
				cost += ov + 1
			} else if lo >= pt.Y && lo <= pt.Y+h {
				cost++ // a line through the box
			}
		}
		if cost < bestCost {
			best, bestCost = pt, cost
		}
	}
	return best
}

// markerLayer is a plotter that labels scheduled events above the data
// area (markerLines draws their dashed vertical lines), rotated to read
// upwards. Labels closer than a line height are pushed right, with a short
// leader to their line. Its glyph boxes make the plot leave room above.
type markerLayer struct {
	ms     []Marker
	labels []string
	xs     []float64
	style  text.Style
}

const (
	markerLabelMax = 28 // characters
	markerGap      = 3  // points between the data area and a label
)

func newMarkerLayer(ms []Marker, x0, x1 float64) *markerLayer {
	l := &markerLayer{style: TextStyle(8, color.Black)}
	l.style.Rotation = math.Pi / 2
	l.style.XAlign = draw.XLeft
	l.style.YAlign = draw.YCenter
	for _, m := range ms {
		x := m.Date.DecimalYear()
		if x < x0-1e-9 || x > x1+1e-9 {
			continue
		}
		lab := m.Label
		if r := []rune(lab); len(r) > markerLabelMax {
			lab = strings.TrimSpace(string(r[:markerLabelMax-1])) + "…"
		}
		l.ms = append(l.ms, m)
		l.labels = append(l.labels, lab)
		l.xs = append(l.xs, x)
	}
	return l
}

func markerLine(kind string) draw.LineStyle {
	return draw.LineStyle{Color: EventColor(kind), Width: vg.Points(0.9), Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)}}
}

// addLegend adds one legend entry per marker kind present.
func (l *markerLayer) addLegend(leg *legendLayer) {
	has := func(kinds ...string) bool {
		return slices.ContainsFunc(l.ms, func(m Marker) bool { return slices.Contains(kinds, m.Kind) })
	}
	for _, k := range []struct {
		kinds []string
		label string
	}{
		{[]string{scenarios.EventCrisis}, "Scheduled crisis"},
		{[]string{scenarios.EventInitiative, scenarios.EventRecovery}, "Initiative or recovery"},
		{[]string{scenarios.EventLever}, "Lever change"},
	} {
		if has(k.kinds...) {
			leg.add(k.label, &plotter.Line{LineStyle: markerLine(k.kinds[0])})
		}
	}
}

// lineHeight is the across-line extent of a rotated label.
func (l *markerLayer) lineHeight() vg.Length {
	e := l.style.FontExtents()
	return e.Ascent + e.Descent
}

// GlyphBoxes reserves the room above the data area for the labels.
func (l *markerLayer) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	h := l.lineHeight()
	boxes := make([]plot.GlyphBox, len(l.ms))
	for i, lab := range l.labels {
		boxes[i] = plot.GlyphBox{X: p.X.Norm(l.xs[i]), Y: 1, Rectangle: vg.Rectangle{
			Min: vg.Point{X: -h / 2, Y: markerGap},
			Max: vg.Point{X: h / 2, Y: markerGap + l.style.Width(lab)},
		}}
	}
	return boxes
}

// markerLines is a plotter that draws a markerLayer's dashed lines, so
// that they can go under the data while the labels go on top.
type markerLines struct{ l *markerLayer }

// Plot draws the lines.
func (ml markerLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for i, m := range ml.l.ms {
		x := trX(ml.l.xs[i])
		c.StrokeLine2(markerLine(m.Kind), x, c.Min.Y, x, c.Max.Y)
	}
}

// Plot draws the labels, with a leader where a label was pushed aside.
func (l *markerLayer) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	h := l.lineHeight()
	prev := vg.Length(math.Inf(-1))
	for i, m := range l.ms {
		x := trX(l.xs[i])
		lx := max(x, prev+h)
		prev = lx
		y := c.Max.Y + markerGap
		if lx != x {
			c.StrokeLine2(draw.LineStyle{Color: EventColor(m.Kind), Width: vg.Points(0.5)}, x, c.Max.Y, lx, y)
		}
		sty := l.style
		sty.Color = EventColor(m.Kind)
		c.FillText(sty, vg.Point{X: lx, Y: y}, l.labels[i])
	}
}

// shareTicks labels a 0-1 axis every 0.02, 0.05, 0.1 or 0.2, whichever
// gives four to ten labels.
type shareTicks struct{}

// Ticks returns the ticks between min and max.
func (shareTicks) Ticks(min, max float64) []plot.Tick {
	step := 0.2
	for _, s := range []float64{0.02, 0.05, 0.1, 0.2} {
		if (max-min)/s <= 10 {
			step = s
			break
		}
	}
	var ts []plot.Tick
	for i := 0; ; i++ {
		v := math.Round((min+float64(i)*step)*1000) / 1000
		if v > max+1e-9 {
			break
		}
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ts
}
