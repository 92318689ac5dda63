package sim

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/entrench/entrench/scenarios"
)

// Tests of the lever rules in levers.go: when a dated lever takes effect,
// the channels' capacity under each lever, the channels a run opens, and
// the stake persistence the levers and the tick length set. Each fails
// when its rule's comparison flips or its arithmetic changes.

// leverAt returns the index of lever key.
func leverAt(t *testing.T, key string) int {
	t.Helper()
	i, ok := scenarios.LeverIndex(key)
	if !ok {
		t.Fatalf("lever %q not registered", key)
	}
	return i
}

// changesOf lists the ticks at which m changes lever i, with the values.
func changesOf(m *Model, i int) map[int]float64 {
	out := map[int]float64{}
	for t, cs := range m.leverChanges {
		for _, c := range cs {
			if c.index == i {
				out[t] = c.value
			}
		}
	}
	return out
}

// TestDatedLeverTakesEffectAtItsTick: a lever dated within the horizon
// holds Before until its tick and changes to Value at it, including a
// change at the very last tick; one dated after the horizon never changes
// (and compiling it does not fail).
func TestDatedLeverTakesEffectAtItsTick(t *testing.T) {
	// The baseline starts in 2010-01 and runs 180 monthly ticks: tick 180
	// is 2025-01.
	tapi := leverAt(t, "tapi_stake")
	for _, tc := range []struct {
		from     string
		wantTick int // 0: no change
	}{
		{"2012-03", 26},
		{"2025-01", 180},
		{"2025-02", 0},
	} {
		m := testModel(t, "baseline", "levers.tapi_stake.value=0.7", "levers.tapi_stake.before=0.2",
			"levers.tapi_stake.from="+tc.from)
		got := changesOf(m, tapi)
		if m.initialLevers[tapi] != 0.2 {
			t.Errorf("from %s: initial %v, want the before value 0.2", tc.from, m.initialLevers[tapi])
		}
		if tc.wantTick == 0 {
			if len(got) != 0 {
				t.Errorf("from %s (after the horizon): changes %v, want none", tc.from, got)
			}
			continue
		}
		if len(got) != 1 || got[tc.wantTick] != 0.7 {
			t.Errorf("from %s: changes %v, want 0.7 at tick %d", tc.from, got, tc.wantTick)
		}
	}
}

// TestCapacityUnderLevers: each channel kind's capacity is its own
// capacity times its lever (clamped to 0..1), and the defense-industrial
// channels' lever is the sales count times their size, capped at 1.
func TestCapacityUnderLevers(t *testing.T) {
	m := testModel(t, "three-stakes")
	l := make(leverState, len(m.initialLevers))
	copy(l, m.initialLevers)
	ix := &m.lever
	l[ix.tapi], l[ix.ndn], l[ix.border] = 0.3, 0.45, 0.6
	l[ix.salesCount], l[ix.salesSize] = 2, 0.2
	seen := map[string]bool{}
	for c := range m.channels {
		cs := &m.channels[c]
		var f float64
		switch cs.kind {
		case scenarios.ChanEnergy:
			f = 0.3
		case scenarios.ChanAfghanTransit:
			f = 0.45
		case scenarios.ChanBorderSecurity, scenarios.ChanCounternarcotics:
			f = 0.6
		case scenarios.ChanDefenseIndustrial:
			f = 0.4 // 2 sales of size 0.2
		default:
			f = 1
		}
		seen[cs.kind] = true
		if got, want := cs.capacityUnder(l, ix), cs.capacity*f; !near(got, want) {
			t.Errorf("channel %d (%s): capacity %v, want %v", c, cs.kind, got, want)
		}
	}
	for _, k := range []string{scenarios.ChanEnergy, scenarios.ChanAfghanTransit,
		scenarios.ChanBorderSecurity, scenarios.ChanDefenseIndustrial} {
		if !seen[k] {
			t.Errorf("three-stakes has no %s channel: the test does not cover it", k)
		}
	}
	// Count times size above 1 is capped at 1; a negative lever at 0.
	l[ix.salesCount], l[ix.salesSize], l[ix.tapi] = 3, 0.5, -0.5
	for c := range m.channels {
		cs := &m.channels[c]
		switch cs.kind {
		case scenarios.ChanDefenseIndustrial:
			if got := cs.capacityUnder(l, ix); !near(got, cs.capacity) {
				t.Errorf("defense channel %d at count*size 1.5: capacity %v, want its own %v", c, got, cs.capacity)
			}
		case scenarios.ChanEnergy:
			if got := cs.capacityUnder(l, ix); got != 0 {
				t.Errorf("energy channel %d at a negative stake: capacity %v, want 0", c, got)
			}
		}
	}
}

