package sim

import (
	"context"
	"fmt"

	"github.com/entrench/entrench/estimate"
)

// Confidence is the level of the confidence intervals of run summaries
// and paired comparisons.
const Confidence = 0.95

// Comparison accumulates a paired comparison of two models run on the same
// replicate numbers, and so on the same random streams (common random
// numbers): the crisis sequence of replicate r is the same in A and B as
// long as the two share a crisis process. Not safe for concurrent use.
type Comparison struct {
	// A and B aggregate each scenario's runs.
	A, B *Aggregate
	// Diff aggregates the per-tick paired difference B-A of every metric
	// the two models share (by name); its values lie in [-1, 1].
	Diff *Aggregate

	// SharedChannels names the channels present in both models and open
	// (positive capacity) at some tick in both: the channels the
	// shared-channel measures average over, so that a channel added to one
	// scenario cannot move them by averaging.
	SharedChannels []string

	pairs  [NumSummary]estimate.Pairs
	ia, ib []int // metric indices in A and B of Diff's metrics
	buf    []float64
	// shared[k] lists, for shared measure k, the metric index in A and in
	// B of each shared channel's series; sharedPairs accumulates the
	// per-replicate time means.
	shared      [numSharedMeasures][2][]int
	sharedPairs [numSharedMeasures]estimate.Pairs
}

// Shared-channel measures of a comparison: per replicate, the mean over
// ticks of the mean over the shared channels of a per-channel series.
const (
	// SharedCooperation averages the channels' activity (channel.<c>).
	SharedCooperation = iota
	// SharedEntrenchment averages the channels' stress-probe entrenchment
	// (entrenchment.channel.<c>, held between probe dates).
	SharedEntrenchment
	numSharedMeasures
)

// sharedMeasures are the names, labels and series prefixes of the
// shared-channel measures, by index.
var sharedMeasures = [numSharedMeasures]struct{ name, label, prefix string }{
	{"shared_cooperation", "Cooperation, channels in both (mean)", "channel."},
	{"shared_entrenchment", "Entrenchment, channels in both (mean, probe)", "entrenchment.channel."},
}

// Row is one line of a comparison: a summary metric or a shared-channel
// measure, with its paired difference B-A.
type Row struct {
	// Name is the machine name (compare.csv), Label the one for people.
	Name, Label string
	estimate.Difference
}

// Rows returns every line of the comparison: the run summaries in
// SummaryNames order, then the shared-channel measures (empty when the
// two scenarios share no open channel).
func (c *Comparison) Rows() []Row {
	rows := make([]Row, 0, NumSummary+numSharedMeasures)
	for i := range NumSummary {
		rows = append(rows, Row{SummaryNames[i], SummaryLabels[i], c.Paired(i)})
	}
	if len(c.SharedChannels) == 0 {
		return rows
	}
	for k, sm := range sharedMeasures {
		rows = append(rows, Row{sm.name, sm.label, c.sharedPairs[k].Difference(Confidence)})
	}
	return rows
}

// setShared resolves the shared channels of a and b and the metric
// indices of their per-channel series.
func (c *Comparison) setShared(a, b *Model) {
	openA, openB := a.OpenChannels(), b.OpenChannels()
	index := func(m *Model, name string) int {
		for i, mt := range m.Metrics {
			if mt.Name == name {
				return i
			}
		}
		return -1
	}
	for i, ch := range a.Scenario.Channels {
		j := -1
		for k, x := range b.Scenario.Channels {
			if x.Name == ch.Name {
				j = k
			}
		}
		if j < 0 || !openA[i] || !openB[j] {
			continue
		}
		var ix [numSharedMeasures][2]int
		ok := true
		for k, sm := range sharedMeasures {
			ix[k] = [2]int{index(a, sm.prefix+ch.Name), index(b, sm.prefix+ch.Name)}
			ok = ok && ix[k][0] >= 0 && ix[k][1] >= 0
		}
		if !ok {
			continue
		}
		c.SharedChannels = append(c.SharedChannels, ch.Name)
		for k := range sharedMeasures {
			c.shared[k][0] = append(c.shared[k][0], ix[k][0])
			c.shared[k][1] = append(c.shared[k][1], ix[k][1])
		}
	}
}

