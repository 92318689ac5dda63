package agents_test

// Tests that pin each rule's arithmetic against an independent computation
// written here from its equation in docs/ODD.md (and the doc comments), so
// that a flipped sign, a cut term or a changed boundary fails. UpdateOfficials
// is covered by its own kernel tests and is not called here.

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/entrench/entrench/agents"
)

// fixedSource is a rand.Source that returns chosen values in turn (then
// a fixed odd constant), so a test can put a rule's uniform draws where it wants them.
type fixedSource struct {
	vals []uint64
	n    int
}

func (s *fixedSource) Uint64() uint64 {
	if s.n >= len(s.vals) {
		s.n++
		return 0x9e3779b97f4a7c15
	}
	v := s.vals[s.n]
	s.n++
	return v
}

// uniform is the Uint64 for which rand.Rand.Float64 returns f (f a
// multiple of 2^-53 in [0, 1)).
func uniform(f float64) uint64 { return uint64(f * (1 << 53)) }

// twins returns two generators with the same seed: one for the rule, one
// for the test's reference computation.
func twins(seed uint64) (*rand.Rand, *rand.Rand) {
	return rand.New(rand.NewPCG(seed, 7)), rand.New(rand.NewPCG(seed, 7))
}

const tol = 1e-12

func near(a, b float64) bool { return math.Abs(a-b) <= tol*(1+math.Abs(b)) }

