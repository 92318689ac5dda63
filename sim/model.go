package sim

import (
	"fmt"
	"math"
	"sort"

	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/scenarios"
)

// Model is a scenario compiled for simulation: indices resolved, events
// sorted by tick, metric list fixed, per-tick rates computed. It is
// immutable once built and safe to share between goroutines; each
// goroutine runs replicates in its own World.
type Model struct {
	// Scenario is the validated scenario the model was compiled from. It
	// must not be modified after Compile.
	Scenario *scenarios.Scenario
	// Metrics lists the per-tick metrics in Series order.
	Metrics []Metric
	// Dates holds the calendar month of each tick 0..horizon.
	Dates []scenarios.Month

	// params are the officials' and channels' parameters per tick.
	params agents.Params
	// env holds the environment's per-tick rates.
	env envParams

	sides     []sideSpec
	orgs      []orgSpec
	channels  []chanSpec
	officials int
	ranks     []scenarios.Rank
	rankShare []float64
	// usSide is the index of the side the US attention lever acts on, -1
	// when the scenario has no such side.
	usSide int
	// schedule[t] lists the scheduled events firing at tick t.
	schedule [][]schedEvent
	// leverChanges[t] lists the lever changes taking effect at tick t.
	leverChanges [][]leverChange
	// initialLevers holds every lever's value at tick 0, by registry index.
	initialLevers leverState
	// lever holds the registry index of each lever the engine acts on.
	lever leverIndex

	// Offsets in Metrics of the first per-channel, per-side activity,
	// per-side willingness and per-side attention metric.
	firstChannelMetric, firstSideMetric, firstWillingnessMetric, firstAttentionMetric int
	// Offsets in Metrics of the routine and interest indices and of the
	// first per-channel and per-side probe metric.
	routineMetric, interestMetric, firstProbeChannelMetric, firstProbeSideMetric int
	// hasRuMilitary is true when some eastern organization is military, so
	// that the Russian military stance is defined.
	hasRuMilitary bool
	// suspendedMetric and suspicionMetric are the offsets in Metrics of
	// suspended_share and ru_military_suspicion.
	suspendedMetric, suspicionMetric int
	// suspendName[s][c] and resumeName[s][c] are the event names of side s
	// suspending or resuming channel c, built once so Step allocates
	// nothing.
	suspendName, resumeName [][]string
	// posterior, if not nil, holds the models replicates run instead of
	// this one (see WithPosterior in ensemble.go).
	posterior *posterior
}

// envParams are the environment's coefficients with rates per tick.
type envParams struct {
	// tensionKept is the share of crisis tension left after one tick.
	tensionKept float64
	// afghanRate is the share of the gap to its target Afghan stability
	// closes per tick; afghanBase and afghanGain set the target
	// base+gain*activity of the Afghan channels; afghanStart is its value
	// at tick 0.
	afghanRate, afghanBase, afghanGain, afghanStart float64
	// initiativeStep is the activity an event of strength 1 adds.
	initiativeStep float64
	// kindTension is the share of a crisis's severity that becomes tension
	// and disposition cut, by crisis kind (1 for militarized,
	// diplomatic_tension for diplomatic).
	kindTension [2]float64
}

type sideSpec struct {
	name                           string
	bloc                           int
	attention, floor, decay, boost float64
	// attentionRate is the share of the gap to the floor that attention
	// closes per tick: 1-(1-decay)^tickMonths.
	attentionRate float64
	channels      []int   // channels the side takes part in
	influence     float64 // summed influence of its organizations
	// members are the indices of its organizations, in increasing order
	// (the lobbying rules' sums run over them: see compileLobbying).
	members []int
	// weight is the executive's own influence and reaction its crisis
	// reaction scale (side keys executive_weight, crisis_reaction).
	weight, reaction float64
}

type orgSpec struct {
	name             string
	side, bloc       int
	kind             string
	influence, sens  float64
	officials        int
	dispMean, dispSD float64
	channels         []int
	// opposes marks, by channel index, the channels the organization
	// lobbies against.
	opposes []bool
}

