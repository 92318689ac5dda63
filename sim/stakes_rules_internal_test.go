package sim

import (
	"math"
	"testing"

	"github.com/entrench/entrench/agents"
)

// Oracle tests of the engine's stakes, channel and crisis phases: each
// phase is run on a world mid-run, with channels put in the states its
// shortcuts skip (a shut channel still active, a shut idle channel with a
// stake left, an open idle channel), and compared with the phase's rule
// written out plainly from docs/ODD.md with agents' functions and no
// shortcut. A flipped sign, a cut term or a wrong skip in the phase makes
// them fail.

func approx(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// midRun returns a baseline world after 40 ticks, with the energy channel
// (shut by its lever) active at 0.3, the defense channel (shut) idle with
// a stake and a routine left on its first participant, and the first
// open channel idle.
func midRun(t *testing.T) (*World, int, int, int) {
	t.Helper()
	m := testModel(t, "baseline")
	w := NewWorld(m)
	w.Reset(0, 3, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())})
	for range 40 {
		w.Step()
	}
	energy, defense, open := -1, -1, -1
	for c := range w.chans {
		switch {
		case m.channels[c].energy:
			energy = c
		case m.channels[c].defense:
			defense = c
		case open < 0 && w.chans[c].Capacity > 0:
			open = c
		}
	}
	if energy < 0 || defense < 0 || open < 0 || w.chans[energy].Capacity != 0 || w.chans[defense].Capacity != 0 {
		t.Fatalf("baseline should have a shut energy channel, a shut defense channel and an open one: %d %d %d", energy, defense, open)
	}
	w.chans[energy].Activity = 0.3
	w.chans[defense].Activity = 0
	w.stakes[defense][0], w.routine[defense][0] = 0.2, 0.1
	w.chans[open].Activity = 0
	return w, energy, defense, open
}

// TestStepStakesAgainstRule: Afghan stability, every stake, routine,
// suspicion, organization stake, energy stake, routine mean, resistance
// and stake index, and every active channel's resistance, as stepStakes
// leaves them with a crisis pending.
func TestStepStakesAgainstRule(t *testing.T) {
	w, _, _, _ := midRun(t)
	m, env, k := w.m, &w.m.env, w.params
	w.pendingCrisis = append(w.pendingCrisis[:0], crisis{sev: 0.5, kind: agents.Militarized})

	// The rule, written out.
	var afg float64
	na := 0
	for c := range w.chans {
		if m.channels[c].afghan {
			afg += w.chans[c].Activity
			na++
		}
	}
	afghan := w.afghan + env.afghanRate*(min(1, max(0, env.afghanBase+env.afghanGain*afg/float64(na)))-w.afghan)
	stakes := make([][]float64, len(w.chans))
	routine := make([][]float64, len(w.chans))
	orgStake := make([]float64, len(w.orgs))
	energyStake := make([]float64, len(w.orgs))
	orgRoutine := make([]float64, len(w.orgs))
	enabled := make([]int, len(w.orgs))
	for c := range w.chans {
		ch, cs := w.chans[c], &m.channels[c]
		mult := cs.stakeMonths
		if cs.energy {
			mult *= afghan
		}
		stakes[c] = make([]float64, len(ch.Participants))
		routine[c] = make([]float64, len(ch.Participants))
		for i, oi := range ch.Participants {
			stakes[c][i] = agents.AccrueStake(w.stakes[c][i], &ch, w.orgs[oi].Bloc, mult)
			routine[c][i] = agents.UpdateRoutine(w.routine[c][i], ch.Activity, w.exchanged[c][i], k)
			orgStake[oi] += stakes[c][i]
			if cs.energy {
				energyStake[oi] += stakes[c][i]
			}
			if ch.Capacity > 0 {
				orgRoutine[oi] += routine[c][i]
				enabled[oi]++
			}
		}
	}
	suspicion := make([]float64, len(w.orgs))
	for i := range w.orgs {
		o := &w.orgs[i]
		suspicion[i] = o.Suspicion
		if o.Military && o.Bloc == 0 {
			var pressure float64
			for _, c := range m.orgs[i].channels {
				if m.channels[c].milToMil {
					pressure += w.chans[c].Depth * w.chans[c].Demand
				}
			}
			suspicion[i] = agents.UpdateSuspicion(o.Suspicion, min(1, pressure), k)
		}
		if enabled[i] > 0 {
			orgRoutine[i] /= float64(enabled[i])
		}
	}

	w.stepStakes(true)

	if !approx(w.afghan, afghan) {
		t.Errorf("Afghan stability %v, want %v", w.afghan, afghan)
	}
	for c := range w.chans {
		for i := range stakes[c] {
			if !approx(w.stakes[c][i], stakes[c][i]) || !approx(w.routine[c][i], routine[c][i]) {
				t.Errorf("channel %s participant %d: stake %v routine %v, want %v and %v",
					m.channels[c].name, i, w.stakes[c][i], w.routine[c][i], stakes[c][i], routine[c][i])
			}
		}
	}
	suspicious := false
	for i := range w.orgs {
		o := &w.orgs[i]
		res := agents.Resistance(agents.ResistInput(orgStake[i], orgRoutine[i], o.HabitMean, k), k)
		if !approx(o.Stake, orgStake[i]) || !approx(o.EnergyStake, energyStake[i]) || !approx(o.Routine, orgRoutine[i]) ||
			!approx(o.Suspicion, suspicion[i]) || !approx(o.Resistance, res) ||
			!approx(w.stakeIdx[i], agents.StakeIndex(orgStake[i], k.StakeHalf)) {
			t.Errorf("org %s: stake %v energy %v routine %v suspicion %v resistance %v index %v; want %v %v %v %v %v %v",
				m.orgs[i].name, o.Stake, o.EnergyStake, o.Routine, o.Suspicion, o.Resistance, w.stakeIdx[i],
				orgStake[i], energyStake[i], orgRoutine[i], suspicion[i], res, agents.StakeIndex(orgStake[i], k.StakeHalf))
		}
		suspicious = suspicious || suspicion[i] != o.Suspicion || (o.Military && o.Bloc == 0 && suspicion[i] > 0)
	}
	if !suspicious {
		t.Error("no eastern military organization with suspicion: the test does not reach the rule")
	}
	for c := range w.chans {
		if w.chans[c].Activity == 0 {
			continue
		}
		ch := w.chans[c]
		agents.ChannelResistance(&ch, w.orgs, stakes[c], routine[c], k)
		if !approx(w.chans[c].Resistance, ch.Resistance) {
			t.Errorf("channel %s: resistance %v, want %v", m.channels[c].name, w.chans[c].Resistance, ch.Resistance)
		}
	}
}

