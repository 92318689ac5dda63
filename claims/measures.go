package claims

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// ActiveLevel is the mean activity at which a channel counts as active in
// a scenario: at the tick before the reference crisis for tests with one,
// over the whole run otherwise (mean over replicates).
const ActiveLevel = 0.01

// Selector says which channels a measure reads.
type Selector int

// Channel selectors. "Shared" channels are active (ActiveLevel) in every
// scenario of the test, placebos included, so that adding a channel
// cannot produce an effect by averaging.
const (
	NoChannels Selector = iota
	// SharedChannels: every shared channel.
	SharedChannels
	// SharedPractical: shared channels other than political and
	// mil-to-mil ones (the practical work of claim 5).
	SharedPractical
	// SharedAfghan: shared Afghan channels (transit, counternarcotics,
	// border security), which the TAPI stake reaches by lobbying.
	SharedAfghan
)

// String names the selection, e.g. "shared channels".
func (s Selector) String() string {
	return [...]string{"", "shared channels", "shared practical channels", "shared Afghan channels"}[s]
}

// Channel kinds by role.
var (
	politicalKinds = []string{"political", "mil_to_mil"}
	afghanKinds    = []string{"afghan_transit", "counternarcotics", "border_security"}
)

// Measure is a per-replicate quantity computed from one run.
type Measure struct {
	// Name is the machine name used in claims.csv.
	Name string
	// Label is the human label used in claims.md.
	Label string
	// Unit is a short unit, e.g. "share" or "months".
	Unit string
	// Channels selects the channels the measure reads.
	Channels Selector
	// Series names the per-tick series the measure reads ("channel.*"
	// and "entrenchment.channel.*" stand for those of its channels); a
	// test whose model lacks one is reported as not run.
	Series []string
	// Summaries names the per-run summaries it reads (sim.SummaryNames).
	Summaries []string
	// Value computes the measure for one run; NaN marks a run where it
	// is undefined (left out of the estimate).
	Value func(v view) float64
}

// view is one stored run as a measure sees it, with the test's channels.
type view struct {
	w     *worldRuns
	rep   int
	chans []string
}

// series returns the named series of the run (nil if not kept).
func (v view) series(name string) []float64 {
	k, ok := v.w.index[name]
	if !ok {
		return nil
	}
	T := v.w.ticks
	src := v.w.vals[v.rep][k*T : (k+1)*T]
	xs := make([]float64, T)
	for i, x := range src {
		xs[i] = float64(x)
	}
	return xs
}

// sumOf returns the tick-by-tick sum over the view's channels of the
// series prefix+channel, or nil when there is no channel or series.
func (v view) sumOf(prefix string, chans []string) []float64 {
	var sum []float64
	for _, c := range chans {
		xs := v.series(prefix + c)
		if xs == nil {
			return nil
		}
		if sum == nil {
			sum = xs
			continue
		}
		for i, x := range xs {
			sum[i] += x
		}
	}
	return sum
}

func (v view) summary(name string) float64 {
	i := slices.Index(sim.SummaryNames[:], name)
	if i < 0 {
		return math.NaN()
	}
	return v.w.sums[v.rep][i]
}

func (v view) tickMonths() int { return v.w.m.Scenario.TickMonths }

// tickOf returns the tick of month d, or -1 outside the run.
func (v view) tickOf(d scenarios.Month) int {
	m := v.w.m
	t := int(d-m.Dates[0]) / m.Scenario.TickMonths
	if t < 0 || t >= len(m.Dates) {
		return -1
	}
	return t
}

// channelsOfKind returns those of chans whose kind in sc is (or, with
// !in, is not) one of kinds.
func channelsOfKind(sc *scenarios.Scenario, chans []string, kinds []string, in bool) []string {
	var out []string
	for _, c := range chans {
		for _, ch := range sc.Channels {
			if ch.Name == c && slices.Contains(kinds, ch.Kind) == in {
				out = append(out, c)
			}
		}
	}
	return out
}

// summaryMeasure reads summary metric name.
func summaryMeasure(name, label, unit string) Measure {
	return Measure{Name: name, Label: label, Unit: unit, Summaries: []string{name},
		Value: func(v view) float64 { return v.summary(name) }}
}

// drawdownMeasure is the relative drawdown of the summed activity of the
// selected channels after the reference crisis.
func drawdownMeasure(sel Selector) Measure {
	return Measure{
		Name: "drawdown_" + strings.ReplaceAll(sel.String(), " ", "_"), Unit: "share",
		Label:    fmt.Sprintf("Relative drawdown after the reference crisis (%s)", sel),
		Channels: sel, Series: []string{"channel.*"},
		Value: func(v view) float64 {
			return sim.RelativeDrawdown(v.sumOf("channel.", v.chans), ReferenceTick, ReferenceWindow)
		},
	}
}

// recoveryMeasure is the months the summed activity of the selected
// channels takes to regain RecoveredFraction of its level before the
// reference crisis.
func recoveryMeasure(sel Selector) Measure {
	return Measure{
		Name: "recovery_months_" + strings.ReplaceAll(sel.String(), " ", "_"), Unit: "months",
		Label:    fmt.Sprintf("Months to regain %.0f%% after the reference crisis (%s)", 100*RecoveredFraction, sel),
		Channels: sel, Series: []string{"channel.*"},
		Value: func(v view) float64 {
			return sim.RecoveryTicks(v.sumOf("channel.", v.chans), ReferenceTick, RecoveredFraction) * float64(v.tickMonths())
		},
	}
}

