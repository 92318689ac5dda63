package sim

import "math"

// Run measures: what the summaries, the claims and the tests measure on
// one run's series. Each takes a series of a metric in [0, 1] (one value
// per tick, tick 0 first); the event measures also take the tick at of an
// event (1..len-1) and return NaN when the measure is undefined there. A
// window or a count of ticks is in ticks: multiply by the scenario's
// tick_months for months.

// MeanLevel is the mean of xs over all its ticks (a plain sum divided by
// the count, in tick order), in the metric's units; NaN for an empty
// series.
func MeanLevel(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

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
	return math.Max(0, xs[at-1]-Trough(xs, at, window))
}

// Trough is the lowest value of xs in ticks at..at+window, clipped to the
// series; +Inf when that range is empty (at >= len(xs)).
func Trough(xs []float64, at, window int) float64 {
	low := math.Inf(1)
	for t := max(at, 0); t <= at+window && t < len(xs); t++ {
		low = math.Min(low, xs[t])
	}
	return low
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

// SetbackStats describes the setbacks of a series.
type SetbackStats struct {
	// Count is the number of setbacks: falls of at least minDepth from a
	// local peak (zigzag down-legs with reversal threshold minDepth).
	Count int
	// MeanDepth and MaxDepth are the peak-to-trough falls.
	MeanDepth, MaxDepth float64
	// Recovered counts setbacks after which the series regained
	// recoveredFraction of the loss before the next setback began;
	// MeanRecovery is the mean number of ticks from trough to that point.
	Recovered    int
	MeanRecovery float64
	// Unrecovered counts setbacks not recovered before the next one or
	// the end of the series.
	Unrecovered int
}

// Setbacks finds the setbacks of xs by a zigzag filter: a setback starts
// when xs falls minDepth below its highest point since the last trough and
// ends at the trough, once xs has risen minDepth above it (or at the end of
// the series). The setback is recovered when xs regains recoveredFraction
// of the fall, before the next setback starts.
func Setbacks(xs []float64, minDepth, recoveredFraction float64) SetbackStats {
	var st SetbackStats
	if len(xs) == 0 {
		return st
	}
	var depthSum, recSum float64
	falling := false
	ext, peak := xs[0], xs[0] // running extreme; peak of the current fall
	extT := 0
	open := false // a finished fall awaiting recovery
	var goal float64
	var troughT int
	record := func(trough float64, t int) {
		d := peak - trough
		st.Count++
		depthSum += d
		st.MaxDepth = math.Max(st.MaxDepth, d)
		open, goal, troughT = true, trough+recoveredFraction*d, t
	}
	for t := 1; t < len(xs); t++ {
		x := xs[t]
		if !falling {
			if x > ext {
				ext = x
			} else if x <= ext-minDepth {
				if open {
					st.Unrecovered++
					open = false
				}
				falling, peak, ext, extT = true, ext, x, t
			}
		} else {
			if x < ext {
				ext, extT = x, t
			} else if x >= ext+minDepth {
				record(ext, extT)
				falling, ext = false, x
			}
		}
		if open && x >= goal {
			st.Recovered++
			recSum += float64(t - troughT)
			open = false
		}
	}
	if falling {
		record(ext, extT)
	}
	if open {
		st.Unrecovered++
	}
	if st.Count > 0 {
		st.MeanDepth = depthSum / float64(st.Count)
	}
	if st.Recovered > 0 {
		st.MeanRecovery = recSum / float64(st.Recovered)
	}
	return st
}

// RatchetRatio is the net change of xs over its total variation (the sum of
// absolute steps): 1 for a monotone rise, 1/3 for "two steps forward, one
// step back", negative for a net loss, NaN for a flat series.
func RatchetRatio(xs []float64) float64 {
	var tv float64
	for t := 1; t < len(xs); t++ {
		tv += math.Abs(xs[t] - xs[t-1])
	}
	if tv == 0 {
		return math.NaN()
	}
	return (xs[len(xs)-1] - xs[0]) / tv
}
