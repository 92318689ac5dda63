package agents_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/entrench/entrench/agents"
)

// prop1 is the propensity of one official (disposition d, habit h) of an
// org with the given inputs, without noise.
func prop1(k *agents.Params, o agents.Org, d, h, tension float64) float64 {
	p, org := newOrg(1, d)
	p.Habit[0] = h
	o.RankLo, o.RankHi, o.RankWeight, o.WeightSum, o.Influence = org.RankLo, org.RankHi, org.RankWeight, 1, 1
	agents.Evaluate(p, &o, tension, k)
	return p.Prop[0]
}

func TestPropensitySigns(t *testing.T) {
	k := params()
	k.NoiseSD = 0
	base := agents.Org{Attention: 0.5, Threat: 0.2, Stake: 0.5, Suspicion: 0.2}
	ref := prop1(&k, base, 0, 0.3, 0.2)
	for _, tc := range []struct {
		name string
		mod  func(o *agents.Org, d, h, th *float64)
		up   bool
	}{
		{"disposition", func(o *agents.Org, d, h, th *float64) { *d += 0.3 }, true},
		{"habit", func(o *agents.Org, d, h, th *float64) { *h += 0.3 }, true},
		{"stake", func(o *agents.Org, d, h, th *float64) { o.Stake += 2 }, true},
		{"attention", func(o *agents.Org, d, h, th *float64) { o.Attention += 0.3 }, true},
		{"tension", func(o *agents.Org, d, h, th *float64) { *th += 0.3 }, false},
		{"threat", func(o *agents.Org, d, h, th *float64) { o.Threat += 0.3 }, false},
		{"suspicion", func(o *agents.Org, d, h, th *float64) { o.Suspicion += 0.3 }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, d, h, th := base, 0.0, 0.3, 0.2
			tc.mod(&o, &d, &h, &th)
			got := prop1(&k, o, d, h, th)
			gap := got - ref
			if !tc.up {
				gap = -gap
			}
			if gap < 0.02 {
				t.Errorf("propensity %.4f against %.4f: want a gap >= 0.02 in the rule's direction", got, ref)
			}
		})
	}
}

func TestInertStakesNoLogit(t *testing.T) {
	k := params()
	k.InertStakes = true
	a := prop1(&k, agents.Org{Stake: 10}, 0, 0, 0)
	b := prop1(&k, agents.Org{Stake: 0}, 0, 0, 0)
	if a != b {
		t.Errorf("inert stakes: propensity %.6f with stake 10, %.6f without", a, b)
	}
}

func TestHabitBushMosteller(t *testing.T) {
	k := params()
	k.NoiseSD = 0
	rng := rand.New(rand.NewPCG(1, 1))
	run := func(eng float64) float64 {
		p, o := newOrg(4, 0.5)
		for i := range p.Habit {
			p.Habit[i] = 0.3
		}
		o.Engagement = eng
		agents.UpdateOfficials(p, o, 0, &k, rng.Uint64())
		return p.Habit[0]
	}
	if up, down := run(1), run(0); !(up > 0.3 && down < 0.3) {
		t.Errorf("habit from 0.3: %.4f at engagement 1 (want up), %.4f at 0 (want down)", up, down)
	}
}

// TestExchangeRaisesHabit catches mutation 1 (exchanges lowering habit).
func TestExchangeRaisesHabit(t *testing.T) {
	k := params()
	k.ExchangeRate, k.ExchangeBoost = 1, 0.5
	p, o := newOrg(10, 0)
	for i := range p.Habit {
		p.Habit[i] = 0.2
	}
	agents.Aggregate(p, o, &k)
	before := o.HabitMean
	n := agents.Exchange(p, o, 1, &k, rand.New(rand.NewPCG(1, 2)))
	if n != 10 {
		t.Fatalf("%d exchanged at rate 1, activity 1, want all 10", n)
	}
	// Officials are drawn with replacement: one exchange gives
	// 0.2+0.5*0.8 = 0.6, j exchanges 1-0.8*0.5^j.
	for i := range p.Habit {
		if !p.Exchanged[i] {
			continue
		}
		j := math.Log((1-p.Habit[i])/0.8) / math.Log(0.5)
		if j < 1-1e-9 || math.Abs(j-math.Round(j)) > 1e-9 {
			t.Errorf("official %d: habit %.4f after exchange, want 0.6 after one (1-0.8*0.5^j after j)", i, p.Habit[i])
		}
	}
	agents.Aggregate(p, o, &k)
	if o.HabitMean <= before {
		t.Errorf("mean habit %.4f after exchanges, %.4f before", o.HabitMean, before)
	}
}

