package sim

import (
	"math"
	"math/rand/v2"
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

// midRun returns a baseline world (with sets) after 40 ticks, with the energy channel
// (shut by its lever) active at 0.3, the defense channel (shut) idle with
// a stake and a routine left on its first participant, and the first
// open channel idle.
func midRun(t *testing.T, sets ...string) (*World, int, int, int) {
	t.Helper()
	m := testModel(t, "baseline", sets...)
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
			routine[c][i] = w.routine[c][i] // an energy channel builds no routine
			if !cs.energy {
				routine[c][i] = agents.UpdateRoutine(w.routine[c][i], ch.Activity, w.exchanged[c][i], k)
			}
			orgStake[oi] += stakes[c][i]
			if cs.energy {
				energyStake[oi] += stakes[c][i]
			}
			if ch.Capacity > 0 && !cs.energy {
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

// TestCrisisReactions: a crisis raises the reaction of every executive
// whose side takes part in a channel as agents.CrisisReaction does, at
// the severity times the kind's tension factor and the channel's freeze
// sensitivity for the kind.
func TestCrisisReactions(t *testing.T) {
	w, _, _, _ := midRun(t)
	m := w.m
	kind := agents.Diplomatic
	sev := 0.6 * m.env.kindTension[kind]
	want := make([][]float64, len(w.execs))
	for i := range w.execs {
		want[i] = append([]float64(nil), w.execs[i].Reaction...)
	}
	for c := range w.chans {
		for b := 0; b < 2; b++ {
			for _, si := range m.channels[c].sides[b] {
				e := agents.Executive{Reaction: want[si], ReactionScale: w.execs[si].ReactionScale}
				agents.CrisisReaction(&e, c, sev, w.chans[c].Freeze[kind])
			}
		}
	}
	w.pendingCrisis = append(w.pendingCrisis[:0], crisis{sev: 0.6, kind: kind})
	w.stepCrises(w.tick, 0)
	for i := range w.execs {
		for c := range want[i] {
			if !approx(w.execs[i].Reaction[c], want[i][c]) {
				t.Errorf("side %s, channel %s: reaction %v, want %v", m.sides[i].name, m.channels[c].name, w.execs[i].Reaction[c], want[i][c])
			}
		}
	}
}

// TestExchangedShares: each participant's exchanged share of an exchange
// channel is the juniors agents.Exchange sends over the organization's
// juniors, drawn in channel and participant order from the run's stream;
// an idle channel sends nobody and draws nothing.
func TestExchangedShares(t *testing.T) {
	w, _, _, _ := midRun(t, "model.exchange_rate=0.05", "levers.border_cooperation.value=1")
	m := w.m
	idle, active := -1, 0
	for c := range w.chans {
		if w.chans[c].Exchanges && w.chans[c].Capacity > 0 {
			if idle < 0 {
				idle = c
				w.chans[c].Activity = 0
			} else {
				w.chans[c].Activity = w.chans[c].Capacity // busy: some exchanges are all but certain
				active++
			}
		}
	}
	if idle < 0 || active == 0 {
		t.Fatalf("need an idle exchange channel before an active one: idle %d, active after it %d", idle, active)
	}
	src := *w.actSrc
	rng := rand.New(&src)
	pop := agents.Population{Exchanged: append([]bool(nil), w.pop.Exchanged...), Habit: append([]float64(nil), w.pop.Habit...)}
	want := make([][]float64, len(w.chans))
	for c := range w.chans {
		ch := &w.chans[c]
		want[c] = make([]float64, len(ch.Participants))
		if !ch.Exchanges || ch.Activity <= 0 {
			continue
		}
		for i, oi := range ch.Participants {
			o := w.orgs[oi]
			n := agents.Exchange(&pop, &o, ch.Activity, w.params, rng)
			want[c][i] = float64(n) / float64(o.RankHi[0]-o.RankLo[0])
		}
	}
	w.stepTurnover(w.tick + 1)
	sent := 0.0
	for c := range w.chans {
		for i := range want[c] {
			if !approx(w.exchanged[c][i], want[c][i]) {
				t.Errorf("channel %s participant %d: exchanged share %v, want %v", m.channels[c].name, i, w.exchanged[c][i], want[c][i])
			}
			sent += want[c][i]
		}
	}
	if sent == 0 {
		t.Error("nobody exchanged: the test does not reach the rule")
	}
}

// TestRetirementDueToday: an official whose retirement tick is today
// retires today (and is replaced), and the organization is aggregated
// again afterwards.
func TestRetirementDueToday(t *testing.T) {
	w, _, _, _ := midRun(t)
	now := w.tick + 1
	o := &w.orgs[2]
	lo, _ := o.Slots()
	w.pop.RetireAt[lo] = int32(now)
	o.NextRetire = now
	w.pop.Habit[lo] = 0.987654 // a value no recruit or promotion gives
	w.stepTurnover(now)
	if int(w.pop.RetireAt[lo]) <= now || w.pop.Habit[lo] == 0.987654 {
		t.Errorf("slot %d due at %d: retire tick %d, habit %v: not replaced", lo, now, w.pop.RetireAt[lo], w.pop.Habit[lo])
	}
	fresh := *o
	agents.Aggregate(&w.pop, &fresh, w.params)
	if fresh.Stance != o.Stance || fresh.HabitMean != o.HabitMean {
		t.Errorf("after turnover: stance %v habit %v, aggregated again %v %v", o.Stance, o.HabitMean, fresh.Stance, fresh.HabitMean)
	}
}

// TestEventsCooperationAfter: every event of a run carries the
// cooperation recorded at the end of its tick.
func TestEventsCooperationAfter(t *testing.T) {
	m := testModel(t, "backcast-1997-2016")
	w := NewWorld(m)
	res := &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())}
	w.Reset(0, 1, res)
	for range m.Scenario.Horizon {
		w.Step()
	}
	if len(res.Events) < 10 {
		t.Fatalf("only %d events", len(res.Events))
	}
	for i, e := range res.Events {
		if e.CooperationAfter != res.Series[e.Tick] {
			t.Errorf("event %d (%s, tick %d): cooperation after %v, recorded %v", i, e.Name, e.Tick, e.CooperationAfter, res.Series[e.Tick])
		}
	}
}

// TestAllZero: allZero is true exactly when every element is 0.
func TestAllZero(t *testing.T) {
	for _, tc := range []struct {
		x    []float64
		want bool
	}{{nil, true}, {[]float64{0, 0}, true}, {[]float64{0, 1e-300}, false}, {[]float64{-2, 0}, false}} {
		if got := allZero(tc.x); got != tc.want {
			t.Errorf("allZero(%v) = %v", tc.x, got)
		}
	}
}

// TestEnergyChannelIsNotJointWork: an open, active energy channel (the
// tapi of tapi-only, mid-run) adds nothing to its participants'
// engagement and builds no routine: Gazprom, in tapi only, has engagement
// 0 and routine 0; the Kremlin's engagement is the mean activity of its
// other (joint-work) channels. It fails if the energy channel is counted
// as joint work in either place, which made an inert TAPI stake still
// entrench the shared channels through the Kremlin's and State's habit
// and routine.
func TestEnergyChannelIsNotJointWork(t *testing.T) {
	m := testModel(t, "tapi-only")
	w := NewWorld(m)
	w.Reset(0, 3, &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())})
	for range 60 {
		w.Step()
	}
	energy := -1
	for c := range w.chans {
		if m.channels[c].energy {
			energy = c
		}
	}
	if energy < 0 || w.chans[energy].Capacity == 0 || w.chans[energy].Activity < 0.05 {
		t.Fatalf("tapi-only should have an open, active energy channel after 60 months: %d", energy)
	}
	w.setInputs(nil)
	reached := 0
	for _, oi := range w.chans[energy].Participants {
		var eng float64
		n := 0
		for _, c := range m.orgs[oi].channels {
			if c != energy && w.chans[c].Capacity > 0 {
				eng += w.chans[c].Activity
				n++
			}
		}
		if n > 0 {
			eng /= float64(n)
			reached++
		}
		if !approx(w.orgs[oi].Engagement, eng) {
			t.Errorf("org %s: engagement %v, want %v (the mean over its joint-work channels only)", m.orgs[oi].name, w.orgs[oi].Engagement, eng)
		}
	}
	if reached == 0 {
		t.Fatal("no energy participant with another channel: the test does not reach the mean")
	}
	w.stepStakes(false)
	for i, oi := range w.chans[energy].Participants {
		if w.routine[energy][i] != 0 {
			t.Errorf("org %s: routine %v in the energy channel, want 0", m.orgs[oi].name, w.routine[energy][i])
		}
		if len(m.orgs[oi].channels) == 1 && (w.orgs[oi].Routine != 0 || w.orgs[oi].Engagement != 0) {
			t.Errorf("org %s (energy only): routine %v, engagement %v, want 0", m.orgs[oi].name, w.orgs[oi].Routine, w.orgs[oi].Engagement)
		}
	}
}
