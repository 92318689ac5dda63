package sim

import (
	"slices"
	"testing"

	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/philox"
	"github.com/entrench/entrench/scenarios"
)

// TestProbeAdvancesItsOwnClock: a probe at tick t runs its shadow forward
// over ticks t+1..t+H (so each probe tick draws the noise of its own tick
// under the probe's key) and leaves the run's tick alone.
func TestProbeAdvancesItsOwnClock(t *testing.T) {
	m := testModel(t, "baseline", "metrics.probe_horizon_months=5")
	w := probeAt(t, m, 0, 24)
	if w.tick != 24 {
		t.Errorf("the run's tick moved to %d during the probe", w.tick)
	}
	if want := 24 + m.probeTicks(); w.probe.tick != want {
		t.Errorf("the shadow ended at tick %d, want %d (24 + %d probe ticks)", w.probe.tick, want, m.probeTicks())
	}
	// Two probe ticks draw different noise: the first official's normal
	// differs between the shadow's first two ticks.
	a := philox.OfficialNormal(philox.TickKey(w.probe.noiseKey, 25), 0, 0)
	b := philox.OfficialNormal(philox.TickKey(w.probe.noiseKey, 26), 0, 0)
	if a == b {
		t.Errorf("probe ticks 25 and 26 draw the same noise %v", a)
	}
}

// TestInertOrganizations: an organization is skipped by the probe only
// when every one of its channels has capacity 0 and activity 0; a channel
// with capacity but no activity yet (or activity but no capacity left)
// keeps it updated.
func TestInertOrganizations(t *testing.T) {
	m := testModel(t, "tapi-only")
	w := NewWorld(m)
	w.Reset(0, 0, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())})
	for i := range w.orgs {
		chans := m.orgs[i].channels
		if len(chans) == 0 {
			continue
		}
		for _, c := range chans {
			w.chans[c].Capacity, w.chans[c].Activity = 0, 0
		}
		if !w.inert(i) {
			t.Fatalf("org %d: every channel shut and idle, not inert", i)
		}
		c := chans[len(chans)-1]
		w.chans[c].Capacity = 0.2
		if w.inert(i) {
			t.Errorf("org %d: channel %d has capacity 0.2 (no activity): reported inert", i, c)
		}
		w.chans[c].Capacity, w.chans[c].Activity = 0, 0.1
		if w.inert(i) {
			t.Errorf("org %d: channel %d has activity 0.1 (no capacity): reported inert", i, c)
		}
		w.chans[c].Activity = 0
		w.Reset(0, 0, w.res)
	}
}

// TestRoutineAndInterestIndices: routine_index and interest_index are the
// influence-weighted shares of the organizations with a channel whose
// routine, respectively stake index, is at least its threshold (a value
// at the threshold counts); organizations with no channel are left out of
// both shares.
func TestRoutineAndInterestIndices(t *testing.T) {
	m := testModel(t, "three-stakes", "metrics.routine_threshold=0.4", "metrics.interest_threshold=0.5")
	m.orgs[0].channels = nil // an organization with no channel: never counted
	w := NewWorld(m)
	T := m.ticks()
	res := &RunResult{Series: make([]float64, len(m.Metrics)*T)}
	w.Reset(0, 0, res)
	half := w.params.StakeHalf
	var rout, inter, inf float64
	for i := range w.orgs {
		o := &w.orgs[i]
		switch i % 3 {
		case 0: // at both thresholds: routine exactly 0.4, stake index exactly 0.5
			o.Routine, o.Stake = 0.4, half
		case 1: // above the routine threshold, below the interest one
			o.Routine, o.Stake = 0.9, 0.1*half
		default: // below the routine threshold, above the interest one
			o.Routine, o.Stake = 0.1, 3*half
		}
		// The run keeps each organization's stake index (stepStakes
		// refreshes it); record reads it.
		w.stakeIdx[i] = agents.StakeIndex(o.Stake, half)
		if len(m.orgs[i].channels) == 0 {
			continue
		}
		inf += o.Influence
		if i%3 != 2 {
			rout += o.Influence
		}
		if i%3 != 1 {
			inter += o.Influence
		}
	}
	w.recordProbe(res.Series, T, 7)
	gotR, gotI := res.Series[m.routineMetric*T+7], res.Series[m.interestMetric*T+7]
	if !near(gotR, rout/inf) || !near(gotI, inter/inf) {
		t.Errorf("routine index %v, interest index %v; want %v and %v", gotR, gotI, rout/inf, inter/inf)
	}
	if near(rout/inf, inter/inf) || rout == 0 || inter == 0 {
		t.Fatalf("the test's populations do not tell the two indices apart: %v, %v", rout/inf, inter/inf)
	}
}

