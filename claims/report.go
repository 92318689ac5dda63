package claims

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/entrench/entrench/output"
)

// Files written by Report.Write besides the figures.
const (
	MarkdownFile = "claims.md"
	CSVFile      = "claims.csv"
)

// CSVHeader is the header row of claims.csv.
var CSVHeader = []string{
	"claim", "claim_verdict", "test", "scenario_a", "scenario_b", "placebo", "mechanism",
	"measure", "unit", "channels", "rule", "why", "n",
	"raw_mean_a", "raw_mean_b", "raw_estimate", "raw_ci_lo", "raw_ci_hi",
	"placebo_estimate", "placebo_ci_lo", "placebo_ci_hi",
	"effect", "effect_se", "effect_ci_lo", "effect_ci_hi", "holds", "contradicted",
	"robust_sets", "robust_holds", "robust_significant", "robust_share", "robust_lo", "robust_hi",
	"verdict", "not_run",
}

// ClaimLimits say, claim by claim, what the model cannot show whatever
// the verdict.
var ClaimLimits = []string{
	"The crisis climate (rate, severity, kinds) is an input: the model shows what follows from it, not why crises come.",
	"Routines are a stock the model defines (growth with joint work, carry-over to recruits); it cannot show that real bureaucracies carry them this way.",
	"Suspicion and sidelining are rules with set strengths; the model shows their consequences, not their size in the Russian military.",
	"Stakes act through the channels written into the scenarios; the model cannot say how large Gazprom's TAPI stake or the Mistral follow-on would have been.",
	"The freeze sensitivities per crisis kind are inputs: that diplomatic crises spare practical work is assumed in them, and the placebo shows how much of the result they carry.",
	"The dated shocks and their severities are modelling choices stated in the scenario file; the backcast is a stylized reproduction, not a fit.",
	"The counterfactual shares every crisis draw with the backcast; it cannot show how the 2014 crisis itself would have changed had the stakes existed.",
}

// Write writes claims.md, claims.csv and the figures into folder dir
// (which must exist), each file atomically, and returns the names of the
// files written.
func (r *Report) Write(dir string) ([]string, error) {
	var files []string
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{{MarkdownFile, r.WriteMarkdown}, {CSVFile, r.WriteCSV}} {
		af, err := output.CreateAtomic(dir, f.name)
		if err != nil {
			return files, err
		}
		if err := f.write(af); err != nil {
			af.Abort()
			return files, err
		}
		if err := af.Commit(); err != nil {
			return files, err
		}
		files = append(files, f.name)
	}
	if r.aggs == nil {
		return files, nil
	}
	figs, err := r.WriteFigures(dir)
	return append(files, figs...), err
}

