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
	s[SumMeanCooperation] = MeanLevel(coop)
	s[SumMeanRuMilitary] = MeanLevel(ru)
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
		if Trough(coop, e.Tick, win) >= ms.SurvivalFraction*before {
			survived++
		}
	}
	s[SumCrises] = float64(crises)
	if crises > 0 {
		s[SumCrisisSurvival] = float64(survived) / float64(crises)
	}

	// Suspended channel-months from the per-tick share; the count of
	// suspensions is kept by the engine (World.suspensions).
	susp := r.Series[m.suspendedMetric*T : (m.suspendedMetric+1)*T]
	months := 0.0
	for t := 1; t < T; t++ {
		months += susp[t] * float64(len(m.channels))
	}
	s[SumSuspendedMonths] = months * float64(m.Scenario.TickMonths)
}
