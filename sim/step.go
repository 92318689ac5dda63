package sim

import (
	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/philox"
	"github.com/entrench/entrench/scenarios"
)

// Step advances the world by one tick, in the order of docs/ODD.md
// section 3: environment and events, officials and organizations,
// lobbying, channels, stakes and routines, crisis effects and executive
// decisions, exchanges and turnover, metrics (with the stress probe at
// probe dates). It allocates nothing.
func (w *World) Step() {
	w.tick++
	t := w.tick
	coopBefore := w.res.Series[t-1]
	w.stepEnvironment()
	w.stepEvents(t, coopBefore)
	w.stepArrivals(t, coopBefore)
	w.stepOfficials()
	w.stepLobbying()
	w.stepChannels()
	w.stepStakes(true)
	w.stepCrises(t, coopBefore)
	w.stepTurnover(t)
	w.stepMetrics(t)
}

// stepEnvironment decays crisis tension and every executive's crisis
// reactions, and moves each side's attention toward its floor (the US
// side's floor and rate may be overridden by its lever) while its
// stakeholders' lobbying (on the previous tick's stakes) pushes it up.
func (w *World) stepEnvironment() {
	m := w.m
	w.decayEnvironment()
	for i := range m.sides {
		e := &w.execs[i]
		rate := m.sides[i].attentionRate
		if i == m.usSide && w.usRate >= 0 {
			rate = w.usRate
		}
		agents.UpdateAttention(e, w.attentionFloor(i), rate, w.lobbyPush(i), w.params)
	}
}

// lobbyPush is agents.LobbyPushOf for side i, with the stake indices of
// stakeIdx: the same bits without a division per organization.
func (w *World) lobbyPush(i int) float64 {
	if w.params.InertStakes {
		return 0
	}
	sd := &w.m.sides[i]
	var s float64
	for _, j := range sd.members {
		s += w.orgs[j].Influence * w.stakeIdx[j]
	}
	return s / (sd.influence + w.execs[i].Weight)
}

// decayEnvironment decays crisis tension and every executive's crisis
// reactions (in the channels its side takes part in: the others stay 0):
// stepEnvironment without attention.
func (w *World) decayEnvironment() {
	w.tension *= w.m.env.tensionKept
	for i := range w.execs {
		agents.DecayReactionsOf(&w.execs[i], w.m.sides[i].channels, w.params)
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
			w.pendingCrisis = append(w.pendingCrisis, crisis{e.Severity, se.kind, se.channels})
		case scenarios.EventInitiative:
			// agents.Boost leaves suspended channels alone.
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
		case scenarios.EventAttention:
			if se.sides == nil {
				for i := range w.execs {
					w.execs[i].Attention = e.Severity
				}
			} else {
				for _, i := range se.sides {
					w.execs[i].Attention = e.Severity
				}
			}
		}
	}
}

// stepArrivals draws the random initiative and crisis of tick t. The
// environment stream draws three uniforms every tick (crisis, initiative,
// crisis kind, in that order) and a severity (a variable number of draws)
// for each crisis, none of which depends on the levers, so crisis
// sequences and kinds are common across scenarios that share a crisis and
// initiative process.
func (w *World) stepArrivals(t int, coopBefore float64) {
	m := w.m
	uCrisis, uInit, uKind := w.envRng.Float64(), w.envRng.Float64(), w.envRng.Float64()
	if uInit < w.initiativeProb {
		w.boostAttention(nil, 1)
		w.res.Events = append(w.res.Events, EventRecord{Tick: t, Date: m.Dates[t], Kind: scenarios.EventInitiative,
			Name: "random initiative", Severity: 1, CooperationBefore: coopBefore})
	}
	if uCrisis < w.crisisProb {
		kind := agents.Diplomatic
		if uKind < w.militarizedShare {
			kind = agents.Militarized
		}
		mean := min(0.999, max(0.001, w.crisisSeverity))
		conc := m.Scenario.Crises.SeverityConcentration
		w.severity.Alpha, w.severity.Beta = mean*conc, (1-mean)*conc
		sev := w.severity.Rand()
		w.res.Events = append(w.res.Events, EventRecord{Tick: t, Date: m.Dates[t], Kind: scenarios.EventCrisis,
			Name: "random crisis", Severity: sev, CooperationBefore: coopBefore})
		w.pendingCrisis = append(w.pendingCrisis, crisis{sev, kind, nil})
	}
}

