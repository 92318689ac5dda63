package sim_test

import (
	"math"
	"testing"

	"github.com/entrench/entrench/sim"
)

func TestMeasures(t *testing.T) {
	xs := []float64{0.5, 0.5, 0.2, 0.1, 0.3, 0.46, 0.5}
	nan := math.NaN()
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"drawdown", sim.Drawdown(xs, 2, 12), 0.4},
		{"drawdown window 0", sim.Drawdown(xs, 2, 0), 0.3},
		{"relative drawdown", sim.RelativeDrawdown(xs, 2, 12), 0.8},
		{"relative drawdown no fall", sim.RelativeDrawdown(xs, 6, 12), 0},
		{"relative drawdown at 0", sim.RelativeDrawdown(xs, 0, 12), nan},
		{"relative drawdown past end", sim.RelativeDrawdown(xs, 7, 12), nan},
		{"relative drawdown from zero", sim.RelativeDrawdown([]float64{0, 0, 0}, 1, 12), nan},
		{"month fall", sim.MonthFall(xs, 2), 0.6},
		{"month fall rise", sim.MonthFall(xs, 4), -2},
		{"recovery", sim.RecoveryTicks(xs, 2, 0.9), 3},
		{"recovery never fell", sim.RecoveryTicks(xs, 1, 0.9), 0},
		{"recovery censored", sim.RecoveryTicks([]float64{1, 1, 0, 0.2}, 2, 0.9), 2},
		{"mean level", sim.MeanLevel(xs), 2.56 / 7},
		{"mean level empty", sim.MeanLevel(nil), nan},
		{"trough", sim.Trough(xs, 2, 2), 0.1},
		{"trough clipped", sim.Trough(xs, 5, 12), 0.46},
		{"trough empty", sim.Trough(xs, 7, 12), math.Inf(1)},
		{"recovery out of range", sim.RecoveryTicks(xs, 9, 0.9), nan},
	}
	for _, tc := range tests {
		if !(tc.got == tc.want || math.Abs(tc.got-tc.want) < 1e-12 || math.IsNaN(tc.got) && math.IsNaN(tc.want)) {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

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
