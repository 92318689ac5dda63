package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/scenarios"
)

// Stream purposes. Every random stream of a replicate is derived from
// (seed, design point, replicate, purpose), so changing what one purpose
// draws never shifts another purpose's numbers.
const (
	// PurposeEnvironment drives crisis and initiative arrivals, severities
	// and timing. Two scenarios that differ only in levers that leave the
	// crisis process alone see the same crises (common random numbers).
	PurposeEnvironment uint64 = 1
	// PurposeActors drives officials' noise, exchanges, turnover and
	// promotion.
	PurposeActors uint64 = 2
	// PurposePopulation drives the initial population of officials.
	PurposePopulation uint64 = 3
)

// World is the state of one replicate in progress. A World is owned by one
// goroutine: it is not safe for concurrent use. Reset reuses its memory, so
// a worker keeps one World for all its replicates and the monthly Step
// allocates nothing.
type World struct {
	m *Model
	k *scenarios.Coefficients
	// kt holds the coefficients the officials' rules apply once per tick:
	// monthly rates compounded over tick_months, noise scaled by
	// sqrt(tick_months). Equal to *k for monthly ticks.
	kt scenarios.Coefficients

	pop      agents.Population
	orgs     []agents.Org
	chans    []agents.Channel
	stakes   [][]float64 // stakes[c][i]: stake of channels[c].Participants[i]
	attn     []float64   // by side
	sideS    []float64   // by side: scratch sums for record
	tension  float64
	afghan   float64
	lever    leverState
	tick     int
	sevDist  distuv.Beta
	envSrc   *rand.PCG
	actSrc   *rand.PCG
	popSrc   *rand.PCG
	env, act *rand.Rand
	pop0     *rand.Rand

	// noRecord skips per-tick metric recording (benchmarks measure what
	// collection costs with it).
	noRecord bool
	// fault, if set, is called at the start of every replicate (tests
	// inject failures through it).
	fault func(rep int)
	// done, if not nil, stops Run between two ticks when it is closed.
	done <-chan struct{}

	// per-tick scratch
	pendingCrisis []crisis
	res           *RunResult
}

type crisis struct {
	sev      float64
	channels []int // nil: all
	event    int   // index in res.Events
}

// NewWorld allocates a World for the model.
func NewWorld(m *Model) *World {
	w := &World{m: m, k: &m.Scenario.Model}
	w.kt = perTick(*w.k, m.Scenario.TickMonths)
	w.envSrc = rand.NewPCG(0, 0)
	w.actSrc = rand.NewPCG(0, 0)
	w.popSrc = rand.NewPCG(0, 0)
	w.env = rand.New(w.envSrc)
	w.act = rand.New(w.actSrc)
	w.pop0 = rand.New(w.popSrc)
	w.sevDist.Src = w.envSrc
	w.pop.Resize(m.officials)
	w.orgs = make([]agents.Org, len(m.orgs))
	slot := 0
	nr := len(m.ranks)
	for i, os := range m.orgs {
		o := &w.orgs[i]
		o.Side, o.Bloc, o.Influence, o.Sensitivity = os.side, os.bloc, os.influence, os.sens
		o.Military = os.kind == scenarios.KindMilitary
		o.DispMean, o.DispSD = os.dispMean, os.dispSD
		o.RankLo, o.RankHi, o.RankWeight = make([]int, nr), make([]int, nr), make([]float64, nr)
		counts := rankCounts(os.officials, m.rankShare)
		for r := range counts {
			o.RankLo[r] = slot
			slot += counts[r]
			o.RankHi[r] = slot
			o.RankWeight[r] = m.ranks[r].Weight
			o.WeightSum += m.ranks[r].Weight * float64(counts[r])
		}
	}
	w.chans = make([]agents.Channel, len(m.channels))
	w.stakes = make([][]float64, len(m.channels))
	for c, cs := range m.channels {
		w.chans[c].Participants = cs.participants
		w.chans[c].Freeze, w.chans[c].Depth = cs.freeze, cs.depth
		w.stakes[c] = make([]float64, len(cs.participants))
	}
	w.attn = make([]float64, len(m.sides))
	w.sideS = make([]float64, len(m.sides))
	w.pendingCrisis = make([]crisis, 0, 8)
	return w
}

