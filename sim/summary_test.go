package sim_test

import (
	"math"
	"testing"

	"github.com/entrench/entrench/sim"
)

func TestSetbacks(t *testing.T) {
	tests := []struct {
		name       string
		xs         []float64
		count      int
		maxDepth   float64
		recovered  int
		meanRec    float64
		unrecovery int
	}{
		{"monotone rise", []float64{0, .1, .2, .3}, 0, 0, 0, 0, 0},
		{"small wiggle below threshold", []float64{.5, .49, .5, .49, .5}, 0, 0, 0, 0, 0},
		{"one setback recovered", []float64{.2, .4, .2, .25, .4}, 1, .2, 1, 2, 0},
		{"two forward one back twice", []float64{0, .1, .2, .1, .2, .3, .4, .3, .4}, 2, .1, 2, 1, 0},
		{"fall to the end", []float64{.5, .6, .3, .2}, 1, .4, 0, 0, 1},
		{"second fall before recovery", []float64{.6, .2, .3, .1, .6}, 2, .4, 1, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := sim.Setbacks(tc.xs, 0.05, 0.9)
			if st.Count != tc.count || math.Abs(st.MaxDepth-tc.maxDepth) > 1e-12 || st.Recovered != tc.recovered ||
				math.Abs(st.MeanRecovery-tc.meanRec) > 1e-12 || st.Unrecovered != tc.unrecovery {
				t.Errorf("got %+v; want count %d max %.2f recovered %d meanRec %.1f unrecovered %d",
					st, tc.count, tc.maxDepth, tc.recovered, tc.meanRec, tc.unrecovery)
			}
		})
	}
}

func TestRatchetRatio(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want float64
	}{
		{"monotone", []float64{0, .1, .3}, 1},
		{"two forward one back", []float64{0, .2, .1, .3, .2, .4, .3}, 1.0 / 3},
		{"net loss", []float64{.5, .2}, -1},
		{"flat", []float64{.3, .3}, math.NaN()},
	}
	for _, tc := range tests {
		got := sim.RatchetRatio(tc.xs)
		if math.IsNaN(tc.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-tc.want) > 1e-12) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
