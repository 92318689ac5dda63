package sim

import (
	"math"

	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/philox"
)

// Thresholds of the probe (activity units, summed over channels).
const (
	// probeSkipActivity: below this total activity at the probe date there
	// is no cooperation to stress; entrenchment is 0 and the probe does
	// not run.
	probeSkipActivity = 0.01
	// A probe always runs its whole horizon: a channel suspended at the
	// reference crisis can be resumed and rebuild within it, so stopping
	// once total activity is low would read entrenchment too low, and
	// would make it depend on whether some other channel (one a scenario
	// adds) keeps the total up.
)

// probeState holds the latest probe's results, which the probe series
// repeat until the next probe, and the probe's scratch. It is allocated
// once in NewWorld.
type probeState struct {
	// count is the number of probes run in this replicate; the next
	// probe's index.
	count int
	// ent is the headline entrenchment of the latest probe; byChannel and
	// bySide its per-channel and per-side values, 0..1.
	ent       float64
	byChannel []float64
	bySide    []float64
	// before is each channel's activity at the probe date (scratch).
	before []float64
}

// initProbe allocates the shadow world the stress probe runs in and the
// probe's buffers: everything a probe needs, so that probing allocates
// nothing after NewWorld.
func (w *World) initProbe() {
	m := w.m
	w.probe = newWorld(m)
	w.probe.probing = true
	w.probe.probeAttention = make([]float64, len(m.channels))
	w.probes.byChannel = make([]float64, len(m.channels))
	w.probes.bySide = make([]float64, len(m.sides))
	w.probes.before = make([]float64, len(m.channels))
}

// resetProbe clears the probe results at the start of a replicate: probe
// series are 0 before the first probe.
func (w *World) resetProbe() {
	w.probes.count = 0
	w.probes.ent = 0
	clear(w.probes.byChannel)
	clear(w.probes.bySide)
}

// copyFrom makes w (a shadow) a copy of src's mutable state with copy()
// and assignments only: it allocates nothing, because NewWorld gave w
// slices of the same lengths. Every field of World is either copied here
// or listed, with the reason, in notCopied (probe_test.go checks this by
// reflection, so a new state field cannot be forgotten).
//
// Organizations and channels are copied as whole structs: their slice
// fields (RankLo, RankHi, RankWeight, Participants) are fixed by NewWorld
// and never written after, so sharing them is safe.
//
// Of the officials, only dispositions and habits are copied: nothing in a
// probe reads the others before writing them. Propensities are written
// by the officials' update before its aggregation reads them, and an
// inert organization's (see probeOfficials), not updated, are read by
// nobody; retirement ticks and exchange marks are read only by turnover
// and exchanges, which a probe does not run. (popNotCopied in
// probe_internal_test.go lists them.)
func (w *World) copyFrom(src *World) {
	p, q := &w.pop, &src.pop
	copy(p.Disp, q.Disp)
	copy(p.Habit, q.Habit)
	copy(w.orgs, src.orgs)
	copy(w.chans, src.chans)
	for c := range w.stakes {
		copy(w.stakes[c], src.stakes[c])
		copy(w.routine[c], src.routine[c])
		copy(w.exchanged[c], src.exchanged[c])
	}
	for i := range w.execs {
		e, f := &w.execs[i], &src.execs[i]
		e.Attention, e.Weight, e.ReactionScale = f.Attention, f.Weight, f.ReactionScale
		copy(e.Reaction, f.Reaction)
		copy(e.Net, f.Net)
		copy(e.Suspended, f.Suspended)
	}
	copy(w.enabled, src.enabled)
	w.tension, w.afghan, w.tick = src.tension, src.afghan, src.tick
	copy(w.lever, src.lever)
	w.usFloor, w.usRate = src.usFloor, src.usRate
	w.crisisProb, w.initiativeProb, w.crisisSeverity = src.crisisProb, src.initiativeProb, src.crisisSeverity
	w.militarizedShare = src.militarizedShare
}

// isProbeDate reports whether a probe runs at tick t: every
// metrics.probe_every_months months from the start, and at the last tick,
// unless probing is off (probe_every_months = 0).
func (m *Model) isProbeDate(t int) bool {
	every := m.Scenario.Metrics.ProbeEveryMonths
	if every == 0 || t < 1 {
		return false
	}
	return t == m.Scenario.Horizon || (t*m.Scenario.TickMonths)%every == 0
}

// probeTicks is the probe horizon in ticks: metrics.probe_horizon_months
// rounded up to whole ticks.
func (m *Model) probeTicks() int {
	tm := m.Scenario.TickMonths
	return (m.Scenario.Metrics.ProbeHorizonMonths + tm - 1) / tm
}