// perTick converts the officials' monthly rates to rates per tick of tm
// months: a rate r becomes 1-(1-r)^tm and the noise standard deviation is
// scaled by sqrt(tm) (independent monthly shocks add up).
func perTick(k scenarios.Coefficients, tm int) scenarios.Coefficients {
	if tm == 1 {
		return k
	}
	f := float64(tm)
	rate := func(r float64) float64 { return 1 - math.Pow(1-r, f) }
	k.HabitGain, k.HabitDecay = rate(k.HabitGain), rate(k.HabitDecay)
	k.Socialization, k.DispositionReversion = rate(k.Socialization), rate(k.DispositionReversion)
	k.NoiseSD *= math.Sqrt(f)
	return k
}

// rankCounts splits n officials over ranks by share (largest remainder),
// giving every rank at least one official when n allows.
func rankCounts(n int, share []float64) []int {
	counts := make([]int, len(share))
	rem := make([]float64, len(share))
	used := 0
	for r, s := range share {
		x := s * float64(n)
		counts[r] = int(x)
		rem[r] = x - float64(counts[r])
		used += counts[r]
	}
	for used < n {
		best := 0
		for r := range rem {
			if rem[r] > rem[best] {
				best = r
			}
		}
		counts[best]++
		rem[best] = -1
		used++
	}
	for r := range counts {
		if counts[r] == 0 {
			for j := range counts {
				if counts[j] > 1 {
					counts[j]--
					counts[r]++
					break
				}
			}
		}
	}
	return counts
}

// StreamSeed derives the two PCG seed words of one random stream from
// (seed, design point, replicate, purpose) with SplitMix64 mixing.
func StreamSeed(seed uint64, point, replicate int, purpose uint64) (uint64, uint64) {
	x := mix(seed + 0x9e3779b97f4a7c15)
	x = mix(x ^ mix(uint64(point)+0xbf58476d1ce4e5b9))
	x = mix(x ^ mix(uint64(replicate)+0x94d049bb133111eb))
	x = mix(x ^ mix(purpose+0x2545f4914f6cdd1d))
	return x, mix(x ^ 0xda942042e4dd58b5)
}

// mix is the SplitMix64 finalizer.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Reset prepares the world for replicate rep of design point point, writing
// into res (whose Series must have len(Metrics)*Ticks elements).
func (w *World) Reset(point, rep int, res *RunResult) {
	m, sc := w.m, w.m.Scenario
	w.res = res
	res.Point, res.Replicate, res.Err = point, rep, nil
	res.Events = res.Events[:0]
	w.envSrc.Seed(StreamSeed(sc.Seed, point, rep, PurposeEnvironment))
	w.actSrc.Seed(StreamSeed(sc.Seed, point, rep, PurposeActors))
	w.popSrc.Seed(StreamSeed(sc.Seed, point, rep, PurposePopulation))
	pop := w.pop0

	w.tick = 0
	w.tension = 0
	w.afghan = w.k.AfghanStability
	w.lever = m.initial
	for i, s := range m.sides {
		w.attn[i] = s.attention
	}
	tenure := w.k.TenureMonths / float64(sc.TickMonths)
	for c := range w.chans {
		w.chans[c].Activity = m.channels[c].activity
		clear(w.stakes[c])
	}
	w.applyLevers()
	for i := range w.orgs {
		o := &w.orgs[i]
		o.Stake = 0
		w.orgInputs(i)
		agents.SetBase(o, w.tension, &w.kt)
		lo, hi := o.Slots()
		for j := lo; j < hi; j++ {
			agents.Recruit(&w.pop, o, j, 0, tenure, &w.kt, pop)
			// Initial officials are part-way through their careers.
			w.pop.RetireAt[j] = int32(1 + agents.Tenure(tenure, pop))
		}
		agents.Evaluate(&w.pop, o, w.tension, &w.kt)
	}
	w.record(0)
}

