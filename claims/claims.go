package claims

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
	"github.com/entrench/entrench/study"
)

// Defaults of Settings.
const (
	// DefaultRuns is the number of replicates per scenario when
	// Settings.Runs is zero.
	DefaultRuns = 200
	// DefaultSeed is the master seed when Settings.Seed is zero: the
	// month of the memo, June 2011.
	DefaultSeed uint64 = 20110601
)

// Reference crisis added to both scenarios of the tests that measure
// resistance to a crisis shock (Test.Reference).
const (
	// ReferenceTick is the tick of the reference crisis: eight years into
	// a 15-year run, when slow stakes (pipeline, follow-on contracts) have
	// had time to build.
	ReferenceTick = 96
	// ReferenceSeverity is the reference crisis's severity (Model 1's
	// metrics.reference_severity default, kept when the stress probe
	// replaced that setting, so the claims' tests are unchanged).
	ReferenceSeverity = 0.7
	// ReferenceWindow is how many ticks after a crisis its drawdown is
	// measured (the lowest point in the crisis tick and the next
	// ReferenceWindow ticks).
	ReferenceWindow = 12
	// RecoveredFraction is the share of its pre-crisis level cooperation
	// must regain to count as recovered.
	RecoveredFraction = 0.9
)

// Settings configure Run. The zero value runs DefaultRuns replicates on
// all cores with DefaultSeed.
type Settings struct {
	// Runs is the number of replicates per scenario, at least 2. Zero
	// means DefaultRuns.
	Runs int
	// Workers is the number of parallel goroutines per batch; zero or
	// less means all cores. Results do not depend on it.
	Workers int
	// Seed is the master seed given to every scenario, so that the two
	// scenarios of a comparison share their random streams (common random
	// numbers). Zero means DefaultSeed.
	Seed uint64
	// Progress, if not nil, is called before each comparison starts with
	// a short description, its position (from 1) and the number of
	// comparisons.
	Progress func(what string, i, n int)
}

// Direction says on which side of its threshold a test's estimate must lie
// for the claim to be supported.
type Direction int

const (
	// Below: supported when the upper end of the 95% interval is below
	// the threshold.
	Below Direction = iota
	// Above: supported when the lower end of the 95% interval is above
	// the threshold.
	Above
)

// String returns "<" or ">".
func (d Direction) String() string {
	if d == Above {
		return ">"
	}
	return "<"
}

// Test is one pre-declared test of a claim: a measure of scenario A alone
// (B empty) or of the paired difference B-A, and the side of a threshold
// its 95% interval must lie on.
type Test struct {
	// Claim is the number of the claim the test belongs to.
	Claim int
	// A and B are built-in scenario names. B is empty for a test of one
	// scenario.
	A, B string
	// Reference adds a reference crisis to A and B (at ReferenceTick, on
	// every channel, of severity ReferenceSeverity), with
	// their random crises left as they are.
	Reference bool
	// Measure is the per-replicate quantity.
	Measure Measure
	// Direction and Threshold are the decision rule: the interval of the
	// mean (one scenario) or of the mean difference B-A (two) must lie
	// entirely below (or above) Threshold.
	Direction Direction
	Threshold float64
}

// Rule returns the decision rule in words, e.g. "CI of B-A < 0".
func (t Test) Rule() string {
	what := "B-A"
	if t.B == "" {
		what = "mean"
	}
	return fmt.Sprintf("95%% CI of %s %s %s", what, t.Direction, formatNum(t.Threshold))
}

// Result is a test with its estimate and verdict.
type Result struct {
	Test
	// Difference is the estimate: the mean of the measure in A for a
	// one-scenario test (MeanB NaN), the mean paired difference B-A for a
	// comparison, each with its interval at level sim.Confidence.
	estimate.Difference
	// Supported is true when the estimate's 95% interval lies entirely on
	// the claimed side of the threshold.
	Supported bool
}

// Verdicts of a claim.
const (
	VerdictSupported    = "supported"
	VerdictPartly       = "partly supported"
	VerdictNotSupported = "not supported"
)

// Claim is one of the memo's claims with the results of its tests.
type Claim struct {
	// Number is the claim's number, from 1.
	Number int
	// Text states the claim.
	Text string
	// Results holds its tests, in the order of Tests.
	Results []Result
	// Verdict is VerdictSupported when every test supports the claim,
	// VerdictNotSupported when none does, VerdictPartly otherwise.
	Verdict string
}