// TestSocializationPullsTowardLine catches mutation 3 (socialization off).
func TestSocializationPullsTowardLine(t *testing.T) {
	k := params()
	k.NoiseSD, k.DispositionReversion, k.Socialization, k.ConfidenceBound = 0, 0, 0.5, 0.6
	p, o := newOrg(4, 0.5)
	o.DispMean = 0.5
	o.Line = 0.9 // 0.8 in disposition units
	agents.UpdateOfficials(p, o, 0, &k, 3)
	if p.Disp[0]-0.5 < 0.1 {
		t.Errorf("disposition %.4f from 0.5 toward line 0.8: want a rise >= 0.1", p.Disp[0])
	}
	p, o = newOrg(4, -0.5)
	o.DispMean = -0.5
	o.Line = 0.9 // 1.3 away: beyond the bound
	agents.UpdateOfficials(p, o, 0, &k, 3)
	if p.Disp[0] != -0.5 {
		t.Errorf("disposition %.4f: a line beyond the confidence bound must not pull", p.Disp[0])
	}
}

func TestRoutineGrowsDecays(t *testing.T) {
	k := params()
	if r := agents.UpdateRoutine(0.2, 0.6, 0, &k); r <= 0.2 {
		t.Errorf("routine %.4f from 0.2 at activity 0.6: want growth", r)
	}
	if r := agents.UpdateRoutine(0.2, 0, 0, &k); r >= 0.2 {
		t.Errorf("routine %.4f from 0.2 without work: want decay", r)
	}
	if with, without := agents.UpdateRoutine(0.2, 0.6, 0.1, &k), agents.UpdateRoutine(0.2, 0.6, 0, &k); with <= without {
		t.Errorf("routine %.4f with exchanges, %.4f without: exchanges must add growth", with, without)
	}
	// Steady state g*a/(g*a+d) at a = 0.6: 0.012/0.022.
	r := 0.0
	for i := 0; i < 2000; i++ {
		r = agents.UpdateRoutine(r, 0.6, 0, &k)
		if r < 0 || r > 1 {
			t.Fatalf("routine %.4f out of [0, 1]", r)
		}
	}
	if want := 0.012 / 0.022; math.Abs(r-want) > 1e-6 {
		t.Errorf("routine steady state %.6f, want %.6f", r, want)
	}
	if r := agents.UpdateRoutine(0.99, 1, 5, &k); r > 1 {
		t.Errorf("routine %.4f above 1", r)
	}
}

func TestRoutineSurvivesTurnover(t *testing.T) {
	k := params()
	rng := rand.New(rand.NewPCG(4, 4))
	for _, inert := range []bool{false, true} {
		k.InertRoutines = inert
		p, o := newOrg(6, 0)
		o.Routine = 0.6
		for i := range p.RetireAt {
			p.RetireAt[i] = 0
		}
		agents.Turnover(p, o, agents.Staffing{Params: &k, Now: 1, Rng: rng})
		want := 0.48
		if inert {
			want = 0
		}
		for i, h := range p.Habit {
			if math.Abs(h-want) > 1e-12 {
				t.Errorf("inert %v: recruit %d habit %.6f, want %.2f", inert, i, h, want)
			}
		}
	}
}

