package output

import (
	"bufio"
	"encoding/csv"
	"errors"
	"strconv"

	"github.com/entrench/entrench/sim"
)

// ErrNoRuns is returned when an aggregate holds no successful run, so
// there is nothing to tabulate or draw.
var ErrNoRuns = errors.New("output: no successful runs to report")

// TimeseriesHeader is the header row of timeseries.csv.
var TimeseriesHeader = []string{"tick", "date", "metric", "mean", "sd", "q05", "q25", "q50", "q75", "q95"}

// WriteTimeseries writes timeseries.csv to folder dir in tidy (long) form:
// one row per tick and metric, ticks in order and, within a tick, metrics
// in a.Metrics order. The columns are
//
//	tick    tick number, 0 (initial state) to horizon
//	date    calendar month of the tick, YYYY-MM
//	metric  metric name, e.g. "cooperation" or "channel.tapi"
//	mean    mean over successful runs
//	sd      standard deviation over runs (0 with one run)
//	q05..q95  5%, 25%, 50%, 75% and 95% quantiles over runs, read from a
//	        1024-bin histogram on [0, 1] (error at most 1/1024)
//
// Every value lies in [0, 1]. It returns ErrNoRuns if a has no successful
// run.
func WriteTimeseries(dir string, a *sim.Aggregate) error {
	if a.N() == 0 {
		return ErrNoRuns
	}
	return writeAtomic(dir, TimeseriesFile, func(f *AtomicFile) error {
		w := csv.NewWriter(bufio.NewWriterSize(f, csvBuffer))
		if err := w.Write(TimeseriesHeader); err != nil {
			return err
		}
		rec := make([]string, len(TimeseriesHeader))
		for t := 0; t < a.Ticks; t++ {
			rec[0] = strconv.Itoa(t)
			rec[1] = a.Dates[t].String()
			for m, met := range a.Metrics {
				s := a.Stats(m, t)
				rec[2] = met.Name
				for i, x := range [...]float64{s.Mean, s.SD, s.Q05, s.Q25, s.Q50, s.Q75, s.Q95} {
					rec[3+i] = FormatFloat(x)
				}
				if err := w.Write(rec); err != nil {
					return err
				}
			}
		}
		w.Flush()
		return w.Error()
	})
}