// Report is the outcome of Run.
type Report struct {
	// Runs and Seed are the replicates per scenario and the master seed.
	Runs int
	Seed uint64
	// Claims in order.
	Claims []Claim
	// Failed counts failed replicates over all batches; they are left
	// out of every estimate.
	Failed int

	// aggs holds the aggregate of every scenario run, by key (see
	// scenarioKey), for the figures; diffs the paired-difference
	// aggregates by comparison key; scs the scenarios as run.
	aggs  map[string]*sim.Aggregate
	diffs map[string]*sim.Aggregate
	scs   map[string]*scenarios.Scenario
}

// ClaimTexts are the claims, by number from 1.
var ClaimTexts = []string{
	"Without stakes, cooperation is episodic: repeated setbacks, a ratchet ratio well below 1, no entrenchment.",
	"Each of the three stakes (Gazprom in TAPI, border and counternarcotics, defense sales) raises resistance to crisis shocks: a smaller drawdown after a reference crisis and a faster recovery.",
	"The three stakes together do more than any one of them.",
	"Pressing military-to-military ties lowers cooperation in the Russian military and does not entrench it.",
	"Waning US attention brings back the forward-and-backward dance: more setbacks, a lower ratchet ratio, slower recovery.",
	"In the backcast, cooperation freezes at Kosovo 1999 and Georgia 2008 and recovers within about two years, and 2014 is the deepest fall of the period; the memo's 2010 levers make the 2014 drawdown smaller.",
}

// Dated events of the backcast that claim 6 measures.
var (
	kosovo  = mustMonth("1999-03")
	georgia = mustMonth("2008-08")
	crimea  = mustMonth("2014-03")
)

// summaryMeasure returns a Measure reading summary metric i of a run.
func summaryMeasure(i int, unit string) Measure {
	return Measure{Name: sim.SummaryNames[i], Label: sim.SummaryLabels[i], Unit: unit,
		Value: func(_ *sim.Model, r *sim.RunResult) float64 { return r.Summary[i] }}
}

// refDrawdown is the relative drawdown of cooperation after the reference
// crisis.
var refDrawdown = Measure{
	Name: "relative_drawdown_reference", Label: "Relative drawdown after the reference crisis", Unit: "share",
	Value: func(m *sim.Model, r *sim.RunResult) float64 {
		return sim.RelativeDrawdown(metricSeries(m, r, "cooperation"), ReferenceTick, ReferenceWindow)
	},
}

// refRecovery is the number of months cooperation takes to regain 90% of
// its level before the reference crisis.
var refRecovery = Measure{
	Name: "recovery_months_reference", Label: "Months to regain 90% after the reference crisis", Unit: "months",
	Value: func(m *sim.Model, r *sim.RunResult) float64 {
		return sim.RecoveryTicks(metricSeries(m, r, "cooperation"), ReferenceTick, RecoveredFraction) * float64(m.Scenario.TickMonths)
	},
}

// meanOfMetric is the mean over all ticks of a per-tick metric.
func meanOfMetric(name, label string) Measure {
	return Measure{Name: "mean_" + name, Label: label, Unit: "0-1",
		Value: func(m *sim.Model, r *sim.RunResult) float64 {
			return sim.MeanLevel(metricSeries(m, r, name)) // NaN without the metric
		}}
}

// eventMeasure builds a measure of the cooperation series around month d.
func eventMeasure(name, label, unit string, d scenarios.Month, f func(xs []float64, at int, tickMonths int) float64) Measure {
	return Measure{Name: name, Label: label, Unit: unit,
		Value: func(m *sim.Model, r *sim.RunResult) float64 {
			at := tickOf(m, d)
			if at < 1 {
				return math.NaN()
			}
			return f(metricSeries(m, r, "cooperation"), at, m.Scenario.TickMonths)
		}}
}

func fall(xs []float64, at, _ int) float64 { return sim.MonthFall(xs, at) }

func recovery(xs []float64, at, tm int) float64 {
	return sim.RecoveryTicks(xs, at, RecoveredFraction) * float64(tm)
}

func relDrawdown(xs []float64, at, _ int) float64 {
	return sim.RelativeDrawdown(xs, at, ReferenceWindow)
}