// applyLevers derives channel inputs from the current lever values.
func (w *World) applyLevers() {
	l := &w.lever
	for c := range w.chans {
		cs, ch := &w.m.channels[c], &w.chans[c]
		f := 1.0
		switch cs.kind {
		case scenarios.ChanEnergy:
			f = l.tapi
		case scenarios.ChanAfghanTransit:
			f = l.ndn
		case scenarios.ChanBorderSecurity, scenarios.ChanCounternarcotics:
			f = l.border
		case scenarios.ChanDefenseIndustrial:
			f = math.Min(1, l.dsCount*l.dsSize)
		}
		ch.Capacity = cs.capacity * clamp01(f)
		ch.Yield = cs.yield
		ch.Persistence = cs.persistence / float64(w.m.Scenario.TickMonths)
		if cs.defense && l.dsFollow > 0 {
			ch.Persistence = l.dsFollow * 12 / float64(w.m.Scenario.TickMonths)
		}
		if ch.Persistence < 1 {
			ch.Persistence = 1
		}
		ch.Demand = 0
		if cs.milToMil {
			ch.Demand = clamp01(l.pressure)
		}
	}
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// Run simulates the whole horizon of the replicate set up by Reset and
// fills the summary. A panic inside a rule is turned into res.Err.
func (w *World) Run() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("replicate %d: panic at tick %d: %v", w.res.Replicate, w.tick, r)
			w.res.Err = err
		}
	}()
	if w.fault != nil {
		w.fault(w.res.Replicate)
	}
	for t := 1; t <= w.m.Scenario.Horizon; t++ {
		if w.done != nil {
			select {
			case <-w.done:
				w.res.Err = ErrInterrupted
				return ErrInterrupted
			default:
			}
		}
		w.Step()
	}
	summarize(w.m, w.res)
	w.exchangeShares()
	if math.IsNaN(w.res.Summary[SumFinalCooperation]) || math.IsNaN(w.res.Summary[SumMeanCooperation]) {
		w.res.Err = fmt.Errorf("replicate %d: cooperation became NaN", w.res.Replicate)
	}
	return w.res.Err
}

