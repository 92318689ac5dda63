package agents_test

import (
	"slices"
	"testing"

	"github.com/entrench/entrench/agents"
)

// TestTurnoverNextRetire runs turnover month after month on a small
// organization with short careers, against a twin whose NextRetire is
// forgotten (0: scan every slot) before every call: both must retire the
// same officials with the same draws, NextRetire must be the earliest
// RetireAt after every call, and the skipped months must draw nothing.
func TestTurnoverNextRetire(t *testing.T) {
	k := params()
	k.TenureTicks = 6
	p, o := threeRanks(2)
	q, oq := threeRanks(2)
	for i := range p.RetireAt {
		p.RetireAt[i] = int32(3 + i%5)
		q.RetireAt[i] = p.RetireAt[i]
	}
	rng, ref := twins(11)
	skipped := 0
	for now := 1; now <= 200; now++ {
		before := o.NextRetire
		oq.NextRetire = 0
		n := agents.Turnover(p, o, agents.Staffing{Params: &k, Now: now, Rng: rng})
		m := agents.Turnover(q, oq, agents.Staffing{Params: &k, Now: now, Rng: ref})
		if n != m {
			t.Fatalf("month %d: %d retired, %d with a full scan", now, n, m)
		}
		samePop(t, "after turnover", p, q)
		lo, hi := o.Slots()
		if want := int(slices.Min(p.RetireAt[lo:hi])); o.NextRetire != want {
			t.Fatalf("month %d: NextRetire %d, earliest RetireAt %d", now, o.NextRetire, want)
		}
		if before > now {
			skipped++
			if n != 0 {
				t.Fatalf("month %d: %d retired though NextRetire was %d", now, n, before)
			}
		}
		if a, b := rng.Uint64(), ref.Uint64(); a != b {
			t.Fatalf("month %d: the draws differ from the full scan's", now)
		}
	}
	if skipped == 0 {
		t.Error("no month was skipped: the test does not exercise NextRetire")
	}
}