// deepest2014 is the cooperation lost to the 2014 crises minus the larger
// of the losses to Kosovo 1999 and Georgia 2008 (each: the level before
// the event minus the lowest point in the next ReferenceWindow months).
var deepest2014 = Measure{
	Name: "drawdown_2014_minus_largest_earlier", Label: "2014 drawdown minus the larger of 1999 and 2008", Unit: "0-1",
	Value: func(m *sim.Model, r *sim.RunResult) float64 {
		xs := metricSeries(m, r, "cooperation")
		k, g, c := tickOf(m, kosovo), tickOf(m, georgia), tickOf(m, crimea)
		if k < 1 || g < 1 || c < 1 {
			return math.NaN()
		}
		return sim.Drawdown(xs, c, ReferenceWindow) - math.Max(sim.Drawdown(xs, k, ReferenceWindow), sim.Drawdown(xs, g, ReferenceWindow))
	},
}

// Single-stake scenarios of claims 2 and 3.
var stakeScenarios = []string{"tapi-only", "border-only", "defense-sales-only"}

// Tests returns every pre-declared test, claim by claim. The scenarios,
// measures and thresholds are fixed here, before any run.
func Tests() []Test {
	var ts []Test
	// 1. Episodic cooperation without stakes (one scenario, thresholds).
	ts = append(ts,
		Test{Claim: 1, A: "crisis-prone", Measure: summaryMeasure(sim.SumSetbacks, ""), Direction: Above, Threshold: 3},
		Test{Claim: 1, A: "crisis-prone", Measure: summaryMeasure(sim.SumRatchetRatio, "ratio"), Direction: Below, Threshold: 0.5},
		Test{Claim: 1, A: "crisis-prone", Measure: summaryMeasure(sim.SumFinalEntrenchment, "share"), Direction: Below, Threshold: 0.1},
	)
	// 2. Each stake against the baseline, with a reference crisis.
	for _, s := range stakeScenarios {
		ts = append(ts,
			Test{Claim: 2, A: "baseline", B: s, Reference: true, Measure: refDrawdown, Direction: Below},
			Test{Claim: 2, A: "baseline", B: s, Reference: true, Measure: refRecovery, Direction: Below},
		)
	}
	// 3. The three together against each one alone.
	for _, s := range stakeScenarios {
		ts = append(ts, Test{Claim: 3, A: s, B: "three-stakes", Reference: true, Measure: refDrawdown, Direction: Below})
	}
	// 4. Mil-to-mil pressure: lower Russian military stance, no gain in
	// entrenchment or mil-to-mil activity (margin: one percentage point).
	ts = append(ts,
		Test{Claim: 4, A: "baseline", B: "mil2mil-push", Measure: summaryMeasure(sim.SumMeanRuMilitary, "0-1"), Direction: Below},
		Test{Claim: 4, A: "baseline", B: "mil2mil-push", Measure: summaryMeasure(sim.SumFinalRuMilitary, "0-1"), Direction: Below},
		Test{Claim: 4, A: "baseline", B: "mil2mil-push", Measure: summaryMeasure(sim.SumFinalEntrenchment, "share"), Direction: Below, Threshold: 0.01},
		Test{Claim: 4, A: "baseline", B: "mil2mil-push", Measure: meanOfMetric("channel.mil2mil", "Mean mil-to-mil activity"), Direction: Below, Threshold: 0.01},
	)
	// 5. Waning attention against the baseline, with a reference crisis.
	ts = append(ts,
		Test{Claim: 5, A: "baseline", B: "attention-wanes", Reference: true, Measure: summaryMeasure(sim.SumSetbacks, ""), Direction: Above},
		Test{Claim: 5, A: "baseline", B: "attention-wanes", Reference: true, Measure: summaryMeasure(sim.SumRatchetRatio, "ratio"), Direction: Below},
		Test{Claim: 5, A: "baseline", B: "attention-wanes", Reference: true, Measure: refRecovery, Direction: Above},
	)
	// 6. The backcast's stylized facts, and the memo's counterfactual.
	const bc, ml = "backcast-1997-2016", "memo-levers-2010"
	ts = append(ts,
		Test{Claim: 6, A: bc, Measure: eventMeasure("fall_kosovo_1999", "Cooperation lost in the month of Kosovo (1999-03)", "share", kosovo, fall), Direction: Above, Threshold: 0.2},
		Test{Claim: 6, A: bc, Measure: eventMeasure("fall_georgia_2008", "Cooperation lost in the month of Georgia (2008-08)", "share", georgia, fall), Direction: Above, Threshold: 0.2},
		Test{Claim: 6, A: bc, Measure: eventMeasure("recovery_months_kosovo", "Months to regain 90% after Kosovo", "months", kosovo, recovery), Direction: Below, Threshold: 30},
		Test{Claim: 6, A: bc, Measure: eventMeasure("recovery_months_georgia", "Months to regain 90% after Georgia", "months", georgia, recovery), Direction: Below, Threshold: 30},
		Test{Claim: 6, A: bc, Measure: deepest2014, Direction: Above},
		Test{Claim: 6, A: bc, B: ml, Measure: eventMeasure("relative_drawdown_2014", "Relative drawdown after Crimea (2014-03..12)", "share", crimea, relDrawdown), Direction: Below},
	)
	return ts
}