// stepOfficials updates every organization's officials and aggregates
// them into its stance. The inputs of every organization are set first
// (setInputs reads only executives and channels, which the updates leave
// alone), so that the updates run in one loop a benchmark can time.
func (w *World) stepOfficials() {
	w.setInputs(nil)
	start := w.officialsClock.start()
	noise := philox.TickKey(w.noiseKey, uint32(w.tick))
	for i := range w.orgs {
		w.updateOfficials(i, noise)
	}
	w.officialsClock.stop(start)
}

// updateOfficials runs the officials' kernel of organization i with the
// tick's noise (or the reference arithmetic in a benchmark).
func (w *World) updateOfficials(i int, noise uint64) {
	switch w.officials {
	case officialsKernel:
		agents.UpdateOfficials(&w.pop, &w.orgs[i], w.tension, w.params, noise)
	case officialsScalar:
		agents.UpdateOfficialsScalar(&w.pop, &w.orgs[i], w.tension, w.params, noise)
	default:
		agents.UpdateOfficialsReference(&w.pop, &w.orgs[i], w.tension, w.params, w.actRng)
	}
}

// stepLobbying computes, for every channel, each organization's interest
// (its stake in the channel, plus its energy stake for the Afghan
// channels) and opposition, each participating side's net lobbying, and
// each bloc's backing of the channel (Backing times the influence-weighted
// mean net lobbying of the bloc's sides in the channel). Stakes are the
// previous tick's.
func (w *World) stepLobbying() {
	m, k := w.m, w.params
	for c := range w.chans {
		cs, ch := &m.channels[c], &w.chans[c]
		if ch.Capacity == 0 {
			// A channel its lever keeps shut: nobody reads its net
			// lobbying (stepCrises decides nothing on it) or its backing
			// (agents.Step's target is 0 whatever the backing, the stances
			// being finite), and levers change in stepEvents, before this,
			// so both are fresh again the tick it reopens.
			continue
		}
		// Only the organizations the net lobbying terms read (see
		// compileLobbying); the scratch of the others is not read.
		// (The scratch resliced to the organizations' length: indexing
		// orgs checks the index for the three.)
		stakes, orgs := w.stakes[c], w.orgs
		interests, oppositions := w.interest[:len(orgs)], w.opposition[:len(orgs)]
		for _, l := range cs.lobbyers {
			o := &orgs[l.org]
			var interest, opposition float64
			if l.part >= 0 {
				interest = agents.Interest(stakes[l.part], o.EnergyStake, cs.afghan, k)
				// Without outright opposition or suspicion (every
				// organization but the eastern military ones) it is
				// min(1, 0+0*depth), 0 for the depths a scenario allows
				// (0..1), without the call.
				if l.opposes || o.Suspicion != 0 {
					opposition = agents.Opposition(l.opposes, true, o.Suspicion, ch.Depth)
				}
			} else if l.opposes {
				opposition = 1 // agents.Opposition(true, false, 0, 0)
			}
			if l.reach && !(interest > 0) {
				// TAPI reach: stakeholders in energy lobby for the Afghan
				// channels even where they do not take part.
				interest = agents.Interest(0, o.EnergyStake, true, k)
			}
			interests[l.org], oppositions[l.org] = interest, opposition
		}
		// (The model's sides resliced to the executives' length and each
		// bloc's term lists to its sides': indexing execs and ranging
		// over the sides checks the indices for both.)
		execs := w.execs
		msides := m.sides[:len(execs)]
		for b := 0; b < 2; b++ {
			var sum, wsum float64
			sides := cs.sides[b]
			lobby := cs.lobby[b][:len(sides)]
			for j, si := range sides {
				e := &execs[si]
				infl := msides[si].influence
				n := agents.NetLobbyingTerms(lobby[j], interests, oppositions, infl+e.Weight)
				e.Net[c] = n
				sum += infl * n
				wsum += infl
			}
			if ch.Suspended {
				// agents.Step reads no backing while the channel stays
				// suspended, and only stepCrises, after agents.Step,
				// resumes it: the backing is fresh again the tick after.
				continue
			}
			ch.Backing[b] = 0
			if wsum > 0 {
				ch.Backing[b] = k.Backing * sum / wsum
			}
		}
	}
}

// stepChannels moves every channel toward what its least willing bloc
// supports (nothing while suspended).
//
// In a probe each channel's attention is the one holdAttentionAtFloor
// kept (nothing in a probe moves attention).
func (w *World) stepChannels() {
	for c := range w.chans {
		if ch := &w.chans[c]; ch.Capacity == 0 && ch.Activity == 0 {
			continue // shut and idle: agents.Step would leave it at 0
		}
		var a float64
		if w.probing {
			a = w.probeAttention[c]
		} else {
			a = w.channelAttention(c)
		}
		agents.Step(&w.chans[c], w.orgs, a, w.params)
	}
}

