package sim

import (
	"math"

	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/scenarios"
)

// Step advances the world by one tick, in the order of docs/ODD.md
// section 3: environment and events, officials and organizations,
// channels, stakes, crisis effects, turnover, metrics (with the stress
// probe at probe dates). It allocates nothing.
func (w *World) Step() {
	w.tick++
	t := w.tick
	coopBefore := w.res.Series[t-1]
	w.stepEnvironment()
	w.stepEvents(t, coopBefore)
	w.stepArrivals(t, coopBefore)
	w.stepOfficials()
	w.stepChannels()
	w.stepStakes()
	w.stepCrises()
	w.stepTurnover(t)
	w.stepMetrics(t)
}

// stepEnvironment decays crisis tension and each side's attention toward
// its floor (the US side's floor and rate may be overridden by its lever).
func (w *World) stepEnvironment() {
	m := w.m
	w.tension *= m.env.tensionKept
	for i := range m.sides {
		rate := m.sides[i].attentionRate
		if i == m.usSide && w.usRate >= 0 {
			rate = w.usRate
		}
		w.attention[i] += rate * (w.attentionFloor(i) - w.attention[i])
	}
}

// attentionFloor is side i's attention floor: its own, or the US
// attention lever's level when set.
func (w *World) attentionFloor(i int) float64 {
	if i == w.m.usSide && w.usFloor >= 0 {
		return w.usFloor
	}
	return w.m.sides[i].floor
}

// stepEvents applies the lever changes and fires the scheduled events of
// tick t, queueing crises for stepCrises.
func (w *World) stepEvents(t int, coopBefore float64) {
	m := w.m
	if len(m.leverChanges[t]) > 0 {
		for _, lc := range m.leverChanges[t] {
			w.lever[lc.index] = lc.value
		}
		w.applyLevers()
	}
	w.pendingCrisis = w.pendingCrisis[:0]
	for _, se := range m.schedule[t] {
		e := se.ev
		w.res.Events = append(w.res.Events, EventRecord{Tick: t, Date: m.Dates[t], Kind: e.Kind, Name: e.Name,
			Scheduled: true, Severity: e.Severity, CooperationBefore: coopBefore})
		switch e.Kind {
		case scenarios.EventCrisis:
			w.pendingCrisis = append(w.pendingCrisis, crisis{e.Severity, se.channels, len(w.res.Events) - 1})
		case scenarios.EventInitiative, scenarios.EventRecovery:
			w.boostAttention(se.sides, e.Severity)
			step := m.env.initiativeStep * e.Severity
			if se.channels == nil {
				for c := range w.chans {
					agents.Boost(&w.chans[c], step)
				}
			} else {
				for _, c := range se.channels {
					agents.Boost(&w.chans[c], step)
				}
			}
			if e.Kind == scenarios.EventRecovery {
				w.tension *= 1 - e.Severity
			}
		case scenarios.EventAttention:
			if se.sides == nil {
				for i := range w.attention {
					w.attention[i] = e.Severity
				}
			} else {
				for _, i := range se.sides {
					w.attention[i] = e.Severity
				}
			}
		}
	}
}

// stepArrivals draws the random initiative and crisis of tick t. The
// environment stream draws two uniforms every tick and a severity (a
// variable number of draws) for each arrival, none of which depends on
// the levers, so crisis sequences are common across scenarios that share
// a crisis and initiative process.
func (w *World) stepArrivals(t int, coopBefore float64) {
	m := w.m
	uCrisis, uInit := w.envRng.Float64(), w.envRng.Float64()
	if uInit < w.initiativeProb {
		w.boostAttention(nil, 1)
		w.res.Events = append(w.res.Events, EventRecord{Tick: t, Date: m.Dates[t], Kind: scenarios.EventInitiative,
			Name: "random initiative", Severity: 1, CooperationBefore: coopBefore})
	}
	if uCrisis < w.crisisProb {
		mean := math.Min(0.999, math.Max(0.001, w.crisisSeverity))
		conc := m.Scenario.Crises.SeverityConcentration
		w.severity.Alpha, w.severity.Beta = mean*conc, (1-mean)*conc
		sev := w.severity.Rand()
		w.res.Events = append(w.res.Events, EventRecord{Tick: t, Date: m.Dates[t], Kind: scenarios.EventCrisis,
			Name: "random crisis", Severity: sev, CooperationBefore: coopBefore})
		w.pendingCrisis = append(w.pendingCrisis, crisis{sev, nil, len(w.res.Events) - 1})
	}
}