func near(a, b float64) bool { d := a - b; return d < 1e-12 && d > -1e-12 }

// TestOpenChannelsSeesLateOpening: a channel shut at the start and opened
// by a lever change at the last tick counts as open; one its lever keeps
// shut throughout does not.
func TestOpenChannelsSeesLateOpening(t *testing.T) {
	energy := func(m *Model) int {
		for c := range m.channels {
			if m.channels[c].kind == scenarios.ChanEnergy {
				return c
			}
		}
		t.Fatal("no energy channel")
		return -1
	}
	shut := testModel(t, "tapi-only", "levers.tapi_stake.value=0")
	if shut.OpenChannels()[energy(shut)] {
		t.Error("tapi shut throughout: reported open")
	}
	late := testModel(t, "tapi-only", "levers.tapi_stake.before=0", "levers.tapi_stake.from=2025-01")
	if !late.OpenChannels()[energy(late)] {
		t.Error("tapi opened at the last tick: reported shut")
	}
}

// TestStakePersistenceUnderLevers: a channel's stake persistence is its
// persistence in months over the tick length; follow-on contracts replace
// it for the eastern buyer (years times 12 over the tick length) only when
// positive, and for the western seller too with follow_on_seller; never
// below one tick.
func TestStakePersistenceUnderLevers(t *testing.T) {
	defense := func(m *Model) int {
		for c := range m.channels {
			if m.channels[c].defense {
				return c
			}
		}
		t.Fatal("no defense channel")
		return -1
	}
	for _, tc := range []struct {
		name       string
		sets       []string
		buyer, own float64 // in ticks
		sellerToo  bool
	}{
		{"monthly, 10 years of follow-on", []string{"levers.defense_sales.follow_on_years=10"}, 120, 0, false},
		{"quarterly, 10 years of follow-on", []string{"tick_months=3", "horizon=20", "levers.defense_sales.follow_on_years=10"}, 40, 0, false},
		{"no follow-on", []string{"levers.defense_sales.follow_on_years=0"}, 0, 0, false},
		{"follow-on for the seller too", []string{"levers.defense_sales.follow_on_years=10", "model.follow_on_seller=true"}, 120, 0, true},
	} {
		m := testModel(t, "defense-sales-only", tc.sets...)
		w := NewWorld(m)
		w.Reset(0, 0, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())})
		c := defense(m)
		cs, ch := &m.channels[c], &w.chans[c]
		own := max(1, cs.persistence/float64(m.Scenario.TickMonths))
		buyer := tc.buyer
		if buyer == 0 {
			buyer = own
		}
		seller := own
		if tc.sellerToo {
			seller = buyer
		}
		if !near(ch.Persistence[0], buyer) || !near(ch.Persistence[1], seller) {
			t.Errorf("%s: persistence buyer %v, seller %v; want %v, %v (own %v months, tick %d months)",
				tc.name, ch.Persistence[0], ch.Persistence[1], buyer, seller, cs.persistence, m.Scenario.TickMonths)
		}
		if m.Scenario.TickMonths > 1 && near(own, cs.persistence) {
			t.Errorf("%s: own persistence %v ticks equals its months: the tick length is not used", tc.name, own)
		}
	}
}

// leveredWorld compiles the built-in name with sets and returns a world
// reset to replicate 0 (so applyLevers has run on the initial levers).
func leveredWorld(t *testing.T, name string, sets ...string) *World {
	t.Helper()
	m := testModel(t, name, sets...)
	w := NewWorld(m)
	w.Reset(0, 0, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())})
	return w
}

// TestUSAttentionLever: a level or decay of 0 is a setting (a floor of
// zero, a side that never forgets), not "keep the side's own" (-1); the
// decay per month becomes 1-(1-d)^months per tick.
func TestUSAttentionLever(t *testing.T) {
	w := leveredWorld(t, "baseline", "levers.us_attention.level=0", "levers.us_attention.decay=0")
	if w.usFloor != 0 || w.usRate != 0 {
		t.Errorf("level 0, decay 0: floor %v, rate %v; want 0 and 0 (overrides on)", w.usFloor, w.usRate)
	}
	w = leveredWorld(t, "baseline")
	if w.usFloor != -1 || w.usRate != -1 {
		t.Errorf("no override: floor %v, rate %v; want -1 and -1", w.usFloor, w.usRate)
	}
	w = leveredWorld(t, "baseline", "tick_months=3", "horizon=20", "levers.us_attention.decay=0.1")
	if want := 1 - 0.9*0.9*0.9; !near(w.usRate, want) {
		t.Errorf("decay 0.1 a month, quarterly ticks: rate %v, want 1-0.9^3 = %v", w.usRate, want)
	}
}