// stepStakes lets Afghan stability follow the Afghan channels, accrues and
// depreciates every stake (TAPI revenue follows Afghan stability; nothing
// accrues while a channel is suspended; eastern buyers and western sellers
// of defense channels keep stakes for different times), updates every
// routine and the eastern military organizations' suspicion, and
// refreshes each organization's stake and routine and, when a crisis is
// pending, each organization's and channel's resistance (their only
// readers are agents.CutDispositions and agents.Shock in stepCrises, and
// the tick's crises are queued before this). Without routines it leaves
// routines as they are (see probeStep). In a run (not in a probe) it also
// refreshes each organization's stake index (stakeIdx).
func (w *World) stepStakes(routines bool) {
	m, env, k := w.m, &w.m.env, w.params
	crisis := len(w.pendingCrisis) > 0
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
		o := &w.orgs[i]
		o.Stake, o.EnergyStake = 0, 0
		if routines {
			o.Routine = 0
		}
	}
	for c := range w.chans {
		ch, cs := &w.chans[c], &m.channels[c]
		mult := cs.stakeMonths
		if cs.energy {
			mult *= w.afghan
		}
		st, rt, ex := w.stakes[c], w.routine[c], w.exchanged[c]
		if ch.Activity == 0 && ch.Capacity == 0 && allZero(st) && allZero(rt) && allZero(ex) {
			// Shut and idle with nothing accrued: every stock would stay
			// 0 (nothing to depreciate, no yield without activity, no
			// routine growth) and add nothing to the organizations'.
			continue
		}
		for i, oi := range ch.Participants {
			o := &w.orgs[oi]
			st[i] = agents.AccrueStake(st[i], ch, o.Bloc, mult)
			o.Stake += st[i]
			if cs.energy {
				o.EnergyStake += st[i]
			}
			if routines && cs.jointWork {
				rt[i] = agents.UpdateRoutine(rt[i], ch.Activity, ex[i], k)
				if ch.Capacity > 0 {
					o.Routine += rt[i]
				}
			}
		}
	}
	for i := range w.orgs {
		o := &w.orgs[i]
		if o.Military && o.Bloc == 0 {
			var pressure float64
			for _, c := range m.orgs[i].channels {
				if m.channels[c].milToMil {
					pressure += w.chans[c].Depth * w.chans[c].Demand
				}
			}
			o.Suspicion = agents.UpdateSuspicion(o.Suspicion, min(1, pressure), k)
		}
		if n := w.enabled[i]; routines && n > 1 { // (a division by 1 would leave it as it is)
			o.Routine /= float64(n)
		}
		if crisis {
			o.Resistance = agents.Resistance(agents.ResistInput(o.Stake, o.Routine, o.HabitMean, k), k)
		}
		if !w.probing {
			w.stakeIdx[i] = agents.StakeIndex(o.Stake, k.StakeHalf)
		}
	}
	if crisis {
		for c := range w.chans {
			if w.chans[c].Activity == 0 {
				// A channel's resistance is read only by agents.Shock,
				// right after this in stepCrises, which takes nothing
				// from a channel with no activity.
				continue
			}
			agents.ChannelResistance(&w.chans[c], w.orgs, w.stakes[c], w.routine[c], k)
		}
	}
}

// stepCrises applies the tick's crises (tension rises, every executive's
// attention is cut, activity and dispositions are cut less where
// participants hold stakes, routines and habit, and the participating
// executives' reactions rise), then lets every executive decide on every
// channel it takes part in: suspend when the reaction exceeds the bar,
// resume when it has fallen below. Decisions are recorded as events.
func (w *World) stepCrises(t int, coopBefore float64) {
	m, k := w.m, w.params
	for _, cr := range w.pendingCrisis {
		tk := m.env.kindTension[cr.kind]
		w.tension += cr.sev * tk * (1 - w.tension)
		if !w.probing { // a probe holds attention at its floor throughout
			for i := range w.execs {
				agents.CutAttention(&w.execs[i], cr.sev, k)
			}
		}
		if cr.channels == nil {
			for c := range w.chans {
				w.shock(c, cr)
			}
			for i := range w.orgs {
				if w.probing && w.inert(i) {
					// Its channels stay shut and idle throughout the probe,
					// so its officials are never read again in it.
					continue
				}
				agents.CutDispositions(&w.pop, &w.orgs[i], cr.sev*tk, k)
			}
			continue
		}
		for _, c := range cr.channels {
			w.shock(c, cr)
		}
		for i := range w.orgs {
			if w.touches(i, cr.channels) {
				agents.CutDispositions(&w.pop, &w.orgs[i], cr.sev*tk, k)
			}
		}
	}
	for c := range w.chans {
		ch := &w.chans[c]
		// The channel's sides, eastern then western (chanSides).
		sides := w.chanSides[c]
		if ch.Capacity <= 0 {
			// Nothing to suspend in a channel its lever keeps shut.
			for _, si := range sides {
				w.execs[si].Suspended[c] = false
			}
			ch.Suspended = false
			continue
		}
		susp := false
		for _, si := range sides {
			e := &w.execs[si]
			if d := agents.Decide(e, c, k); d != 0 && !w.probing { // a probe records no events
				w.recordDecision(t, si, c, d, coopBefore)
			}
			susp = susp || e.Suspended[c]
		}
		if susp && !ch.Suspended && !w.probing {
			w.suspensions++
		}
		ch.Suspended = susp
	}
}