// WriteCSV writes one row per test (see CSVHeader). Numbers use Go's
// shortest round-trip formatting; NaN is written as "NaN".
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, c := range r.Claims {
		for _, t := range c.Results {
			rb := []string{"0", "0", "0", "NaN", "NaN", "NaN"}
			if t.Robust != nil {
				rb = []string{strconv.Itoa(t.Robust.Sets), strconv.Itoa(t.Robust.Holds), strconv.Itoa(t.Robust.Significant), f(t.Robust.Share), f(t.Robust.Lo), f(t.Robust.Hi)}
			}
			rec := []string{
				strconv.Itoa(c.Number), c.Verdict, t.ID, t.A.Key(), t.B.Key(), strings.Join(t.Placebo, " "), t.Mechanism,
				t.Measure.Name, t.Measure.Unit, strings.Join(t.Channels, " "), t.Rule(), t.Why, strconv.Itoa(t.Effect.N),
				f(t.Raw.MeanA), f(t.Raw.MeanB), f(t.Raw.Mean), f(t.Raw.Lo), f(t.Raw.Hi),
				f(t.PlaceboEst.Mean), f(t.PlaceboEst.Lo), f(t.PlaceboEst.Hi),
				f(t.Effect.Mean), f(t.Effect.SE), f(t.Effect.Lo), f(t.Effect.Hi), strconv.FormatBool(t.Holds), strconv.FormatBool(t.Contradicted),
			}
			rec = append(rec, rb...)
			rec = append(rec, t.Verdict, t.NotRun)
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ci formats an estimate with its interval.
func ci(mean, lo, hi float64) string {
	if mean != mean {
		return "-"
	}
	return fmt.Sprintf("%s [%s, %s]", formatNum(mean), formatNum(lo), formatNum(hi))
}

// VerdictTable returns the Markdown table of the claims' verdicts.
func (r *Report) VerdictTable() string {
	var b strings.Builder
	b.WriteString("| # | Claim | Verdict | Tests (verdicts) |\n|---|---|---|---|\n")
	for _, c := range r.Claims {
		count := map[string]int{}
		for _, t := range c.Results {
			count[t.Verdict]++
		}
		var parts []string
		for _, v := range verdictRank {
			if count[v] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", count[v], v))
			}
		}
		fmt.Fprintf(&b, "| %d | %s | **%s** | %s |\n", c.Number, mdEscape(shorten(c.Text, 90)), c.Verdict, strings.Join(parts, ", "))
	}
	return b.String()
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < 0 {
		cut = n
	}
	return s[:cut] + " …"
}

// WriteMarkdown writes the report: the rules, the verdicts, then per claim
// its tests with the real and placebo rows side by side, and what the
// model shows and cannot show.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# The memo's claims put to the test\n\n")
	fmt.Fprintf(&b, "%d replicates per scenario, master seed %d", r.Runs, r.Seed)
	if len(r.Sets) > 0 {
		fmt.Fprintf(&b, ", overrides on every scenario: `%s`", strings.Join(r.Sets, "`, `"))
	}
	if r.RobustSets > 0 {
		fmt.Fprintf(&b, "; robustness over %d coefficient draws at %d replicates each", r.RobustSets, r.RobustRuns)
	}
	b.WriteString(". Every scenario of a test runs on the same seed and replicate numbers (common random numbers: the same random crises and initiatives, the same initial officials).")
	if r.Failed > 0 {
		fmt.Fprintf(&b, " %d replicates failed and are left out.", r.Failed)
	}
	b.WriteString("\n\n")
	b.WriteString("**Rules (declared before the runs, in claims/catalogue.go).** Each test names a measure, a comparison A → B (or one scenario A), the smallest effect that matters with its reason, and a direction or a two-sided band. ")
	b.WriteString("A *mechanism* test also names a placebo: the same scenarios with the mechanism switched off and the capacity (channels, levers) unchanged. ")
	b.WriteString("Its deciding estimate is the mechanism's effect (B − A) − (B′ − A′), paired per replicate, where X′ is X with the placebo switches (for one scenario: A − A′). ")
	b.WriteString("A test *holds* when the 95% interval of its deciding estimate (Student t) lies beyond its bound. ")
	fmt.Fprintf(&b, "Drawdown, recovery and entrenchment are measured on the channels active (mean activity ≥ %g before the reference crisis, or over the run) in every scenario of the test, placebos included, so that adding a channel cannot make the effect by averaging. ", ActiveLevel)
	fmt.Fprintf(&b, "The reference crisis (\"+ref\": militarized, severity %g; \"+dipref\": diplomatic, severity %g) strikes every channel at month %d of the run, on top of the scenarios' own crises; drawdown is the share of the level lost by its lowest point in the %d months after.\n\n", MilitarizedSeverity, DiplomaticSeverity, ReferenceTick, ReferenceWindow)
	fmt.Fprintf(&b, "**Verdicts.** *supported*: holds at the defaults and in at least %.0f%% of the robustness draws (point estimate beyond the bound); *fragile*: holds at the defaults, in fewer draws; *holds by construction*: B − A meets the rule, but so does the placebo B′ − A′, and the mechanism's effect does not: the claim's comparison comes out whatever the mechanism; *not supported*: the effect does not clear its bound; *contradicted*: significant the other way; *not run*: this model lacks a scenario, switch or series the test needs. A claim takes the worst verdict of its tests that ran.\n\n", 100*SupportedShare)
	b.WriteString("## Verdicts\n\n")
	b.WriteString(r.VerdictTable())
	for _, c := range r.Claims {
		fmt.Fprintf(&b, "\n## Claim %d: %s\n\n%s\n\n", c.Number, c.Verdict, c.Text)
		b.WriteString("| Test | A → B | Measure | Rule (why) | B − A | Placebo B′ − A′ | Effect | Robust share | Verdict |\n")
		b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
		for _, t := range c.Results {
			cmp := t.A.Key()
			if t.Paired() {
				cmp += " → " + t.B.Key()
			}
			label := t.Measure.Label
			if t.Measure.Unit != "" {
				label += " (" + t.Measure.Unit + ")"
			}
			if len(t.Channels) > 0 {
				label += "; channels: " + strings.Join(t.Channels, ", ")
			}
			pl := "-"
			if t.Placebo != nil {
				pl = ci(t.PlaceboEst.Mean, t.PlaceboEst.Lo, t.PlaceboEst.Hi) + " (" + t.Mechanism + ")"
			}
			rob := "-"
			if t.Robust != nil && t.Robust.Sets > 0 {
				rob = fmt.Sprintf("%.2f [%.2f, %.2f] of %d", t.Robust.Share, t.Robust.Lo, t.Robust.Hi, t.Robust.Sets)
			}
			v := "**" + t.Verdict + "**"
			if t.NotRun != "" {
				v += ": " + t.NotRun
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s (%s) | %s | %s | %s | %s | %s |\n",
				t.ID, cmp, mdEscape(label), t.Rule(), mdEscape(t.Why),
				ci(t.Raw.Mean, t.Raw.Lo, t.Raw.Hi), mdEscape(pl), ci(t.Effect.Mean, t.Effect.Lo, t.Effect.Hi), rob, mdEscape(v))
		}
		b.WriteString("\n" + plainWords(c))
		if c.Number >= 1 && c.Number <= len(ClaimLimits) {
			b.WriteString(" What the model cannot show: " + ClaimLimits[c.Number-1])
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// plainWords says in a sentence or two what the claim's tests show.
func plainWords(c Claim) string {
	var held, notHeld, constr, contra, notRun, fragile []string
	for _, t := range c.Results {
		switch t.Verdict {
		case VerdictSupported, VerdictDefaultsOnly:
			held = append(held, t.ID)
		case VerdictFragile:
			fragile = append(fragile, t.ID)
		case VerdictConstruction:
			constr = append(constr, t.ID)
		case VerdictContradicted:
			contra = append(contra, t.ID)
		case VerdictNotRun:
			notRun = append(notRun, t.ID)
		default:
			notHeld = append(notHeld, t.ID)
		}
	}
	var s []string
	if len(held) > 0 {
		s = append(s, "The model shows it in "+strings.Join(held, ", ")+" (the effect clears its bound"+map[bool]string{true: " and survives the robustness draws", false: ""}[c.Verdict == VerdictSupported]+").")
	}
	if len(fragile) > 0 {
		s = append(s, "It holds at the default coefficients but not over their plausible ranges in "+strings.Join(fragile, ", ")+": a property of the defaults.")
	}
	if len(constr) > 0 {
		s = append(s, "In "+strings.Join(constr, ", ")+" the comparison comes out just as well with the mechanism switched off: it follows from the scenarios' composition, not from the mechanism.")
	}
	if len(notHeld) > 0 {
		s = append(s, "The effect is too small or too uncertain to count in "+strings.Join(notHeld, ", ")+".")
	}
	if len(contra) > 0 {
		s = append(s, "The model says the opposite in "+strings.Join(contra, ", ")+".")
	}
	if len(notRun) > 0 {
		s = append(s, "Not run on this model: "+strings.Join(notRun, ", ")+".")
	}
	return strings.Join(s, " ")
}

// mdEscape escapes the characters that would break a Markdown table cell.
func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
