package output

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/entrench/entrench/scenarios"
)

// The figure style shared by every figure of the project (this package's,
// the claims' and the sweep's): one typeface, one set of colours and one
// way to make a text style. Change them here and every figure follows.

// FigureFont is the typeface of every figure's text. Liberation Sans is
// gonum/plot's embedded default, so figures look the same on every
// machine.
var FigureFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Colours of dated events (markers and crisis glyphs), by event kind; see
// EventColor.
var (
	// ColorCrisis marks crises (red).
	ColorCrisis = color.NRGBA{R: 203, G: 24, B: 29, A: 255}
	// ColorStep marks initiatives and recoveries (green).
	ColorStep = color.NRGBA{R: 35, G: 139, B: 69, A: 255}
	// ColorLever marks lever changes (blue).
	ColorLever = color.NRGBA{R: 33, G: 102, B: 172, A: 255}
	// ColorOther marks any other event (grey).
	ColorOther = color.NRGBA{R: 110, G: 110, B: 110, A: 255}
)

// ColorGrid is the colour of grid lines and legend frames (light grey).
var ColorGrid = color.NRGBA{R: 200, G: 200, B: 200, A: 255}

// Palette is Tableau 10, for one line per series (channel, side,
// scenario, index): blue, orange, green, red, purple, brown, pink, grey,
// olive, cyan. Use it in order, wrapping around.
var Palette = []color.NRGBA{
	{R: 31, G: 119, B: 180, A: 255},
	{R: 255, G: 127, B: 14, A: 255},
	{R: 44, G: 160, B: 44, A: 255},
	{R: 214, G: 39, B: 40, A: 255},
	{R: 148, G: 103, B: 189, A: 255},
	{R: 140, G: 86, B: 75, A: 255},
	{R: 227, G: 119, B: 194, A: 255},
	{R: 127, G: 127, B: 127, A: 255},
	{R: 188, G: 189, B: 34, A: 255},
	{R: 23, G: 190, B: 207, A: 255},
}

// EventColor returns the colour of a scenarios event kind: crises red,
// initiatives and recoveries green, lever changes blue, anything else
// grey.
func EventColor(kind string) color.Color {
	switch kind {
	case scenarios.EventCrisis:
		return ColorCrisis
	case scenarios.EventInitiative, scenarios.EventRecovery:
		return ColorStep
	case scenarios.EventLever:
		return ColorLever
	}
	return ColorOther
}

// TextStyle returns the style of a figure's text: FigureFont at size
// points in colour c, left- and bottom-aligned (set XAlign and YAlign to
// change that).
func TextStyle(size float64, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(FigureFont, vg.Points(size)),
		Handler: plot.DefaultTextHandler,
	}
}

// StyleTitleAndAxes gives p the house style of titles and axes: a 13-point
// centred title, 11-point centred axis labels, 10-point tick labels (right
// of the y axis' ticks, under the x axis' ones), and the paddings of this
// package's figures. It leaves the data, ranges, tick markers and legend
// alone.
func StyleTitleAndAxes(p *plot.Plot) {
	p.Title.TextStyle = TextStyle(13, color.Black)
	p.Title.TextStyle.XAlign = draw.XCenter
	p.Title.TextStyle.YAlign = draw.YTop
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle = TextStyle(11, color.Black)
		ax.Label.TextStyle.XAlign = draw.XCenter
		ax.Label.Padding = vg.Points(4)
		ax.Tick.Label = TextStyle(10, color.Black)
		ax.Padding = vg.Points(3)
	}
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter
	p.X.Tick.Label.XAlign = draw.XCenter
	p.X.Tick.Label.YAlign = draw.YTop
}