// TestArrivalProbability: a yearly Poisson rate r gives an arrival in a
// tick of m months with probability 1-exp(-r*m/12).
func TestArrivalProbability(t *testing.T) {
	for _, tc := range []struct {
		rate float64
		tm   int
	}{{2, 1}, {0.5, 3}, {6, 12}, {0, 1}} {
		want := 1 - math.Exp(-tc.rate*float64(tc.tm)/12)
		if got := arrivalProb(tc.rate, tc.tm); !near(got, want) {
			t.Errorf("rate %v/yr, %d-month ticks: %v, want %v", tc.rate, tc.tm, got, want)
		}
	}
	w := leveredWorld(t, "baseline", "crises.rate_per_year=1.2", "initiatives.rate_per_year=2.4")
	if !near(w.crisisProb, 1-math.Exp(-0.1)) || !near(w.initiativeProb, 1-math.Exp(-0.2)) {
		t.Errorf("monthly: crisis %v, initiative %v; want 1-exp(-0.1), 1-exp(-0.2)", w.crisisProb, w.initiativeProb)
	}
}

// TestProbeDates: probes run every probe_every_months from the first tick
// on (tick 1 when every month), always at the last tick, never at tick 0,
// and not at all when probing is off.
func TestProbeDates(t *testing.T) {
	dates := func(m *Model) []int {
		var out []int
		for tk := 0; tk <= m.Scenario.Horizon; tk++ {
			if m.isProbeDate(tk) {
				out = append(out, tk)
			}
		}
		return out
	}
	m := testModel(t, "tiny", "metrics.probe_every_months=1")
	if got := dates(m); len(got) != m.Scenario.Horizon || got[0] != 1 {
		t.Errorf("monthly probes over %d ticks: dates %v, want 1..%d", m.Scenario.Horizon, got, m.Scenario.Horizon)
	}
	m = testModel(t, "tiny", "metrics.probe_every_months=10")
	want := []int{10, 20, m.Scenario.Horizon}
	if got := dates(m); !slices.Equal(got, want) {
		t.Errorf("probes every 10 months over %d: %v, want %v", m.Scenario.Horizon, got, want)
	}
	m = testModel(t, "tiny", "metrics.probe_every_months=0")
	if got := dates(m); len(got) != 0 {
		t.Errorf("probing off: dates %v", got)
	}
	// Quarterly ticks: every 12 months is every 4 ticks.
	m = testModel(t, "tiny", "tick_months=3", "horizon=10", "metrics.probe_every_months=12")
	want = []int{4, 8, 10}
	if got := dates(m); !slices.Equal(got, want) {
		t.Errorf("quarterly ticks, probes every 12 months over 10 ticks: %v, want %v", got, want)
	}
}

// TestProbeTicks: the probe horizon in ticks is probe_horizon_months
// rounded up to whole ticks.
func TestProbeTicks(t *testing.T) {
	for _, tc := range []struct {
		tm, months, want int
	}{{1, 12, 12}, {1, 1, 1}, {3, 12, 4}, {3, 13, 5}, {12, 6, 1}} {
		m := testModel(t, "tiny", fmt.Sprintf("tick_months=%d", tc.tm), "horizon=24",
			fmt.Sprintf("metrics.probe_horizon_months=%d", tc.months))
		if got := m.probeTicks(); got != tc.want {
			t.Errorf("%d-month ticks, %d-month probe: %d ticks, want %d", tc.tm, tc.months, got, tc.want)
		}
	}
}

// TestCrisesUntil: random crises stop after crises.until: the crisis rate
// drops to 0 at the tick after that month (never when that is after the
// last tick; validation refuses a month before the start).
func TestCrisesUntil(t *testing.T) {
	rate := leverAt(t, "crises.rate_per_year")
	for _, tc := range []struct {
		until    string
		initial0 bool
		at       int // 0: no change
	}{
		{"2012-03", false, 27},
		{"2010-01", false, 1},
		{"2024-12", false, 180},
		{"2025-01", false, 0},
	} {
		m := testModel(t, "baseline", "crises.until="+tc.until)
		got := changesOf(m, rate)
		if (m.initialLevers[rate] == 0) != tc.initial0 {
			t.Errorf("until %s: initial rate %v, want zero: %v", tc.until, m.initialLevers[rate], tc.initial0)
		}
		if tc.at == 0 && len(got) != 0 || tc.at != 0 && (len(got) != 1 || got[tc.at] != 0 || !mapHas(got, tc.at)) {
			t.Errorf("until %s: rate changes %v, want 0 at tick %d (0: none)", tc.until, got, tc.at)
		}
	}
}

func mapHas(m map[int]float64, k int) bool { _, ok := m[k]; return ok }