// TestUSAttentionRate: the US attention lever's decay replaces the
// Washington side's own attention rate and no other side's, and a decay
// of 0 is a rate of 0 (a side that does not forget), not "no override".
func TestUSAttentionRate(t *testing.T) {
	for _, decay := range []string{"0", "0.35"} {
		w := leveredWorld(t, "baseline", "levers.us_attention.decay="+decay)
		m := w.m
		for i := range w.execs {
			w.execs[i].Attention = 0.9
		}
		want := make([]float64, len(w.execs))
		for i := range w.execs {
			rate := m.sides[i].attentionRate
			if i == m.usSide {
				rate = w.usRate
			}
			a := 0.9
			want[i] = min(1, max(0, a+rate*(w.attentionFloor(i)-a)+w.params.LobbyAttention*w.lobbyPush(i)*(1-a)))
		}
		if m.sides[m.usSide].attentionRate == w.usRate {
			t.Fatalf("decay %s: the US side's own rate equals the lever's: the test cannot tell them apart", decay)
		}
		w.stepEnvironment()
		for i := range w.execs {
			if !near(w.execs[i].Attention, want[i]) {
				t.Errorf("decay %s, side %s: attention %v, want %v", decay, m.sides[i].name, w.execs[i].Attention, want[i])
			}
		}
	}
}

// TestUSAttentionFloor: the US attention lever's level replaces the
// Washington side's floor only, and a level of 0 is a floor of 0.
func TestUSAttentionFloor(t *testing.T) {
	w := leveredWorld(t, "baseline", "levers.us_attention.level=0")
	for i := range w.execs {
		want := w.m.sides[i].floor
		if i == w.m.usSide {
			want = 0
		}
		if got := w.attentionFloor(i); got != want {
			t.Errorf("side %s: floor %v, want %v", w.m.sides[i].name, got, want)
		}
	}
	if w.m.sides[w.m.usSide].floor == 0 {
		t.Fatal("Washington's own floor is 0: the test cannot tell it from the lever's")
	}
}

// TestScheduledInitiativeBoost: a scheduled initiative of severity s adds
// initiative_step*s to the activity of the channels it names (all of them
// when it names none), up to their capacity, and leaves the others alone.
func TestScheduledInitiativeBoost(t *testing.T) {
	m := testModel(t, "baseline")
	const tick = 5
	for _, named := range [][]int{nil, {1, 3}} {
		w := NewWorld(m)
		w.Reset(0, 0, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())})
		ev := &scenarios.Event{Kind: scenarios.EventInitiative, Name: "summit", Severity: 0.5}
		saved := m.schedule[tick]
		m.schedule[tick] = []schedEvent{{ev: ev, channels: named}}
		before := make([]float64, len(w.chans))
		for c := range w.chans {
			w.chans[c].Activity, w.chans[c].Capacity, w.chans[c].Suspended = 0.1, 1, false
			before[c] = 0.1
		}
		w.stepEvents(tick, 0.1)
		m.schedule[tick] = saved
		for c := range w.chans {
			want := before[c]
			if named == nil || slices.Contains(named, c) {
				want = min(1, before[c]+m.env.initiativeStep*0.5)
			}
			if !near(w.chans[c].Activity, want) {
				t.Errorf("initiative on %v: channel %d activity %v, want %v", named, c, w.chans[c].Activity, want)
			}
		}
	}
	if m.env.initiativeStep == 0 {
		t.Fatal("initiative_step is 0: the test cannot see a boost")
	}
}