func TestSuspicionPressure(t *testing.T) {
	k := params()
	m := 0.0
	for i := 0; i < 60; i++ {
		m = agents.UpdateSuspicion(m, 0.8*0.8, &k)
	}
	if m < 0.3 {
		t.Errorf("suspicion %.4f after 5 years of pressure 0.8 on depth 0.8: want it to build", m)
	}
	m2 := agents.UpdateSuspicion(m, 0, &k)
	if !(m2 < m && m2 > 0) {
		t.Errorf("suspicion %.4f -> %.4f without pressure: want slow decay", m, m2)
	}
	if got := agents.UpdateSuspicion(0, 0, &k); got != 0 {
		t.Errorf("suspicion %.4f without pressure from 0", got)
	}
}

func TestSideliningMetanorm(t *testing.T) {
	// Leadership line 0.2: two juniors with equal propensity, one of them
	// exchanged; one vacancy above, a tournament of both.
	share := func(sidelining float64) float64 {
		k := params()
		k.Sidelining, k.PromotionTournament = sidelining, 8
		rng := rand.New(rand.NewPCG(5, 5))
		wins := 0
		const n = 2000
		for trial := 0; trial < n; trial++ {
			var p agents.Population
			p.Resize(3)
			o := &agents.Org{RankLo: []int{0, 2}, RankHi: []int{2, 3}, RankWeight: []float64{1, 2}, WeightSum: 4, Line: 0.2}
			p.Prop[0], p.Prop[1] = 0.5, 0.5
			p.Exchanged[1] = true
			p.RetireAt[0], p.RetireAt[1], p.RetireAt[2] = 1<<30, 1<<30, 0
			agents.Turnover(&p, o, agents.Staffing{Params: &k, Now: 1, Rng: rng})
			if p.Exchanged[2] {
				wins++
			}
		}
		return float64(wins) / n
	}
	if s := share(0.5); s > 0.05 {
		t.Errorf("exchanged candidate wins %.3f of promotions with sidelining 0.5, want < 0.05", s)
	}
	// Without sidelining the tie goes to the first drawn: half each.
	if s := share(0); math.Abs(s-0.5) > 0.05 {
		t.Errorf("exchanged candidate wins %.3f with sidelining 0, want 0.5 +- 0.05", s)
	}
	if d := agents.PromotionScore(0.5, 0.8, true, 0.5) - agents.PromotionScore(0.5, 0.8, false, 0.5); d != 0 {
		t.Errorf("a leadership for cooperation (line 0.8) must not sideline: penalty %.3f", d)
	}
}

func TestStakeAccrual(t *testing.T) {
	c := &agents.Channel{Yield: 0.2, Activity: 0.5, Persistence: [2]float64{10, 10}}
	s1 := agents.AccrueStake(1, c, 0, 1)
	if want := 1 - 0.1 + 0.1; math.Abs(s1-want) > 1e-12 {
		t.Errorf("stake %.6f, want %.6f", s1, want)
	}
	c.Activity = 1
	if s := agents.AccrueStake(1, c, 0, 1); s <= s1 {
		t.Errorf("stake %.4f at activity 1 not above %.4f at 0.5", s, s1)
	}
	c.Activity, c.Yield = 0.5, 0.4
	if s := agents.AccrueStake(1, c, 0, 1); s <= s1 {
		t.Errorf("stake %.4f at yield 0.4 not above %.4f at 0.2", s, s1)
	}
	c.Suspended = true
	if s := agents.AccrueStake(1, c, 0, 1); math.Abs(s-0.9) > 1e-12 {
		t.Errorf("suspended channel: stake %.6f, want depreciation only, 0.9", s)
	}
}

func TestDefenseAsymmetryPersistence(t *testing.T) {
	// The buyer (east, 120 months) keeps a stake longer than the seller
	// (west, 36 months).
	c := &agents.Channel{Persistence: [2]float64{120, 36}}
	east, west := 1.0, 1.0
	for i := 0; i < 12; i++ {
		east, west = agents.AccrueStake(east, c, 0, 1), agents.AccrueStake(west, c, 1, 1)
	}
	if math.Abs(east-math.Pow(1-1.0/120, 12)) > 1e-12 || math.Abs(west-math.Pow(1-1.0/36, 12)) > 1e-12 {
		t.Errorf("after a year: buyer %.4f, seller %.4f", east, west)
	}
}