// runProbe measures entrenchment at the end of the current tick: it
// copies the world into its shadow, hits the copy with a militarized
// reference crisis of metrics.probe_severity on every channel, holds every
// executive's attention at its floor, runs it forward for the probe
// horizon on the probe's own random stream, and keeps the share of
// activity still standing (overall, per channel and per side) in
// w.probes. The run's own state and streams are untouched.
//
// Inside the probe there are no scheduled events, random arrivals, lever
// changes or metric recording. Exchanges, turnover and promotion are
// skipped too: a probe year is short beside a career (tenure_months, 240
// by default), and skipping them makes a probe tick cost little more than
// the officials' update (docs/ODD.md, "Observation"). Organizations whose
// channels are all shut are not updated (probeOfficials).
func (w *World) runProbe() {
	m, ps := w.m, &w.probes
	k := ps.count
	ps.count++
	var total float64
	for c := range w.chans {
		ps.before[c] = w.chans[c].Activity
		total += ps.before[c]
	}
	if total < probeSkipActivity {
		ps.ent = 0
		clear(ps.byChannel)
		clear(ps.bySide)
		return
	}
	p := w.probe
	p.copyFrom(w)
	p.noiseKey = philox.NewKey(m.Scenario.Seed, w.res.Point, w.res.Replicate, PurposeProbe|uint64(k)<<32)
	p.officialsClock = w.officialsClock
	if p.officials = w.officials; p.officials == officialsReference {
		p.actSrc.Seed(StreamSeed(m.Scenario.Seed, w.res.Point, w.res.Replicate, PurposeProbe|uint64(k)<<32))
	}
	p.holdAttentionAtFloor()
	H := m.probeTicks()
	for h := 1; h <= H; h++ {
		p.probeStep(h == 1, h == H)
	}
	ps.ent = keptShare(p.chans, ps.before, nil)
	for c := range p.chans {
		ps.byChannel[c] = keptShare(p.chans[c:c+1], ps.before[c:c+1], nil)
	}
	for s := range m.sides {
		ps.bySide[s] = keptShare(p.chans, ps.before, m.sides[s].channels)
	}
}

// keptShare is min(1, Σ after/Σ before) over the channels listed in only
// (nil: all of them), or 0 when Σ before < probeSkipActivity.
func keptShare(after []agents.Channel, before []float64, only []int) float64 {
	var a, b float64
	if only == nil {
		for c := range after {
			a += after[c].Activity
			b += before[c]
		}
	} else {
		for _, c := range only {
			a += after[c].Activity
			b += before[c]
		}
	}
	if b < probeSkipActivity {
		return 0
	}
	return min(1, a/b)
}

// probeStep is one tick of the probe in the shadow world: the phases of
// Step in their order, with the reference crisis queued at the first
// tick, attention held at its floor, and no events, arrivals, exchanges,
// turnover or metrics.
//
// It skips what cannot reach the probe's measure, the channels' activity:
// the attention update (runProbe sets attention to its floor before the
// first tick, and nothing in a probe tick moves it: no events, no
// arrivals, no attention update, and stepCrises leaves it alone in a
// probe), and after the first tick the routines (they only soften a
// crisis, through resistance, and the probe's only crisis is at its first
// tick, after that tick's routines; with no turnover no recruit reads a
// routine). At the last tick (last) it stops after the channels' step
// unless the crisis is queued (a one-tick probe): the stakes and the
// executives' decisions it would go on to update are read only by later
// ticks, and the probe reads only the channels' activity, which neither
// changes without a crisis.
func (w *World) probeStep(crisisNow, last bool) {
	w.tick++
	w.decayEnvironment()
	w.pendingCrisis = w.pendingCrisis[:0]
	if crisisNow {
		w.pendingCrisis = append(w.pendingCrisis, crisis{sev: w.m.Scenario.Metrics.ProbeSeverity})
	}
	w.probeOfficials(crisisNow)
	w.stepLobbying()
	w.stepChannels()
	if last && !crisisNow {
		return
	}
	w.stepStakes(crisisNow)
	if crisisNow {
		// No exchanges run in a probe: after the first tick's routine
		// update (which uses the run's last exchanges) nobody is on an
		// exchange, and nothing writes the shares again in the probe.
		for c := range w.exchanged {
			clear(w.exchanged[c])
		}
	}
	w.stepCrises(w.tick, 0)
}

