package calibrate

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/entrench/entrench/scenarios"
)

// WriteFit writes the fit table as CSV: target, date, in_window,
// observed, q05, median, q95, inside.
func WriteFit(w io.Writer, rows []FitRow) error {
	c := csv.NewWriter(w)
	c.Write([]string{"target", "date", "in_window", "observed", "q05", "median", "q95", "inside"})
	for _, r := range rows {
		c.Write([]string{r.Target, r.Date, strconv.FormatBool(r.InWindow), ftoa(r.Observed), ftoa(r.Q05), ftoa(r.Median), ftoa(r.Q95), strconv.FormatBool(r.Inside)})
	}
	c.Flush()
	return c.Error()
}

// Coverage counts the points inside their 90% predictive interval, in and
// out of the fit window.
func Coverage(rows []FitRow) (inWin, nWin, inOut, nOut int) {
	for _, r := range rows {
		if r.InWindow {
			nWin++
			if r.Inside {
				inWin++
			}
		} else {
			nOut++
			if r.Inside {
				inOut++
			}
		}
	}
	return
}

// WriteSummaryTable writes the human summary: every parameter's posterior
// median and 90% interval against its prior, and every target point's
// observed value against its predictive median and 90% interval, with the
// coverage inside and outside the fit window.
func (c *Calibration) WriteSummaryTable(w io.Writer, res *Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "parameter\tmedian\t90% interval\tprior\t")
	for i, m := range res.Marginals {
		fmt.Fprintf(tw, "%s\t%.4g\t[%.4g, %.4g]\t%v\t\n", m.Name, m.Median, m.Q05, m.Q95, c.Params[i].Prior)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	facts := map[string]bool{}
	for _, t := range c.Targets {
		facts[t.Name] = t.Fact != ""
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tdate\twindow\tobserved\tmedian\t90% interval\tinside\t")
	for _, r := range res.Fit {
		win := "fit"
		if !r.InWindow {
			win = "out"
		}
		in := "yes"
		if !r.Inside {
			in = "no"
		}
		f := func(x float64) string { return fmt.Sprintf("%.4g", x) }
		if facts[r.Target] {
			f = monthOf
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t[%s, %s]\t%s\t\n", r.Target, r.Date, win, f(r.Observed), f(r.Median), f(r.Q05), f(r.Q95), in)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	iw, nw, io_, no := Coverage(res.Fit)
	_, err := fmt.Fprintf(w, "\n90%% predictive coverage: %d of %d points inside the fit window, %d of %d outside\n", iw, nw, io_, no)
	return err
}

// monthOf formats a decimal year (months/12) as the month YYYY-MM it
// falls in.
func monthOf(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ftoa(x)
	}
	return scenarios.Month(math.Floor(x*12 + 1e-9)).String()
}
