package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/philox"
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
	// (PurposePosterior, 5, in ensemble.go, picks a posterior particle.)
	// PurposeProbe drives the officials' noise inside the stress probes
	// (probe.go). Probe k of a replicate draws from the stream of purpose
	// PurposeProbe|k<<32, so no probe touches the run's own streams (the
	// run's outputs are the same with probing on or off) and probes at the
	// same date get common random numbers across scenarios.
	PurposeProbe uint64 = 4
)

// World is the state of one replicate in progress. A World is owned by one
// goroutine: it is not safe for concurrent use, and neither are its random
// generators. Reset reuses its memory, so a worker keeps one World for all
// its replicates and the Step of one tick allocates nothing.
type World struct {
	m *Model
	// params are the model's per-tick parameters of the officials' and
	// channels' rules.
	params *agents.Params

	pop    agents.Population
	orgs   []agents.Org
	chans  []agents.Channel
	stakes [][]float64 // stakes[c][i]: stake of channels[c].Participants[i]
	// routine[c][i] is the routine of channels[c].Participants[i] in c,
	// 0..1; exchanged[c][i] the share of its juniors exchanged in c in
	// the last tick.
	routine, exchanged [][]float64
	// execs holds each side's executive (attention, reactions, net
	// lobbying, suspensions).
	execs []agents.Executive
	// interest and opposition are scratch, by organization, for one
	// channel's lobbying.
	interest, opposition []float64
	// enabled is, by organization, how many of its joint-work channels
	// (every kind but energy) have a positive capacity (kept by
	// applyLevers: capacities change only with the levers).
	enabled []int
	// stakeIdx is each organization's stake index,
	// agents.StakeIndex(Stake, StakeHalf), as of the last stepStakes of
	// the run (the probe leaves it alone): read by record in the same
	// tick and by stepEnvironment in the next, which would otherwise each
	// divide again.
	stakeIdx []float64
	// inertNow is scratch for probeOfficials: by organization, whether it
	// is inert (see inert) this tick.
	inertNow []bool
	// eastMil lists the eastern military organizations (Military, bloc
	// 0) in increasing order, for record; fixed by newWorld.
	eastMil []int
	// probeAttention is, in a probe's shadow, each channel's attention as
	// holdAttentionAtFloor left it (nil in a run).
	probeAttention []float64
	// engaged lists the organizations with at least one channel, in
	// increasing order, and engagedInf is their influence summed in that
	// order: the routine and interest indices' weights (recordProbe);
	// fixed by newWorld.
	engaged    []int
	engagedInf float64
	// chanSides[c] lists the sides taking part in channel c, the
	// eastern ones (chanSpec.sides[0]) then the western ones, for
	// channelAttention and stepCrises; fixed by newWorld.
	chanSides [][]int
	// deadChans is scratch for probeOfficials: the number of channels
	// with capacity 0 and activity 0 when it last filled inertNow.
	deadChans int
	// tenureLog is agents.TenureLog(params.TenureTicks), computed once
	// for every recruit's tenure draw (see agents.Staffing).
	tenureLog float64
	tension   float64
	afghan    float64
	tick      int

	// lever holds every lever's current value (by registry index); the
	// fields after it are derived from it by applyLevers.
	lever leverState
	// usFloor and usRate override the US side's attention floor and
	// per-tick decay rate when not negative.
	usFloor, usRate float64
	// crisisProb and initiativeProb are the per-tick probabilities of a
	// random crisis and a random initiative; crisisSeverity is the mean
	// severity of random crises.
	crisisProb, initiativeProb, crisisSeverity float64
	// militarizedShare is the probability a random crisis is militarized.
	militarizedShare float64
	// suspensions counts the channels suspended in this replicate (a
	// channel suspended by several sides at once counts once).
	suspensions int

	severity distuv.Beta
	// Random streams (see the Purpose constants): each generator draws
	// from its own PCG, reseeded by Reset.
	envSrc, actSrc, popSrc *rand.PCG
	envRng, actRng, popRng *rand.Rand
	// noiseKey addresses the officials' noise (counter-based: see
	// agents.UpdateOfficials): the key of PurposeActors in a run, of the
	// probe's purpose in a probe.
	noiseKey philox.Key
	// officials picks the officials' update: the kernel (the zero value,
	// what runs always run), its scalar twin, or the arithmetic before the
	// kernel (agents.UpdateOfficialsReference, noise from actRng). The
	// benchmarks compare the three.
	officials officialsMode
	// officialsClock, if not nil, accumulates the time spent in the
	// officials' updates (the calls of updateOfficials, bracketed once per
	// tick by stepOfficials and probeOfficials); the shadow shares the
	// run's. Only BenchmarkRestOfTick sets it, to subtract that time from
	// the tick's.
	officialsClock *benchClock

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

	// probe is the shadow world the stress probe runs in (nil in a
	// shadow); probing marks a shadow; probes holds the latest probe's
	// results. See probe.go.
	probe   *World
	probing bool
	probes  probeState
}