// scenarioKey names a scenario as run: its name, with "+ref" when a
// reference crisis was added.
func scenarioKey(name string, ref bool) string {
	if ref {
		return name + "+ref"
	}
	return name
}

// comparison is one batch: A alone, or A and B on common random numbers,
// with the tests it serves.
type comparison struct {
	a, b  string
	ref   bool
	tests []int // indices into the test list
}

func (c *comparison) key() string { return scenarioKey(c.a, c.ref) + " vs " + scenarioKey(c.b, c.ref) }

// plan groups tests by the batch they need, in order of first use. A
// one-scenario test rides on a comparison whose A is the same scenario (with
// the same reference-crisis setting) when there is one: replicate r of A is
// the same run whichever batch computes it.
func plan(ts []Test) []*comparison {
	var cs []*comparison
	idx := map[string]*comparison{}
	get := func(a, b string, ref bool) *comparison {
		k := fmt.Sprintf("%s|%s|%v", a, b, ref)
		c, ok := idx[k]
		if !ok {
			c = &comparison{a: a, b: b, ref: ref}
			idx[k] = c
			cs = append(cs, c)
		}
		return c
	}
	for _, t := range ts {
		if t.B != "" {
			get(t.A, t.B, t.Reference)
		}
	}
	for i, t := range ts {
		var c *comparison
		if t.B != "" {
			c = get(t.A, t.B, t.Reference)
		} else {
			for _, x := range cs {
				if x.a == t.A && x.ref == t.Reference {
					c = x
					break
				}
			}
			if c == nil {
				c = get(t.A, "", t.Reference)
			}
		}
		c.tests = append(c.tests, i)
	}
	// Batches in the order of their first test.
	first := func(c *comparison) int { return c.tests[0] }
	slices.SortStableFunc(cs, func(x, y *comparison) int { return first(x) - first(y) })
	return cs
}

// ErrSettings marks invalid Settings.
var ErrSettings = errors.New("claims: invalid settings")

// load loads a built-in scenario with the shared seed, adding the
// reference crisis when ref is set.
func load(name string, seed uint64, runs int, ref bool) (*scenarios.Scenario, error) {
	sc, err := scenarios.LoadBuiltin(name, nil)
	if err != nil {
		return nil, err
	}
	sc.Seed, sc.Runs = seed, runs
	if ref {
		if sc.Horizon < ReferenceTick+ReferenceWindow {
			return nil, fmt.Errorf("claims: scenario %s is too short (%d ticks) for a reference crisis at tick %d", name, sc.Horizon, ReferenceTick)
		}
		sc.Events = append(sc.Events, scenarios.Event{
			Date: sc.DateOf(ReferenceTick), Name: "reference crisis", Kind: scenarios.EventCrisis,
			Channels: []string{"all"}, Sides: []string{"all"}, Severity: ReferenceSeverity,
			Source: "claims: the same reference crisis in both scenarios of a comparison",
		})
	}
	return sc, nil
}

// Run runs every comparison the tests need, with s.Runs replicates of each
// scenario on the same replicate numbers, and decides each test by its
// rule. It returns ErrSettings for bad settings, and sim.ErrInterrupted
// (wrapped) when ctx is cancelled.
func Run(ctx context.Context, s Settings) (*Report, error) {
	return run(ctx, s, Tests())
}