func TestResistanceForm(t *testing.T) {
	k := params()
	prev := -1.0
	for _, x := range []float64{0, 1, 3, 10, 100} {
		r := agents.Resistance(x, &k)
		if r <= prev || r >= k.ResistMax {
			t.Errorf("R(%g) = %.6f after %.6f: want strictly increasing below %.2f", x, r, prev, k.ResistMax)
		}
		prev = r
	}
	if r := agents.Resistance(0, &k); r != 0 {
		t.Errorf("R(0) = %g", r)
	}
	if r := agents.Resistance(1, &k); math.Abs(r-k.ResistMax/2) > 1e-12 {
		t.Errorf("R(1) = %g, want resist_max/2", r)
	}
	if x := agents.ResistInput(2, 0.5, 0.4, &k); math.Abs(x-(0.25*2+0.5+0.2)) > 1e-12 {
		t.Errorf("x = %g, want 1.2", x)
	}
	k.InertStakes = true
	if x := agents.ResistInput(2, 0.5, 0.4, &k); math.Abs(x-0.7) > 1e-12 {
		t.Errorf("inert stakes: x = %g, want 0.7", x)
	}
	k.InertRoutines = true
	if x := agents.ResistInput(2, 0.5, 0.4, &k); math.Abs(x-0.2) > 1e-12 {
		t.Errorf("inert stakes and routines: x = %g, want 0.2", x)
	}
}

func TestShockKinds(t *testing.T) {
	cut := func(res float64, kind int) float64 {
		c := &agents.Channel{Freeze: [2]float64{0.6, 0.1}, Activity: 0.5, Resistance: res}
		return agents.Shock(c, 0.9, kind)
	}
	if got, want := cut(0.3, agents.Militarized), 0.5*0.9*0.6*0.7; math.Abs(got-want) > 1e-12 {
		t.Errorf("militarized cut %.6f, want %.6f", got, want)
	}
	if got, want := cut(0.3, agents.Diplomatic), 0.5*0.9*0.1*0.7; math.Abs(got-want) > 1e-12 {
		t.Errorf("diplomatic cut %.6f, want %.6f", got, want)
	}
	if cut(0.6, agents.Militarized) >= cut(0.3, agents.Militarized) {
		t.Error("higher resistance must cut less")
	}
}

// lobbyWorld is Moscow (side 0: gazprom, kremlin, general_staff), Paris
// (side 1: dcns) and Washington (side 2: congress_hawks), west allies.
func lobbyWorld() []agents.Org {
	return []agents.Org{
		{Side: 0, Bloc: 0, Influence: 3}, // gazprom
		{Side: 0, Bloc: 0, Influence: 4}, // kremlin
		{Side: 0, Bloc: 0, Influence: 3}, // general_staff
		{Side: 1, Bloc: 1, Influence: 1.5},
		{Side: 2, Bloc: 1, Influence: 2},
	}
}

func TestLobbyingTAPIReach(t *testing.T) {
	orgs := lobbyWorld()
	net := func(k *agents.Params, energy float64) float64 {
		interest, opp := make([]float64, len(orgs)), make([]float64, len(orgs))
		// ndn: general_staff takes part with no stake; gazprom and the
		// Kremlin hold energy stakes and lobby for the Afghan channel
		// through TAPI.
		interest[0] = agents.Interest(0, energy, true, k)
		interest[1] = agents.Interest(0, energy, true, k)
		interest[2] = agents.Interest(0, 0, true, k)
		return agents.NetLobbying(orgs, 0, 0, interest, opp, 4, k)
	}
	k := params()
	if d := net(&k, 10) - net(&k, 0); d < 0.2 {
		t.Errorf("Moscow's net lobbying for ndn rises by %.3f with Gazprom's energy stake 10, want >= 0.2", d)
	}
	k.TAPIAfghanLobby = 0
	if d := net(&k, 10) - net(&k, 0); d != 0 {
		t.Errorf("tapi_afghan_lobby 0: difference %.4f, want none", d)
	}
	k = params()
	k.InertStakes = true
	if d := net(&k, 10) - net(&k, 0); d != 0 {
		t.Errorf("inert stakes: difference %.4f, want none", d)
	}
	if got := agents.Interest(10, 0, false, &k); got != 0 {
		t.Errorf("inert stakes: interest %.3f", got)
	}
	k = params()
	if a, b := agents.Interest(0, 10, false, &k), agents.Interest(0, 10, true, &k); !(a == 0 && b > 0.9) {
		t.Errorf("energy stake counts only for Afghan channels: %.3f non-Afghan, %.3f Afghan", a, b)
	}
}