type chanSpec struct {
	name                    string
	kind                    string
	participants            []int
	activity, capacity      float64
	yield, persistence      float64
	freeze                  [2]float64 // by crisis kind (agents.Militarized, agents.Diplomatic)
	depth                   float64
	sides                   [2][]int // participating side indices by bloc
	afghan, energy, defense bool
	milToMil                bool
	// exchanges is true for the kinds whose work sends officials on
	// exchanges: mil_to_mil, border_security and counternarcotics.
	exchanges bool
	// jointWork is true for the kinds whose work puts officials of both
	// sides to work together: every kind but energy. Only joint work
	// counts in the participants' engagement (habit) and builds their
	// organizations' routine; an energy channel (a pipeline investment)
	// yields a commercial stake and nothing else.
	jointWork bool
	sidesMask []bool // by side index: side takes part
	// stakeMonths is the months of yield a stake accrues per tick: the
	// tick's months, but no more than one stake lifetime.
	stakeMonths float64
	// lobby[b][j] lists the terms of the net lobbying on the executive of
	// side sides[b][j], and lobbyers the organizations whose interest and
	// opposition those terms read (see compileLobbying).
	lobby    [2][][]agents.LobbyTerm
	lobbyers []lobbyer
}

// lobbyer is an organization that lobbies on a channel (see
// compileLobbying).
type lobbyer struct {
	org int
	// part is its index in the channel's participants, -1 if it does not
	// take part.
	part int
	// opposes is true if it opposes the channel outright; reach if its
	// energy stake makes it lobby for the channel (an Afghan channel its
	// side takes part in: the TAPI reach of stepLobbying).
	opposes, reach bool
}

type schedEvent struct {
	ev *scenarios.Event
	// kind is a crisis event's kind (agents.Militarized or
	// agents.Diplomatic).
	kind     int
	channels []int // nil: all
	sides    []int // nil: all
}

// Compile checks the scenario with Validate and builds a Model, in the
// order of docs/ODD.md: parameters, sides, organizations, channels, levers,
// events, metrics.
func Compile(sc *scenarios.Scenario) (*Model, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Scenario: sc, ranks: sc.Ranks}
	m.compileParams()
	sideIdx := m.compileSides()
	orgIdx := m.compileOrganizations(sideIdx)
	chanIdx, err := m.compileChannels(orgIdx)
	if err != nil {
		return nil, err
	}
	m.compileLobbying()
	if err := m.compileLevers(); err != nil {
		return nil, err
	}
	if err := m.compileEvents(sideIdx, chanIdx); err != nil {
		return nil, err
	}
	m.compileMetrics()
	m.compileEventNames()
	return m, nil
}

// compileParams converts the scenario's monthly coefficients to rates per
// tick of tm months: the officials' rates r become 1-(1-r)^tm and their
// noise standard deviation is scaled by sqrt(tm) (independent monthly
// shocks add up), all left as they are for monthly ticks; the channels',
// exchanges', tension's and Afghan stability's rates become 1-(1-r)^tm
// for every tick length.
func (m *Model) compileParams() {
	k := &m.Scenario.Model
	tm := float64(m.Scenario.TickMonths)
	perTick := func(r float64) float64 { return 1 - math.Pow(1-r, tm) }
	p := agents.Params{
		Bias: k.Bias, WDisposition: k.WDisposition, WHabit: k.WHabit, WStake: k.WStake,
		WAttention: k.WAttention, WTension: k.WTension, WAutonomy: k.WAutonomy, WSuspicion: k.WSuspicion,
		NoiseSD: k.NoiseSD, HabitGain: k.HabitGain, HabitDecay: k.HabitDecay,
		Socialization: k.Socialization, ConfidenceBound: k.ConfidenceBound,
		DispositionReversion: k.DispositionReversion,
		StakeHalf:            k.StakeHalf, ResistMax: k.ResistMax, ResistStake: k.ResistStake,
		ResistRoutine: k.ResistRoutine, ResistHabit: k.ResistHabit,
		InertStakes: k.InertStakes, InertRoutines: k.InertRoutines,
		RoutineGain: perTick(k.RoutineGain), RoutineDecay: perTick(k.RoutineDecay),
		ExchangeRoutineBoost: k.ExchangeRoutineBoost, RoutineCarryover: k.RoutineCarryover,
		SuspicionGain: perTick(k.SuspicionGain), SuspicionDecay: perTick(k.SuspicionDecay),
		Sidelining:    k.Sidelining,
		ReactionDecay: perTick(k.ReactionDecay), LobbyAttention: perTick(k.LobbyAttention),
		CrisisAttentionCut: k.CrisisAttentionCut,
		SuspendBase:        k.SuspendBase, SuspendLobby: k.SuspendLobby, SuspendAttention: k.SuspendAttention,
		SuspendBarMax: k.SuspendBarMax, ResumeMargin: k.ResumeMargin,
		Backing: k.Backing, AllyOpposition: k.AllyOpposition, TAPIAfghanLobby: k.TAPIAfghanLobby,
		ExchangeRate: perTick(k.ExchangeRate), ExchangeBoost: k.ExchangeBoost,
		BuildRate: perTick(k.BuildRate), FallRate: perTick(k.FallRate), AttentionHold: k.AttentionHold,
		CrisisDispositionCut: k.CrisisDispositionCut,
		PromotionTournament:  k.PromotionTournament,
		TenureTicks:          k.TenureMonths / tm,
	}
	if m.Scenario.TickMonths != 1 {
		p.HabitGain, p.HabitDecay = perTick(k.HabitGain), perTick(k.HabitDecay)
		p.Socialization, p.DispositionReversion = perTick(k.Socialization), perTick(k.DispositionReversion)
		p.NoiseSD *= math.Sqrt(tm)
	}
	m.params = p
	m.env = envParams{
		tensionKept: math.Pow(1-k.TensionDecay, tm),
		afghanRate:  perTick(k.AfghanRate), afghanBase: k.AfghanBase, afghanGain: k.AfghanGain,
		afghanStart:    k.AfghanStability,
		initiativeStep: k.InitiativeStep,
		kindTension:    [2]float64{1, k.DiplomaticTension},
	}
}