// benchClock is World.officialsClock: the time inside the brackets and
// their number (each costs the benchmark one clock reading, see
// BenchmarkRestOfTick).
type benchClock struct {
	spent    time.Duration
	brackets int
}

// start opens a bracket: the time now, or the zero time when c is nil.
func (c *benchClock) start() time.Time {
	if c == nil {
		return time.Time{}
	}
	return time.Now()
}

// stop closes the bracket opened at start.
func (c *benchClock) stop(start time.Time) {
	if c != nil {
		c.spent += time.Since(start)
		c.brackets++
	}
}

// officialsMode is World.officials.
type officialsMode int

const (
	officialsKernel officialsMode = iota
	officialsScalar
	officialsReference
)

type crisis struct {
	sev      float64
	kind     int   // agents.Militarized or agents.Diplomatic
	channels []int // nil: all
}

// NewWorld allocates a World for the model, with the shadow world of its
// stress probe.
func NewWorld(m *Model) *World {
	w := newWorld(m)
	w.initProbe()
	return w
}

// newWorld allocates a World without a probe.
func newWorld(m *Model) *World {
	w := &World{m: m, params: &m.params, tenureLog: agents.TenureLog(m.params.TenureTicks)}
	w.envSrc = rand.NewPCG(0, 0)
	w.actSrc = rand.NewPCG(0, 0)
	w.popSrc = rand.NewPCG(0, 0)
	w.envRng = rand.New(w.envSrc)
	w.actRng = rand.New(w.actSrc)
	w.popRng = rand.New(w.popSrc)
	w.severity.Src = w.envSrc
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
	w.routine = make([][]float64, len(m.channels))
	w.exchanged = make([][]float64, len(m.channels))
	for c, cs := range m.channels {
		w.chans[c].Participants = cs.participants
		w.chans[c].Freeze, w.chans[c].Depth = cs.freeze, cs.depth
		w.chans[c].Exchanges = cs.exchanges
		w.stakes[c] = make([]float64, len(cs.participants))
		w.routine[c] = make([]float64, len(cs.participants))
		w.exchanged[c] = make([]float64, len(cs.participants))
	}
	w.execs = make([]agents.Executive, len(m.sides))
	for i, sd := range m.sides {
		w.execs[i].Weight, w.execs[i].ReactionScale = sd.weight, sd.reaction
		w.execs[i].Resize(len(m.channels))
	}
	w.interest = make([]float64, len(m.orgs))
	w.opposition = make([]float64, len(m.orgs))
	w.inertNow = make([]bool, len(m.orgs))
	w.stakeIdx = make([]float64, len(m.orgs))
	w.chanSides = make([][]int, len(m.channels))
	for c := range m.channels {
		w.chanSides[c] = append(append([]int(nil), m.channels[c].sides[0]...), m.channels[c].sides[1]...)
	}
	for i := range w.orgs {
		if o := &w.orgs[i]; o.Military && o.Bloc == 0 {
			w.eastMil = append(w.eastMil, i)
		}
		if len(m.orgs[i].channels) > 0 {
			w.engaged = append(w.engaged, i)
			w.engagedInf += w.orgs[i].Influence
		}
	}
	w.enabled = make([]int, len(m.orgs))
	w.lever = make(leverState, len(m.initialLevers))
	w.pendingCrisis = make([]crisis, 0, 8)
	return w
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
	w.noiseKey = philox.NewKey(sc.Seed, point, rep, PurposeActors)

	w.tick = 0
	w.tension = 0
	w.suspensions = 0
	w.afghan = m.env.afghanStart
	copy(w.lever, m.initialLevers)
	for i, s := range m.sides {
		w.execs[i].Resize(len(m.channels))
		w.execs[i].Attention = s.attention
	}
	for c := range w.chans {
		ch := &w.chans[c]
		ch.Activity = m.channels[c].activity
		ch.Suspended, ch.Backing = false, [2]float64{}
		clear(w.stakes[c])
		clear(w.routine[c])
		clear(w.exchanged[c])
	}
	w.applyLevers()
	w.resetProbe()
	hire := agents.Staffing{Params: w.params, Now: 0, Rng: w.popRng, TenureLog: w.tenureLog}
	w.setInputs(nil)
	for i := range w.orgs {
		o := &w.orgs[i]
		o.Stake, o.EnergyStake, o.Routine, o.Suspicion = 0, 0, 0, 0
		w.stakeIdx[i] = agents.StakeIndex(o.Stake, w.params.StakeHalf)
		o.NextRetire = 0 // RetireAt is drawn below: the first Turnover scans
		agents.SetBase(o, w.tension, w.params)
		lo, hi := o.Slots()
		for j := lo; j < hi; j++ {
			agents.Recruit(&w.pop, o, j, hire)
			// Initial officials are part-way through their careers.
			w.pop.RetireAt[j] = int32(1 + hire.Tenure())
		}
		agents.Evaluate(&w.pop, o, w.tension, w.params)
	}
	for c := range w.chans {
		agents.ChannelResistance(&w.chans[c], w.orgs, w.stakes[c], w.routine[c], w.params)
	}
	w.record(0)
}