func TestOppositionAllies(t *testing.T) {
	orgs := lobbyWorld()
	k := params()
	paris := func(k *agents.Params, opposes bool) float64 {
		interest, opp := make([]float64, len(orgs)), make([]float64, len(orgs))
		interest[3] = agents.Interest(1, 0, false, k)
		opp[4] = agents.Opposition(opposes, false, 0, 0)
		return agents.NetLobbying(orgs, 1, 1, interest, opp, 4, k)
	}
	if with, without := paris(&k, true), paris(&k, false); with >= without {
		t.Errorf("Paris's net lobbying for mistral %.4f with the US Congress opposing, %.4f without", with, without)
	}
	k.AllyOpposition = 0
	if with, without := paris(&k, true), paris(&k, false); with != without {
		t.Errorf("ally_opposition 0: %.4f vs %.4f, want equal", with, without)
	}
	if got := agents.Opposition(false, true, 0.5, 0.8); math.Abs(got-0.4) > 1e-12 {
		t.Errorf("suspicion 0.5 on depth 0.8: opposition %.3f, want 0.4", got)
	}
	if got := agents.Opposition(true, true, 0.5, 0.8); got != 1 {
		t.Errorf("opposition %.3f, want capped at 1", got)
	}
}

// suspendMonths suspends a channel with reaction x0 and returns the months
// until the executive resumes it, or -1 if it does not suspend.
func suspendMonths(k *agents.Params, x0, net, attention float64) int {
	e := &agents.Executive{ReactionScale: 1}
	e.Resize(1)
	e.Attention, e.Net[0], e.Reaction[0] = attention, net, x0
	if agents.Decide(e, 0, k) != 1 {
		return -1
	}
	for m := 1; m < 600; m++ {
		agents.DecayReactions(e, k)
		if agents.Decide(e, 0, k) == -1 {
			return m
		}
	}
	return 600
}

func TestSuspendResume(t *testing.T) {
	k := params()
	m := suspendMonths(&k, 0.72, 0, 0.5)
	if m < 0 {
		t.Fatal("reaction 0.72 with no lobbying and attention 0.5 should suspend")
	}
	// Worked example of the design: lifted when 0.72*0.92^m < 0.30.
	if m < 9 || m > 12 {
		t.Errorf("resumed after %d months, want about 11", m)
	}
	if m2 := suspendMonths(&k, 0.72, 0.3, 0.5); !(m2 >= 0 && m2 < m) {
		t.Errorf("with lobbying 0.3: %d months, want fewer than %d", m2, m)
	}
	if m3 := suspendMonths(&k, 0.72, 0, 0.25); m3 <= m {
		t.Errorf("with attention at a floor of 0.25: %d months, want more than %d", m3, m)
	}
}

func TestStakesRaiseBarNotImpossible(t *testing.T) {
	k := params()
	if m := suspendMonths(&k, 0.5, 0.9, 0.5); m != -1 {
		t.Error("reaction 0.5 against lobbying 0.9 should not suspend")
	}
	if m := suspendMonths(&k, 0.5, 0, 0.5); m == -1 {
		t.Error("reaction 0.5 without lobbying should suspend")
	}
	if m := suspendMonths(&k, 0.85, 0.9, 1); m == -1 {
		t.Error("reaction 0.85 above the capped bar 0.8 should suspend whatever the lobbying")
	}
}