// compileSides resolves the sides and returns their indices by name.
func (m *Model) compileSides() map[string]int {
	sc := m.Scenario
	tm := float64(sc.TickMonths)
	sideIdx := map[string]int{}
	m.usSide = -1
	for i, s := range sc.Sides {
		b := 0
		if s.Bloc == scenarios.BlocWest {
			b = 1
		}
		sideIdx[s.Name] = i
		if s.Name == sc.Levers.USAttention.Side {
			m.usSide = i
		}
		m.sides = append(m.sides, sideSpec{name: s.Name, bloc: b, attention: s.Attention, floor: s.AttentionFloor,
			decay: s.AttentionDecay, boost: s.InitiativeBoost, attentionRate: 1 - math.Pow(1-s.AttentionDecay, tm),
			weight: s.ExecutiveWeight, reaction: s.CrisisReaction})
	}
	return sideIdx
}

// compileOrganizations resolves the organizations and the rank shares and
// returns the organizations' indices by name.
func (m *Model) compileOrganizations(sideIdx map[string]int) map[string]int {
	sc := m.Scenario
	orgIdx := map[string]int{}
	for i, o := range sc.Organizations {
		si := sideIdx[o.Side]
		orgIdx[o.Name] = i
		m.orgs = append(m.orgs, orgSpec{
			name: o.Name, side: si, bloc: m.sides[si].bloc, kind: o.Kind,
			influence: o.Influence, sens: o.AutonomySensitivity, officials: o.Officials,
			dispMean: o.Disposition, dispSD: o.DispositionSD,
		})
		m.officials += o.Officials
		if o.Kind == scenarios.KindMilitary && m.sides[si].bloc == 0 {
			m.hasRuMilitary = true
		}
	}
	for _, o := range m.orgs {
		m.sides[o.side].influence += o.influence
	}
	total := 0.0
	for _, r := range sc.Ranks {
		total += r.Share
	}
	for _, r := range sc.Ranks {
		m.rankShare = append(m.rankShare, r.Share/total)
	}
	return orgIdx
}

