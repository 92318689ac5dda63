package lab

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// row is one summary metric of a finished run, ready for the page.
type row struct {
	Name  string // sim.SummaryNames entry
	Label string
	Hint  string // what the metric means, in a sentence
	// A, B and Diff are formatted means; CI is "[lo, hi]".
	A, B, Diff, CI string
	// Verdict is "higher", "lower", "no clear effect", or "too few pairs
	// for an interval" when the metric is defined in fewer than MinRuns
	// pairs (CI is then empty); Class is "up", "down" or "none" for
	// styling.
	Verdict, Class string
	// Narrowing is how many times narrower pairing made the interval,
	// formatted, or "".
	Narrowing string
	N         int
	// Stat keeps the unrounded numbers for data attributes (tests and
	// anyone copying them).
	Stat estimate.Difference
}

// metricRow describes a summary metric the page reports.
type metricRow struct {
	index int
	label string // %s is replaced by the period, e.g. "15 years"
	hint  string
}

// tableMetrics are the summary metrics the page reports, most telling
// first.
var tableMetrics = []metricRow{
	{sim.SumFinalCooperation, "Cooperation after %s", "Share of possible joint work going on at the end, 0–1."},
	{sim.SumFinalEntrenchment, "Entrenchment after %s", "Stress probe at the end: " + sim.EntrenchmentMeaning + ", 0–1."},
	{sim.SumCrisisSurvival, "Crises cooperation survived", "Share of crises after which cooperation kept most of its level."},
	{sim.SumSetbacks, "Setbacks per run", "Falls of cooperation from a peak, counted per run."},
	{sim.SumMeanRecoveryMonths, "Months to recover from a setback", "Mean time from the trough back to most of the lost level, over recovered setbacks."},
	{sim.SumRatchetRatio, "Ratchet ratio", "Net gain over total movement of cooperation: 1 is a steady climb, 1/3 is two steps forward, one back."},
	{sim.SumFinalRuMilitary, "Russian military stance after %s", "Mean disposition of Russian military organizations toward cooperation at the end, 0–1."},
}

// result is what a finished run shows: the table, headline sentences and
// the figures as SVG.
type result struct {
	Rows      []row
	Headlines []string
	Notes     []string
	Pairs     int
	Failed    int
	Elapsed   time.Duration
	figs      map[string][]byte
}

// figureNames are the figures of a result, in page order.
var figureNames = []string{
	"cooperation_diff", "cooperation_a", "cooperation_b",
	"entrenchment_diff", "entrenchment_a", "entrenchment_b",
}

// period formats a scenario's simulated span, e.g. "15 years".
func period(sc *scenarios.Scenario) string {
	months := sc.Horizon * sc.TickMonths
	if months%12 == 0 {
		if months == 12 {
			return "1 year"
		}
		return strconv.Itoa(months/12) + " years"
	}
	return strconv.Itoa(months) + " months"
}

