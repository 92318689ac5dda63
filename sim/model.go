package sim

import (
	"fmt"
	"math"
	"sort"

	"github.com/entrench/entrench/scenarios"
)

// Model is a scenario compiled for simulation: indices resolved, events
// sorted by tick, metric list fixed. It is immutable once built and safe to
// share between goroutines; each goroutine runs replicates in its own World.
type Model struct {
	// Scenario is the validated scenario the model was compiled from. It
	// must not be modified after Compile.
	Scenario *scenarios.Scenario
	// Metrics lists the per-tick metrics in Series order.
	Metrics []Metric
	// Dates holds the calendar month of each tick 0..horizon.
	Dates []scenarios.Month

	sides     []sideSpec
	orgs      []orgSpec
	channels  []chanSpec
	officials int
	ranks     []scenarios.Rank
	rankShare []float64
	// schedule[t] lists the scheduled events firing at tick t.
	schedule [][]schedEvent
	// levers[t] lists the lever changes taking effect at tick t.
	levers  [][]leverChange
	initial leverState

	// metric offsets
	mChan, mSide, mWill, mAttn int
	// hasRuMilitary is true when some eastern organization is military, so
	// that the Russian military stance is defined.
	hasRuMilitary bool
}

type sideSpec struct {
	name                           string
	bloc                           int
	attention, floor, decay, boost float64
	channels                       []int   // channels the side takes part in
	influence                      float64 // summed influence of its organizations
}

type orgSpec struct {
	name             string
	side, bloc       int
	kind             string
	influence, sens  float64
	officials        int
	dispMean, dispSD float64
	channels         []int
}

type chanSpec struct {
	name                    string
	kind                    string
	participants            []int
	activity, capacity      float64
	yield, persistence      float64
	freeze, depth           float64
	sides                   [2][]int // participating side indices by bloc
	afghan, energy, defense bool
	milToMil                bool
	sidesMask               []bool // by side index: side takes part
}

type schedEvent struct {
	ev       *scenarios.Event
	channels []int // nil: all
	sides    []int // nil: all
}

type leverChange struct {
	path  string
	value float64
}

// leverState holds the current value of every lever (see
// scenarios.LeverPaths).
type leverState struct {
	tapi, ndn, border, pressure float64
	dsCount, dsSize, dsFollow   float64
	usLevel, usDecay            float64
	crisisRate, crisisSev       float64
	initRate                    float64
}

func (l *leverState) set(path string, v float64) error {
	switch path {
	case "tapi_stake":
		l.tapi = v
	case "ndn_transit":
		l.ndn = v
	case "border_cooperation":
		l.border = v
	case "mil2mil_pressure":
		l.pressure = v
	case "defense_sales.count":
		l.dsCount = v
	case "defense_sales.size":
		l.dsSize = v
	case "defense_sales.follow_on_years":
		l.dsFollow = v
	case "us_attention.level":
		l.usLevel = v
	case "us_attention.decay":
		l.usDecay = v
	case "crises.rate_per_year":
		l.crisisRate = v
	case "crises.severity_mean":
		l.crisisSev = v
	case "initiatives.rate_per_year":
		l.initRate = v
	default:
		return fmt.Errorf("sim: unknown lever %q", path)
	}
	return nil
}

