package calibrate

import (
	"testing"

	"github.com/entrench/entrench/scenarios"
)

func TestStatistic(t *testing.T) {
	start := scenarios.Month(2008*12 + 0) // 2008-01
	dates := make([]scenarios.Month, 12)
	for i := range dates {
		dates[i] = start + scenarios.Month(i)
	}
	x := []float64{0.6, 0.6, 0.5, 0.2, 0.1, 0.1, 0.25, 0.35, 0.4, 0.5, 0.5, 0.5}
	tests := []struct {
		name string
		t    TargetSpec
		p    Point
		want float64
	}{
		{"mean of ticks 2..4", TargetSpec{Statistic: YearlyMean}, Point{t0: 2, t1: 4}, (0.5 + 0.2 + 0.1) / 3},
		{"falls below after 2008-01", TargetSpec{Statistic: FallsBelow, Level: 0.3, afterTick: 0}, Point{}, dates[3].DecimalYear()},
		{"falls below after 2008-05", TargetSpec{Statistic: FallsBelow, Level: 0.3, afterTick: 4}, Point{}, dates[5].DecimalYear()},
		{"rises above after 2008-05", TargetSpec{Statistic: RisesAbove, Level: 0.3, afterTick: 4}, Point{}, dates[7].DecimalYear()},
		{"rises to the level exactly", TargetSpec{Statistic: RisesAbove, Level: 0.4, afterTick: 4}, Point{}, dates[8].DecimalYear()},
		{"never: the month after the end", TargetSpec{Statistic: FallsBelow, Level: 0.05, afterTick: 0}, Point{}, (dates[11] + 1).DecimalYear()},
	}
	for _, tt := range tests {
		if got := statistic(tt.t, tt.p, x, dates); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
