package agents_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/entrench/entrench/agents"
)

// TestTurnoverNextRetire runs turnover month after month on small
// organizations with short careers, against a twin whose NextRetire is
// forgotten (0: scan every slot) before every call: both must retire the
// same officials with the same draws, NextRetire must be the earliest
// RetireAt after every call, and the skipped months must draw nothing.
// The ladders have 3, 4 (one with an empty rank, which promotions
// skip) and 5 ranks.
func TestTurnoverNextRetire(t *testing.T) {
	k := params()
	k.TenureTicks = 6
	for _, sizes := range [][]int{{4, 3, 2}, {6, 4, 2, 1}, {5, 0, 3, 2}, {5, 4, 3, 2, 2}} {
		p, o := ladder(sizes)
		q, oq := ladder(sizes)
		for i := range p.RetireAt {
			p.RetireAt[i] = int32(3 + i%5)
			q.RetireAt[i] = p.RetireAt[i]
		}
		rng, ref := twins(11)
		skipped, retired := 0, 0
		for now := 1; now <= 400; now++ {
			before := o.NextRetire
			oq.NextRetire = 0
			n := agents.Turnover(p, o, agents.Staffing{Params: &k, Now: now, Rng: rng})
			m := agents.Turnover(q, oq, agents.Staffing{Params: &k, Now: now, Rng: ref})
			if n != m {
				t.Fatalf("ranks %v, month %d: %d retired, %d with a full scan", sizes, now, n, m)
			}
			retired += n
			samePop(t, "after turnover", p, q)
			lo, hi := o.Slots()
			if want := int(slices.Min(p.RetireAt[lo:hi])); o.NextRetire != want {
				t.Fatalf("ranks %v, month %d: NextRetire %d, earliest RetireAt %d", sizes, now, o.NextRetire, want)
			}
			if before > now {
				skipped++
				if n != 0 {
					t.Fatalf("ranks %v, month %d: %d retired though NextRetire was %d", sizes, now, n, before)
				}
			}
			if a, b := rng.Uint64(), ref.Uint64(); a != b {
				t.Fatalf("ranks %v, month %d: the draws differ from the full scan's", sizes, now)
			}
		}
		if skipped == 0 || retired < 100 {
			t.Errorf("ranks %v: %d months skipped, %d retired: the test does not exercise NextRetire", sizes, skipped, retired)
		}
	}
}

// ladder is an organization with ranks of the given sizes from slot 0,
// its officials set as threeRanks sets them.
func ladder(sizes []int) (*agents.Population, *agents.Org) {
	var p agents.Population
	o := &agents.Org{Influence: 1, DispMean: 0.1, DispSD: 0.2, Line: 0.5, Base: 0.1, Routine: 0.3}
	slot := 0
	for r, n := range sizes {
		o.RankLo = append(o.RankLo, slot)
		slot += n
		o.RankHi = append(o.RankHi, slot)
		o.RankWeight = append(o.RankWeight, float64(r+1))
		o.WeightSum += float64((r + 1) * n)
	}
	p.Resize(slot)
	for i := range p.Disp {
		p.Disp[i] = float64(i)/20 - 0.2
		p.Habit[i] = float64(i) / 10
		p.Prop[i] = 0.2 + float64(i%5)/10
	}
	return &p, o
}

// TestReaggregateAfterTurnover updates a small organization month after
// month (random propensities and habits, as an update leaves them, then
// Aggregate), sends juniors on exchanges and runs turnover, then checks
// that Reaggregate with TurnoverRanks's top gives Aggregate's bits, that
// top is the highest rank of an official due that month, and that ranks
// above top are as the update left them. Months with retirements in the
// top rank and months with retirements in the lowest only must both
// occur, so a wrong top (or stale sums) would show. It runs on three
// ranks and on seven (more than Org keeps sums of).
func TestReaggregateAfterTurnover(t *testing.T) {
	t.Run("three ranks", func(t *testing.T) { testReaggregate(t, threeRanks) })
	t.Run("seven ranks", func(t *testing.T) { testReaggregate(t, sevenRanks) })
}

// sevenRanks is threeRanks with seven ranks of 4, 3, 3, 2, 2, 1 and 1
// officials.
func sevenRanks(off int) (*agents.Population, *agents.Org) {
	p, o := threeRanks(off)
	p.Resize(off + 16)
	o.RankLo, o.RankHi, o.RankWeight, o.WeightSum = nil, nil, nil, 0
	slot := off
	for r, n := range []int{4, 3, 3, 2, 2, 1, 1} {
		o.RankLo = append(o.RankLo, slot)
		slot += n
		o.RankHi = append(o.RankHi, slot)
		o.RankWeight = append(o.RankWeight, float64(r+1))
		o.WeightSum += float64(r+1) * float64(n)
	}
	for i := range p.Disp {
		p.Disp[i], p.Habit[i], p.Prop[i], p.RetireAt[i] = float64(i)/40-0.2, float64(i)/20, 0.2+float64(i%5)/10, 500
	}
	return p, o
}