func logistic(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func TestResizeReusesMemory(t *testing.T) {
	var p agents.Population
	p.Resize(8)
	p.Disp[3] = 0.25
	p.Resize(8)
	if p.Disp[3] != 0.25 {
		t.Errorf("Resize to the same size lost the data: Disp[3] = %v", p.Disp[3])
	}
	if a := testing.AllocsPerRun(10, func() { p.Resize(8); p.Resize(5) }); a != 0 {
		t.Errorf("Resize within capacity allocates %v times, want 0", a)
	}
	if len(p.Disp) != 5 || len(p.RetireAt) != 5 || len(p.Exchanged) != 5 {
		t.Errorf("Resize(5): lengths %d, %d, %d", len(p.Disp), len(p.RetireAt), len(p.Exchanged))
	}

	var e agents.Executive
	e.Resize(4)
	e.Reaction[1], e.Net[2], e.Suspended[3] = 0.5, 0.3, true
	if a := testing.AllocsPerRun(10, func() { e.Resize(4) }); a != 0 {
		t.Errorf("Executive.Resize to the same size allocates %v times, want 0", a)
	}
	if e.Reaction[1] != 0 || e.Net[2] != 0 || e.Suspended[3] {
		t.Errorf("Executive.Resize did not clear: %v %v %v", e.Reaction, e.Net, e.Suspended)
	}
}

// twoRanks builds an org whose slots start at off in a population of
// off+5: three juniors (weight 1) and two seniors (weight 3).
func twoRanks(off int) (*agents.Population, *agents.Org) {
	var p agents.Population
	p.Resize(off + 5)
	o := &agents.Org{
		RankLo: []int{off, off + 3}, RankHi: []int{off + 3, off + 5},
		RankWeight: []float64{1, 3}, WeightSum: 3*1 + 2*3, Influence: 1,
	}
	return &p, o
}

func TestAggregateRankWeighted(t *testing.T) {
	k := params()
	p, o := twoRanks(0)
	copy(p.Prop, []float64{0.1, 0.2, 0.6, 0.7, 0.9})
	copy(p.Habit, []float64{0.3, 0.0, 0.3, 0.5, 0.8})
	o.Stake, o.Routine = 1.5, 0.4
	agents.Aggregate(p, o, &k)

	stance := (1*(0.1+0.2+0.6) + 3*(0.7+0.9)) / 9
	habit := (1*(0.3+0.0+0.3) + 3*(0.5+0.8)) / 9
	line := (0.7 + 0.9) / 2
	x := k.ResistStake*1.5 + k.ResistRoutine*0.4 + k.ResistHabit*habit
	res := k.ResistMax * x / (1 + x)
	if !near(o.Stance, stance) || !near(o.HabitMean, habit) || !near(o.Line, line) || !near(o.Resistance, res) {
		t.Errorf("Aggregate: stance %.6f habit %.6f line %.6f resistance %.6f, want %.6f %.6f %.6f %.6f",
			o.Stance, o.HabitMean, o.Line, o.Resistance, stance, habit, line, res)
	}

	// An empty top rank has no line (0), and nothing becomes NaN.
	q, e := twoRanks(0)
	e.RankLo, e.RankHi, e.WeightSum = []int{0, 3}, []int{3, 3}, 3
	copy(q.Prop, []float64{0.2, 0.4, 0.9})
	agents.Aggregate(q, e, &k)
	if e.Line != 0 || !near(e.Stance, 0.5) {
		t.Errorf("empty top rank: line %v stance %v, want 0 and 0.5", e.Line, e.Stance)
	}
}

// recruitRef is Recruit's draw written from its equations, using rng.
func recruitRef(o *agents.Org, now int, k *agents.Params, rng *rand.Rand) (d, h, prop float64, retire int32) {
	d = math.Max(-1, math.Min(1, o.DispMean+o.DispSD*rng.NormFloat64()))
	if !k.InertRoutines {
		h = math.Min(1, k.RoutineCarryover*o.Routine)
	}
	prop = logistic(o.Base + k.WDisposition*d + k.WHabit*h)
	retire = int32(now + 1 + tenureRef(k.TenureTicks, rng.Float64()))
	return
}

// tenureRef is the geometric inverse CDF at uniform f: with u = 1-f and
// q = 1-1/mean, the largest n with q^n >= u (counted, not by logarithms).
func tenureRef(mean, f float64) int {
	if mean <= 1 {
		return 0
	}
	u, q := 1-f, 1-1/mean
	n := 0
	for pw := q; pw >= u && n < 1e6; pw *= q {
		n++
	}
	return n
}

func TestRecruitDraws(t *testing.T) {
	k := params()
	k.TenureTicks = 24
	for _, tc := range []struct {
		name            string
		mean, sd, rout  float64
		inert           bool
		wantLow, wantHi bool // some draws clamped at -1 / 1
	}{
		{name: "plain", mean: 0.1, sd: 0.3, rout: 0.5},
		{name: "clamped", mean: -0.2, sd: 3, rout: 2, wantLow: true, wantHi: true},
		{name: "inert routines", mean: 0.4, sd: 0.2, rout: 0.7, inert: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := k
			k.InertRoutines = tc.inert
			p, o := newOrg(4, 0)
			o.DispMean, o.DispSD, o.Routine, o.Base = tc.mean, tc.sd, tc.rout, -0.4
			rng, ref := twins(11)
			var low, hi bool
			for i := range 40 {
				p.Exchanged[2] = true
				now := 100 + i
				// Every other recruit with the tenure's log given, as the
				// engine gives it: the same draws.
				s := agents.Staffing{Params: &k, Now: now, Rng: rng}
				if i%2 == 1 {
					s.TenureLog = agents.TenureLog(k.TenureTicks)
				}
				agents.Recruit(p, o, 2, s)
				d, h, prop, retire := recruitRef(o, now, &k, ref)
				if p.Disp[2] != d || p.Habit[2] != h || !near(p.Prop[2], prop) || p.RetireAt[2] != retire || p.Exchanged[2] {
					t.Fatalf("recruit %d: disp %v habit %v prop %v retire %v exchanged %v, want %v %v %v %v false",
						i, p.Disp[2], p.Habit[2], p.Prop[2], p.RetireAt[2], p.Exchanged[2], d, h, prop, retire)
				}
				low = low || d == -1
				hi = hi || d == 1
			}
			if low != tc.wantLow || hi != tc.wantHi {
				t.Errorf("clamped at -1: %v, at 1: %v; want %v, %v", low, hi, tc.wantLow, tc.wantHi)
			}
		})
	}
}