// probeOfficials is stepOfficials for the probe, skipping organizations
// whose every channel has capacity 0 and activity 0. Levers are fixed
// inside a probe, so such channels stay at 0 whatever their participants
// think, and an organization's officials reach the probe's measure only
// through the channels it takes part in: the skip leaves every channel's
// activity as it would be. (If a later rule reads stances elsewhere, this
// skip must look at that rule too.)
//
// Such a dead channel stays dead to the end of the probe: its capacity is
// fixed, no event or arrival boosts it, stepChannels leaves it alone and
// a shock takes nothing from no activity. So the set of dead channels
// only grows, and while their number stays as it was, so does every
// organization's inertness: first is the probe's first tick, when
// inertNow is filled afresh, and after it inertNow is refilled only in a
// tick where the number has grown.
func (w *World) probeOfficials(first bool) {
	dead := 0
	for c := range w.chans {
		if ch := &w.chans[c]; !(ch.Capacity > 0 || ch.Activity > 0) { // as inert reads it
			dead++
		}
	}
	if first || dead != w.deadChans {
		w.deadChans = dead
		for i := range w.orgs {
			w.inertNow[i] = w.inert(i)
		}
	}
	w.setInputs(w.inertNow)
	start := w.officialsClock.start()
	noise := philox.TickKey(w.noiseKey, uint32(w.tick))
	for i := range w.orgs {
		if !w.inertNow[i] {
			w.updateOfficials(i, noise)
		}
	}
	w.officialsClock.stop(start)
}

// inert reports whether every channel of organization i has capacity 0
// and activity 0.
func (w *World) inert(i int) bool {
	for _, c := range w.m.orgs[i].channels {
		if w.chans[c].Capacity > 0 || w.chans[c].Activity > 0 {
			return false
		}
	}
	return true
}

// holdAttentionAtFloor sets every executive's attention to its floor (the
// US side's lever floor when set): the memo's "attention waned". It keeps
// each channel's attention (channelAttention) in probeAttention, for
// stepChannels: nothing in a probe moves attention after this.
func (w *World) holdAttentionAtFloor() {
	for i := range w.execs {
		w.execs[i].Attention = w.attentionFloor(i)
	}
	for c := range w.probeAttention {
		w.probeAttention[c] = w.channelAttention(c)
	}
}

// recordProbe writes the probe series and the routine and interest
// indices of tick t into s (T values per metric).
func (w *World) recordProbe(s []float64, T, t int) {
	m, ps := w.m, &w.probes
	s[T+t] = ps.ent
	for c, x := range ps.byChannel {
		s[(m.firstProbeChannelMetric+c)*T+t] = x
	}
	for i, x := range ps.bySide {
		s[(m.firstProbeSideMetric+i)*T+t] = x
	}
	// Over the organizations with a channel (engaged), whose influence
	// newWorld summed in the same order (engagedInf).
	ms := &m.Scenario.Metrics
	rthr, ithr := ms.RoutineThreshold, ms.InterestThreshold
	var rout, inter float64
	for _, i := range w.engaged {
		o := &w.orgs[i]
		if w.orgRoutine(i) >= rthr {
			rout += o.Influence
		}
		if w.stakeIdx[i] >= ithr {
			inter += o.Influence
		}
	}
	inf := w.engagedInf
	s[m.routineMetric*T+t], s[m.interestMetric*T+t] = 0, 0
	if inf > 0 {
		s[m.routineMetric*T+t], s[m.interestMetric*T+t] = rout/inf, inter/inf
	}
}

// orgRoutine is organization i's routine, 0..1: the mean of its
// (organization, channel) routine stocks over its enabled channels, as
// kept by stepStakes.
func (w *World) orgRoutine(i int) float64 { return w.orgs[i].Routine }

// TimeToEntrenchment returns the months from the start to the first probe
// date p at which entrenchment is at least threshold and stays so at every
// later probe up to 12 months after p, with at least one probe in that
// year; NaN if there is none. months and ent are the probe dates (months
// from the start, increasing) and the entrenchment measured at each.
func TimeToEntrenchment(months []int, ent []float64, threshold float64) float64 {
	for i := range months {
		if ent[i] < threshold {
			continue
		}
		held, later := true, 0
		for j := i + 1; j < len(months) && months[j] <= months[i]+12; j++ {
			later++
			if ent[j] < threshold {
				held = false
				break
			}
		}
		if held && later > 0 {
			return float64(months[i])
		}
	}
	return math.NaN()
}

// summarizeProbes sets the probe summaries from the entrenchment series
// ent: its value at the last tick (the end probe), its mean over the probe
// dates and the time to entrenchment. With probing off they stay NaN.
func summarizeProbes(m *Model, ent []float64, s *Summary) {
	var months []int
	var vals []float64
	var sum float64
	for t := 1; t < len(ent); t++ {
		if m.isProbeDate(t) {
			months = append(months, t*m.Scenario.TickMonths)
			vals = append(vals, ent[t])
			sum += ent[t]
		}
	}
	if len(months) == 0 {
		return
	}
	s[SumFinalEntrenchment] = ent[len(ent)-1]
	s[SumMeanEntrenchment] = sum / float64(len(vals))
	s[SumTimeToEntrenchment] = TimeToEntrenchment(months, vals, m.Scenario.Metrics.EntrenchmentThreshold)
}