// TestStepChannelsAgainstRule: every channel, including a shut one still
// active and an open idle one, moves as agents.Step moves it.
func TestStepChannelsAgainstRule(t *testing.T) {
	w, energy, _, _ := midRun(t)
	want := make([]agents.Channel, len(w.chans))
	for c := range w.chans {
		want[c] = w.chans[c]
		agents.Step(&want[c], w.orgs, w.channelAttention(c), w.params)
	}
	w.stepChannels()
	for c := range w.chans {
		if !approx(w.chans[c].Activity, want[c].Activity) {
			t.Errorf("channel %s: activity %v, want %v", w.m.channels[c].name, w.chans[c].Activity, want[c].Activity)
		}
	}
	if want[energy].Activity >= 0.3 {
		t.Errorf("the shut energy channel should lose activity: %v", want[energy].Activity)
	}
}

// TestCrisisTension: a crisis of severity s and kind k raises tension by
// s*kindTension[k]*(1-tension).
func TestCrisisTension(t *testing.T) {
	for _, kind := range []int{agents.Militarized, agents.Diplomatic} {
		w, _, _, _ := midRun(t)
		w.tension = 0.2
		tk := w.m.env.kindTension[kind]
		w.pendingCrisis = append(w.pendingCrisis[:0], crisis{sev: 0.6, kind: kind})
		w.stepCrises(w.tick, 0)
		if want := 0.2 + 0.6*tk*(1-0.2); !approx(w.tension, want) {
			t.Errorf("kind %d: tension %v, want %v", kind, w.tension, want)
		}
	}
}

// TestNoAfghanChannel: without an Afghan channel the Afghan channels'
// mean activity is 0 (not 0/0), so stability moves toward its base.
func TestNoAfghanChannel(t *testing.T) {
	m := testModel(t, "tiny", "channels[1].kind=political")
	for c := range m.channels {
		if m.channels[c].afghan {
			t.Fatalf("channel %s is still Afghan", m.channels[c].name)
		}
	}
	w := NewWorld(m)
	w.Reset(0, 0, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())})
	env := &m.env
	want := w.afghan + env.afghanRate*(min(1, max(0, env.afghanBase))-w.afghan)
	w.stepStakes(true)
	if !approx(w.afghan, want) {
		t.Errorf("Afghan stability %v, want %v", w.afghan, want)
	}
}

// TestCrisisCutsDispositions: a crisis of severity s and kind k cuts the
// dispositions of every organization (of those taking part in its
// channels, when it names some) as agents.CutDispositions does at
// severity s*kindTension[k], and leaves the others alone.
func TestCrisisCutsDispositions(t *testing.T) {
	for _, named := range [][]int{nil, {0}} {
		w, _, _, _ := midRun(t)
		m := w.m
		kind := agents.Diplomatic
		tk := m.env.kindTension[kind]
		if tk == 1 {
			t.Fatal("diplomatic_tension is 1: the test cannot tell s*tk from s/tk")
		}
		want := agents.Population{Disp: append([]float64(nil), w.pop.Disp...)}
		for i := range w.orgs {
			if named == nil || w.touches(i, named) {
				o := w.orgs[i]
				agents.CutDispositions(&want, &o, 0.7*tk, w.params)
			}
		}
		w.pendingCrisis = append(w.pendingCrisis[:0], crisis{sev: 0.7, kind: kind, channels: named})
		w.stepCrises(w.tick, 0)
		moved := 0
		for j := range want.Disp {
			if !approx(w.pop.Disp[j], want.Disp[j]) {
				t.Fatalf("channels %v: official %d disposition %v, want %v", named, j, w.pop.Disp[j], want.Disp[j])
			}
			if w.pop.Disp[j] != 0 {
				moved++
			}
		}
		if moved == 0 {
			t.Fatal("no disposition to compare")
		}
	}
}

// TestShutChannelNeverSuspended: an executive takes no decision on a
// channel its lever keeps shut (capacity 0), whatever its reaction.
func TestShutChannelNeverSuspended(t *testing.T) {
	w, energy, _, _ := midRun(t)
	cs := &w.m.channels[energy]
	for b := 0; b < 2; b++ {
		for _, si := range cs.sides[b] {
			w.execs[si].Reaction[energy] = 10
		}
	}
	w.pendingCrisis = w.pendingCrisis[:0]
	n := len(w.res.Events)
	w.stepCrises(w.tick, 0)
	if w.chans[energy].Suspended || len(w.res.Events) != n {
		t.Errorf("shut channel: suspended %v, %d new events", w.chans[energy].Suspended, len(w.res.Events)-n)
	}
}