func TestTenureInverseCDF(t *testing.T) {
	for _, tc := range []struct {
		mean, f float64
		want    int
	}{
		{mean: 240, f: 0},   // u = 1: no ticks
		{mean: 240, f: 0.5}, // the median, about mean*ln 2
		{mean: 240, f: 0.9},
		{mean: 4, f: 0.75},
		{mean: 24, f: 0.1},
		{mean: 1e7, f: 1 - 1.0/(1<<20), want: 1e6}, // capped
	} {
		want := tc.want
		if want == 0 {
			want = tenureRef(tc.mean, tc.f)
		}
		src := &fixedSource{vals: []uint64{uniform(tc.f)}}
		if got := agents.Tenure(tc.mean, rand.New(src)); got != want {
			t.Errorf("Tenure(%v) at uniform %v = %d, want %d", tc.mean, tc.f, got, want)
		}
		if src.n != 1 {
			t.Errorf("Tenure(%v) drew %d uniforms, want 1", tc.mean, src.n)
		}
	}
	if want := int(math.Floor(math.Log(0.5) / math.Log(1-1/240.0))); tenureRef(240, 0.5) != want || want < 150 {
		t.Fatalf("reference median %d, want %d", tenureRef(240, 0.5), want)
	}
	// Staffing.Tenure draws the same, with the log given or not.
	for _, logq := range []float64{0, agents.TenureLog(240)} {
		src := &fixedSource{vals: []uint64{uniform(0.9)}}
		s := agents.Staffing{Params: &agents.Params{TenureTicks: 240}, Rng: rand.New(src), TenureLog: logq}
		if got, want := s.Tenure(), tenureRef(240, 0.9); got != want || src.n != 1 {
			t.Errorf("Staffing.Tenure (log %v) = %d after %d draws, want %d after 1", logq, got, src.n, want)
		}
	}
	// A mean of at most one tick gives no tenure and draws nothing.
	for _, mean := range []float64{1, 0.5, 0} {
		src := &fixedSource{vals: []uint64{uniform(0.9)}}
		if got := agents.Tenure(mean, rand.New(src)); got != 0 || src.n != 0 {
			t.Errorf("Tenure(%v) = %d after %d draws, want 0 after none", mean, got, src.n)
		}
	}
}

func TestTenureLog(t *testing.T) {
	for _, mean := range []float64{1.5, 4, 24, 240} {
		if got, want := agents.TenureLog(mean), math.Log1p(-1/mean); got != want {
			t.Errorf("TenureLog(%v) = %v, want %v", mean, got, want)
		}
	}
	for _, mean := range []float64{1, 0.5, 0} {
		if got := agents.TenureLog(mean); got != 0 {
			t.Errorf("TenureLog(%v) = %v, want 0", mean, got)
		}
	}
}

func TestPromotionScoreValues(t *testing.T) {
	for _, tc := range []struct {
		prop, line float64
		ex         bool
		side, want float64
	}{
		{prop: 0.7, line: 0.2, want: 0.5},
		{prop: 0.1, line: 0.4, want: 0.3},
		{prop: 0.7, line: 0.2, ex: true, side: 0.5, want: 0.5 + 0.5*0.6},
		{prop: 0.1, line: 0.4, ex: true, side: 1, want: 0.3 + 0.2},
		{prop: 0.9, line: 0.8, ex: true, side: 1, want: 0.1}, // a line for cooperation: no sidelining
	} {
		if got := agents.PromotionScore(tc.prop, tc.line, tc.ex, tc.side); !near(got, tc.want) {
			t.Errorf("PromotionScore(%v, %v, %v, %v) = %v, want %v", tc.prop, tc.line, tc.ex, tc.side, got, tc.want)
		}
	}
}