func TestSuspendedChannelFalls(t *testing.T) {
	k := params()
	orgs := []agents.Org{{Influence: 1, Bloc: 0, Stance: 0.8}, {Influence: 1, Bloc: 1, Stance: 0.8}}
	c := &agents.Channel{Participants: []int{0, 1}, Capacity: 1, Activity: 0.5, Suspended: true}
	agents.Boost(c, 0.3)
	if c.Activity != 0.5 {
		t.Errorf("boost moved a suspended channel to %.3f", c.Activity)
	}
	agents.Step(c, orgs, 1, &k)
	if c.Target != 0 || math.Abs(c.Activity-0.5*(1-k.FallRate)) > 1e-12 {
		t.Errorf("suspended: target %.3f, activity %.4f, want 0 and %.4f", c.Target, c.Activity, 0.5*(1-k.FallRate))
	}
}

func TestBackingRaisesTarget(t *testing.T) {
	k := params()
	k.AttentionHold = 0
	orgs := []agents.Org{{Influence: 1, Bloc: 0, Stance: 0.4}, {Influence: 1, Bloc: 1, Stance: 0.8}}
	target := func(bk float64) float64 {
		c := &agents.Channel{Participants: []int{0, 1}, Capacity: 1, Backing: [2]float64{bk, 0}}
		agents.Step(c, orgs, 1, &k)
		return c.Target
	}
	if a, b, cut := target(0.2), target(0), target(-0.2); !(math.Abs(a-0.6) < 1e-12 && b == 0.4 && math.Abs(cut-0.2) < 1e-12) {
		t.Errorf("targets with east backing 0.2, 0, -0.2: %.3f, %.3f, %.3f; want 0.6, 0.4, 0.2", a, b, cut)
	}
}

func TestAttention(t *testing.T) {
	k := params()
	e := &agents.Executive{Attention: 0.8}
	agents.UpdateAttention(e, 0.3, 0.1, 0, &k)
	if math.Abs(e.Attention-0.75) > 1e-12 {
		t.Errorf("attention %.4f from 0.8 toward floor 0.3 at rate 0.1, want 0.75", e.Attention)
	}
	a, b := &agents.Executive{Attention: 0.4}, &agents.Executive{Attention: 0.4}
	agents.UpdateAttention(a, 0.3, 0.1, 0.3, &k)
	agents.UpdateAttention(b, 0.3, 0.1, 0, &k)
	if a.Attention <= b.Attention {
		t.Errorf("attention %.4f with lobbying 0.3, %.4f without", a.Attention, b.Attention)
	}
	c := &agents.Executive{Attention: 0.5}
	agents.CutAttention(c, 0.9, &k)
	if math.Abs(c.Attention-0.5*(1-0.9*0.3)) > 1e-12 {
		t.Errorf("attention %.4f after a crisis of 0.9, want %.4f", c.Attention, 0.5*(1-0.27))
	}
	orgs := []agents.Org{{Side: 0, Influence: 2, Stake: 1}, {Side: 0, Influence: 2}, {Side: 1, Influence: 5, Stake: 9}}
	if got, want := agents.LobbyPush(orgs, 0, 4, &k), 2*0.5/8; math.Abs(got-want) > 1e-12 {
		t.Errorf("lobby push %.4f, want %.4f", got, want)
	}
	k.InertStakes = true
	if got := agents.LobbyPush(orgs, 0, 4, &k); got != 0 {
		t.Errorf("inert stakes: lobby push %.4f", got)
	}
}

func TestCrisisReaction(t *testing.T) {
	e := &agents.Executive{ReactionScale: 0.5}
	e.Resize(2)
	e.Reaction[1] = 0.2
	agents.CrisisReaction(e, 1, 0.8, 0.9)
	if want := 0.2 + 0.8*0.9*0.5*0.8; math.Abs(e.Reaction[1]-want) > 1e-12 || e.Reaction[0] != 0 {
		t.Errorf("reactions %v, want [0 %.4f]", e.Reaction, want)
	}
	k := params()
	agents.DecayReactions(e, &k)
	if want := (0.2 + 0.8*0.9*0.5*0.8) * 0.92; math.Abs(e.Reaction[1]-want) > 1e-12 {
		t.Errorf("reaction %.4f after decay, want %.4f", e.Reaction[1], want)
	}
}

