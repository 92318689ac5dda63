package sweep

import (
	"math"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/sim"
)

// summarySink keeps the running moments of the analysed summary metrics
// over the replicates of one point, in replicate order, and the failures.
// Like every sim.Sink it is called from one goroutine.
type summarySink struct {
	idx     []int
	moments []estimate.Moments
	reps    int
	values  []float64 // every summary of every replicate, in replicate order
	fails   []failure
}

func newSummarySink(idx []int) *summarySink {
	return &summarySink{idx: idx, moments: make([]estimate.Moments, len(idx))}
}

// Consume implements sim.Sink.
func (s *summarySink) Consume(r *sim.RunResult) error {
	if r.Err != nil {
		s.fails = append(s.fails, failure{r.Replicate, r.Err.Error()})
		return nil
	}
	s.reps++
	s.values = append(s.values, r.Summary[:]...)
	for j, i := range s.idx {
		if x := r.Summary[i]; !math.IsNaN(x) {
			s.moments[j].Add(x)
		}
	}
	return nil
}

// record returns the point's journal record: its failures, or the mean,
// standard deviation (NaN below two values) and count of every metric.
func (s *summarySink) record(point int) record {
	if len(s.fails) > 0 {
		return record{point: point, fails: s.fails}
	}
	stats := make([]metricStat, len(s.moments))
	for j, m := range s.moments {
		stats[j] = metricStat{mean: m.Mean, sd: m.SD(), n: m.N}
		if m.N == 0 {
			stats[j].mean = nan()
		}
	}
	return record{point: point, reps: s.reps, stats: stats, values: s.values}
}