// threeRanks builds an org at offset off with ranks of 4, 3 and 2
// officials, distinct propensities, habits and dispositions.
func threeRanks(off int) (*agents.Population, *agents.Org) {
	var p agents.Population
	p.Resize(off + 9)
	o := &agents.Org{
		RankLo: []int{off, off + 4, off + 7}, RankHi: []int{off + 4, off + 7, off + 9},
		RankWeight: []float64{1, 2, 4}, WeightSum: 4 + 6 + 8, Influence: 1,
		DispMean: 0.1, DispSD: 0.2, Line: 0.5, Base: 0.1, Routine: 0.3,
	}
	for i := range p.Disp {
		p.Disp[i] = float64(i)/20 - 0.2
		p.Habit[i] = float64(i) / 10
		p.Prop[i] = 0.2 + float64(i%5)/10
		p.RetireAt[i] = 500
	}
	return &p, o
}

// turnoverRef is Turnover written from its description: visit slots
// bottom up; each due official's slot is filled by a tournament winner
// (lowest score, first drawn on ties) from the rank below, cascading to a
// recruit in the lowest rank (or wherever the rank below is empty).
func turnoverRef(p *agents.Population, o *agents.Org, now int, k *agents.Params, rng *rand.Rand) int {
	rankOf := func(i int) int {
		for r := range o.RankLo {
			if i >= o.RankLo[r] && i < o.RankHi[r] {
				return r
			}
		}
		return 0
	}
	recruit := func(i int) {
		p.Disp[i], p.Habit[i], p.Prop[i], p.RetireAt[i] = recruitRef(o, now, k, rng)
		p.Exchanged[i] = false
	}
	n := 0
	for i := o.RankLo[0]; i < o.RankHi[len(o.RankHi)-1]; i++ {
		if int(p.RetireAt[i]) > now {
			continue
		}
		n++
		for v := i; ; {
			r := rankOf(v)
			if r == 0 || o.RankHi[r-1] == o.RankLo[r-1] {
				recruit(v)
				break
			}
			lo, size := o.RankLo[r-1], o.RankHi[r-1]-o.RankLo[r-1]
			best, bestScore := 0, 0.0
			for c := range k.PromotionTournament {
				j := lo + rng.IntN(size)
				s := math.Abs(p.Prop[j] - o.Line)
				if p.Exchanged[j] {
					s += k.Sidelining * math.Max(0, 1-2*o.Line)
				}
				if c == 0 || s < bestScore {
					best, bestScore = j, s
				}
			}
			p.Disp[v], p.Habit[v], p.Prop[v] = p.Disp[best], p.Habit[best], p.Prop[best]
			p.RetireAt[v], p.Exchanged[v] = p.RetireAt[best], p.Exchanged[best]
			v = best
		}
	}
	return n
}

func clonePop(p *agents.Population) *agents.Population {
	return &agents.Population{
		Disp: append([]float64(nil), p.Disp...), Habit: append([]float64(nil), p.Habit...),
		Prop: append([]float64(nil), p.Prop...), RetireAt: append([]int32(nil), p.RetireAt...),
		Exchanged: append([]bool(nil), p.Exchanged...),
	}
}

func samePop(t *testing.T, what string, got, want *agents.Population) {
	t.Helper()
	for i := range want.Disp {
		if got.Disp[i] != want.Disp[i] || got.Habit[i] != want.Habit[i] || !near(got.Prop[i], want.Prop[i]) ||
			got.RetireAt[i] != want.RetireAt[i] || got.Exchanged[i] != want.Exchanged[i] {
			t.Errorf("%s: slot %d = (%v %v %v %v %v), want (%v %v %v %v %v)", what, i,
				got.Disp[i], got.Habit[i], got.Prop[i], got.RetireAt[i], got.Exchanged[i],
				want.Disp[i], want.Habit[i], want.Prop[i], want.RetireAt[i], want.Exchanged[i])
		}
	}
}

