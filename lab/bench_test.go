package lab

import (
	"context"
	"testing"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// BenchmarkNewResult measures what the lab adds to a run: the table and
// the six SVG figures of a baseline comparison.
func BenchmarkNewResult(b *testing.B) {
	a, err := scenarios.LoadBuiltin("baseline", nil)
	if err != nil {
		b.Fatal(err)
	}
	bb, _ := scenarios.LoadBuiltin("baseline", []scenarios.Override{{Path: "levers.tapi_stake.value", Value: "0.8"}})
	ma, _ := sim.Compile(a)
	mb, _ := sim.Compile(bb)
	c, rep, err := sim.Compare(context.Background(), ma, mb, sim.Options{Runs: 20}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newResult(c, rep, a, bb, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompare300 measures the run itself: 300 pairs of baseline
// runs, as the lab's default.
func BenchmarkCompare300(b *testing.B) {
	a, _ := scenarios.LoadBuiltin("baseline", nil)
	bb, _ := scenarios.LoadBuiltin("baseline", []scenarios.Override{{Path: "levers.tapi_stake.value", Value: "0.8"}})
	ma, _ := sim.Compile(a)
	mb, _ := sim.Compile(bb)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := sim.Compare(context.Background(), ma, mb, sim.Options{Runs: 300}, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