// stepOfficials updates every organization's officials and aggregates
// them into its stance.
func (w *World) stepOfficials() {
	for i := range w.orgs {
		w.orgInputs(i)
		agents.UpdateOfficials(&w.pop, &w.orgs[i], w.tension, w.params, w.actRng)
	}
}

// stepChannels moves every channel toward what its least willing bloc
// supports.
func (w *World) stepChannels() {
	for c := range w.chans {
		agents.Step(&w.chans[c], w.orgs, w.channelAttention(c), w.params)
	}
}

// stepStakes lets Afghan stability follow the Afghan channels, accrues and
// depreciates every stake (TAPI revenue follows Afghan stability), and
// refreshes each organization's stake and resistance.
func (w *World) stepStakes() {
	m, env := w.m, &w.m.env
	var afg float64
	na := 0
	for c := range w.chans {
		if m.channels[c].afghan {
			afg += w.chans[c].Activity
			na++
		}
	}
	if na > 0 {
		afg /= float64(na)
	}
	target := clamp01(env.afghanBase + env.afghanGain*afg)
	w.afghan += env.afghanRate * (target - w.afghan)
	for i := range w.orgs {
		w.orgs[i].Stake = 0
	}
	for c := range w.chans {
		ch := &w.chans[c]
		mult := m.channels[c].stakeMonths
		if m.channels[c].energy {
			mult *= w.afghan
		}
		st := w.stakes[c]
		for i, oi := range ch.Participants {
			st[i] = agents.AccrueStake(st[i], ch, mult)
			w.orgs[oi].Stake += st[i]
		}
	}
	for i := range w.orgs {
		o := &w.orgs[i]
		o.Resistance = agents.Resistance(o.Stake, o.HabitMean, w.params)
	}
}

// stepCrises applies the tick's crises: tension rises; activity and
// dispositions are cut, less where participants hold stakes and habit.
func (w *World) stepCrises() {
	for _, cr := range w.pendingCrisis {
		w.tension += cr.sev * (1 - w.tension)
		if cr.channels == nil {
			for c := range w.chans {
				agents.Shock(&w.chans[c], w.orgs, cr.sev)
			}
			for i := range w.orgs {
				agents.CutDispositions(&w.pop, &w.orgs[i], cr.sev, w.params)
			}
			continue
		}
		for _, c := range cr.channels {
			agents.Shock(&w.chans[c], w.orgs, cr.sev)
		}
		for i := range w.orgs {
			if w.touches(i, cr.channels) {
				agents.CutDispositions(&w.pop, &w.orgs[i], cr.sev, w.params)
			}
		}
	}
}

// stepTurnover runs the exchanges of the mil-to-mil channels, then
// retirement and promotion, in every organization.
func (w *World) stepTurnover(t int) {
	m := w.m
	staff := agents.Staffing{Params: w.params, Now: t, Rng: w.actRng}
	for i := range w.orgs {
		o := &w.orgs[i]
		for _, c := range m.orgs[i].channels {
			if m.channels[c].milToMil && w.chans[c].Activity > 0 {
				agents.Exchange(&w.pop, o, w.chans[c].Activity, w.params, w.actRng)
			}
		}
		if agents.Turnover(&w.pop, o, staff) > 0 {
			agents.Aggregate(&w.pop, o, w.params)
		}
	}
}

// stepMetrics runs the stress probe at probe dates (see probe.go), then
// records tick t's metrics and the cooperation after each of its events.
func (w *World) stepMetrics(t int) {
	if w.probe != nil && w.m.isProbeDate(t) {
		w.runProbe()
	}
	if w.noRecord {
		w.res.Series[t] = w.res.Series[t-1]
		return
	}
	w.record(t)
	coop := w.res.Series[t]
	for i := len(w.res.Events) - 1; i >= 0 && w.res.Events[i].Tick == t; i-- {
		w.res.Events[i].CooperationAfter = coop
	}
}
