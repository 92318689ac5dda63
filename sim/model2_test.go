package sim

import (
	"math"
	"testing"

	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/scenarios"
)

// tinyWorld loads the built-in tiny scenario, lets mod change it, compiles
// it and returns a world reset for replicate 0.
func tinyWorld(t *testing.T, mod func(*scenarios.Scenario)) *World {
	t.Helper()
	sc, err := scenarios.LoadBuiltin("tiny", nil)
	if err != nil {
		t.Fatal(err)
	}
	if mod != nil {
		mod(sc)
	}
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorld(m)
	w.Reset(0, 0, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks()), Events: make([]EventRecord, 0, 64)})
	return w
}

// calm removes random crises, initiatives and scheduled events.
func calm(sc *scenarios.Scenario) {
	sc.Crises.RatePerYear, sc.Initiatives.RatePerYear = 0, 0
	sc.Events = nil
}

// TestCrisisRaisesTension catches mutation 2 (crises lowering tension):
// a scheduled crisis of each kind raises tension, the diplomatic one less.
func TestCrisisRaisesTension(t *testing.T) {
	rise := func(kind string) float64 {
		w := tinyWorld(t, func(sc *scenarios.Scenario) {
			calm(sc)
			sc.Events = []scenarios.Event{{Date: sc.DateOf(3), Name: "c", Kind: scenarios.EventCrisis, CrisisKind: kind,
				Channels: []string{"all"}, Sides: []string{"all"}, Severity: 0.6}}
		})
		w.Step()
		w.Step()
		before := w.tension
		w.Step()
		return w.tension - before*w.m.env.tensionKept
	}
	mil, dip := rise(scenarios.CrisisMilitarized), rise(scenarios.CrisisDiplomatic)
	if !(mil > 0.5 && dip > 0.2 && dip < mil) {
		t.Errorf("tension rise: militarized %.4f, diplomatic %.4f; want both up, diplomatic less", mil, dip)
	}
}

func TestCrisisKindDraw(t *testing.T) {
	draws := func(tapi float64) []EventRecord {
		w := tinyWorld(t, func(sc *scenarios.Scenario) {
			sc.Events = nil
			sc.Horizon = 2000
			sc.Crises.RatePerYear = 12
			sc.Crises.MilitarizedShare = 0.33
			sc.Levers.TAPIStake.Value = tapi
		})
		var out []EventRecord
		for i := 0; i < 2000; i++ {
			w.res.Events = w.res.Events[:0]
			w.Step()
			for _, e := range w.res.Events {
				if e.Kind == scenarios.EventCrisis {
					out = append(out, e)
				}
			}
		}
		return out
	}
	// Count the kinds of the engine's queued crises: 2,400 ticks at 24 a
	// year give about 2,000 crises (3 sd of the share: about 0.03).
	w := tinyWorld(t, func(sc *scenarios.Scenario) {
		sc.Events = nil
		sc.Horizon = 2400
		sc.Crises.RatePerYear = 24
		sc.Crises.MilitarizedShare = 0.33
	})
	var n, mil int
	for i := 0; i < 2400; i++ {
		w.res.Events = w.res.Events[:0]
		w.Step()
		for _, cr := range w.pendingCrisis {
			n++
			if cr.kind == agents.Militarized {
				mil++
			}
		}
	}
	p := float64(mil) / float64(n)
	if sd := math.Sqrt(0.33 * 0.67 / float64(n)); math.Abs(p-0.33) > 3*sd {
		t.Errorf("militarized share %.4f over %d crises, want 0.33 within 3 sd (%.4f)", p, n, 3*sd)
	}
	a, b := draws(0), draws(0.9)
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d vs %d crises: the crisis sequence must not depend on the TAPI lever", len(a), len(b))
	}
	for i := range a {
		if a[i].Tick != b[i].Tick || a[i].Severity != b[i].Severity {
			t.Fatalf("crisis %d differs: %+v vs %+v", i, a[i], b[i])
		}
	}
}

