package claims

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// Defaults of Settings.
const (
	// DefaultRuns is the number of replicates per scenario when
	// Settings.Runs is zero.
	DefaultRuns = 200
	// DefaultSeed is the master seed when Settings.Seed is zero: the
	// month of the memo, June 2011.
	DefaultSeed uint64 = 20110601
	// SupportedShare is the share of robustness draws in which a test
	// must hold for "supported" (below it: "fragile").
	SupportedShare = 0.8
)

// Settings configure Run. The zero value runs the Catalogue with
// DefaultRuns replicates on all cores with DefaultSeed.
type Settings struct {
	// Runs is the number of replicates per scenario, at least 2. Zero
	// means DefaultRuns.
	Runs int
	// Workers is the number of parallel goroutines per batch; zero or
	// less means all cores. Results do not depend on it.
	Workers int
	// Seed is the master seed given to every scenario, so that all
	// scenarios of a test share their random streams (common random
	// numbers). Zero means DefaultSeed.
	Seed uint64
	// Sets are key.path=value overrides applied to every scenario before
	// a test's placebo switches (as `run --set`). Nil: none.
	Sets []string
	// Tests are the tests to run; nil means Catalogue().
	Tests []Test
	// Figures keeps the aggregates of the scenarios run without a
	// placebo, for Report.WriteFigures (memory grows with Runs).
	Figures bool
	// Progress, if not nil, is called before each scenario runs with its
	// key, its position (from 1) and the number of scenarios.
	Progress func(what string, i, n int)
	// Particles, if not nil, run every scenario as a posterior ensemble
	// (a calibration's posterior.csv, see package calibrate): each
	// replicate runs the scenario with the overrides of one particle,
	// drawn by ParticleWeights on a stream of its own, so that the
	// scenarios of a test still pair on the same particle and the same
	// crises. A particle's overrides are applied after Sets and before a
	// test's placebo switches. Nil: the scenarios' own coefficients.
	Particles [][]scenarios.Override
	// ParticleWeights are the particles' weights (positive); required
	// with Particles, of the same length.
	ParticleWeights []float64
}

// Direction says on which side of its bound a test's estimate must lie.
type Direction int

const (
	// Increase: the lower end of the 95% interval above Bound.
	Increase Direction = iota
	// Decrease: the upper end of the 95% interval below Bound.
	Decrease
	// Band: the whole interval inside [BandLo, BandHi] (two-sided).
	Band
)

// Test is one test of a claim, declared before any run: its measure, its
// comparison, its placebo, and its rule with the bound that matters.
//
// Without a placebo the deciding estimate is the mean of the measure in A
// (B empty) or the mean paired difference B−A. With a placebo it is the
// mechanism's effect: (B−A) − (B′−A′), or A − A′ for one scenario, where
// X′ is X with the placebo switches, paired per replicate on common
// random numbers. The placebo world is the same comparison with the
// mechanism switched off (A′ = A when A has nothing the switch touches).
type Test struct {
	// ID names the test, e.g. "4.tapi-only.drawdown".
	ID string
	// Claim is the number of the claim.
	Claim int
	// A is the scenario compared from; B the scenario compared to, its
	// Name empty for a test of A alone.
	A, B Scenario
	// Measure is the per-replicate quantity.
	Measure Measure
	// Placebo are the key=value switches that turn the mechanism off;
	// nil for a descriptive test. Mechanism says what they switch off.
	Placebo   []string
	Mechanism string
	// Direction, Bound (Increase, Decrease) or BandLo, BandHi (Band) are
	// the rule; Why says why the bound is the smallest effect that
	// matters.
	Direction      Direction
	Bound          float64
	BandLo, BandHi float64
	Why            string
}

// Paired reports whether the test compares two scenarios.
func (t Test) Paired() bool { return t.B.Name != "" }

// Rule returns the decision rule in words.
func (t Test) Rule() string {
	what := "mean"
	switch {
	case t.Placebo != nil && t.Paired():
		what = "(B−A)−(B′−A′)"
	case t.Placebo != nil:
		what = "A−A′"
	case t.Paired():
		what = "B−A"
	}
	switch t.Direction {
	case Increase:
		return fmt.Sprintf("CI of %s > %s", what, formatNum(t.Bound))
	case Decrease:
		return fmt.Sprintf("CI of %s < %s", what, formatNum(t.Bound))
	}
	return fmt.Sprintf("CI of %s in [%s, %s]", what, formatNum(t.BandLo), formatNum(t.BandHi))
}

// comparative reports whether the test's estimate is an effect (a
// difference) claimed away from zero, so that an interval on the other
// side of zero contradicts it.
func (t Test) comparative() bool {
	if !t.Paired() && t.Placebo == nil {
		return false
	}
	return (t.Direction == Increase && t.Bound >= 0) || (t.Direction == Decrease && t.Bound <= 0)
}