// compileChannels resolves the channels and their participants and
// returns the channels' indices by name.
func (m *Model) compileChannels(orgIdx map[string]int) (map[string]int, error) {
	sc := m.Scenario
	tm := float64(sc.TickMonths)
	chanIdx := map[string]int{}
	for ci, c := range sc.Channels {
		chanIdx[c.Name] = ci
		cs := chanSpec{
			name: c.Name, kind: c.Kind, activity: c.Activity, capacity: c.Capacity,
			yield: c.StakeYield, persistence: c.StakePersistence,
			freeze: [2]float64{c.FreezeMilitarized, c.FreezeDiplomatic}, depth: c.AutonomyDepth,
			sidesMask:   make([]bool, len(sc.Sides)),
			stakeMonths: math.Min(tm, c.StakePersistence),
		}
		switch c.Kind {
		case scenarios.ChanAfghanTransit, scenarios.ChanCounternarcotics, scenarios.ChanBorderSecurity:
			cs.afghan = true
		case scenarios.ChanEnergy:
			cs.energy = true
		case scenarios.ChanDefenseIndustrial:
			cs.defense = true
		case scenarios.ChanMilToMil:
			cs.milToMil = true
		}
		cs.exchanges = cs.milToMil || c.Kind == scenarios.ChanBorderSecurity || c.Kind == scenarios.ChanCounternarcotics
		cs.jointWork = !cs.energy
		for _, p := range c.Participants {
			oi, ok := orgIdx[p]
			if !ok {
				return nil, fmt.Errorf("sim: channel %s: unknown participant %q", c.Name, p)
			}
			cs.participants = append(cs.participants, oi)
			m.orgs[oi].channels = append(m.orgs[oi].channels, ci)
			o := m.orgs[oi]
			if !cs.sidesMask[o.side] {
				cs.sidesMask[o.side] = true
				cs.sides[o.bloc] = append(cs.sides[o.bloc], o.side)
			}
		}
		for si, in := range cs.sidesMask {
			if in {
				m.sides[si].channels = append(m.sides[si].channels, ci)
			}
		}
		m.channels = append(m.channels, cs)
	}
	if sc.Crises.UniformFreeze && len(m.channels) > 0 {
		// The placebo: every channel gets the mean freeze of each kind.
		var mean [2]float64
		for _, cs := range m.channels {
			mean[0] += cs.freeze[0] / float64(len(m.channels))
			mean[1] += cs.freeze[1] / float64(len(m.channels))
		}
		for c := range m.channels {
			m.channels[c].freeze = mean
		}
	}
	for i, o := range sc.Organizations {
		m.orgs[i].opposes = make([]bool, len(m.channels))
		for _, name := range o.Opposes {
			ci, ok := chanIdx[name]
			if !ok {
				return nil, fmt.Errorf("sim: organization %s: opposes unknown channel %q", o.Name, name)
			}
			m.orgs[i].opposes[ci] = true
		}
	}
	return chanIdx, nil
}

// compileLobbying lists, for every channel and participating side, the
// terms of the net lobbying on the side's executive (agents.NetLobbying
// sums over every organization; stepLobbying sums only these, with the
// same bits, see agents.NetLobbyingTerms), and the organizations those
// terms read. A member of the side (every organization of the side counts
// in the denominator) has a term when it takes part, opposes the channel,
// or may have energy interest in it (an Afghan channel, and it takes part
// in an energy channel, the only source of an energy stake); an ally
// (same bloc, other side) when it takes part or opposes the channel. Every
// other term is exactly 0: an organization that does not take part has no
// stake in the channel, and opposition only from opposing it.
func (m *Model) compileLobbying() {
	energy := make([]bool, len(m.orgs)) // takes part in an energy channel
	for i, o := range m.orgs {
		m.sides[o.side].members = append(m.sides[o.side].members, i)
		for _, c := range o.channels {
			energy[i] = energy[i] || m.channels[c].energy
		}
	}
	for c := range m.channels {
		cs := &m.channels[c]
		part := make([]int, len(m.orgs))
		for i := range part {
			part[i] = -1
		}
		for j, oi := range cs.participants {
			part[oi] = j
		}
		involved := make([]bool, len(m.orgs))
		for b := 0; b < 2; b++ {
			for _, si := range cs.sides[b] {
				var terms []agents.LobbyTerm
				for i, o := range m.orgs {
					active := part[i] >= 0 || o.opposes[c]
					switch {
					case o.side == si && (active || cs.afghan && energy[i]):
						terms = append(terms, agents.LobbyTerm{Org: i, Weight: o.influence})
					case o.side != si && o.bloc == b && active:
						terms = append(terms, agents.LobbyTerm{Org: i, Weight: m.params.AllyOpposition * o.influence, Ally: true})
					default:
						continue
					}
					involved[i] = true
				}
				cs.lobby[b] = append(cs.lobby[b], terms)
			}
		}
		for i, in := range involved {
			if in {
				o := &m.orgs[i]
				cs.lobbyers = append(cs.lobbyers, lobbyer{org: i, part: part[i], opposes: o.opposes[c],
					reach: cs.afghan && cs.sidesMask[o.side]})
			}
		}
	}
}