// Compile checks the scenario with Validate and builds a Model.
func Compile(sc *scenarios.Scenario) (*Model, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Scenario: sc, ranks: sc.Ranks}
	sideIdx := map[string]int{}
	for i, s := range sc.Sides {
		b := 0
		if s.Bloc == scenarios.BlocWest {
			b = 1
		}
		sideIdx[s.Name] = i
		m.sides = append(m.sides, sideSpec{name: s.Name, bloc: b, attention: s.Attention, floor: s.AttentionFloor, decay: s.AttentionDecay, boost: s.InitiativeBoost})
	}
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
	chanIdx := map[string]int{}
	for ci, c := range sc.Channels {
		chanIdx[c.Name] = ci
		cs := chanSpec{
			name: c.Name, kind: c.Kind, activity: c.Activity, capacity: c.Capacity,
			yield: c.StakeYield, persistence: c.StakePersistence,
			freeze: c.FreezeSensitivity, depth: c.AutonomyDepth,
			sidesMask: make([]bool, len(sc.Sides)),
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

	total := 0.0
	for _, r := range sc.Ranks {
		total += r.Share
	}
	for _, r := range sc.Ranks {
		m.rankShare = append(m.rankShare, r.Share/total)
	}

	// Levers: initial values and timed changes.
	m.levers = make([][]leverChange, sc.Horizon+1)
	lv := &sc.Levers
	simple := []struct {
		path string
		l    scenarios.Lever
	}{
		{"tapi_stake", lv.TAPIStake}, {"ndn_transit", lv.NDNTransit},
		{"border_cooperation", lv.BorderCooperation}, {"mil2mil_pressure", lv.Mil2MilPressure},
	}
	for _, s := range simple {
		m.addLever(sc, s.path, s.l.Before, s.l.Value, s.l.From)
	}
	ds := lv.DefenseSales
	m.addLever(sc, "defense_sales.count", 0, float64(ds.Count), ds.From)
	m.addLever(sc, "defense_sales.size", ds.Size, ds.Size, 0)
	m.addLever(sc, "defense_sales.follow_on_years", ds.FollowOnYears, ds.FollowOnYears, 0)
	m.addLever(sc, "us_attention.level", -1, lv.USAttention.Level, lv.USAttention.From)
	m.addLever(sc, "us_attention.decay", -1, lv.USAttention.Decay, lv.USAttention.From)
	m.addLever(sc, "crises.rate_per_year", 0, sc.Crises.RatePerYear, sc.Crises.From)
	if !sc.Crises.Until.IsZero() {
		switch t := sc.TickOf(sc.Crises.Until) + 1; {
		case t <= 0:
			m.initial.crisisRate = 0
		case t <= sc.Horizon:
			m.levers[t] = append(m.levers[t], leverChange{"crises.rate_per_year", 0})
		}
	}
	m.initial.crisisSev = sc.Crises.SeverityMean
	m.initial.initRate = sc.Initiatives.RatePerYear

	// Scheduled events, sorted by date (stable: file order breaks ties).
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
				m.levers[t] = append(m.levers[t], leverChange{k, e.Set[k]})
			}
		}
		se := schedEvent{ev: e}
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

	// Metrics.
	m.Metrics = []Metric{
		{"cooperation", "Cooperation (mean channel activity)", "overall"},
		{"entrenchment", "Entrenchment (share of influence)", "overall"},
		{"tension", "Crisis tension", "environment"},
		{"afghan_stability", "Afghan stability", "environment"},
		{"ru_military_stance", "Russian military stance", "overall"},
	}
	m.mChan = len(m.Metrics)
	for _, c := range sc.Channels {
		m.Metrics = append(m.Metrics, Metric{"channel." + c.Name, c.Name, "channel"})
	}
	m.mSide = len(m.Metrics)
	for _, s := range sc.Sides {
		m.Metrics = append(m.Metrics, Metric{"side." + s.Name, s.Name, "side"})
	}
	m.mWill = len(m.Metrics)
	for _, s := range sc.Sides {
		m.Metrics = append(m.Metrics, Metric{"willingness." + s.Name, s.Name, "willingness"})
	}
	m.mAttn = len(m.Metrics)
	for _, s := range sc.Sides {
		m.Metrics = append(m.Metrics, Metric{"attention." + s.Name, s.Name, "attention"})
	}
	m.Dates = make([]scenarios.Month, sc.Horizon+1)
	for t := range m.Dates {
		m.Dates[t] = sc.DateOf(t)
	}
	return m, nil
}

// addLever records a lever's value before and from a month.
func (m *Model) addLever(sc *scenarios.Scenario, path string, before, value float64, from scenarios.Month) {
	t := 0
	if !from.IsZero() {
		t = sc.TickOf(from)
	}
	if t <= 0 {
		_ = m.initial.set(path, value)
		return
	}
	_ = m.initial.set(path, before)
	if t <= sc.Horizon {
		m.levers[t] = append(m.levers[t], leverChange{path, value})
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

// crisisProb turns a yearly Poisson rate into the probability of at least
// one arrival in a tick.
func crisisProb(ratePerYear float64, tickMonths int) float64 {
	return 1 - math.Exp(-ratePerYear*float64(tickMonths)/12)
}