// holds applies the rule to an interval; an undefined one holds nothing.
func (t Test) holds(lo, hi float64) bool {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return false
	}
	switch t.Direction {
	case Increase:
		return lo > t.Bound
	case Decrease:
		return hi < t.Bound
	}
	return lo > t.BandLo && hi < t.BandHi
}

// pointHolds applies the rule to a point estimate (robustness draws).
func (t Test) pointHolds(x float64) bool { return t.holds(x, x) }

// contradicts reports whether an interval says the opposite: for an
// effect, significantly on the other side of zero; for a level, entirely
// on the other side of the bound (or outside the band).
func (t Test) contradicts(lo, hi float64) bool {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return false
	}
	ref := t.Bound
	if t.comparative() {
		ref = 0
	}
	switch t.Direction {
	case Increase:
		return hi < ref
	case Decrease:
		return lo > ref
	}
	return hi < t.BandLo || lo > t.BandHi
}

// worlds returns the scenarios the test runs: A, B (if paired), A′, B′
// (with a placebo), in that order, nil where absent.
func (t Test) worlds(sets []scenarios.Override) ([4]*world, error) {
	var ws [4]*world
	pl, err := parseOverrides(t.Placebo)
	if err != nil {
		return ws, fmt.Errorf("claims: test %s: placebo: %w", t.ID, err)
	}
	ws[0] = &world{sc: t.A}
	if t.Paired() {
		ws[1] = &world{sc: t.B}
	}
	if t.Placebo != nil {
		ws[2] = &world{sc: t.A, placebo: pl}
		if t.Paired() {
			ws[3] = &world{sc: t.B, placebo: pl}
		}
	}
	return ws, nil
}

// Verdicts of a test and of a claim, from the strongest to the weakest.
const (
	VerdictSupported    = "supported"
	VerdictDefaultsOnly = "holds at the defaults (robustness not run)"
	VerdictFragile      = "fragile"
	VerdictConstruction = "holds by construction"
	VerdictNotSupported = "not supported"
	VerdictContradicted = "contradicted"
	VerdictNotRun       = "not run"
)

// verdictRank orders verdicts from the best to the worst; a claim takes
// the worst verdict of its tests.
var verdictRank = []string{VerdictSupported, VerdictDefaultsOnly, VerdictFragile, VerdictConstruction, VerdictNotSupported, VerdictContradicted, VerdictNotRun}

// Robustness is how often a test holds over coefficient draws.
type Robustness struct {
	// Sets counts the draws where the test could be estimated; Holds
	// those where its point estimate meets the rule; Significant those
	// where its interval does (at the reduced replicates of the draws).
	Sets, Holds, Significant int
	// Share is Holds/Sets with its 95% Wilson interval [Lo, Hi].
	Share, Lo, Hi float64
}

// Result is a test with its estimates and verdict.
type Result struct {
	Test
	// NotRun says why the test could not be run on this model (a
	// scenario, switch or series it lacks); empty when it ran.
	NotRun string
	// Channels are the channels its measure read (shared by all its
	// scenarios), nil for a measure that reads none.
	Channels []string
	// Raw is the comparison in the model as it is: B−A, or A's mean.
	Raw estimate.Difference
	// PlaceboEst is the same comparison with the placebo switches: B′−A′,
	// or A′'s mean; N = 0 without a placebo.
	PlaceboEst estimate.Difference
	// Effect is the deciding estimate: Raw − Placebo paired per
	// replicate with a placebo (MeanA the placebo's, MeanB the raw
	// comparison's mean), Raw without.
	Effect estimate.Difference
	// Holds: Effect's interval meets the rule. RawHolds, PlaceboHolds:
	// Raw's and Placebo's do.
	Holds, RawHolds, PlaceboHolds bool
	// Contradicted: Effect's interval says the opposite.
	Contradicted bool
	// Robust is the robustness over coefficient draws; nil when not run.
	Robust *Robustness
	// Verdict is one of the Verdict constants.
	Verdict string
}

// verdict sets r.Verdict from the estimates at the defaults and the
// robustness, if any.
func (r *Result) verdict() {
	switch {
	case r.NotRun != "":
		r.Verdict = VerdictNotRun
	case r.Contradicted:
		r.Verdict = VerdictContradicted
	case r.PlaceboEst.N > 0 && !r.Holds && r.RawHolds && r.PlaceboHolds:
		r.Verdict = VerdictConstruction
	case !r.Holds:
		r.Verdict = VerdictNotSupported
	case r.Robust == nil:
		r.Verdict = VerdictDefaultsOnly
	case r.Robust.Sets > 0 && r.Robust.Share >= SupportedShare:
		r.Verdict = VerdictSupported
	default:
		r.Verdict = VerdictFragile
	}
}

