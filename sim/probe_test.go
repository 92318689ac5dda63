package sim_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/entrench/entrench/sim"
)

// probeSummary reports whether summary index i comes from the probe.
func probeSummary(i int) bool {
	return i == sim.SumFinalEntrenchment || i == sim.SumTimeToEntrenchment || i == sim.SumMeanEntrenchment
}

// sameRun fails unless a and b agree bit for bit on every non-probe
// series, every event and every non-probe summary.
func sameRun(t *testing.T, m *sim.Model, a, b *sim.RunResult, what string) {
	t.Helper()
	T := len(m.Dates)
	for i, mt := range m.Metrics {
		if mt.Group == "probe" {
			continue
		}
		if !slices.Equal(a.Series[i*T:(i+1)*T], b.Series[i*T:(i+1)*T]) {
			t.Errorf("%s: replicate %d: series %s differs", what, a.Replicate, mt.Name)
		}
	}
	if !slices.Equal(a.Events, b.Events) {
		t.Errorf("%s: replicate %d: events differ", what, a.Replicate)
	}
	for i := range a.Summary {
		x, y := a.Summary[i], b.Summary[i]
		if !probeSummary(i) && x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			t.Errorf("%s: replicate %d: summary %s differs: %v vs %v", what, a.Replicate, sim.SummaryNames[i], x, y)
		}
	}
}

// TestProbeLeavesRunUntouched: probing every 12 months or not at all
// changes no run output, only the probe's own series and summaries (which
// are not vacuous: the probe does measure something).
func TestProbeLeavesRunUntouched(t *testing.T) {
	for _, name := range []string{"baseline", "backcast-1997-2016"} {
		on, m := runAll(t, loadBuiltin(t, name, "metrics.probe_every_months=12"), 4, 2)
		off, _ := runAll(t, loadBuiltin(t, name, "metrics.probe_every_months=0"), 4, 2)
		measured := 0.0
		for i := range on {
			sameRun(t, m, on[i], off[i], name)
			measured += on[i].Summary[sim.SumMeanEntrenchment]
			if !math.IsNaN(off[i].Summary[sim.SumFinalEntrenchment]) || !math.IsNaN(off[i].Summary[sim.SumMeanEntrenchment]) {
				t.Errorf("%s: with probing off the probe summaries should be undefined, got %v", name, off[i].Summary)
			}
			if e := series(t, m, off[i], "entrenchment"); slices.Max(e) != 0 {
				t.Errorf("%s: with probing off the entrenchment series should be 0", name)
			}
		}
		if !(measured > 0) {
			t.Errorf("%s: the probe measured nothing (mean entrenchment %v)", name, measured)
		}
	}
}

// TestProbeDeterministicAndCRN: the same seed gives the same probe series;
// probing more often changes no run output; the probe series hold their
// value between probe dates and change only at them.
func TestProbeDeterministicAndCRN(t *testing.T) {
	sc := loadBaseline(t, "crises.rate_per_year=1")
	a, m := runAll(t, sc, 3, 2)
	b, _ := runAll(t, loadBaseline(t, "crises.rate_per_year=1"), 3, 1)
	six, _ := runAll(t, loadBaseline(t, "crises.rate_per_year=1", "metrics.probe_every_months=6"), 3, 2)
	T := len(m.Dates)
	for i := range a {
		if !slices.Equal(a[i].Series, b[i].Series) || !summariesEqual(a[i].Summary, b[i].Summary) {
			t.Errorf("replicate %d: the same seed gave different results", i)
		}
		sameRun(t, m, a[i], six[i], "probing every 6 months")
		ent := series(t, m, a[i], "entrenchment")
		for tk := 1; tk < T; tk++ {
			probeDate := tk%12 == 0 || tk == T-1
			if !probeDate && ent[tk] != ent[tk-1] {
				t.Errorf("replicate %d: entrenchment changed at tick %d, not a probe date", i, tk)
				break
			}
		}
		// Probes at the same dates on the same state (months 12, 24, ...)
		// use different stream indices at 6 and 12 months, so their values
		// differ somewhere: the probe's noise is really drawn per probe.
		e6 := series(t, m, six[i], "entrenchment")
		if slices.Equal(ent, e6) {
			t.Errorf("replicate %d: probing every 6 or 12 months gave the same entrenchment series", i)
		}
	}
	for i, mt := range m.Metrics {
		if mt.Group == "probe" && !strings.Contains(mt.Label, "held between probes") {
			t.Errorf("metric %s (index %d): a probe series' label should say it is held between probes: %q", mt.Name, i, mt.Label)
		}
	}
}

func summariesEqual(a, b sim.Summary) bool {
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

// TestProbeStakesEntrench: with stakes, the probe keeps more cooperation
// standing than with the same channels, levers (every stake lever up) and
// crises and no stakes (stake yields zero): by at least 0.05 on average.
func TestProbeStakesEntrench(t *testing.T) {
	n := reps(16)
	levers := []string{"crises.rate_per_year=1", "levers.tapi_stake.value=1", "levers.border_cooperation.value=1",
		"levers.defense_sales.count=3", "levers.defense_sales.size=0.4", "levers.ndn_transit.value=1"}
	staked := loadBaseline(t, levers...)
	bare := loadBaseline(t, levers...)
	for i := range bare.Channels {
		bare.Channels[i].StakeYield = 0
	}
	a, _ := runAll(t, bare, n, 2)
	b, _ := runAll(t, staked, n, 2)
	var ea, eb []float64
	for i := range a {
		ea = append(ea, a[i].Summary[sim.SumMeanEntrenchment])
		eb = append(eb, b[i].Summary[sim.SumMeanEntrenchment])
	}
	d, se := pairedDiff(ea, eb)
	t.Logf("mean entrenchment: no stakes %.3f, stakes %.3f (diff %.3f, se %.4f)", meanOf(ea), meanOf(eb), d, se)
	if !(d >= 0.05 && d > 3*se) {
		t.Errorf("stakes should raise the probe's entrenchment by at least 0.05: diff %.4f, se %.4f", d, se)
	}
}

func TestTimeToEntrenchment(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		months []int
		ent    []float64
		want   float64
	}{
		{"never", []int{12, 24, 36, 48}, []float64{0.1, 0.4, 0.3, 0.2}, nan},
		{"first", []int{12, 24, 36, 48}, []float64{0.6, 0.7, 0.5, 0.9}, 12},
		{"held a year from the second", []int{12, 24, 36, 48}, []float64{0.2, 0.6, 0.55, 0.1}, 24},
		{"dip inside the year", []int{6, 12, 18, 24, 30}, []float64{0.6, 0.4, 0.7, 0.8, 0.9}, 18},
		{"dip past the year does not count", []int{12, 24, 36}, []float64{0.6, 0.6, 0.1}, 12},
		{"last only", []int{12, 24, 36}, []float64{0.1, 0.2, 0.9}, nan},
		{"no later probe within a year", []int{12, 36, 60}, []float64{0.9, 0.9, 0.9}, nan},
		{"at the threshold counts", []int{12, 24}, []float64{0.5, 0.5}, 12},
		{"empty", nil, nil, nan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sim.TimeToEntrenchment(tt.months, tt.ent, 0.5)
			if got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
				t.Errorf("TimeToEntrenchment(%v, %v) = %v, want %v", tt.months, tt.ent, got, tt.want)
			}
		})
	}
}