// Step advances the world by one tick, in the order of docs/ODD.md
// section 3: environment and events, officials, organizations, channels,
// stakes, crisis effects, turnover, metrics.
func (w *World) Step() {
	w.tick++
	t := w.tick
	m, sc, k := w.m, w.m.Scenario, w.k
	tm := float64(sc.TickMonths)
	coopBefore := w.res.Series[t-1]

	// 1. Environment decays, then events fire.
	w.tension *= math.Pow(1-k.TensionDecay, tm)
	for i, s := range m.sides {
		floor, decay := s.floor, s.decay
		if sc.Levers.USAttention.Side == s.name {
			if w.lever.usLevel >= 0 {
				floor = w.lever.usLevel
			}
			if w.lever.usDecay >= 0 {
				decay = w.lever.usDecay
			}
		}
		w.attn[i] += (1 - math.Pow(1-decay, tm)) * (floor - w.attn[i])
	}
	if len(m.levers[t]) > 0 {
		for _, lc := range m.levers[t] {
			_ = w.lever.set(lc.path, lc.value)
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
			step := k.InitiativeStep * e.Severity
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
				for i := range w.attn {
					w.attn[i] = e.Severity
				}
			} else {
				for _, i := range se.sides {
					w.attn[i] = e.Severity
				}
			}
		}
	}
	// Random arrivals: the environment stream draws two uniforms every tick
	// and a severity (a variable number of draws) for each arrival, none
	// of which depends on the levers, so crisis sequences are common
	// across scenarios that share a crisis and initiative process.
	uCrisis, uInit := w.env.Float64(), w.env.Float64()
	if uInit < crisisProb(w.lever.initRate, sc.TickMonths) {
		w.boostAttention(nil, 1)
		w.res.Events = append(w.res.Events, EventRecord{Tick: t, Date: m.Dates[t], Kind: scenarios.EventInitiative,
			Name: "random initiative", Severity: 1, CooperationBefore: coopBefore})
	}
	if uCrisis < crisisProb(w.lever.crisisRate, sc.TickMonths) {
		mean := math.Min(0.999, math.Max(0.001, w.lever.crisisSev))
		conc := sc.Crises.SeverityConcentration
		w.sevDist.Alpha, w.sevDist.Beta = mean*conc, (1-mean)*conc
		sev := w.sevDist.Rand()
		w.res.Events = append(w.res.Events, EventRecord{Tick: t, Date: m.Dates[t], Kind: scenarios.EventCrisis,
			Name: "random crisis", Severity: sev, CooperationBefore: coopBefore})
		w.pendingCrisis = append(w.pendingCrisis, crisis{sev, nil, len(w.res.Events) - 1})
	}

	// 2-3. Officials update; organizations aggregate.
	for i := range w.orgs {
		w.orgInputs(i)
		agents.UpdateOfficials(&w.pop, &w.orgs[i], w.tension, &w.kt, w.act)
	}

	// 4. Channels move toward what the least willing bloc supports.
	for c := range w.chans {
		agents.Step(&w.chans[c], w.orgs, w.channelAttention(c), k.AttentionHold, 1-math.Pow(1-k.BuildRate, tm), 1-math.Pow(1-k.FallRate, tm))
	}

	// 5. Stakes accrue and depreciate; Afghan stability follows the Afghan
	// channels; TAPI revenue follows Afghan stability.
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
	target := clamp01(k.AfghanBase + k.AfghanGain*afg)
	w.afghan += (1 - math.Pow(1-k.AfghanRate, tm)) * (target - w.afghan)
	for i := range w.orgs {
		w.orgs[i].Stake = 0
	}
	for c := range w.chans {
		ch := &w.chans[c]
		// A stake accrues for the tick's months, but no more than its
		// lifetime: with stakes shorter than a tick the stock is what one
		// lifetime of activity yields.
		mult := math.Min(tm, m.channels[c].persistence)
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
		o.Resistance = agents.Resistance(o.Stake, o.HabitMean, k)
	}

	// 6. Crisis effects: tension rises; activity and dispositions are cut,
	// less where participants hold stakes and habit.
	for _, cr := range w.pendingCrisis {
		w.tension += cr.sev * (1 - w.tension)
		if cr.channels == nil {
			for c := range w.chans {
				agents.Shock(&w.chans[c], w.orgs, cr.sev)
			}
			for i := range w.orgs {
				agents.CutDispositions(&w.pop, &w.orgs[i], cr.sev, k.CrisisDispositionCut)
			}
			continue
		}
		for _, c := range cr.channels {
			agents.Shock(&w.chans[c], w.orgs, cr.sev)
		}
		for i := range w.orgs {
			if w.touches(i, cr.channels) {
				agents.CutDispositions(&w.pop, &w.orgs[i], cr.sev, k.CrisisDispositionCut)
			}
		}
	}

	// 7. Exchanges, turnover and promotion.
	tenure := k.TenureMonths / tm
	for i := range w.orgs {
		o := &w.orgs[i]
		for _, c := range m.orgs[i].channels {
			if m.channels[c].milToMil && w.chans[c].Activity > 0 {
				agents.Exchange(&w.pop, o, 1-math.Pow(1-k.ExchangeRate, tm), w.chans[c].Activity, k.ExchangeBoost, w.act)
			}
		}
		if agents.Turnover(&w.pop, o, t, tenure, &w.kt, w.act) > 0 {
			agents.Aggregate(&w.pop, o, k)
		}
	}

	// 8. Metrics.
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

// orgInputs sets organization i's inputs from the world: its side's
// attention, its engagement (mean activity of its enabled channels) and the
// autonomy threat (sensitivity times the depth-weighted activity of its
// channels, plus, for eastern participants in mil-to-mil channels, the
// West's pressure; capped at 1).
func (w *World) orgInputs(i int) {
	m := w.m
	o := &w.orgs[i]
	o.Attention = w.attn[o.Side]
	var eng, threat float64
	n := 0
	for _, c := range m.orgs[i].channels {
		ch := &w.chans[c]
		threat += ch.Depth * ch.Activity
		if m.channels[c].milToMil && o.Bloc == 0 {
			threat += ch.Depth * ch.Demand
		}
		if ch.Capacity > 0 {
			eng += ch.Activity
			n++
		}
	}
	if n > 0 {
		eng /= float64(n)
	}
	o.Engagement = eng
	o.Threat = o.Sensitivity * math.Min(1, threat)
}