func TestChannelResistancePerChannel(t *testing.T) {
	k := params()
	orgs := []agents.Org{{Influence: 1, HabitMean: 0.2, Stake: 50}, {Influence: 3, HabitMean: 0.2}}
	c := &agents.Channel{Participants: []int{0, 1}}
	agents.ChannelResistance(c, orgs, []float64{4, 0}, []float64{0, 0}, &k)
	r0 := agents.Resistance(agents.ResistInput(4, 0, 0.2, &k), &k)
	r1 := agents.Resistance(agents.ResistInput(0, 0, 0.2, &k), &k)
	if want := (r0 + 3*r1) / 4; math.Abs(c.Resistance-want) > 1e-12 {
		t.Errorf("channel resistance %.6f, want the influence-weighted %.6f (stakes in this channel only)", c.Resistance, want)
	}
}

func TestBoostCappedAtCapacity(t *testing.T) {
	c := &agents.Channel{Capacity: 0.6, Activity: 0.3}
	agents.Boost(c, 0.2)
	if math.Abs(c.Activity-0.5) > 1e-12 {
		t.Errorf("activity %.4f after a step of 0.2 from 0.3, want 0.5", c.Activity)
	}
	agents.Boost(c, 0.2)
	if c.Activity != 0.6 {
		t.Errorf("activity %.4f, want capped at capacity 0.6", c.Activity)
	}
	c.Activity = 0.8 // above a lowered capacity: a boost does not cut it
	agents.Boost(c, 0.2)
	if c.Activity != 0.8 {
		t.Errorf("activity %.4f, want 0.8 kept", c.Activity)
	}
}

func TestExchangeCountFraction(t *testing.T) {
	// Expected 0.55*10 = 5.5 exchanges a tick: 5 or 6, 6 half the time.
	k := params()
	k.ExchangeRate, k.ExchangeBoost = 0.55, 0.5
	rng := rand.New(rand.NewPCG(7, 7))
	total := 0
	const n = 4000
	for i := 0; i < n; i++ {
		p, o := newOrg(10, 0)
		got := agents.Exchange(p, o, 1, &k, rng)
		if got != 5 && got != 6 {
			t.Fatalf("%d exchanges, want 5 or 6", got)
		}
		total += got
	}
	// sd of the mean: 0.5/sqrt(4000) = 0.008; 5 sd.
	if mean := float64(total) / n; math.Abs(mean-5.5) > 0.04 {
		t.Errorf("mean exchanges %.4f, want 5.5", mean)
	}
}

func TestDecideHysteresis(t *testing.T) {
	k := params()
	e := &agents.Executive{}
	e.Resize(1)
	e.Attention = 0.5 // bar 0.35
	e.Reaction[0] = 0.35
	if agents.Decide(e, 0, &k) != 0 || e.Suspended[0] {
		t.Error("a reaction equal to the bar must not suspend")
	}
	e.Reaction[0] = 0.36
	if agents.Decide(e, 0, &k) != 1 {
		t.Error("a reaction above the bar must suspend")
	}
	for _, x := range []float64{0.36, 0.31, 0.30} {
		e.Reaction[0] = x
		if agents.Decide(e, 0, &k) != 0 || !e.Suspended[0] {
			t.Errorf("reaction %.2f within the resume margin (bar 0.35 - 0.05) must keep the suspension", x)
		}
	}
	e.Reaction[0] = 0.29
	if agents.Decide(e, 0, &k) != -1 || e.Suspended[0] {
		t.Error("a reaction below bar - margin must resume")
	}
	if agents.Decide(e, 0, &k) != 0 {
		t.Error("no change on a second decision")
	}
}