func TestTurnoverCascade(t *testing.T) {
	const now = 300
	for _, tc := range []struct {
		name string
		due  []int // slots (relative to the org) whose retirement is due
		mod  func(p *agents.Population, o *agents.Org, k *agents.Params)
	}{
		{name: "top and middle", due: []int{8, 5}},
		{name: "every rank", due: []int{1, 4, 7, 8}},
		{name: "due exactly now", due: []int{6}, mod: func(p *agents.Population, o *agents.Org, _ *agents.Params) {
			p.RetireAt[o.RankLo[0]+6] = now
		}},
		{name: "sidelining", due: []int{7, 8}, mod: func(p *agents.Population, o *agents.Org, k *agents.Params) {
			o.Line, k.Sidelining = 0.2, 1
			for i := o.RankLo[1]; i < o.RankHi[1]; i++ {
				p.Exchanged[i] = i%2 == 0
			}
		}},
		{name: "ties to the first drawn", due: []int{8, 4}, mod: func(p *agents.Population, o *agents.Org, k *agents.Params) {
			k.PromotionTournament = 4
			for i := range p.Prop {
				p.Prop[i] = 0.3
			}
		}},
		{name: "large tournament", due: []int{7, 8}, mod: func(p *agents.Population, o *agents.Org, k *agents.Params) {
			k.PromotionTournament = 7
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := params()
			k.TenureTicks = 36
			p, o := threeRanks(3)
			if tc.mod != nil {
				tc.mod(p, o, &k)
			}
			for _, d := range tc.due {
				if p.RetireAt[o.RankLo[0]+d] > now {
					p.RetireAt[o.RankLo[0]+d] = now - int32(d)
				}
			}
			want := clonePop(p)
			rng, ref := twins(5)
			n := agents.Turnover(p, o, agents.Staffing{Params: &k, Now: now, Rng: rng})
			wantN := turnoverRef(want, o, now, &k, ref)
			if n != wantN || n != len(tc.due) {
				t.Errorf("Turnover retired %d, reference %d, want %d", n, wantN, len(tc.due))
			}
			samePop(t, "after turnover", p, want)
			if a, b := rng.Uint64(), ref.Uint64(); a != b {
				t.Errorf("Turnover used a different number of draws than the reference")
			}
		})
	}
}

func TestTurnoverOverEmptyRank(t *testing.T) {
	// The top vacancy is filled from the middle rank, whose vacancy, above
	// an empty lowest rank, is filled by a recruit in place.
	k := params()
	var p agents.Population
	p.Resize(3)
	o := &agents.Org{RankLo: []int{0, 0, 1}, RankHi: []int{0, 1, 3}, RankWeight: []float64{1, 1, 1}, WeightSum: 3,
		DispMean: 0.2, DispSD: 0.1, Base: 0.3}
	p.RetireAt[0], p.RetireAt[1], p.RetireAt[2] = 50, 1, 50
	p.Disp[0], p.Disp[1], p.Disp[2] = -0.5, 0.9, 0.6
	want := clonePop(&p)
	rng, ref := twins(3)
	if n := agents.Turnover(&p, o, agents.Staffing{Params: &k, Now: 10, Rng: rng}); n != 1 {
		t.Errorf("retired %d, want 1", n)
	}
	turnoverRef(want, o, 10, &k, ref)
	samePop(t, "over an empty rank", &p, want)
	if p.Disp[1] != -0.5 || p.RetireAt[0] <= 10 {
		t.Errorf("slot 1 disp %v (want slot 0's -0.5 promoted), slot 0 retires at %d (want a recruit, after 10)", p.Disp[1], p.RetireAt[0])
	}
}