// sharedMean returns the mean over ticks of the mean over channels of the
// series at metric indices idx of run r.
func sharedMean(r *RunResult, idx []int, T int) float64 {
	var s float64
	for _, i := range idx {
		s += MeanLevel(r.Series[i*T : (i+1)*T])
	}
	return s / float64(len(idx))
}

// NewComparison prepares a comparison of a and b, which must have the same
// calendar (start, tick length and horizon).
func NewComparison(a, b *Model) (*Comparison, error) {
	if len(a.Dates) != len(b.Dates) || a.Dates[0] != b.Dates[0] || a.Scenario.TickMonths != b.Scenario.TickMonths {
		return nil, fmt.Errorf("sim: cannot compare %s (%s, %d ticks) with %s (%s, %d ticks): start, tick length and horizon must match",
			a.Scenario.Name, a.Dates[0], len(a.Dates), b.Scenario.Name, b.Dates[0], len(b.Dates))
	}
	c := &Comparison{A: a.NewAggregate(), B: b.NewAggregate()}
	var shared []Metric
	for i, m := range a.Metrics {
		for j, n := range b.Metrics {
			if m.Name == n.Name {
				shared = append(shared, m)
				c.ia, c.ib = append(c.ia, i), append(c.ib, j)
				break
			}
		}
	}
	c.Diff = NewAggregateRange(shared, a.Dates, -1, 1)
	c.buf = make([]float64, len(shared)*len(a.Dates))
	c.setShared(a, b)
	return c, nil
}

// Add adds one replicate's pair of results (same replicate number).
func (c *Comparison) Add(ra, rb *RunResult) error {
	if err := c.A.Consume(ra); err != nil {
		return err
	}
	if err := c.B.Consume(rb); err != nil {
		return err
	}
	if ra.Err != nil || rb.Err != nil {
		c.Diff.Failed++
		return nil
	}
	T := c.A.Ticks
	for k := range c.ia {
		sa := ra.Series[c.ia[k]*T : (c.ia[k]+1)*T]
		sb := rb.Series[c.ib[k]*T : (c.ib[k]+1)*T]
		d := c.buf[k*T : (k+1)*T]
		for t := range d {
			d[t] = sb[t] - sa[t]
		}
	}
	if err := c.Diff.Consume(&RunResult{Replicate: ra.Replicate, Series: c.buf}); err != nil {
		return err
	}
	for i := range c.pairs {
		c.pairs[i].Add(ra.Summary[i], rb.Summary[i])
	}
	if len(c.SharedChannels) > 0 {
		for k := range c.sharedPairs {
			c.sharedPairs[k].Add(sharedMean(ra, c.shared[k][0], T), sharedMean(rb, c.shared[k][1], T))
		}
	}
	return nil
}

// Paired returns the paired comparison of summary metric i between A
// and B over the replicates where it is defined in both: the mean
// difference B-A with its interval at level Confidence, the means of each
// side and how much common random numbers narrowed the interval.
func (c *Comparison) Paired(i int) estimate.Difference {
	return c.pairs[i].Difference(Confidence)
}

// Compare runs opt.Runs replicates of a and b in parallel, replicate r of
// both on the same random streams (the seed, design point and replicate
// number of each; give both models the same seed for common random
// numbers), and feeds each pair, in replicate order, to the comparison and
// to sinksA and sinksB. Interruption and failures behave as in Batch.
func Compare(ctx context.Context, a, b *Model, opt Options, sinksA, sinksB []Sink) (*Comparison, Report, error) {
	c, err := NewComparison(a, b)
	if err != nil {
		return nil, Report{}, err
	}
	rep, err := batch(ctx, []*Model{a, b}, opt, func(rs []*RunResult) error {
		for _, s := range sinksA {
			if err := s.Consume(rs[0]); err != nil {
				return err
			}
		}
		for _, s := range sinksB {
			if err := s.Consume(rs[1]); err != nil {
				return err
			}
		}
		return c.Add(rs[0], rs[1])
	})
	return c, rep, err
}
