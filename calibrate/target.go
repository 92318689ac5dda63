package calibrate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/entrench/entrench/abc"
	"github.com/entrench/entrench/data/observed"
	"github.com/entrench/entrench/scenarios"
)

// target resolves target t at key path path.
func (c *Calibration) target(d *decoder, path string, t Target, data *observed.Data, index map[string]int, used map[string]bool) (TargetSpec, bool) {
	n0 := len(d.errs)
	ts := TargetSpec{Name: t.Name, Metric: t.Metric, Statistic: t.Statistic, Series: t.Series, Fact: t.Fact, Weight: 1, Noise: t.Observation.Noise}
	m := c.Base
	start := m.Dates[0]
	last := m.Dates[len(m.Dates)-1]
	switch {
	case (t.Series == "") == (t.Fact == ""):
		d.errorf(nil, path, scenarios.ErrRequired, "a target needs exactly one of series (an id of series.csv) or fact (an id of facts.csv)")
		return ts, false
	case t.Series != "":
		if _, ok := data.Series[t.Series]; !ok {
			d.errorf(nil, path+".series", scenarios.ErrReference, "unknown series %q%s", t.Series, closest(t.Series, keys(data.Series)))
		}
		if ts.Statistic == "" {
			ts.Statistic = YearlyMean
		}
		if ts.Name == "" {
			ts.Name = t.Series
		}
	default:
		if _, ok := data.Facts[t.Fact]; !ok {
			d.errorf(nil, path+".fact", scenarios.ErrReference, "unknown fact %q%s", t.Fact, closest(t.Fact, keys(data.Facts)))
		}
		if ts.Name == "" {
			ts.Name = t.Fact
		}
	}
	if !nameRe.MatchString(ts.Name) {
		d.errorf(nil, path+".name", scenarios.ErrRange, "name %q may only hold letters, digits, '_', '-' and '.'", ts.Name)
	}
	ts.metric = -1
	var names []string
	for i, x := range m.Metrics {
		names = append(names, x.Name)
		if x.Name == t.Metric {
			ts.metric = i
		}
	}
	if t.Metric == "" {
		d.errorf(nil, path+".metric", scenarios.ErrRequired, "a target needs the model metric it observes (one of %s)", strings.Join(names, ", "))
	} else if ts.metric < 0 {
		d.errorf(nil, path+".metric", scenarios.ErrReference, "the scenario has no metric %q (allowed: %s)", t.Metric, strings.Join(names, ", "))
	}
	switch ts.Statistic {
	case YearlyMean:
		if t.Series == "" {
			d.errorf(nil, path+".statistic", scenarios.ErrRange, "yearly_mean needs a series, not a fact (facts take falls_below or rises_above)")
		}
		if t.Level != nil || t.After != "" {
			d.errorf(nil, path, scenarios.ErrRange, "level and after belong to falls_below and rises_above, not yearly_mean")
		}
	case FallsBelow, RisesAbove:
		if t.Fact == "" {
			d.errorf(nil, path+".statistic", scenarios.ErrRange, "%s needs a fact, not a series (series take yearly_mean)", ts.Statistic)
		}
		if t.Level == nil {
			d.errorf(nil, path+".level", scenarios.ErrRequired, "%s needs a level in [0, 1]", ts.Statistic)
		} else if ts.Level = *t.Level; !(ts.Level >= 0 && ts.Level <= 1) {
			d.errorf(nil, path+".level", scenarios.ErrRange, "level %s is out of range: must be from 0 to 1 (metrics lie in [0, 1])", ftoa(ts.Level))
		}
		if t.After == "" {
			d.errorf(nil, path+".after", scenarios.ErrRequired, "%s needs after, the month (YYYY-MM) after which it looks", ts.Statistic)
		} else if ts.After = c.month(d, path+".after", t.After); len(d.errs) == n0 && (ts.After < start || ts.After >= last) {
			d.errorf(nil, path+".after", scenarios.ErrRange, "%s is outside the run (%s to %s)", ts.After, start, last)
		}
		ts.afterTick = int(ts.After - start)
	case "":
		d.errorf(nil, path+".statistic", scenarios.ErrRequired, "a fact target needs a statistic: falls_below or rises_above")
	default:
		d.errorf(nil, path+".statistic", scenarios.ErrRange, "unknown statistic %q (allowed: yearly_mean, falls_below, rises_above)", ts.Statistic)
	}
	if t.Weight != nil {
		if ts.Weight = *t.Weight; !(ts.Weight >= 0) || math.IsInf(ts.Weight, 0) {
			d.errorf(nil, path+".weight", scenarios.ErrRange, "weight %s is out of range: must be a finite number of at least 0", ftoa(ts.Weight))
		}
	}
	if !(ts.Noise >= 0) || math.IsInf(ts.Noise, 0) {
		d.errorf(nil, path+".observation.noise", scenarios.ErrRange, "noise %s is out of range: must be a finite number of at least 0", ftoa(ts.Noise))
	}
	ts.intercept = c.coef(d, path+".observation.intercept", t.Observation.Intercept, 0, index, used)
	ts.slope = c.coef(d, path+".observation.slope", t.Observation.Slope, 1, index, used)
	if len(d.errs) > n0 {
		return ts, false
	}
	// Points.
	if t.Series != "" {
		for _, p := range data.Series[t.Series] {
			pt := Point{Date: p.Date, Yearly: p.Yearly, Observed: p.Value}
			end := p.Date
			if p.Yearly {
				end = p.Date + 11
			}
			t0, t1 := max(int(p.Date-start), 0), min(int(end-start), len(m.Dates)-1)
			if t0 > t1 || (p.Yearly && end > last) {
				continue // not (wholly) in the run
			}
			pt.t0, pt.t1 = t0, t1
			pt.InWindow = p.Date >= c.From && end <= c.To
			ts.Points = append(ts.Points, pt)
		}
		if len(ts.Points) == 0 {
			d.errorf(nil, path+".series", scenarios.ErrRange, "no point of series %q falls within the run (%s to %s)", t.Series, start, last)
			return ts, false
		}
	} else {
		fd := data.Facts[t.Fact].Date
		ts.Points = []Point{{Date: fd, Observed: fd.DecimalYear(), InWindow: fd >= c.From && fd <= c.To}}
		if fd <= ts.After {
			d.errorf(nil, path+".after", scenarios.ErrRange, "fact %s is dated %s, not after %s", t.Fact, fd, ts.After)
			return ts, false
		}
	}
	return ts, true
}