// recordDecision records side si's executive's decision d on channel c
// at tick t (1: it suspends the channel, -1: it resumes it) as an event.
// (Out of stepCrises's loop, which it would weigh down, being rare.)
func (w *World) recordDecision(t, si, c, d int, coopBefore float64) {
	m, e := w.m, &w.execs[si]
	if d == 1 {
		w.res.Events = append(w.res.Events, EventRecord{Tick: t, Date: m.Dates[t], Kind: scenarios.EventSuspension,
			Name: m.suspendName[si][c], Severity: e.Reaction[c], CooperationBefore: coopBefore})
		return
	}
	w.res.Events = append(w.res.Events, EventRecord{Tick: t, Date: m.Dates[t], Kind: scenarios.EventResumption,
		Name: m.resumeName[si][c], Severity: e.Reaction[c], CooperationBefore: coopBefore})
}

// shock cuts channel c's activity by crisis cr and raises the reaction of
// every executive whose side takes part in it. The reaction, like the
// tension, is scaled by the kind's tension factor (1 for a militarized
// crisis, diplomatic_tension for a diplomatic one): a diplomatic crisis
// freezes the political channels' work but seldom makes a capital suspend
// them (Iraq 2003, Libya 2011 and the cancelled 2013 summit suspended no
// NATO-Russia Council work; Kosovo 1999, Georgia 2008 and Crimea 2014 did).
func (w *World) shock(c int, cr crisis) {
	ch, cs := &w.chans[c], &w.m.channels[c]
	agents.Shock(ch, cr.sev, cr.kind)
	sev := cr.sev * w.m.env.kindTension[cr.kind]
	for b := 0; b < 2; b++ {
		for _, si := range cs.sides[b] {
			agents.CrisisReaction(&w.execs[si], c, sev, ch.Freeze[cr.kind])
		}
	}
}

// stepTurnover runs the exchanges of the exchange channels (mil-to-mil,
// border, counternarcotics), keeping each participant's exchanged share
// for the next tick's routine, then retirement and promotion, in every
// organization.
func (w *World) stepTurnover(t int) {
	staff := agents.Staffing{Params: w.params, Now: t, Rng: w.actRng, TenureLog: w.tenureLog}
	for c := range w.chans {
		ch := &w.chans[c]
		if !ch.Exchanges {
			// Its shares stay 0 from Reset on: nothing writes them.
			continue
		}
		ex := w.exchanged[c]
		if ch.Activity <= 0 {
			clear(ex)
			continue
		}
		for i, oi := range ch.Participants {
			o := &w.orgs[oi]
			n := agents.Exchange(&w.pop, o, ch.Activity, w.params, w.actRng)
			ex[i] = 0
			// (With nobody sent, the share is 0 without a division.)
			if juniors := o.RankHi[0] - o.RankLo[0]; n > 0 && juniors > 0 {
				ex[i] = float64(n) / float64(juniors)
			}
		}
	}
	for i := range w.orgs {
		o := &w.orgs[i]
		if o.NextRetire > t {
			// Turnover would return 0 at once, drawing nothing: most
			// organizations, most ticks, without the call.
			continue
		}
		// The cascades change ranks up to top only; the update's
		// aggregation (this tick's, in stepOfficials) has the sums of the
		// ranks above.
		if n, top := agents.TurnoverRanks(&w.pop, o, staff); n > 0 {
			agents.Reaggregate(&w.pop, o, w.params, top)
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

// allZero reports whether every element of x is 0.
func allZero(x []float64) bool {
	for _, v := range x {
		if v != 0 {
			return false
		}
	}
	return true
}
