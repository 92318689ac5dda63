package sim

import (
	"math"

	"github.com/entrench/entrench/scenarios"
)

// summarize computes the run's summary metrics from its series and events.
// The definitions are in docs/ODD.md, "Observation".
func summarize(m *Model, r *RunResult) {
	T := m.ticks()
	ms := &m.Scenario.Metrics
	coop := r.Series[0:T]
	ent := r.Series[T : 2*T]
	ru := r.Series[4*T : 5*T]
	s := &r.Summary
	for i := range s {
		s[i] = math.NaN()
	}
	s[SumFinalCooperation] = coop[T-1]
	summarizeProbes(m, ent, s)
	s[SumFinalAfghanStability] = r.Series[3*T+T-1]
	if m.hasRuMilitary {
		s[SumFinalRuMilitary] = ru[T-1]
	}
	s[SumMeanCooperation] = mean(coop)
	s[SumMeanRuMilitary] = mean(ru)
	peak := 0.0
	for _, x := range coop {
		peak = math.Max(peak, x)
	}
	s[SumPeakCooperation] = peak

	st := Setbacks(coop, ms.SetbackDepth, ms.RecoveredFraction)
	s[SumSetbacks] = float64(st.Count)
	s[SumMaxSetbackDepth] = st.MaxDepth
	s[SumUnrecovered] = float64(st.Unrecovered)
	if st.Count > 0 {
		s[SumMeanSetbackDepth] = st.MeanDepth
	}
	if st.Recovered > 0 {
		s[SumMeanRecoveryMonths] = st.MeanRecovery * float64(m.Scenario.TickMonths)
	}
	s[SumRatchetRatio] = RatchetRatio(coop)

	crises, survived := 0, 0
	win := (ms.SurvivalWindow + m.Scenario.TickMonths - 1) / m.Scenario.TickMonths
	for _, e := range r.Events {
		if e.Kind != scenarios.EventCrisis {
			continue
		}
		before := coop[e.Tick-1]
		if before < 1e-3 {
			continue // nothing to survive: not counted
		}
		crises++
		low := math.Inf(1)
		for t := e.Tick; t < T && t <= e.Tick+win; t++ {
			low = math.Min(low, coop[t])
		}
		if low >= ms.SurvivalFraction*before {
			survived++
		}
	}
	s[SumCrises] = float64(crises)
	if crises > 0 {
		s[SumCrisisSurvival] = float64(survived) / float64(crises)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
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
