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
	"claim", "claim_text", "verdict", "scenario_a", "scenario_b", "reference_crisis",
	"measure", "unit", "rule", "direction", "threshold", "n",
	"mean_a", "mean_b", "estimate", "se", "ci_lo", "ci_hi", "supported",
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
			rec := []string{
				strconv.Itoa(c.Number), c.Text, c.Verdict, t.A, t.B, strconv.FormatBool(t.Reference),
				t.Measure.Name, t.Measure.Unit, t.Rule(), t.Direction.String(), f(t.Threshold), strconv.Itoa(t.N),
				f(t.MeanA), f(t.MeanB), f(t.Mean), f(t.SE), f(t.Lo), f(t.Hi), strconv.FormatBool(t.Supported),
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteMarkdown writes the claims table: the decision rule, a summary of
// the verdicts, and one row per test.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# The memo's claims put to the test\n\n")
	fmt.Fprintf(&b, "%d replicates per scenario, master seed %d. In a comparison both scenarios run on the same seed and replicate numbers (common random numbers: the same random crises and initiatives, the same initial officials).", r.Runs, r.Seed)
	if r.Failed > 0 {
		fmt.Fprintf(&b, " %d replicates failed and are left out.", r.Failed)
	}
	b.WriteString("\n\n")
	b.WriteString("**Decision rule (declared before the runs).** Each test names a measure computed for every replicate, and either one scenario (A) or two (A, then B). ")
	b.WriteString("For one scenario the estimate is the mean of the measure; for two it is the mean paired difference B-A over replicates. ")
	b.WriteString("Its 95% interval is the estimate ± t standard errors, t the 97.5% quantile of Student's t with n-1 degrees of freedom (1.962 at n = 1000). ")
	b.WriteString("A test **supports** its claim when that interval lies entirely on the claimed side of the test's threshold (0 for a difference unless stated). ")
	b.WriteString("A claim is *supported* when all its tests support it, *partly supported* when some do, *not supported* when none does.\n\n")
	fmt.Fprintf(&b, "Tests marked \"ref\" add the same reference crisis to both scenarios: every channel, severity %g, at month %d of the run, on top of the scenarios' own random crises. ", ReferenceSeverity, ReferenceTick)
	fmt.Fprintf(&b, "Drawdown: share of the cooperation level before the crisis lost by its lowest point in the crisis month and the %d months after. ", ReferenceWindow)
	fmt.Fprintf(&b, "Recovery: months from the crisis until cooperation is back to %.0f%% of its level before (0 if it never fell below; censored at the end of the run).\n\n", 100*RecoveredFraction)

	b.WriteString("## Verdicts\n\n| # | Claim | Verdict | Tests supporting |\n|---|---|---|---|\n")
	for _, c := range r.Claims {
		n := 0
		for _, t := range c.Results {
			if t.Supported {
				n++
			}
		}
		fmt.Fprintf(&b, "| %d | %s | **%s** | %d of %d |\n", c.Number, mdEscape(c.Text), c.Verdict, n, len(c.Results))
	}
	b.WriteString("\n## Tests\n\n")
	b.WriteString("| # | A | B | Measure | Rule | Mean A | Mean B | Estimate | 95% CI | n | Supported |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range r.Claims {
		for _, t := range c.Results {
			bn := "-"
			if t.B != "" {
				bn = t.B
			}
			an := t.A
			if t.Reference {
				an += " (ref)"
				bn += " (ref)"
			}
			sup := "no"
			if t.Supported {
				sup = "**yes**"
			}
			label := t.Measure.Label
			if t.Measure.Unit != "" {
				label += " (" + t.Measure.Unit + ")"
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s | %s | [%s, %s] | %d | %s |\n",
				c.Number, an, bn, mdEscape(label), t.Rule(),
				formatNum(t.MeanA), formatNum(t.MeanB), formatNum(t.Mean), formatNum(t.Lo), formatNum(t.Hi), t.N, sup)
		}
	}
	b.WriteString("\nEstimate: the mean of A for a one-scenario test, the mean paired difference B-A for a comparison.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape escapes the characters that would break a Markdown table cell.
func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