func run(ctx context.Context, s Settings, ts []Test) (*Report, error) {
	if s.Runs == 0 {
		s.Runs = DefaultRuns
	}
	if s.Runs < 2 {
		return nil, fmt.Errorf("%w: runs must be at least 2 for an interval, got %d", ErrSettings, s.Runs)
	}
	if s.Seed == 0 {
		s.Seed = DefaultSeed
	}
	rep := &Report{Runs: s.Runs, Seed: s.Seed,
		aggs: map[string]*sim.Aggregate{}, diffs: map[string]*sim.Aggregate{}, scs: map[string]*scenarios.Scenario{}}
	results := make([]Result, len(ts))
	cs := plan(ts)
	for ci, c := range cs {
		if s.Progress != nil {
			what := scenarioKey(c.a, c.ref)
			if c.b != "" {
				what = c.key()
			}
			s.Progress(what, ci+1, len(cs))
		}
		measures := make([]Measure, len(c.tests))
		for k, ti := range c.tests {
			measures[k] = ts[ti].Measure
		}
		sca, err := load(c.a, s.Seed, s.Runs, c.ref)
		if err != nil {
			return nil, err
		}
		ma, err := sim.Compile(sca)
		if err != nil {
			return nil, err
		}
		sa := newReplicateSink(ma, measures, 0, s.Runs)
		var sb *replicateSink
		ka := scenarioKey(c.a, c.ref)
		if c.b == "" {
			res, err := study.Run(ctx, ma, study.Settings{Workers: s.Workers, Sinks: []sim.Sink{sa}})
			if err != nil {
				return nil, fmt.Errorf("claims: %s: %w", ka, err)
			}
			rep.Failed += res.Report.Failed
			rep.keep(ka, res.Aggregate, sca)
		} else {
			scb, err := load(c.b, s.Seed, s.Runs, c.ref)
			if err != nil {
				return nil, err
			}
			mb, err := sim.Compile(scb)
			if err != nil {
				return nil, err
			}
			sb = newReplicateSink(mb, measures, 0, s.Runs)
			res, err := study.Compare(ctx, ma, mb, study.Settings{Workers: s.Workers, Sinks: []sim.Sink{sa}, SinksB: []sim.Sink{sb}})
			if err != nil {
				return nil, fmt.Errorf("claims: %s: %w", c.key(), err)
			}
			cmp := res.Comparison
			rep.Failed += res.Report.Failed
			rep.keep(ka, cmp.A, sca)
			rep.keep(scenarioKey(c.b, c.ref), cmp.B, scb)
			rep.diffs[c.key()] = cmp.Diff
		}
		for k, ti := range c.tests {
			t := ts[ti]
			var e estimate.Difference
			if t.B == "" {
				e = estimate.Single(sa.vals[k], sim.Confidence)
			} else {
				e = estimate.Paired(sa.vals[k], sb.vals[k], sim.Confidence)
			}
			results[ti] = Result{Test: t, Difference: e, Supported: decide(t, e.Estimate)}
		}
	}
	rep.Claims = group(results)
	return rep, nil
}

// keep stores the first aggregate seen for a scenario key.
func (r *Report) keep(key string, a *sim.Aggregate, sc *scenarios.Scenario) {
	if _, ok := r.aggs[key]; !ok {
		r.aggs[key] = a
		r.scs[key] = sc
	}
}

// decide applies a test's rule to its estimate. An undefined interval
// (fewer than two replicates) supports nothing.
func decide(t Test, e estimate.Estimate) bool {
	if math.IsNaN(e.Lo) || math.IsNaN(e.Hi) {
		return false
	}
	if t.Direction == Above {
		return e.Lo > t.Threshold
	}
	return e.Hi < t.Threshold
}

// group collects results by claim and sets each claim's verdict.
func group(results []Result) []Claim {
	var cl []Claim
	for _, r := range results {
		if len(cl) == 0 || cl[len(cl)-1].Number != r.Claim {
			text := ""
			if r.Claim >= 1 && r.Claim <= len(ClaimTexts) {
				text = ClaimTexts[r.Claim-1]
			}
			cl = append(cl, Claim{Number: r.Claim, Text: text})
		}
		c := &cl[len(cl)-1]
		c.Results = append(c.Results, r)
	}
	for i := range cl {
		n := 0
		for _, r := range cl[i].Results {
			if r.Supported {
				n++
			}
		}
		switch n {
		case len(cl[i].Results):
			cl[i].Verdict = VerdictSupported
		case 0:
			cl[i].Verdict = VerdictNotSupported
		default:
			cl[i].Verdict = VerdictPartly
		}
	}
	return cl
}

// formatNum formats a number compactly for tables.
func formatNum(x float64) string {
	switch {
	case math.IsNaN(x):
		return "-"
	case x == math.Trunc(x) && math.Abs(x) < 1e6:
		return fmt.Sprintf("%.0f", x)
	case math.Abs(x) >= 100:
		return fmt.Sprintf("%.1f", x)
	case math.Abs(x) >= 10:
		return fmt.Sprintf("%.2f", x)
	default:
		return fmt.Sprintf("%.3f", x)
	}
}