func TestUniformFreeze(t *testing.T) {
	w := tinyWorld(t, func(sc *scenarios.Scenario) {
		sc.Channels[0].FreezeMilitarized, sc.Channels[0].FreezeDiplomatic = 0.9, 0.3
		sc.Channels[1].FreezeMilitarized, sc.Channels[1].FreezeDiplomatic = 0.5, 0.1
		sc.Crises.UniformFreeze = true
	})
	for c := range w.chans {
		if f := w.chans[c].Freeze; math.Abs(f[0]-0.7) > 1e-12 || math.Abs(f[1]-0.2) > 1e-12 {
			t.Errorf("channel %d freeze %v, want the means [0.7 0.2]", c, f)
		}
	}
}

// afghanWorld is tiny with the border channel as the Afghan channel and
// TAPI on, no crises.
func afghanWorld(t *testing.T, mod func(*scenarios.Scenario)) *World {
	return tinyWorld(t, func(sc *scenarios.Scenario) {
		calm(sc)
		sc.Horizon = 60
		sc.Levers.TAPIStake = scenarios.Lever{Value: 1}
		sc.Levers.BorderCooperation = scenarios.Lever{Value: 1}
		if mod != nil {
			mod(sc)
		}
	})
}

// TestTAPIYieldFollowsStability catches mutation 4 (the TAPI yield cut
// off from Afghan stability).
func TestTAPIYieldFollowsStability(t *testing.T) {
	stake := func(g float64) float64 {
		w := afghanWorld(t, func(sc *scenarios.Scenario) {
			sc.Model.AfghanRate, sc.Model.AfghanBase, sc.Model.AfghanGain, sc.Model.AfghanStability = 1, g, 0, g
		})
		for i := 0; i < 24; i++ {
			w.Step()
		}
		return w.stakes[0][0] // gazprom in tapi
	}
	lo, hi := stake(0.2), stake(0.8)
	if !(lo > 0 && hi/lo >= 3) {
		t.Errorf("TAPI stake at stability 0.2: %.4f, at 0.8: %.4f; want a ratio >= 3", lo, hi)
	}
}

// TestAfghanChannelsRaiseStability catches mutation 5 (Afghan channels
// lowering stability).
func TestAfghanChannelsRaiseStability(t *testing.T) {
	g := func(capacity float64) float64 {
		w := afghanWorld(t, func(sc *scenarios.Scenario) {
			sc.Channels[1].Capacity = capacity
			sc.Channels[1].Activity = capacity
		})
		for i := 0; i < 36; i++ {
			w.Step()
		}
		return w.afghan
	}
	if lo, hi := g(0.1), g(0.9); hi-lo < 0.2 {
		t.Errorf("Afghan stability after 36 months: %.4f at capacity 0.1, %.4f at 0.9; want a gap >= 0.2", lo, hi)
	}
}

func TestBorderExchangesBuildRoutine(t *testing.T) {
	run := func(rate float64) (routine, threat float64) {
		w := afghanWorld(t, func(sc *scenarios.Scenario) {
			sc.Levers.BorderCooperation = scenarios.Lever{Value: 0.8}
			sc.Model.ExchangeRate = rate
			sc.Model.NoiseSD = 0
		})
		for i := 0; i < 36; i++ {
			w.Step()
		}
		// fsb_border takes part in border only: its threat must be
		// sensitivity*depth*activity, with nothing added by exchanges.
		w.setInputs(nil)
		ch := &w.chans[1]
		return w.routine[1][0], w.orgs[1].Threat - w.orgs[1].Sensitivity*ch.Depth*ch.Activity
	}
	r0, th0 := run(0)
	r1, th1 := run(0.2)
	if r1 <= r0 {
		t.Errorf("border routine %.4f with exchanges, %.4f without", r1, r0)
	}
	if math.Abs(th0) > 1e-15 || math.Abs(th1) > 1e-15 {
		t.Errorf("autonomy threat beyond depth*activity: %.3g with exchanges, %.3g without; exchanges must add no threat", th1, th0)
	}
}

func TestDefenseAsymmetry(t *testing.T) {
	for _, seller := range []bool{false, true} {
		w := tinyWorld(t, func(sc *scenarios.Scenario) {
			sc.Channels[0].Kind = scenarios.ChanDefenseIndustrial
			sc.Channels[0].StakePersistence = 36
			sc.Levers.DefenseSales = scenarios.DefenseSales{Count: 4, Size: 0.25, FollowOnYears: 10}
			sc.Model.FollowOnSeller = seller
		})
		p := w.chans[0].Persistence
		want := [2]float64{120, 36}
		if seller {
			want[1] = 120
		}
		if p != want {
			t.Errorf("follow_on_seller %v: persistence (east, west) %v, want %v", seller, p, want)
		}
	}
}