// Claim is one claim with the results of its tests.
type Claim struct {
	// Number is the claim's number, from 1.
	Number int
	// Text states the claim.
	Text string
	// Results holds its tests, in catalogue order.
	Results []Result
	// Verdict is the worst verdict of its tests that ran (see
	// verdictRank), VerdictNotRun when none ran.
	Verdict string
}

// Report is the outcome of Run.
type Report struct {
	// Runs and Seed are the replicates per scenario and the master seed;
	// Sets the overrides applied to every scenario.
	Runs int
	Seed uint64
	Sets []string
	// Claims in order.
	Claims []Claim
	// Failed counts failed replicates over all scenarios; they are left
	// out of every estimate.
	Failed int
	// RobustSets is the number of coefficient draws of the robustness
	// results (0 when not run), RobustRuns their replicates per scenario.
	RobustSets, RobustRuns int

	// aggs holds the aggregate of every scenario run without placebo, by
	// Scenario.Key, for the figures (with Settings.Figures).
	aggs map[string]*sim.Aggregate
	scs  map[string]*scenarios.Scenario
}

// ErrSettings marks invalid Settings.
var ErrSettings = errors.New("claims: invalid settings")

func (s *Settings) normalize() error {
	if s.Runs == 0 {
		s.Runs = DefaultRuns
	}
	if s.Runs < 2 {
		return fmt.Errorf("%w: runs must be at least 2 for an interval, got %d", ErrSettings, s.Runs)
	}
	if s.Seed == 0 {
		s.Seed = DefaultSeed
	}
	if s.Tests == nil {
		s.Tests = Catalogue()
	}
	// The overrides must apply to the baseline: a bad key or value is the
	// user's error, not a test this model cannot run.
	ovs, err := parseOverrides(s.Sets)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSettings, err)
	}
	if _, err := scenarios.LoadBuiltin(Baseline, ovs); err != nil {
		return fmt.Errorf("%w: --set: %w", ErrSettings, err)
	}
	return nil
}

// Run runs every scenario the tests need, with s.Runs replicates each on
// the same replicate numbers (common random numbers), and decides each
// test by its rule. A test whose scenario, switch or series this model
// lacks is reported as not run; the others go on. It returns ErrSettings
// for bad settings or overrides, and sim.ErrInterrupted (wrapped) when
// ctx is cancelled.
func Run(ctx context.Context, s Settings) (*Report, error) {
	if err := s.normalize(); err != nil {
		return nil, err
	}
	sets, err := parseOverrides(s.Sets)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSettings, err)
	}
	rep := &Report{Runs: s.Runs, Seed: s.Seed, Sets: s.Sets}
	b := &batchRunner{runs: s.Runs, workers: s.Workers, seed: s.Seed, sets: sets, progress: s.Progress,
		particles: s.Particles, weights: s.ParticleWeights}
	if s.Figures {
		rep.aggs, rep.scs = map[string]*sim.Aggregate{}, map[string]*scenarios.Scenario{}
		b.keep = func(w *world, a *sim.Aggregate, sc *scenarios.Scenario) {
			if len(w.placebo) == 0 {
				rep.aggs[w.sc.Key()], rep.scs[w.sc.Key()] = a, sc
			}
		}
	}
	results, err := b.run(ctx, s.Tests, 0)
	if err != nil {
		return nil, err
	}
	rep.Failed = b.failed
	for i := range results {
		results[i].verdict()
	}
	rep.Claims = group(results)
	return rep, nil
}

// group collects results by claim and sets each claim's verdict.
func group(results []Result) []Claim {
	var cl []Claim
	for _, r := range results {
		i := slices.IndexFunc(cl, func(c Claim) bool { return c.Number == r.Claim })
		if i < 0 {
			text := ""
			if r.Claim >= 1 && r.Claim <= len(ClaimTexts) {
				text = ClaimTexts[r.Claim-1]
			}
			cl = append(cl, Claim{Number: r.Claim, Text: text})
			i = len(cl) - 1
		}
		cl[i].Results = append(cl[i].Results, r)
	}
	for i := range cl {
		cl[i].setVerdict()
	}
	return cl
}

func (c *Claim) setVerdict() {
	worst := -1
	for _, r := range c.Results {
		if r.Verdict == VerdictNotRun {
			continue
		}
		worst = max(worst, slices.Index(verdictRank, r.Verdict))
	}
	if worst < 0 {
		c.Verdict = VerdictNotRun
		return
	}
	c.Verdict = verdictRank[worst]
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

// firstLine returns the first line of an error message, trimmed.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}
