package sim_test

import (
	"math"
	"sort"
	"testing"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// The tests in this file hold the built-in scenarios to the stylized facts
// of MODEL.md and to the directions of the memo's claims (see `entrench
// claims` and docs/claims.md for the same comparisons with intervals).
// Seeds are the scenarios' own, so every number here is fixed; the
// tolerances are in standard errors of paired differences (common random
// numbers: both scenarios of a pair share seed and replicate numbers) or
// in shares of runs, with margins wide enough that only a change in the
// model, not sampling noise, can fail them.

const backcastName = "backcast-1997-2016"

// patternTick returns the tick of month s (YYYY-MM) in m.
func patternTick(t *testing.T, m *sim.Model, s string) int {
	t.Helper()
	d, err := scenarios.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range m.Dates {
		if x == d {
			return i
		}
	}
	t.Fatalf("%s is not in the run (%s..%s)", s, m.Dates[0], m.Dates[len(m.Dates)-1])
	return -1
}

// lossWindow is the window, in ticks, of the drawdowns these tests
// measure: the event month and the 12 after it, as in package claims.
const lossWindow = 12

// referenceTick is the tick of the reference crisis, as in package claims.
const referenceTick = 96

// withReferenceCrisis adds the claims' reference crisis to sc: every
// channel, at tick 96, of severity 0.7 (claims.ReferenceSeverity); its random
// crises stay.
func withReferenceCrisis(sc *scenarios.Scenario) *scenarios.Scenario {
	sc.Events = append(sc.Events, scenarios.Event{
		Date: sc.DateOf(referenceTick), Name: "reference crisis", Kind: scenarios.EventCrisis,
		Channels: []string{"all"}, Sides: []string{"all"}, Severity: 0.7, // claims.ReferenceSeverity
	})
	return sc
}

// backcastRuns runs the backcast once for every test of this file.
func backcastRuns(t *testing.T, n int) ([]*sim.RunResult, *sim.Model) {
	t.Helper()
	return runAll(t, loadBuiltin(t, backcastName), n, 2)
}

func TestBackcastStylizedFacts(t *testing.T) {
	n := reps(60)
	runs, m := backcastRuns(t, n)
	kosovo, georgia, crimea := patternTick(t, m, "1999-03"), patternTick(t, m, "2008-08"), patternTick(t, m, "2014-03")

	t.Run("freeze at Kosovo and Georgia", func(t *testing.T) {
		for _, ev := range []struct {
			name string
			at   int
		}{{"Kosovo 1999-03", kosovo}, {"Georgia 2008-08", georgia}} {
			var falls []float64
			sharpest := 0
			for _, r := range runs {
				coop := series(t, m, r, "cooperation")
				f := sim.MonthFall(coop, ev.at)
				falls = append(falls, f)
				// The quarter starting with the event month loses more
				// cooperation than any quarter starting in the two years
				// around it: the freeze is the event's, not noise. (Model
				// 2: a suspended channel keeps falling at fall_rate after
				// the shock, so relative monthly falls stay steep for
				// months after the event; the loss is measured in levels
				// over the quarter that holds the shock and the fall.)
				q := quarterFall(coop, ev.at)
				best := true
				for s := ev.at - 12; s <= ev.at+12; s++ {
					if s != ev.at && s >= 1 && quarterFall(coop, s) >= q {
						best = false
					}
				}
				if best {
					sharpest++
				}
				if f < 0.2 {
					t.Errorf("%s, replicate %d: cooperation fell only %.1f%% in the month", ev.name, r.Replicate, 100*f)
				}
			}
			t.Logf("%s: mean fall in the month %.1f%%; sharpest quarter of the 25 starting around it in %d of %d runs", ev.name, 100*meanOf(falls), sharpest, n)
			if sharpest < n*9/10 {
				t.Errorf("%s should be the sharpest fall around it in at least 90%% of runs: %d of %d", ev.name, sharpest, n)
			}
		}
	})

	t.Run("recovery comes out of the model", func(t *testing.T) {
		// Model 2 schedules no recovery: the executives lift their
		// suspensions and cooperation rebuilds. History: the PJC met
		// again on KFOR from 1999-07 and on a full agenda from 2000-05
		// (14 months); the NRC was restored 2009-03 (7 months). Model
		// 2's bar: 90% of the loss regained before the next
		// militarized crisis of the timeline (Georgia after Kosovo,
		// Crimea after Georgia) in at least 90% of runs. Model 1's bar
		// (90% of the level within 30 months on average) came from its
		// scheduled recoveries; the medians are logged and reported
		// against history instead.
		for _, ev := range []struct {
			name     string
			at, next int
		}{{"Kosovo 1999-03", kosovo, georgia}, {"Georgia 2008-08", georgia, crimea}} {
			var half, most, all []float64
			late := 0
			for _, r := range runs {
				coop := series(t, m, r, "cooperation")
				h, f := regainTicks(coop, ev.at, 0.5), regainTicks(coop, ev.at, 0.9)
				half, most = append(half, h), append(most, f)
				all = append(all, regainTicks(coop, ev.at, 1))
				if float64(ev.at)+f >= float64(ev.next) {
					late++
				}
			}
			t.Logf("%s: median months to half recovery %.0f, to 90%% of the loss regained %.0f, to all of it %.0f; %d of %d runs late",
				ev.name, median(half), median(most), median(all), late, n)
			if median(half) < 1 {
				t.Errorf("%s: cooperation should take time to come back, not %.0f months", ev.name, median(half))
			}
			if late > n/10 {
				t.Errorf("%s: %d of %d runs had not regained 90%% of the loss by the next militarized crisis", ev.name, late, n)
			}
		}
		// Crimea: logged only (history: practical cooperation stayed
		// suspended through 2016; whether the model agrees is its
		// answer, not a test). Months are censored at 2016-12.
		var half, most, all []float64
		back := 0
		for _, r := range runs {
			coop := series(t, m, r, "cooperation")
			half, most = append(half, regainTicks(coop, crimea, 0.5)), append(most, regainTicks(coop, crimea, 0.9))
			all = append(all, regainTicks(coop, crimea, 1))
			if coop[len(coop)-1] >= 0.5*coop[crimea-1] {
				back++
			}
		}
		t.Logf("Crimea 2014-03: median months to half recovery %.0f, to 90%% of the loss regained %.0f, to all of it %.0f (censored at %d); "+
			"cooperation back to half its 2014-02 level by 2016-12 in %d of %d runs", median(half), median(most), median(all), len(m.Dates)-1-crimea, back, n)
		for _, ev := range []struct {
			name string
			at   int
		}{{"Kosovo 1999-03", kosovo}, {"Georgia 2008-08", georgia}, {"Crimea 2014-03", crimea}} {
			var h, f []float64
			for _, r := range runs {
				nrc := series(t, m, r, "channel.nrc")
				h, f = append(h, regainTicks(nrc, ev.at, 0.5)), append(f, regainTicks(nrc, ev.at, 0.9))
			}
			t.Logf("%s on channel.nrc: median months to half recovery %.0f, to 90%% of the loss regained %.0f", ev.name, median(h), median(f))
		}
	})

	t.Run("2014 is the deepest break", func(t *testing.T) {
		// Model 2: each militarized crisis of the period suspends most
		// channels, so all three falls are near-total within a year
		// (relative drawdown close to 1); what marks 2014 as the deepest
		// break is how long the channels stay suspended (Crimea, then
		// Donbas): channel-months suspended in the two years after each.
		deepest := 0
		var l14, l99, l08, s14, s99, s08 []float64
		for _, r := range runs {
			coop, susp := series(t, m, r, "cooperation"), series(t, m, r, "suspended_share")
			l99 = append(l99, sim.RelativeDrawdown(coop, kosovo, lossWindow))
			l08 = append(l08, sim.RelativeDrawdown(coop, georgia, lossWindow))
			l14 = append(l14, sim.RelativeDrawdown(coop, crimea, lossWindow))
			a, b, c := sumOver(susp, kosovo, 24), sumOver(susp, georgia, 24), sumOver(susp, crimea, 24)
			s99, s08, s14 = append(s99, a), append(s08, b), append(s14, c)
			if c > a && c > b {
				deepest++
			}
		}
		t.Logf("relative drawdown within a year: Kosovo %.3f, Georgia %.3f, Crimea %.3f", meanOf(l99), meanOf(l08), meanOf(l14))
		t.Logf("suspended share summed over two years: Kosovo %.2f, Georgia %.2f, Crimea %.2f; Crimea longest in %d of %d runs",
			meanOf(s99), meanOf(s08), meanOf(s14), deepest, n)
		if meanOf(l14) < 0.5 {
			t.Errorf("Crimea should take at least half of cooperation within a year: %.3f", meanOf(l14))
		}
		if deepest < n*9/10 {
			t.Errorf("the 2014 suspensions should be the longest of the period in at least 90%% of runs: %d of %d", deepest, n)
		}
	})
}

// pairedCoop runs scenarios a and b (built-ins, each with the reference
// crisis when ref is set) on the same replicate numbers and returns the
// cooperation series of every run of each.
func pairedCoop(t *testing.T, a, b string, ref bool, n int) (ca, cb [][]float64) {
	t.Helper()
	sa, sb := loadBuiltin(t, a), loadBuiltin(t, b)
	if sa.Seed != sb.Seed {
		t.Fatalf("%s and %s must share a seed for common random numbers", a, b)
	}
	if ref {
		withReferenceCrisis(sa)
		withReferenceCrisis(sb)
	}
	ra, ma := runAll(t, sa, n, 2)
	rb, mb := runAll(t, sb, n, 2)
	for i := range ra {
		ca = append(ca, series(t, ma, ra[i], "cooperation"))
		cb = append(cb, series(t, mb, rb[i], "cooperation"))
	}
	return ca, cb
}

// apply returns f of every series.
func apply(f func([]float64) float64, xs [][]float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// refDrawdown and refRegain are the claims' measures after the reference
// crisis (in ticks, which are months in the built-ins).
func refDrawdown(coop []float64) float64 {
	return sim.RelativeDrawdown(coop, referenceTick, lossWindow)
}
func refRegain(coop []float64) float64 { return sim.RecoveryTicks(coop, referenceTick, 0.9) }

func TestClaimDirectionsAtBuiltinSettings(t *testing.T) {
	n := reps(50)

	t.Run("each stake shrinks the drawdown and speeds recovery", func(t *testing.T) {
		for _, s := range []string{"tapi-only", "border-only", "defense-sales-only"} {
			ca, cb := pairedCoop(t, "baseline", s, true, n)
			da, db := apply(refDrawdown, ca), apply(refDrawdown, cb)
			d, se := pairedDiff(da, db)
			t.Logf("%s: relative drawdown %.3f vs baseline %.3f (diff %.3f, se %.4f)", s, meanOf(db), meanOf(da), d, se)
			if !(d < -4*se) {
				t.Errorf("%s should shrink the drawdown after the reference crisis: diff %.4f, se %.4f", s, d, se)
			}
			ra, rb := apply(refRegain, ca), apply(refRegain, cb)
			d, se = pairedDiff(ra, rb)
			t.Logf("%s: %.1f months to regain 90%% vs baseline %.1f (diff %.1f, se %.2f)", s, meanOf(rb), meanOf(ra), d, se)
			if !(d < -3*se) {
				t.Errorf("%s should speed recovery after the reference crisis: diff %.2f months, se %.2f", s, d, se)
			}
		}
	})

	t.Run("three stakes beat each one", func(t *testing.T) {
		for _, s := range []string{"tapi-only", "border-only", "defense-sales-only"} {
			ca, cb := pairedCoop(t, s, "three-stakes", true, n)
			da, db := apply(refDrawdown, ca), apply(refDrawdown, cb)
			d, se := pairedDiff(da, db)
			t.Logf("three-stakes vs %s: relative drawdown %.3f vs %.3f (diff %.3f, se %.4f)", s, meanOf(db), meanOf(da), d, se)
			if !(d < -4*se) {
				t.Errorf("three stakes should shrink the drawdown more than %s alone: diff %.4f, se %.4f", s, d, se)
			}
		}
	})

	t.Run("mil-to-mil push lowers the Russian military stance", func(t *testing.T) {
		ra, ma := runAll(t, loadBuiltin(t, "baseline"), n, 2)
		rb, mb := runAll(t, loadBuiltin(t, "mil2mil-push"), n, 2)
		var xa, xb []float64
		for i := range ra {
			xa = append(xa, meanOf(series(t, ma, ra[i], "ru_military_stance")))
			xb = append(xb, meanOf(series(t, mb, rb[i], "ru_military_stance")))
		}
		d, se := pairedDiff(xa, xb)
		t.Logf("Russian military stance: baseline %.3f, mil2mil-push %.3f (diff %.3f, se %.4f)", meanOf(xa), meanOf(xb), d, se)
		if !(d < -4*se) {
			t.Errorf("pressing mil-to-mil ties should lower the Russian military stance: diff %.4f, se %.4f", d, se)
		}
		// Entrenchment on the channels both share: the headline is a
		// share of activity kept, which rises when the pressed, fragile
		// mil2mil channel shrinks (composition, not entrenchment).
		e, _ := sharedRow(t, "baseline", "mil2mil-push", n, "shared_entrenchment")
		t.Logf("entrenchment on shared channels: baseline %.3f, mil2mil-push %.3f (diff %.4f, se %.4f)", e.MeanA, e.MeanB, e.Mean, e.SE)
		if e.Mean > 2*e.SE {
			t.Errorf("pressing mil-to-mil ties should not raise entrenchment: diff %.4f, se %.4f", e.Mean, e.SE)
		}
	})

	t.Run("waning attention slows recovery", func(t *testing.T) {
		ca, cb := pairedCoop(t, "baseline", "attention-wanes", true, 2*n)
		ra, rb := apply(refRegain, ca), apply(refRegain, cb)
		d, se := pairedDiff(ra, rb)
		t.Logf("months to regain 90%%: baseline %.1f, attention-wanes %.1f (diff %.1f, se %.2f)", meanOf(ra), meanOf(rb), d, se)
		if !(d > 3*se) {
			t.Errorf("waning attention should slow recovery after the reference crisis: diff %.2f, se %.2f", d, se)
		}
	})

	t.Run("no stakes, frequent crises: episodic, never entrenched", func(t *testing.T) {
		runs, _ := runAll(t, loadBuiltin(t, "crisis-prone"), n, 2)
		var setbacks, ratchet, ent []float64
		for _, r := range runs {
			setbacks = append(setbacks, r.Summary[sim.SumSetbacks])
			ratchet = append(ratchet, r.Summary[sim.SumRatchetRatio])
			ent = append(ent, r.Summary[sim.SumFinalEntrenchment])
		}
		t.Logf("crisis-prone: %.1f setbacks, ratchet ratio %.3f, final entrenchment %.3f", meanOf(setbacks), meanOf(ratchet), meanOf(ent))
		// Entrenchment by the stress probe is compared with and without
		// stakes in TestNoStakesFrequentCrisesNeverEntrench; an absolute
		// bound on it belongs to Model 2's freeze sensitivities. Model 2:
		// suspensions make fewer, longer setbacks than Model 1's four or
		// more per run.
		if meanOf(setbacks) < 3 || meanOf(ratchet) > 0.3 {
			t.Errorf("crisis-prone cooperation should be episodic and unentrenched")
		}
	})

	t.Run("the memo's levers shrink the 2014 drawdown", func(t *testing.T) {
		sa, sb := loadBuiltin(t, backcastName), loadBuiltin(t, "memo-levers-2010")
		ra, ma := runAll(t, sa, n, 2)
		rb, mb := runAll(t, sb, n, 2)
		at := patternTick(t, ma, "2014-03")
		var da, db []float64
		for i := range ra {
			ca, cb := series(t, ma, ra[i], "cooperation"), series(t, mb, rb[i], "cooperation")
			da = append(da, sim.RelativeDrawdown(ca, at, lossWindow))
			db = append(db, sim.RelativeDrawdown(cb, at, lossWindow))
		}
		d, se := pairedDiff(da, db)
		t.Logf("2014 relative drawdown: backcast %.3f, memo-levers-2010 %.3f (diff %.3f, se %.4f)", meanOf(da), meanOf(db), d, se)
		if !(d < -4*se) {
			t.Errorf("the memo's levers should shrink the 2014 drawdown: diff %.4f, se %.4f", d, se)
		}
	})
}

// quarterFall is the cooperation lost from the tick before at to two
// ticks after it.
func quarterFall(xs []float64, at int) float64 {
	if at < 1 || at+2 >= len(xs) {
		return math.NaN()
	}
	return xs[at-1] - xs[at+2]
}

// regainTicks is the number of ticks from at until the series, after its
// trough within a year of at, has regained frac of the loss (level before
// minus that trough); censored at the end of the series.
func regainTicks(xs []float64, at int, frac float64) float64 {
	low, lowAt := math.Inf(1), at
	for t := at; t <= at+lossWindow && t < len(xs); t++ {
		if xs[t] < low {
			low, lowAt = xs[t], t
		}
	}
	goal := low + frac*(xs[at-1]-low)
	for t := lowAt; t < len(xs); t++ {
		if xs[t] >= goal {
			return float64(t - at)
		}
	}
	return float64(len(xs) - at)
}

// sumOver sums xs over ticks at..at+n-1 (clipped).
func sumOver(xs []float64, at, n int) float64 {
	s := 0.0
	for t := at; t < at+n && t < len(xs); t++ {
		s += xs[t]
	}
	return s
}

// median is the middle value of xs (mean of the two middle ones).
func median(xs []float64) float64 {
	ys := append([]float64(nil), xs...)
	sort.Float64s(ys)
	n := len(ys)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return ys[n/2]
	}
	return (ys[n/2-1] + ys[n/2]) / 2
}
