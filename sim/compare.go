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

	pairs  [NumSummary]estimate.Pairs
	ia, ib []int // metric indices in A and B of Diff's metrics
	buf    []float64
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