// entrenchmentMeasure is the stress probe's entrenchment per channel,
// averaged over the run's ticks and over the selected channels.
func entrenchmentMeasure(sel Selector) Measure {
	return Measure{
		Name: "entrenchment_" + strings.ReplaceAll(sel.String(), " ", "_"), Unit: "share",
		Label:    fmt.Sprintf("Mean probe entrenchment (%s)", sel),
		Channels: sel, Series: []string{"entrenchment.channel.*"},
		Value: func(v view) float64 {
			if len(v.chans) == 0 {
				return math.NaN()
			}
			s := v.sumOf("entrenchment.channel.", v.chans)
			return sim.MeanLevel(s) / float64(len(v.chans))
		},
	}
}

// diplomacyGapMeasure is the drawdown of the political channels (nrc,
// mil-to-mil) minus that of the shared practical channels after the
// reference crisis: positive when practical work holds while diplomacy
// stalls.
func diplomacyGapMeasure() Measure {
	return Measure{
		Name: "drawdown_political_minus_practical", Unit: "share",
		Label:    "Drawdown of political and mil-to-mil channels minus that of the shared practical channels",
		Channels: SharedPractical, Series: []string{"channel.*"},
		Value: func(v view) float64 {
			var all []string
			for _, c := range v.w.m.Scenario.Channels {
				all = append(all, c.Name)
			}
			pol := channelsOfKind(v.w.m.Scenario, all, politicalKinds, true)
			p := sim.RelativeDrawdown(v.sumOf("channel.", pol), ReferenceTick, ReferenceWindow)
			q := sim.RelativeDrawdown(v.sumOf("channel.", v.chans), ReferenceTick, ReferenceWindow)
			return p - q
		},
	}
}

// eventMeasure builds a measure of the cooperation series around month d.
func eventMeasure(name, label, unit string, d scenarios.Month, f func(xs []float64, at, tickMonths int) float64) Measure {
	return Measure{Name: name, Label: label, Unit: unit, Series: []string{"cooperation"},
		Value: func(v view) float64 {
			at := v.tickOf(d)
			if at < 1 {
				return math.NaN()
			}
			return f(v.series("cooperation"), at, v.tickMonths())
		}}
}

// levelRatioMeasure is cooperation at month to over cooperation at month
// from (NaN when from's level is below 0.001 or a month is outside).
func levelRatioMeasure(name, label string, from, to scenarios.Month) Measure {
	return Measure{Name: name, Label: label, Unit: "ratio", Series: []string{"cooperation"},
		Value: func(v view) float64 {
			a, b := v.tickOf(from), v.tickOf(to)
			if a < 0 || b < 0 {
				return math.NaN()
			}
			xs := v.series("cooperation")
			if xs[a] < 0.001 {
				return math.NaN()
			}
			return xs[b] / xs[a]
		}}
}

func fall(xs []float64, at, _ int) float64 { return sim.MonthFall(xs, at) }

func recovery(xs []float64, at, tm int) float64 {
	return sim.RecoveryTicks(xs, at, RecoveredFraction) * float64(tm)
}

// lossRecovery is the months from tick at until xs has regained share of
// what it lost to its lowest point in the next ReferenceWindow ticks;
// censored at the end of the run, 0 when nothing was lost.
func lossRecovery(share float64) func(xs []float64, at, tm int) float64 {
	return func(xs []float64, at, tm int) float64 {
		if at < 1 || at >= len(xs) {
			return math.NaN()
		}
		pre, lo, tlo := xs[at-1], xs[at], at
		for t := at; t < len(xs) && t <= at+ReferenceWindow; t++ {
			if xs[t] < lo {
				lo, tlo = xs[t], t
			}
		}
		if lo >= pre {
			return 0
		}
		goal := lo + share*(pre-lo)
		for t := tlo; t < len(xs); t++ {
			if xs[t] >= goal {
				return float64((t - at) * tm)
			}
		}
		return float64((len(xs) - at) * tm)
	}
}

func relDrawdown(xs []float64, at, _ int) float64 {
	return sim.RelativeDrawdown(xs, at, ReferenceWindow)
}

// mustMonth parses a YYYY-MM literal of this package; it panics on a typo,
// which the tests catch.
func mustMonth(s string) scenarios.Month {
	d, err := scenarios.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return d
}

// meanSeriesMeasure is the mean over the run's ticks of one series.
func meanSeriesMeasure(name, label string) Measure {
	return Measure{Name: "mean_" + name, Label: label, Unit: "0-1", Series: []string{name},
		Value: func(v view) float64 { return sim.MeanLevel(v.series(name)) }}
}

// drawdownAtMeasure is the relative drawdown of the summed activity of
// the selected channels after month d.
func drawdownAtMeasure(name string, d scenarios.Month, sel Selector) Measure {
	return Measure{
		Name: "drawdown_" + name + "_" + strings.ReplaceAll(sel.String(), " ", "_"), Unit: "share",
		Label:    fmt.Sprintf("Relative drawdown after %s (%s)", d, sel),
		Channels: sel, Series: []string{"channel.*"},
		Value: func(v view) float64 {
			at := v.tickOf(d)
			if at < 1 {
				return math.NaN()
			}
			return sim.RelativeDrawdown(v.sumOf("channel.", v.chans), at, ReferenceWindow)
		},
	}
}