// TestRecoveryIsEndogenous: one militarized crisis suspends the channels,
// and the executives lift the suspension within the run, with no event
// scheduled after the crisis.
func TestRecoveryIsEndogenous(t *testing.T) {
	if _, err := scenarios.Load("x.yaml", []byte("name: x\nsides: [{name: a, bloc: east}, {name: b, bloc: west}]\n"+
		"organizations: [{name: o, side: a, kind: energy}, {name: p, side: b, kind: energy}]\n"+
		"channels: [{name: c, kind: political, participants: [o, p]}]\n"+
		"events: [{date: 2010-05, name: r, kind: recovery}]\n"), nil); err == nil {
		t.Error("the schema accepts a recovery event")
	}
	w := tinyWorld(t, func(sc *scenarios.Scenario) {
		calm(sc)
		sc.Horizon = 60
		sc.Events = []scenarios.Event{{Date: sc.DateOf(6), Name: "war", Kind: scenarios.EventCrisis, CrisisKind: scenarios.CrisisMilitarized,
			Channels: []string{"all"}, Sides: []string{"all"}, Severity: 0.9}}
	})
	var suspended, resumed int
	for i := 0; i < 60; i++ {
		w.Step()
		for _, e := range w.res.Events {
			if e.Tick != w.tick {
				continue
			}
			switch e.Kind {
			case scenarios.EventSuspension:
				suspended++
			case scenarios.EventResumption:
				resumed++
			}
		}
	}
	if suspended == 0 || resumed != suspended {
		t.Errorf("%d suspensions, %d resumptions: want the crisis to suspend and every suspension lifted", suspended, resumed)
	}
	for c := range w.chans {
		if w.chans[c].Suspended {
			t.Errorf("channel %d still suspended after five years", c)
		}
	}
}

func TestSuspicionBuildsUnderPressure(t *testing.T) {
	sc, err := scenarios.LoadBuiltin("mil2mil-push", nil)
	if err != nil {
		t.Fatal(err)
	}
	sc.Crises.RatePerYear, sc.Initiatives.RatePerYear = 0, 0
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorld(m)
	w.Reset(0, 0, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks()), Events: make([]EventRecord, 0, 64)})
	for i := 0; i < 60; i++ {
		w.Step()
	}
	for i := range w.orgs {
		o := &w.orgs[i]
		switch {
		case o.Military && o.Bloc == 0 && o.Suspicion < 0.2:
			t.Errorf("%s: suspicion %.3f after 5 years of pressure", m.orgs[i].name, o.Suspicion)
		case !(o.Military && o.Bloc == 0) && o.Suspicion != 0:
			t.Errorf("%s: suspicion %.3f, want 0 outside the eastern military", m.orgs[i].name, o.Suspicion)
		}
	}
}

func TestSuspensionSummaries(t *testing.T) {
	w := tinyWorld(t, func(sc *scenarios.Scenario) {
		calm(sc)
		sc.Horizon = 60
		sc.Events = []scenarios.Event{{Date: sc.DateOf(6), Name: "war", Kind: scenarios.EventCrisis, CrisisKind: scenarios.CrisisMilitarized,
			Channels: []string{"border"}, Sides: []string{"all"}, Severity: 0.9}}
	})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	var start, end int
	for _, e := range w.res.Events {
		if e.Kind == scenarios.EventSuspension && start == 0 {
			start = e.Tick
		}
		if e.Kind == scenarios.EventResumption {
			end = e.Tick // the last side to lift it
		}
	}
	s := w.res.Summary
	if s[SumSuspensions] != 1 {
		t.Errorf("%g suspensions, want 1 (the border channel, however many sides suspend it)", s[SumSuspensions])
	}
	if want := float64(end - start); start == 0 || s[SumSuspendedMonths] != want {
		t.Errorf("%g suspended channel-months, want %g (ticks %d to %d)", s[SumSuspendedMonths], want, start, end)
	}
}
