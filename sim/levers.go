package sim

import (
	"fmt"
	"math"
	"slices"

	"github.com/entrench/entrench/scenarios"
)

// leverState holds the current value of every lever, indexed like
// scenarios.LeverSpecs.
type leverState []float64

// leverChange sets lever index to value.
type leverChange struct {
	index int
	value float64
}

// leverIndex holds the registry index of each lever the engine acts on,
// resolved once by Compile.
type leverIndex struct {
	tapi, ndn, border, pressure int
	salesCount, salesSize       int
	salesFollowOn               int
	usLevel, usDecay            int
	crisisRate, crisisSeverity  int
	initiativeRate              int
	militarizedShare            int
}

// compileLevers resolves the levers the engine acts on and turns every
// lever's schedule (scenarios.LeverSpec.Setting) into its value at tick 0
// and a change at the tick its From month falls in.
func (m *Model) compileLevers() error {
	sc := m.Scenario
	for _, l := range []struct {
		key string
		at  *int
	}{
		{"tapi_stake", &m.lever.tapi}, {"ndn_transit", &m.lever.ndn},
		{"border_cooperation", &m.lever.border}, {"mil2mil_pressure", &m.lever.pressure},
		{"defense_sales.count", &m.lever.salesCount}, {"defense_sales.size", &m.lever.salesSize},
		{"defense_sales.follow_on_years", &m.lever.salesFollowOn},
		{"us_attention.level", &m.lever.usLevel}, {"us_attention.decay", &m.lever.usDecay},
		{"crises.rate_per_year", &m.lever.crisisRate}, {"crises.severity_mean", &m.lever.crisisSeverity},
		{"initiatives.rate_per_year", &m.lever.initiativeRate},
		{"crises.militarized_share", &m.lever.militarizedShare},
	} {
		i, ok := scenarios.LeverIndex(l.key)
		if !ok {
			return fmt.Errorf("sim: lever %q is not registered in scenarios", l.key)
		}
		*l.at = i
	}

	specs := scenarios.LeverSpecs()
	m.leverChanges = make([][]leverChange, sc.Horizon+1)
	m.initialLevers = make(leverState, len(specs))
	for i, spec := range specs {
		s := spec.Setting(sc)
		t := 0
		if !s.From.IsZero() {
			t = sc.TickOf(s.From)
		}
		if t <= 0 {
			m.initialLevers[i] = s.Value
			continue
		}
		m.initialLevers[i] = s.Before
		if t <= sc.Horizon {
			m.leverChanges[t] = append(m.leverChanges[t], leverChange{i, s.Value})
		}
	}
	// Random crises stop after crises.until.
	if !sc.Crises.Until.IsZero() {
		switch t := sc.TickOf(sc.Crises.Until) + 1; {
		case t <= 0:
			m.initialLevers[m.lever.crisisRate] = 0
		case t <= sc.Horizon:
			m.leverChanges[t] = append(m.leverChanges[t], leverChange{m.lever.crisisRate, 0})
		}
	}
	return nil
}

// applyLevers derives the channels' inputs, the organizations' counts of
// enabled channels, the US side's attention override and the arrival
// probabilities from the current lever values.
// It runs at tick 0 and whenever a lever changes.
// capacityUnder is the channel's effective capacity under the lever values
// l: its own capacity times the lever of its kind (the TAPI stake for
// energy channels, NDN transit for Afghan transit, border cooperation for
// border and counternarcotics channels, count times size of the defense
// sales for defense-industrial ones), clamped to 0..1.
func (cs *chanSpec) capacityUnder(l leverState, ix *leverIndex) float64 {
	f := 1.0
	switch cs.kind {
	case scenarios.ChanEnergy:
		f = l[ix.tapi]
	case scenarios.ChanAfghanTransit:
		f = l[ix.ndn]
	case scenarios.ChanBorderSecurity, scenarios.ChanCounternarcotics:
		f = l[ix.border]
	case scenarios.ChanDefenseIndustrial:
		f = math.Min(1, l[ix.salesCount]*l[ix.salesSize])
	}
	return cs.capacity * clamp01(f)
}

// OpenChannels reports, by channel index, whether the channel's capacity is
// positive at some tick of the run: at the start or after one of the
// scheduled lever changes. A channel its lever keeps shut throughout has
// nothing to measure, so comparisons restricted to the channels two
// scenarios share leave it out.
func (m *Model) OpenChannels() []bool {
	open := make([]bool, len(m.channels))
	l := slices.Clone(m.initialLevers)
	check := func() {
		for c := range m.channels {
			open[c] = open[c] || m.channels[c].capacityUnder(l, &m.lever) > 0
		}
	}
	check()
	for _, changes := range m.leverChanges {
		for _, lc := range changes {
			l[lc.index] = lc.value
		}
		if len(changes) > 0 {
			check()
		}
	}
	return open
}

func (w *World) applyLevers() {
	m, l, ix := w.m, w.lever, &w.m.lever
	tm := w.m.Scenario.TickMonths
	for c := range w.chans {
		cs, ch := &m.channels[c], &w.chans[c]
		ch.Capacity = cs.capacityUnder(l, ix)
		ch.Yield = cs.yield
		// Defense asymmetry: follow-on contracts keep the eastern buyers'
		// stake alive; the western sellers keep the channel's own
		// persistence (revenue over delivery) unless follow_on_seller.
		own := cs.persistence / float64(tm)
		ch.Persistence = [2]float64{own, own}
		if cs.defense && l[ix.salesFollowOn] > 0 {
			ch.Persistence[0] = l[ix.salesFollowOn] * 12 / float64(tm)
			if m.Scenario.Model.FollowOnSeller {
				ch.Persistence[1] = ch.Persistence[0]
			}
		}
		for b := range ch.Persistence {
			ch.Persistence[b] = math.Max(1, ch.Persistence[b])
		}
		ch.Demand = 0
		if cs.milToMil {
			ch.Demand = clamp01(l[ix.pressure])
		}
	}
	for i := range m.orgs {
		n := 0
		for _, c := range m.orgs[i].channels {
			if w.chans[c].Capacity > 0 && m.channels[c].jointWork {
				n++
			}
		}
		w.enabled[i] = n
	}
	w.usFloor, w.usRate = -1, -1
	if l[ix.usLevel] >= 0 {
		w.usFloor = l[ix.usLevel]
	}
	if d := l[ix.usDecay]; d >= 0 {
		w.usRate = 1 - math.Pow(1-d, float64(tm))
	}
	w.crisisProb = arrivalProb(l[ix.crisisRate], tm)
	w.initiativeProb = arrivalProb(l[ix.initiativeRate], tm)
	w.crisisSeverity = l[ix.crisisSeverity]
	w.militarizedShare = l[ix.militarizedShare]
}

// arrivalProb turns a yearly Poisson rate into the probability of at least
// one arrival in a tick.
func arrivalProb(ratePerYear float64, tickMonths int) float64 {
	return 1 - math.Exp(-ratePerYear*float64(tickMonths)/12)
}