// TestRandomCrisisSeverityMean: random crises draw their severity from a
// Beta distribution with mean crises.severity_mean (alpha = mean*c, beta =
// (1-mean)*c): over the about 2,075 crises of 2,400 months at 24 a year
// (the most the schema allows) the mean severity is within 0.015 of 0.3
// (its standard error is sqrt(0.21/(c+1)/n), 0.0045 at the baseline's
// concentration c = 4: the band is 3.3 standard errors; fixed seed).
// Flipping the sign in beta = (1-mean)*c gives a mean of 0.19.
func TestRandomCrisisSeverityMean(t *testing.T) {
	w := leveredWorld(t, "baseline", "crises.rate_per_year=24", "crises.severity_mean=0.3", "horizon=2400")
	var sum float64
	n := 0
	for tick := 1; tick <= 2400; tick++ {
		w.pendingCrisis = w.pendingCrisis[:0]
		w.stepArrivals(tick, 0)
		for _, c := range w.pendingCrisis {
			sum += c.sev
			n++
		}
	}
	if n < 1900 {
		t.Fatalf("only %d crises in 2,400 months at 24 a year (want about 2,075)", n)
	}
	if mean := sum / float64(n); mean < 0.285 || mean > 0.315 {
		t.Errorf("mean severity %.4f over %d crises, want 0.3 ± 0.015", mean, n)
	}
}

// TestSummarizeProbes: the probe summaries read the entrenchment series at
// the probe dates only (here ticks 12 and 23 of a 23-tick run probed every
// 12 months: tick 24 would be one, but the run ends first): the final
// value, their mean, and the time to entrenchment from them.
func TestSummarizeProbes(t *testing.T) {
	m := testModel(t, "tiny", "horizon=23", "metrics.probe_every_months=12", "metrics.entrenchment_threshold=0.5")
	ent := make([]float64, 24)
	for i := range ent {
		ent[i] = 0.01 * float64(i) // off the probe dates: never read
	}
	ent[12], ent[23] = 0.6, 0.7
	var s Summary
	summarizeProbes(m, ent, &s)
	if s[SumFinalEntrenchment] != 0.7 || !near(s[SumMeanEntrenchment], 0.65) || s[SumTimeToEntrenchment] != 12 {
		t.Errorf("final %v, mean %v, time %v; want 0.7, 0.65, 12", s[SumFinalEntrenchment], s[SumMeanEntrenchment], s[SumTimeToEntrenchment])
	}
	// Quarterly ticks: the probe at tick 4 is 12 months from the start.
	m = testModel(t, "tiny", "tick_months=3", "horizon=8", "metrics.probe_every_months=12", "metrics.entrenchment_threshold=0.5")
	ent = make([]float64, 9)
	ent[4], ent[8] = 0.6, 0.7
	s = Summary{}
	summarizeProbes(m, ent, &s)
	if s[SumTimeToEntrenchment] != 12 {
		t.Errorf("quarterly ticks: time to entrenchment %v months, want 12", s[SumTimeToEntrenchment])
	}
}

// TestRecordProbeWritesItsCells: recording a probe writes the entrenchment
// series, the per-channel and per-side probe series and the two indices at
// tick t, and no other cell of the run's series.
func TestRecordProbeWritesItsCells(t *testing.T) {
	m := testModel(t, "three-stakes")
	w := NewWorld(m)
	T := m.ticks()
	res := &RunResult{Series: make([]float64, len(m.Metrics)*T)}
	w.Reset(0, 0, res)
	const sentinel = -7.5
	for i := range res.Series {
		res.Series[i] = sentinel
	}
	const tk = 150 // late in the run, so a cell written at T-tk would be an earlier tick
	w.recordProbe(res.Series, T, tk)
	for i, x := range res.Series {
		if x != sentinel && i%T != tk {
			t.Errorf("metric %s, tick %d written (%v) when recording tick %d", m.Metrics[i/T], i%T, x, tk)
		}
	}
	for _, metric := range []int{1, m.routineMetric, m.interestMetric, m.firstProbeChannelMetric, m.firstProbeSideMetric} {
		if res.Series[metric*T+tk] == sentinel {
			t.Errorf("metric %s not written at tick %d", m.Metrics[metric], tk)
		}
	}
}