// coef reads an observation coefficient: a number, or the name of a free
// parameter without a key.
func (c *Calibration) coef(d *decoder, path, s string, def float64, index map[string]int, used map[string]bool) coef {
	if s == "" {
		return coef{param: -1, value: def}
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			d.errorf(nil, path, scenarios.ErrRange, "%s is not a finite number", s)
		}
		return coef{param: -1, value: x}
	}
	i, ok := index[s]
	if !ok {
		d.errorf(nil, path, scenarios.ErrReference, "%q is neither a number nor a free parameter", s)
		return coef{param: -1}
	}
	if c.Spec.Parameters[i].Key != "" {
		d.errorf(nil, path, scenarios.ErrReference, "parameter %q sets scenario key %s; an observation model takes parameters without a key", s, c.Spec.Parameters[i].Key)
	}
	used[s] = true
	return coef{param: i}
}

// algorithm fills the abc settings.
func (c *Calibration) algorithm(d *decoder) {
	a := c.Spec.Algorithm
	s := abc.Settings{
		Particles: a.Particles, Quantile: a.Quantile, MinTolerance: a.MinTolerance,
		MinAcceptance: a.MinAcceptance, MaxGenerations: a.MaxGenerations,
		MaxSimulations: a.MaxSimulations, Seed: 1, Workers: a.Workers,
	}
	if a.Seed != nil {
		s.Seed = *a.Seed
	}
	if a.Scale != "" {
		sc, err := abc.ParseScale(a.Scale)
		if err != nil {
			d.errorf(nil, "algorithm.scale", scenarios.ErrRange, "unknown scale %q (allowed: mad, sd, noise)", a.Scale)
		}
		s.Scale = sc
	}
	if a.Adjust != "" {
		adj, err := abc.ParseAdjust(a.Adjust)
		if err != nil {
			d.errorf(nil, "algorithm.adjust", scenarios.ErrRange, "unknown adjustment %q (allowed: none, regression)", a.Adjust)
		}
		s.Adjust = adj
	}
	if a.Workers < 0 {
		d.errorf(nil, "algorithm.workers", scenarios.ErrRange, "workers is %d: must be at least 0 (0: all cores)", a.Workers)
	}
	c.Replicates = a.Replicates
	if c.Replicates == 0 {
		c.Replicates = 1
	}
	if c.Replicates < 1 || c.Replicates > 1000 {
		d.errorf(nil, "algorithm.replicates", scenarios.ErrRange, "%d is out of range: must be from 1 to 1000", a.Replicates)
	}
	if err := s.Validate(); err != nil {
		d.errorf(nil, "algorithm", scenarios.ErrRange, "%s", strings.TrimPrefix(err.Error(), "abc: bad settings: "))
	}
	c.Settings = s
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// closest suggests the allowed name nearest to s, if one is close.
func closest(s string, allowed []string) string {
	best, bd := "", 4
	for _, a := range allowed {
		if dd := editDistance(s, a); dd < bd || (dd == bd && a < best) {
			best, bd = a, dd
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