// compileEvents sorts the scheduled events by date (stable: file order
// breaks ties) into the ticks they fire at, and turns lever events into
// lever changes.
func (m *Model) compileEvents(sideIdx, chanIdx map[string]int) error {
	sc := m.Scenario
	m.schedule = make([][]schedEvent, sc.Horizon+1)
	evs := make([]*scenarios.Event, len(sc.Events))
	for i := range sc.Events {
		evs[i] = &sc.Events[i]
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Date < evs[j].Date })
	for _, e := range evs {
		t := sc.TickOf(e.Date)
		if t < 1 {
			t = 1 // events at the start month fire in the first tick
		}
		if t > sc.Horizon {
			continue
		}
		if e.Kind == scenarios.EventLever {
			keys := make([]string, 0, len(e.Set))
			for k := range e.Set {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				i, ok := scenarios.LeverIndex(k)
				if !ok {
					return fmt.Errorf("sim: event %s: unknown lever %q", e.Name, k)
				}
				m.leverChanges[t] = append(m.leverChanges[t], leverChange{i, e.Set[k]})
			}
		}
		se := schedEvent{ev: e}
		if e.CrisisKind == scenarios.CrisisDiplomatic {
			se.kind = agents.Diplomatic
		}
		if !isAll(e.Channels) {
			for _, name := range e.Channels {
				se.channels = append(se.channels, chanIdx[name])
			}
		}
		if !isAll(e.Sides) {
			for _, name := range e.Sides {
				se.sides = append(se.sides, sideIdx[name])
			}
		}
		m.schedule[t] = append(m.schedule[t], se)
	}
	return nil
}

// compileMetrics fixes the per-tick metrics and the dates of the ticks.
func (m *Model) compileMetrics() {
	sc := m.Scenario
	m.Metrics = []Metric{
		{"cooperation", "Cooperation (mean channel activity)", "overall"},
		{"entrenchment", EntrenchmentLabel, "probe"},
		{"tension", "Crisis tension", "environment"},
		{"afghan_stability", "Afghan stability", "environment"},
		{"ru_military_stance", "Russian military stance", "overall"},
		{"routine_index", "Routine index (influence share with routine at or above metrics.routine_threshold)", "overall"},
		{"interest_index", "Interest index (influence share with stake index at or above metrics.interest_threshold)", "overall"},
	}
	m.routineMetric, m.interestMetric = len(m.Metrics)-2, len(m.Metrics)-1
	m.firstChannelMetric = len(m.Metrics)
	for _, c := range sc.Channels {
		m.Metrics = append(m.Metrics, Metric{"channel." + c.Name, c.Name, "channel"})
	}
	m.firstSideMetric = len(m.Metrics)
	for _, s := range sc.Sides {
		m.Metrics = append(m.Metrics, Metric{"side." + s.Name, s.Name, "side"})
	}
	m.firstWillingnessMetric = len(m.Metrics)
	for _, s := range sc.Sides {
		m.Metrics = append(m.Metrics, Metric{"willingness." + s.Name, s.Name, "willingness"})
	}
	m.firstAttentionMetric = len(m.Metrics)
	for _, s := range sc.Sides {
		m.Metrics = append(m.Metrics, Metric{"attention." + s.Name, s.Name, "attention"})
	}
	m.firstProbeChannelMetric = len(m.Metrics)
	for _, c := range sc.Channels {
		m.Metrics = append(m.Metrics, Metric{"entrenchment.channel." + c.Name, c.Name + " (stress probe; held between probes)", "probe"})
	}
	m.firstProbeSideMetric = len(m.Metrics)
	for _, s := range sc.Sides {
		m.Metrics = append(m.Metrics, Metric{"entrenchment.side." + s.Name, s.Name + " (stress probe; held between probes)", "probe"})
	}
	m.suspendedMetric, m.suspicionMetric = len(m.Metrics), len(m.Metrics)+1
	m.Metrics = append(m.Metrics, Metric{"suspended_share", "Share of channels suspended", "environment"}, Metric{"ru_military_suspicion", "Russian military suspicion", "overall"})
	m.Dates = make([]scenarios.Month, sc.Horizon+1)
	for t := range m.Dates {
		m.Dates[t] = sc.DateOf(t)
	}
}

// compileEventNames builds the names of the suspension and resumption
// events of every side and channel.
func (m *Model) compileEventNames() {
	m.suspendName = make([][]string, len(m.sides))
	m.resumeName = make([][]string, len(m.sides))
	for s, sd := range m.sides {
		m.suspendName[s] = make([]string, len(m.channels))
		m.resumeName[s] = make([]string, len(m.channels))
		for c, cs := range m.channels {
			m.suspendName[s][c] = sd.name + " suspends " + cs.name
			m.resumeName[s][c] = sd.name + " resumes " + cs.name
		}
	}
}

func isAll(names []string) bool {
	return len(names) == 0 || (len(names) == 1 && names[0] == "all")
}

// Officials returns the number of officials in one world.
func (m *Model) Officials() int { return m.officials }

// NewAggregate returns an empty Aggregate shaped for this model's runs.
func (m *Model) NewAggregate() *Aggregate { return NewAggregate(m.Metrics, m.Dates) }

// ticks returns horizon+1.
func (m *Model) ticks() int { return len(m.Dates) }