func TestExchangeExact(t *testing.T) {
	k := params()
	k.ExchangeRate, k.ExchangeBoost = 0.3, 0.4
	for _, act := range []float64{1, 0.55, 0.1} {
		p, o := twoRanks(6) // 3 juniors in slots 6..8
		for i := range p.Habit {
			p.Habit[i] = 0.1 * float64(i%4)
		}
		want := clonePop(p)
		rng, ref := twins(9)
		got := agents.Exchange(p, o, act, &k, rng)

		e := k.ExchangeRate * act * 3
		n := int(math.Floor(e))
		if ref.Float64() < e-math.Floor(e) {
			n++
		}
		for range n {
			i := 6 + ref.IntN(3)
			want.Exchanged[i] = true
			want.Habit[i] = want.Habit[i] + k.ExchangeBoost*(1-want.Habit[i])
		}
		if got != n {
			t.Errorf("activity %v: %d exchanged, want %d", act, got, n)
		}
		samePop(t, "after exchange", p, want)
	}

	// An integral expected count is exact even when the uniform is 0.
	p, o := twoRanks(6)
	k.ExchangeRate = 2.0 / 3
	src := &fixedSource{vals: []uint64{0}}
	if got := agents.Exchange(p, o, 1, &k, rand.New(src)); got != 2 {
		t.Errorf("expected count 2 with uniform 0: %d went", got)
	}

	// No juniors: nobody goes and no draw is made.
	q, e := twoRanks(0)
	e.RankLo, e.RankHi = []int{0, 0}, []int{0, 5}
	src = &fixedSource{}
	if got := agents.Exchange(q, e, 1, &k, rand.New(src)); got != 0 || src.n != 0 {
		t.Errorf("empty lowest rank: %d went after %d draws, want 0 and none", got, src.n)
	}
}

func TestUpdateSuspicionExact(t *testing.T) {
	k := params()
	for _, tc := range [][2]float64{{0.2, 0.5}, {0.6, 1}, {0.9, 0}} {
		m, pr := tc[0], tc[1]
		want := m + k.SuspicionGain*pr*(1-m) - k.SuspicionDecay*m
		if got := agents.UpdateSuspicion(m, pr, &k); !near(got, want) {
			t.Errorf("UpdateSuspicion(%v, %v) = %v, want %v", m, pr, got, want)
		}
	}
}

func TestSupportWeighted(t *testing.T) {
	orgs := []agents.Org{
		{Bloc: 0, Influence: 2, Stance: 0.8},
		{Bloc: 0, Influence: 1, Stance: 0.2},
		{Bloc: 1, Influence: 3, Stance: 0.5},
	}
	c := &agents.Channel{Participants: []int{0, 1, 2}}
	e, w := agents.Support(c, orgs)
	if !near(e, (2*0.8+0.2)/3) || !near(w, 0.5) {
		t.Errorf("Support = %v, %v, want %v, 0.5", e, w, (2*0.8+0.2)/3)
	}
	c.Participants = []int{0, 1}
	if e, w := agents.Support(c, orgs); !near(e, (2*0.8+0.2)/3) || w != 0 {
		t.Errorf("no western participant: Support = %v, %v, want %v, 0", e, w, (2*0.8+0.2)/3)
	}
}

func TestStepExact(t *testing.T) {
	k := params()
	orgs := []agents.Org{
		{Bloc: 0, Influence: 1, Stance: 0.5},
		{Bloc: 1, Influence: 1, Stance: 0.3},
	}
	for _, tc := range []struct {
		name             string
		act, att, demand float64
		backing          [2]float64
		suspended        bool
	}{
		{name: "build", act: 0.05, att: 0.6, demand: 0.1, backing: [2]float64{0.1, 0.05}},
		{name: "build west short", act: 0.05, att: 0.9, demand: 0, backing: [2]float64{0.3, -0.1}},
		{name: "fall", act: 0.6, att: 0.4, demand: 0.1, backing: [2]float64{-0.2, 0}},
		{name: "suspended", act: 0.3, att: 1, demand: 0.2, suspended: true},
	} {
		c := &agents.Channel{Participants: []int{0, 1}, Capacity: 0.9, Activity: tc.act,
			Demand: tc.demand, Backing: tc.backing, Suspended: tc.suspended}
		agents.Step(c, orgs, tc.att, &k)
		e := math.Max(0, math.Min(1, 0.5+tc.backing[0]))
		w := math.Max(0, math.Min(1, 0.3+tc.demand+tc.backing[1]))
		target := 0.9 * math.Min(e, w) * (1 - k.AttentionHold*(1-tc.att))
		if tc.suspended {
			target = 0
		}
		act := tc.act + k.FallRate*(target-tc.act)
		if target > tc.act {
			act = tc.act + k.BuildRate*tc.att*(target-tc.act)
		}
		if !near(c.Target, target) || !near(c.Activity, act) {
			t.Errorf("%s: target %v activity %v, want %v %v", tc.name, c.Target, c.Activity, target, act)
		}
	}
}