// newResult summarizes a comparison for the page and draws its figures.
func newResult(c *sim.Comparison, rep sim.Report, a, b *scenarios.Scenario, changed int) (*result, error) {
	res := &result{Pairs: c.Diff.N(), Failed: rep.Failed, figs: make(map[string][]byte, len(figureNames))}
	span := period(a)
	for _, m := range tableMetrics {
		p := c.Paired(m.index)
		label := m.label
		if strings.Contains(label, "%s") {
			label = fmt.Sprintf(label, span)
		}
		r := row{Name: sim.SummaryNames[m.index], Label: label, Hint: m.hint, N: p.N, Stat: p}
		d := decimals(p)
		r.A, r.B, r.Diff = fixed(p.MeanA, d), fixed(p.MeanB, d), signed(p.Mean, d)
		r.Verdict, r.Class = verdict(p)
		if p.N >= MinRuns {
			r.CI = "[" + fixed(p.Lo, d) + ", " + fixed(p.Hi, d) + "]"
		}
		if !math.IsNaN(p.Narrowing) && !math.IsInf(p.Narrowing, 0) {
			r.Narrowing = strconv.FormatFloat(p.Narrowing, 'f', 1, 64) + "×"
		}
		res.Rows = append(res.Rows, r)
		if m.index == sim.SumFinalCooperation || m.index == sim.SumFinalEntrenchment {
			res.Headlines = append(res.Headlines, headline(r))
		}
	}
	if changed == 0 {
		res.Notes = append(res.Notes, "No lever differs from the scenario, so both sides of every pair are the same run and every difference is zero. Move a lever and run again.")
	}
	crises := c.Paired(sim.SumCrises)
	if crises.N > 0 && crises.Mean == 0 && crises.SE == 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("Both runs of every pair met the same crises (common random numbers): %.1f per run on average. The intervals measure the effect of the levers, not luck in the crisis draws.", crises.MeanA))
	} else if crises.N > 0 {
		res.Notes = append(res.Notes, "The crisis climate differs between the two, so the pairs share random numbers but not the same crises; intervals are wider.")
	}
	if rep.Failed > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d of %d pairs failed and are left out.", rep.Failed, rep.Delivered))
	}
	for _, m := range []struct{ name, label string }{{"cooperation", "Cooperation"}, {"entrenchment", "Entrenchment"}} {
		ps, err := output.CompareCharts(c, m.name, m.label, a, b)
		if err != nil {
			return nil, err
		}
		for i, suffix := range []string{"_a", "_b", "_diff"} {
			// The difference spans the page; A and B sit side by side, drawn
			// smaller so that their text stays readable when scaled down.
			w, h := output.FigureWidth, 3.6*vg.Inch
			if suffix != "_diff" {
				w, h = 5*vg.Inch, 3.4*vg.Inch
			}
			cv := vgsvg.New(w, h)
			ps[i].Draw(draw.New(cv))
			var buf bytes.Buffer
			if _, err := cv.WriteTo(&buf); err != nil {
				return nil, err
			}
			res.figs[m.name+suffix] = buf.Bytes()
		}
	}
	return res, nil
}

// decimals chooses the decimals that show the interval's half-width to
// two significant digits, from 0 to 4.
func decimals(p estimate.Difference) int {
	half := (p.Hi - p.Lo) / 2
	if math.IsNaN(half) || half <= 0 {
		mag := math.Max(math.Abs(p.MeanA), math.Abs(p.MeanB))
		switch {
		case math.IsNaN(mag) || mag < 10:
			return 2
		default:
			return 1
		}
	}
	d := int(math.Ceil(-math.Log10(half))) + 1
	return max(0, min(4, d))
}

func fixed(x float64, d int) string {
	if math.IsNaN(x) {
		return "–"
	}
	s := strconv.FormatFloat(x, 'f', d, 64)
	if s == "-"+strconv.FormatFloat(0, 'f', d, 64) {
		s = s[1:]
	}
	return strings.Replace(s, "-", "−", 1) // a typographic minus
}

func signed(x float64, d int) string {
	s := fixed(x, d)
	if !math.IsNaN(x) && !strings.HasPrefix(s, "−") && s != strconv.FormatFloat(0, 'f', d, 64) {
		s = "+" + s
	}
	return s
}

// tooFew is the verdict of a metric defined in fewer than MinRuns pairs
// (a metric can be undefined in some pairs, e.g. recovery time in runs
// without a setback).
const tooFew = "too few pairs for an interval"

// verdict says in words what the interval shows.
func verdict(p estimate.Difference) (string, string) {
	switch {
	case p.N < MinRuns || math.IsNaN(p.Lo) || math.IsNaN(p.Hi):
		return tooFew, "none"
	case p.Lo > 0:
		return "higher", "up"
	case p.Hi < 0:
		return "lower", "down"
	}
	return "no clear effect", "none"
}

// headline writes a row as a sentence, e.g. "Cooperation after 15
// years: +0.12 [0.08, 0.16], higher (0.21 → 0.33)".
func headline(r row) string {
	if r.Verdict == tooFew {
		return fmt.Sprintf("%s: %s (%d pairs) — %s (%s → %s)", r.Label, r.Verdict, r.N, r.Diff, r.A, r.B)
	}
	if r.Class == "none" {
		return fmt.Sprintf("%s: %s — %s %s (%s → %s)", r.Label, r.Verdict, r.Diff, r.CI, r.A, r.B)
	}
	return fmt.Sprintf("%s: %s %s, %s (%s → %s)", r.Label, r.Diff, r.CI, r.Verdict, r.A, r.B)
}