// clamp01 clamps x to 0..1. Here and in the tick's other rules the
// builtin min and max stand for math.Min and math.Max: they give the same
// results (NaN and signed zeros included) and compile inline, where
// math's are assembly calls on amd64.
func clamp01(x float64) float64 { return max(0, min(1, x)) }

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
	w.res.Summary[SumSuspensions] = float64(w.suspensions)
	w.exchangeShares()
	if math.IsNaN(w.res.Summary[SumFinalCooperation]) || math.IsNaN(w.res.Summary[SumMeanCooperation]) {
		w.res.Err = fmt.Errorf("replicate %d: cooperation became NaN", w.res.Replicate)
	}
	return w.res.Err
}

// setInputs sets every organization's inputs from the world (skipping
// those marked in skip, when not nil): its side's attention, its
// engagement (mean activity of its enabled joint-work channels) and the autonomy
// threat (sensitivity times the depth-weighted activity of its channels,
// plus, for eastern participants in mil-to-mil channels, the West's
// pressure; capped at 1). It reads only executives and channels. One loop
// for all organizations, without a call per organization.
func (w *World) setInputs(skip []bool) {
	m := w.m
	for i := range w.orgs {
		if skip != nil && skip[i] {
			continue
		}
		o := &w.orgs[i]
		o.Attention = w.execs[o.Side].Attention
		var eng, threat float64
		n := 0
		for _, c := range m.orgs[i].channels {
			ch := &w.chans[c]
			threat += ch.Depth * ch.Activity
			if m.channels[c].milToMil && o.Bloc == 0 {
				threat += ch.Depth * ch.Demand
			}
			if ch.Capacity > 0 && m.channels[c].jointWork {
				eng += ch.Activity
				n++
			}
		}
		if n > 1 { // (a division by 1 would leave eng as it is)
			eng /= float64(n)
		}
		o.Engagement = eng
		o.Threat = o.Sensitivity * min(1, threat)
	}
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
			w.execs[i].Attention += strength * s.boost * (1 - w.execs[i].Attention)
		}
		return
	}
	for _, i := range sides {
		w.execs[i].Attention += strength * w.m.sides[i].boost * (1 - w.execs[i].Attention)
	}
}

// channelAttention is the lowest executive attention among the sides
// taking part in channel c: joint work needs every capital's executive to
// keep it on the agenda, so the least attentive one sets the pace.
func (w *World) channelAttention(c int) float64 {
	a := 1.0
	for _, i := range w.chanSides[c] {
		a = min(a, w.execs[i].Attention)
	}
	return clamp01(a)
}

// record writes every per-tick metric for tick t.
func (w *World) record(t int) {
	m := w.m
	T := m.ticks()
	s := w.res.Series

	var coop, susp float64
	for c := range w.chans {
		a := w.chans[c].Activity
		coop += a
		s[(m.firstChannelMetric+c)*T+t] = a
		if w.chans[c].Suspended {
			susp++
		}
	}
	if len(w.chans) > 0 {
		coop /= float64(len(w.chans))
		susp /= float64(len(w.chans))
	}
	s[t] = coop

	// The eastern military organizations' influence-weighted stance and
	// mean suspicion, each summed in the organizations' order.
	var ruS, ruW, sus, susW float64
	for _, i := range w.eastMil {
		o := &w.orgs[i]
		ruS += o.Influence * o.Stance
		ruW += o.Influence
		sus += o.Suspicion
		susW++
	}
	w.recordProbe(s, T, t)
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
		s[(m.firstSideMetric+si)*T+t] = a
		// The side's influence-weighted stance sum, in the order of its
		// organizations, in a register.
		ws := 0.0
		for _, j := range sd.members {
			ws += w.orgs[j].Influence * w.orgs[j].Stance
		}
		if sd.influence > 0 {
			ws /= sd.influence
		} else {
			ws = 0
		}
		s[(m.firstWillingnessMetric+si)*T+t] = ws
		s[(m.firstAttentionMetric+si)*T+t] = clamp01(w.execs[si].Attention)
	}
	if susW > 0 {
		sus /= susW
	}
	s[m.suspendedMetric*T+t] = susp
	s[m.suspicionMetric*T+t] = sus
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