// TestProbeInertnessKept: probeOfficials refills its inertness marks at
// a probe's first tick and whenever a channel has become shut and idle
// since, so the marks it updates are always those inert gives: here a
// channel is shut and emptied by hand after the first tick (in a probe
// it would take a fall rate of 1), which must make its only participants
// inert at the next tick.
func TestProbeInertnessKept(t *testing.T) {
	m := testModel(t, "baseline")
	w := NewWorld(m)
	w.Reset(0, 0, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())})
	for range 12 {
		w.Step()
	}
	p := w.probe
	p.copyFrom(w)
	check := func(when string) int {
		t.Helper()
		n := 0
		for i := range p.orgs {
			if p.inertNow[i] != p.inert(i) {
				t.Errorf("%s: organization %s marked inert %v, inert says %v", when, m.orgs[i].name, p.inertNow[i], p.inert(i))
			}
			if p.inertNow[i] {
				n++
			}
		}
		return n
	}
	p.tick++
	p.probeOfficials(true)
	before := check("first tick")
	// Shut and empty every live channel of one organization that takes
	// part in a single channel.
	killed := -1
	for i := range p.orgs {
		if cs := m.orgs[i].channels; len(cs) == 1 && !p.inertNow[i] {
			killed = cs[0]
			break
		}
	}
	if killed < 0 {
		t.Fatal("no live organization with a single channel in the baseline")
	}
	p.chans[killed].Capacity, p.chans[killed].Activity = 0, 0
	p.tick++
	p.probeOfficials(false)
	if after := check("after a channel died"); after <= before {
		t.Errorf("inert organizations: %d before channel %s died, %d after; want more", before, m.channels[killed].name, after)
	}
}

// TestProbeLastTickShort: a probe that stops its last tick after the
// channels' step (probeStep's last) measures what one that runs the tick
// to its end measures, channel by channel, on runs with frequent crises
// (so executives suspend and resume channels in the probes); and every
// channel's attention at the end is the one kept at the start.
func TestProbeLastTickShort(t *testing.T) {
	m := testModel(t, "baseline", "crises.rate_per_year=2")
	for rep := range 4 {
		short := probeAt(t, m, rep, 30)
		w := NewWorld(m)
		w.Reset(0, rep, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())})
		for range 30 {
			w.Step()
		}
		// runProbe, with every tick run to its end.
		p, ps := w.probe, &w.probes
		for c := range w.chans {
			ps.before[c] = w.chans[c].Activity
		}
		p.copyFrom(w)
		p.noiseKey = philox.NewKey(m.Scenario.Seed, 0, rep, PurposeProbe|uint64(ps.count)<<32)
		p.holdAttentionAtFloor()
		H := m.probeTicks()
		for h := 1; h <= H; h++ {
			p.probeStep(h == 1, false)
		}
		for c := range p.chans {
			// stepChannels steps a probe's channels at the attention
			// holdAttentionAtFloor kept: nothing in the probe moved it.
			if got := p.channelAttention(c); got != p.probeAttention[c] {
				t.Errorf("rep %d: channel %s's attention %v at the probe's end, %v kept at its start", rep, m.channels[c].name, got, p.probeAttention[c])
			}
			full := keptShare(p.chans[c:c+1], ps.before[c:c+1], nil)
			if got := short.probes.byChannel[c]; got != full {
				t.Errorf("rep %d: channel %s keeps %v with the short last tick, %v with the full one", rep, m.channels[c].name, got, full)
			}
		}
	}
}
