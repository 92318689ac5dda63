package claims

import (
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// tickOf returns the tick of month d in m, or -1 when d is outside the run.
func tickOf(m *sim.Model, d scenarios.Month) int {
	t := int(d-m.Dates[0]) / m.Scenario.TickMonths
	if t < 0 || t >= len(m.Dates) {
		return -1
	}
	return t
}

// metricSeries returns the series of the named per-tick metric of run r, or
// nil when the model has no such metric.
func metricSeries(m *sim.Model, r *sim.RunResult, name string) []float64 {
	T := len(m.Dates)
	for i, mt := range m.Metrics {
		if mt.Name == name {
			return r.Series[i*T : (i+1)*T]
		}
	}
	return nil
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