func TestChannelResistanceExact(t *testing.T) {
	k := params()
	orgs := []agents.Org{{Influence: 2, HabitMean: 0.4}, {Influence: 1, HabitMean: 0.1}}
	c := &agents.Channel{Participants: []int{0, 1}}
	agents.ChannelResistance(c, orgs, []float64{1.2, 0}, []float64{0.3, 0.5}, &k)
	r := func(x float64) float64 { return k.ResistMax * x / (1 + x) }
	want := (2*r(k.ResistStake*1.2+k.ResistRoutine*0.3+k.ResistHabit*0.4) + r(k.ResistRoutine*0.5+k.ResistHabit*0.1)) / 3
	if !near(c.Resistance, want) {
		t.Errorf("ChannelResistance = %v, want %v", c.Resistance, want)
	}
	c.Participants, c.Resistance = nil, 0.7
	agents.ChannelResistance(c, orgs, nil, nil, &k)
	if c.Resistance != 0 {
		t.Errorf("no participants: resistance %v, want 0", c.Resistance)
	}
}

func TestAccrueStakeExact(t *testing.T) {
	c := &agents.Channel{Yield: 0.3, Activity: 0.6, Persistence: [2]float64{40, 8}}
	for bloc, want := range []float64{2 - 2.0/40 + 0.3*0.6*1.5, 2 - 2.0/8 + 0.3*0.6*1.5} {
		if got := agents.AccrueStake(2, c, bloc, 1.5); !near(got, want) {
			t.Errorf("AccrueStake bloc %d = %v, want %v", bloc, got, want)
		}
	}
}

func TestUpdateAttentionExact(t *testing.T) {
	k := params()
	k.LobbyAttention = 0.2
	for _, tc := range [][4]float64{{0.6, 0.2, 0.1, 0.5}, {0.3, 0.5, 0.05, 0.8}, {0.9, 0.9, 0.2, 0}} {
		a, floor, rate, lobby := tc[0], tc[1], tc[2], tc[3]
		e := &agents.Executive{Attention: a}
		agents.UpdateAttention(e, floor, rate, lobby, &k)
		want := a + rate*(floor-a) + k.LobbyAttention*lobby*(1-a)
		if !near(e.Attention, want) {
			t.Errorf("UpdateAttention(%v; floor %v rate %v lobby %v) = %v, want %v", a, floor, rate, lobby, e.Attention, want)
		}
	}
}

func TestNetLobbyingExact(t *testing.T) {
	k := params()
	k.AllyOpposition = 0.5
	orgs := lobbyWorld() // side 0: orgs 0-2 (east); side 1 and 2: west
	interest := []float64{0.6, 0.2, 0, 0.3, 0.5}
	opp := []float64{0, 0.1, 0.4, 0.2, 0.6}
	// West side 1: its own org 3, ally org 4 (same bloc, other side).
	want := (1.5*(0.3-0.2) - 0.5*2*0.6) / (1.5 + 2)
	if got := agents.NetLobbying(orgs, 1, 1, interest, opp, 2, &k); !near(got, want) {
		t.Errorf("NetLobbying west = %v, want %v", got, want)
	}
	want = (3*0.6 + 4*(0.2-0.1) + 3*(0-0.4)) / (10 + 1)
	if got := agents.NetLobbying(orgs, 0, 0, interest, opp, 1, &k); !near(got, want) {
		t.Errorf("NetLobbying east = %v, want %v", got, want)
	}
}
