package claims

import (
	"math"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// Per-replicate measures. Each takes a series of a metric in [0, 1] (one
// value per tick, tick 0 first) and the tick at of an event, and returns a
// number, or NaN when it is undefined (no level before the event).

// RelativeDrawdown is the share of the level just before tick at
// (xs[at-1]) that is lost by the lowest point in ticks at..at+window
// (clipped to the series): 0 when the level never falls, 1 when it falls
// to zero. NaN when at is out of range or xs[at-1] is 0.
func RelativeDrawdown(xs []float64, at, window int) float64 {
	if at < 1 || at >= len(xs) || xs[at-1] <= 0 {
		return math.NaN()
	}
	return Drawdown(xs, at, window) / xs[at-1]
}

// Drawdown is the level just before tick at minus the lowest point in ticks
// at..at+window (clipped to the series), floored at 0: the cooperation lost
// to an event, in the metric's units. NaN when at is out of range.
func Drawdown(xs []float64, at, window int) float64 {
	if at < 1 || at >= len(xs) {
		return math.NaN()
	}
	low := math.Inf(1)
	for t := at; t <= at+window && t < len(xs); t++ {
		low = math.Min(low, xs[t])
	}
	return math.Max(0, xs[at-1]-low)
}

// MonthFall is the share of the level lost in the tick of the event itself:
// 1 - xs[at]/xs[at-1] (negative when the level rose). NaN when at is out of
// range or xs[at-1] is 0.
func MonthFall(xs []float64, at int) float64 {
	if at < 1 || at >= len(xs) || xs[at-1] <= 0 {
		return math.NaN()
	}
	return 1 - xs[at]/xs[at-1]
}

// RecoveryTicks is the number of ticks from tick at until the series is
// back to frac (0..1) of its level before the event, xs[at-1]: 0 when it
// never fell below that. A series that has not recovered by its end is
// censored at the end (len(xs)-at), so the value is a lower bound there.
// NaN when at is out of range.
func RecoveryTicks(xs []float64, at int, frac float64) float64 {
	if at < 1 || at >= len(xs) {
		return math.NaN()
	}
	goal := frac * xs[at-1]
	for t := at; t < len(xs); t++ {
		if xs[t] >= goal {
			return float64(t - at)
		}
	}
	return float64(len(xs) - at)
}

// tickOf returns the tick of month d in m, or -1 when d is outside the run.
func tickOf(m *sim.Model, d scenarios.Month) int {
	t := int(d-m.Dates[0]) / m.Scenario.TickMonths
	if t < 0 || t >= len(m.Dates) {
		return -1
	}
	return t
}

// metricSeries returns the series of the named per-tick metric of run r, or
// nil when the model has no such metric.
func metricSeries(m *sim.Model, r *sim.RunResult, name string) []float64 {
	T := len(m.Dates)
	for i, mt := range m.Metrics {
		if mt.Name == name {
			return r.Series[i*T : (i+1)*T]
		}
	}
	return nil
}

// mustMonth parses a YYYY-MM literal of this package; it panics on a typo,
// which the tests catch.
func mustMonth(s string) scenarios.Month {
	d, err := scenarios.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return d
}
