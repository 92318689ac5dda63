package output

import (
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"

	"github.com/entrench/entrench/scenarios"
)

// YearTicks is a plot.Ticker for a time axis whose values are decimal
// years (scenarios.Month.DecimalYear). It puts a minor tick at the start
// of every year (every quarter when the span is under three years) and a
// labelled major tick every 1, 2, 5, 10, 20 or 50 years, the smallest step
// that gives at most MaxLabels labels. A span within one year that holds
// no 1 January gets its quarters labelled YYYY-MM instead.
type YearTicks struct {
	// MaxLabels is the most labelled ticks wanted. Zero means 10.
	MaxLabels int
}

// Ticks returns the ticks between min and max, in decimal years.
func (t YearTicks) Ticks(min, max float64) []plot.Tick {
	if !(max >= min) || math.IsInf(min, 0) || math.IsInf(max, 0) {
		return nil
	}
	most := t.MaxLabels
	if most <= 0 {
		most = 10
	}
	span := max - min
	step := 50
	for _, s := range []int{1, 2, 5, 10, 20, 50} {
		if span/float64(s) < float64(most) {
			step = s
			break
		}
	}
	minor := 1.0
	switch {
	case span < 3:
		minor = 0.25
	case step >= 10:
		minor = float64(step) / 5
	}
	const eps = 1e-9
	var ticks []plot.Tick
	for i := math.Ceil(min/minor - eps); i*minor <= max+eps; i++ {
		x := i * minor
		tk := plot.Tick{Value: x}
		if y := math.Round(x); math.Abs(x-y) < eps && int(y)%step == 0 {
			tk.Label = strconv.Itoa(int(y))
		}
		ticks = append(ticks, tk)
	}
	if minor < 1 && !slices.ContainsFunc(ticks, func(tk plot.Tick) bool { return tk.Label != "" }) {
		// Less than a year with no new year in it: label the quarters.
		for i := range ticks {
			ticks[i].Label = scenarios.Month(math.Round(ticks[i].Value * 12)).String()
		}
	}
	return ticks
}

// years returns the decimal years of dates.
func years(dates []scenarios.Month) []float64 {
	xs := make([]float64, len(dates))
	for i, d := range dates {
		xs[i] = d.DecimalYear()
	}
	return xs
}
