package output

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/entrench/entrench/sim"
)

// WriteSummaryTable writes a plain text table of every summary metric to
// w, aligned for a terminal: label, mean, standard deviation, 95%
// confidence interval of the mean, and the number of runs where the metric
// is defined (not NaN), preceded by a line with the counts of successful
// and failed runs. Undefined statistics print as "-". Numbers have four
// significant digits.
func WriteSummaryTable(w io.Writer, a *sim.Aggregate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%d successful runs, %d failed\n", a.N(), a.Failed)
	fmt.Fprintln(tw, "Metric\tMean\tSD\t95% CI of mean\tn defined")
	for i := range sim.NumSummary {
		s := a.Summary(i)
		ci := "-"
		if !math.IsNaN(s.Lo) {
			ci = "[" + Short(s.Lo) + ", " + Short(s.Hi) + "]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", sim.SummaryLabels[i], Short(s.Mean), Short(s.SD), ci, s.N)
	}
	return tw.Flush()
}

// Short formats a number for people: four significant digits, "-" for NaN
// and "0" (not "-0") for zero. Tables and figure labels use it.
func Short(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	if x == 0 {
		return "0" // not "-0"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}