// touches reports whether organization i takes part in any of channels.
func (w *World) touches(i int, channels []int) bool {
	for _, c := range w.m.orgs[i].channels {
		for _, x := range channels {
			if c == x {
				return true
			}
		}
	}
	return false
}

// boostAttention raises the attention of the given sides (nil: all) by
// strength times each side's initiative boost of the gap to 1.
func (w *World) boostAttention(sides []int, strength float64) {
	if sides == nil {
		for i, s := range w.m.sides {
			w.attn[i] += strength * s.boost * (1 - w.attn[i])
		}
		return
	}
	for _, i := range sides {
		w.attn[i] += strength * w.m.sides[i].boost * (1 - w.attn[i])
	}
}

// channelAttention is the lowest executive attention among the sides
// taking part in channel c: joint work needs every capital's executive to
// keep it on the agenda, so the least attentive one sets the pace.
func (w *World) channelAttention(c int) float64 {
	a := 1.0
	for b := 0; b < 2; b++ {
		for _, i := range w.m.channels[c].sides[b] {
			a = math.Min(a, w.attn[i])
		}
	}
	return clamp01(a)
}

// record writes every per-tick metric for tick t.
func (w *World) record(t int) {
	m := w.m
	T := m.ticks()
	s := w.res.Series

	var coop float64
	for c := range w.chans {
		a := w.chans[c].Activity
		coop += a
		s[(m.mChan+c)*T+t] = a
	}
	if len(w.chans) > 0 {
		coop /= float64(len(w.chans))
	}
	s[t] = coop

	// Entrenchment: share of influence held by organizations whose stance
	// after a reference crisis would stay at or above the threshold.
	ref, thr := m.Scenario.Metrics.ReferenceSeverity, m.Scenario.Metrics.CooperationThreshold
	var ent, inf, ruS, ruW float64
	for i := range w.orgs {
		o := &w.orgs[i]
		inf += o.Influence
		if len(m.orgs[i].channels) > 0 && o.Stance*(1-ref*(1-o.Resistance)) >= thr {
			ent += o.Influence
		}
		if o.Military && o.Bloc == 0 {
			ruS += o.Influence * o.Stance
			ruW += o.Influence
		}
		w.sideS[o.Side] += o.Influence * o.Stance
	}
	s[T+t] = ent / inf
	s[2*T+t] = w.tension
	s[3*T+t] = w.afghan
	s[4*T+t] = 0 // no eastern military organization: see summarize
	if ruW > 0 {
		s[4*T+t] = ruS / ruW
	}
	for si := range m.sides {
		sd := &m.sides[si]
		a := 0.0
		for _, c := range sd.channels {
			a += w.chans[c].Activity
		}
		if len(sd.channels) > 0 {
			a /= float64(len(sd.channels))
		}
		s[(m.mSide+si)*T+t] = a
		ws := 0.0
		if sd.influence > 0 {
			ws = w.sideS[si] / sd.influence
		}
		w.sideS[si] = 0
		s[(m.mWill+si)*T+t] = ws
		s[(m.mAttn+si)*T+t] = clamp01(w.attn[si])
	}
}

// exchangeShares records the share of eastern (Russian) officials who took
// part in an exchange, overall and among those above the lowest rank (exchanges send
// junior officials, so this share measures how far they were promoted), at
// the end of the run.
func (w *World) exchangeShares() {
	var all, allN, sen, senN float64
	for i := range w.orgs {
		o := &w.orgs[i]
		if o.Bloc != 0 {
			continue
		}
		nr := len(o.RankLo)
		for r := 0; r < nr; r++ {
			for j := o.RankLo[r]; j < o.RankHi[r]; j++ {
				x := 0.0
				if w.pop.Exchanged[j] {
					x = 1
				}
				all += x
				allN++
				if r >= 1 {
					sen += x
					senN++
				}
			}
		}
	}
	if allN > 0 {
		w.res.Summary[SumExchangedShare] = all / allN
	}
	if senN > 0 {
		w.res.Summary[SumExchangedPromotedShare] = sen / senN
	}
}
