package agents_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/entrench/entrench/agents"
)

// params returns the default coefficients of the scenario schema
// (scenarios.DefaultCoefficients) as monthly parameters.
func params() agents.Params {
	return agents.Params{
		Bias: 0.3, WDisposition: 1.5, WHabit: 1.5, WStake: 2.5, WAttention: 1, WTension: 2, WAutonomy: 3,
		NoiseSD: 0.5, HabitGain: 0.03, HabitDecay: 0.01, Socialization: 0.02, ConfidenceBound: 0.6,
		DispositionReversion: 0.03, StakeHalf: 1, ResistMax: 0.8, ResistStake: 0.25, ResistRoutine: 1, ResistHabit: 0.5,
		ExchangeRate: 0.02, ExchangeBoost: 0.5, BuildRate: 0.25, FallRate: 0.5, AttentionHold: 0.3,
		CrisisDispositionCut: 0.3, PromotionTournament: 3, TenureTicks: 240,
		WSuspicion: 2, SuspicionGain: 0.05, SuspicionDecay: 0.01, Sidelining: 0.5,
		RoutineGain: 0.02, RoutineDecay: 0.01, RoutineCarryover: 0.8, ExchangeRoutineBoost: 1,
		LobbyAttention: 0.02, CrisisAttentionCut: 0.3, ReactionDecay: 0.08,
		SuspendBase: 0.2, SuspendLobby: 0.6, SuspendAttention: 0.3, SuspendBarMax: 0.8, ResumeMargin: 0.05,
		Backing: 0.5, AllyOpposition: 0.5, TAPIAfghanLobby: 1,
	}
}

// newOrg builds an organization of n officials in one rank, all with
// disposition d.
func newOrg(n int, d float64) (*agents.Population, *agents.Org) {
	var p agents.Population
	p.Resize(n)
	for i := range p.Disp {
		p.Disp[i] = d
	}
	o := &agents.Org{RankLo: []int{0}, RankHi: []int{n}, RankWeight: []float64{1}, WeightSum: float64(n), Influence: 1}
	return &p, o
}

func TestCrisisCutShrinksWithResistance(t *testing.T) {
	// MODEL.md: the cut a crisis makes is smaller where the organization
	// holds more stakes and habit (its resistance).
	k := params()
	cut := func(stake, habit float64) float64 {
		p, o := newOrg(10, 0.2)
		o.Resistance = agents.Resistance(agents.ResistInput(stake, 0, habit, &k), &k)
		agents.CutDispositions(p, o, 0.8, &k)
		return 0.2 - p.Disp[0]
	}
	none, staked, habitual := cut(0, 0), cut(2, 0), cut(0, 0.9)
	if !(staked < none && habitual < none && none > 0) {
		t.Errorf("disposition lost: no resistance %.4f, with stakes %.4f, with habit %.4f", none, staked, habitual)
	}
	if got, want := none, 0.8*k.CrisisDispositionCut; math.Abs(got-want) > 1e-12 {
		t.Errorf("cut without resistance %.6f, want severity*cut %.6f", got, want)
	}
}

func TestResistanceRisesWithStakeAndHabit(t *testing.T) {
	k := params()
	prev := -1.0
	for _, s := range []float64{0, 0.5, 1, 2, 5} {
		r := agents.Resistance(agents.ResistInput(s, 0, 0, &k), &k)
		if r <= prev || r < 0 || r >= k.ResistMax {
			t.Fatalf("resistance %.4f at stake %.1f after %.4f", r, s, prev)
		}
		prev = r
	}
	if agents.Resistance(agents.ResistInput(0, 0, 0.5, &k), &k) <= agents.Resistance(agents.ResistInput(0, 0, 0, &k), &k) {
		t.Error("habit should raise resistance")
	}
}

func TestShockSmallerWithResistance(t *testing.T) {
	shock := func(res float64) float64 {
		c := &agents.Channel{Participants: []int{0, 1}, Freeze: [2]float64{0.8, 0.1}, Activity: 0.5, Resistance: res}
		return agents.Shock(c, 0.7, agents.Militarized)
	}
	if !(shock(0.6) < shock(0)) {
		t.Errorf("activity lost: %.4f with resistance, %.4f without", shock(0.6), shock(0))
	}
}

func TestStepBuildsSlowlyFallsFast(t *testing.T) {
	orgs := []agents.Org{{Influence: 1, Bloc: 0, Stance: 0.6}, {Influence: 1, Bloc: 1, Stance: 0.8}}
	c := &agents.Channel{Participants: []int{0, 1}, Capacity: 1, Activity: 0.3}
	agents.Step(c, orgs, 1, &agents.Params{AttentionHold: 0, BuildRate: 0.25, FallRate: 0.5})
	up := c.Activity - 0.3
	if math.Abs(c.Target-0.6) > 1e-12 {
		t.Errorf("target %.3f, want the least willing bloc's 0.6", c.Target)
	}
	c.Activity = 0.9
	agents.Step(c, orgs, 1, &agents.Params{AttentionHold: 0, BuildRate: 0.25, FallRate: 0.5})
	down := 0.9 - c.Activity
	if !(up > 0 && down > 0 && down/0.3 > up/0.3) {
		t.Errorf("up %.4f, down %.4f for equal gaps: falls must be faster", up, down)
	}
	// Waning attention lowers the target when attention holds it up.
	c.Activity = 0.3
	agents.Step(c, orgs, 0.2, &agents.Params{AttentionHold: 0.3, BuildRate: 0.25, FallRate: 0.5})
	if c.Target >= 0.6 {
		t.Errorf("target %.3f with low attention and hold 0.3, want below 0.6", c.Target)
	}
}

func TestPromotionFavoursAlignment(t *testing.T) {
	// Two ranks: juniors half keen (propensity 0.9), half aligned with a
	// hostile leadership line (0.1). Every senior retires now; with a
	// tournament of 3 the aligned ones win most vacancies.
	k := params()
	k.PromotionTournament = 3
	rng := rand.New(rand.NewPCG(1, 2))
	var keen, aligned int
	for trial := 0; trial < 200; trial++ {
		var p agents.Population
		p.Resize(20)
		o := &agents.Org{RankLo: []int{0, 16}, RankHi: []int{16, 20}, RankWeight: []float64{1, 4}, WeightSum: 32, Line: 0.1}
		for i := 0; i < 16; i++ {
			p.Prop[i] = 0.1
			if i%2 == 0 {
				p.Prop[i] = 0.9
			}
			p.RetireAt[i] = 1 << 30
		}
		for i := 16; i < 20; i++ {
			p.RetireAt[i] = 0
		}
		agents.Turnover(&p, o, agents.Staffing{Params: &k, Now: 1, Rng: rng})
		for i := 16; i < 20; i++ {
			if p.Prop[i] > 0.5 {
				keen++
			} else {
				aligned++
			}
		}
	}
	if !(aligned > 4*keen) {
		t.Errorf("promoted: %d aligned, %d keen; alignment should dominate", aligned, keen)
	}
}