func testReaggregate(t *testing.T, org func(int) (*agents.Population, *agents.Org)) {
	k := params()
	k.TenureTicks = 8
	k.ExchangeRate, k.ExchangeBoost = 0.5, 0.3
	p, o := org(3)
	q, oq := org(3)
	rng, ref := twins(5)
	vals := rand.New(rand.NewPCG(9, 9))
	for i := range p.RetireAt {
		p.RetireAt[i] = int32(2 + i%7)
		q.RetireAt[i] = p.RetireAt[i]
	}
	var lowOnly, topRank int
	for now := 1; now <= 300; now++ {
		for i := range p.Prop {
			p.Prop[i], p.Habit[i] = vals.Float64(), vals.Float64()
			q.Prop[i], q.Habit[i] = p.Prop[i], p.Habit[i]
		}
		agents.Aggregate(p, o, &k)
		agents.Aggregate(q, oq, &k)
		agents.Exchange(p, o, 0.8, &k, rng)
		agents.Exchange(q, oq, 0.8, &k, ref)
		due := -1
		for r := range o.RankLo {
			for i := o.RankLo[r]; i < o.RankHi[r]; i++ {
				if p.RetireAt[i] <= int32(now) {
					due = r
				}
			}
		}
		before := slices.Clone(p.Prop)
		beforeH := slices.Clone(p.Habit)
		n, top := agents.TurnoverRanks(p, o, agents.Staffing{Params: &k, Now: now, Rng: rng})
		if m := agents.Turnover(q, oq, agents.Staffing{Params: &k, Now: now, Rng: ref}); m != n {
			t.Fatalf("month %d: TurnoverRanks retired %d, Turnover %d", now, n, m)
		}
		samePop(t, "after turnover", p, q)
		if n == 0 {
			continue
		}
		if top != due {
			t.Fatalf("month %d: top %d, highest rank due %d", now, top, due)
		}
		for i := o.RankHi[top]; i < len(p.Prop); i++ {
			if p.Prop[i] != before[i] || p.Habit[i] != beforeH[i] {
				t.Fatalf("month %d: slot %d above rank %d changed", now, i, top)
			}
		}
		agents.Reaggregate(p, o, &k, top)
		agents.Aggregate(q, oq, &k)
		if o.Stance != oq.Stance || o.HabitMean != oq.HabitMean || o.Line != oq.Line || o.Resistance != oq.Resistance {
			t.Fatalf("month %d (top %d): Reaggregate gives %v %v %v %v, Aggregate %v %v %v %v", now, top,
				o.Stance, o.HabitMean, o.Line, o.Resistance, oq.Stance, oq.HabitMean, oq.Line, oq.Resistance)
		}
		switch top {
		case 0:
			lowOnly++
		case len(o.RankLo) - 1:
			topRank++
		}
	}
	if lowOnly == 0 || topRank == 0 {
		t.Errorf("months with retirements in the lowest rank only: %d, in the top rank: %d; want both", lowOnly, topRank)
	}
}

// TestCutDispositionsEach cuts organizations of 0 to 11 officials (so the
// loop's blocks of four and its tail both run), whose slots start at 3,
// with dispositions around the floor and a NaN: each official must lose
// the cut, floored at -1 (max(-1, d-loss), NaN kept), and the slots
// around the organization must stay as they were.
func TestCutDispositionsEach(t *testing.T) {
	k := params()
	k.CrisisDispositionCut = 0.5
	for n := range 12 {
		var p agents.Population
		p.Resize(n + 6)
		for i := range p.Disp {
			p.Disp[i] = []float64{-0.9, -0.5, 0.3, math.NaN(), -1, 0.75, -0.74, 1}[i%8]
		}
		before := slices.Clone(p.Disp)
		o := &agents.Org{RankLo: []int{3}, RankHi: []int{3 + n}, Resistance: 0.5}
		agents.CutDispositions(&p, o, 1, &k) // loss 0.25
		for i, d := range p.Disp {
			want := before[i]
			if i >= 3 && i < 3+n {
				want = math.Max(-1, before[i]-0.25)
			}
			if !(d == want || math.IsNaN(d) && math.IsNaN(want)) {
				t.Errorf("%d officials: slot %d = %v, want %v", n, i, d, want)
			}
		}
	}
}

// TestDecayReactionsOf: decaying the listed channels gives DecayReactions'
// bits on them and leaves the others as they were.
func TestDecayReactionsOf(t *testing.T) {
	k := params()
	e, f := &agents.Executive{}, &agents.Executive{}
	e.Resize(5)
	f.Resize(5)
	for c := range 5 {
		e.Reaction[c] = 0.1 * float64(c+1)
		f.Reaction[c] = e.Reaction[c]
	}
	agents.DecayReactionsOf(e, []int{1, 3, 4}, &k)
	agents.DecayReactions(f, &k)
	for c := range 5 {
		want := f.Reaction[c]
		if c == 0 || c == 2 {
			want = 0.1 * float64(c+1)
		}
		if e.Reaction[c] != want {
			t.Errorf("channel %d: reaction %v, want %v", c, e.Reaction[c], want)
		}
	}
	if f.Reaction[1] == 0.2 {
		t.Error("DecayReactions left the reaction as it was: the test compares nothing")
	}
}
