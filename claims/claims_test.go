package claims

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 || (math.IsNaN(a) && math.IsNaN(b)) }

func TestDecide(t *testing.T) {
	tests := []struct {
		name   string
		dir    Direction
		thr    float64
		lo, hi float64
		want   bool
	}{
		{"below, inside", Below, 0, -2, -1, true},
		{"below, straddles", Below, 0, -1, 1, false},
		{"below, wrong side", Below, 0, 1, 2, false},
		{"below a margin", Below, 0.01, -0.1, 0.005, true},
		{"above, inside", Above, 3, 3.5, 4, true},
		{"above, touches", Above, 3, 3, 4, false},
		{"undefined", Above, 0, math.NaN(), math.NaN(), false},
	}
	for _, tc := range tests {
		got := decide(Test{Direction: tc.dir, Threshold: tc.thr}, estimate.Estimate{Lo: tc.lo, Hi: tc.hi})
		if got != tc.want {
			t.Errorf("%s: got %v", tc.name, got)
		}
	}
}

func TestTestsAreWellFormed(t *testing.T) {
	names := map[string]bool{}
	for _, b := range scenarios.Builtins() {
		names[b.Name] = true
	}
	seen := map[int]bool{}
	for i, tc := range Tests() {
		if tc.Claim < 1 || tc.Claim > len(ClaimTexts) {
			t.Errorf("test %d: claim %d", i, tc.Claim)
		}
		seen[tc.Claim] = true
		if !names[tc.A] || (tc.B != "" && !names[tc.B]) {
			t.Errorf("test %d: unknown scenario %q or %q", i, tc.A, tc.B)
		}
		if tc.Measure.Name == "" || tc.Measure.Label == "" || tc.Measure.Value == nil {
			t.Errorf("test %d: incomplete measure %+v", i, tc.Measure)
		}
	}
	if len(seen) != len(ClaimTexts) {
		t.Errorf("claims with tests: %v, want all %d", seen, len(ClaimTexts))
	}
}

func TestPlanSharesBatches(t *testing.T) {
	cs := plan(Tests())
	n := 0
	for _, c := range cs {
		n += len(c.tests)
		if c.a == "backcast-1997-2016" && c.b == "" {
			t.Errorf("the backcast's own tests should ride on its comparison with memo-levers-2010")
		}
	}
	if n != len(Tests()) {
		t.Errorf("plan covers %d tests, want %d", n, len(Tests()))
	}
}

// TestScenarioVariantsDifferOnlyWhereStated guards the common random
// numbers: each variant must be its reference scenario with only the
// stated levers (or crisis climate) changed.
func TestScenarioVariantsDifferOnlyWhereStated(t *testing.T) {
	load := func(name string) *scenarios.Scenario {
		t.Helper()
		sc, err := scenarios.LoadBuiltin(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	base := load("baseline")
	variants := map[string]func(v, b *scenarios.Scenario){
		"tapi-only":          func(v, b *scenarios.Scenario) { v.Levers.TAPIStake = b.Levers.TAPIStake },
		"border-only":        func(v, b *scenarios.Scenario) { v.Levers.BorderCooperation = b.Levers.BorderCooperation },
		"defense-sales-only": func(v, b *scenarios.Scenario) { v.Levers.DefenseSales = b.Levers.DefenseSales },
		"three-stakes": func(v, b *scenarios.Scenario) {
			v.Levers.TAPIStake, v.Levers.BorderCooperation, v.Levers.DefenseSales = b.Levers.TAPIStake, b.Levers.BorderCooperation, b.Levers.DefenseSales
		},
		"mil2mil-push":    func(v, b *scenarios.Scenario) { v.Levers.Mil2MilPressure = b.Levers.Mil2MilPressure },
		"attention-wanes": func(v, b *scenarios.Scenario) { v.Levers.USAttention = b.Levers.USAttention },
		"crisis-prone":    func(v, b *scenarios.Scenario) { v.Crises = b.Crises },
	}
	for name, undo := range variants {
		v := load(name)
		if reflect.DeepEqual(v, base) {
			t.Errorf("%s is the baseline itself", name)
		}
		undo(v, base)
		v.Name, v.Description = base.Name, base.Description
		if !reflect.DeepEqual(v, base) {
			t.Errorf("%s differs from the baseline beyond its stated change", name)
		}
	}

	// memo-levers-2010 is the backcast with lever changes only: the same
	// actors, channels, crisis process and dated crises and steps.
	bc, ml := load("backcast-1997-2016"), load("memo-levers-2010")
	notLever := func(es []scenarios.Event) []scenarios.Event {
		var out []scenarios.Event
		for _, e := range es {
			if e.Kind != scenarios.EventLever {
				out = append(out, e)
			}
		}
		return out
	}
	if !reflect.DeepEqual(notLever(bc.Events), notLever(ml.Events)) {
		t.Errorf("memo-levers-2010 and the backcast differ in their non-lever events")
	}
	ml.Name, ml.Description, ml.Levers, ml.Events = bc.Name, bc.Description, bc.Levers, bc.Events
	if !reflect.DeepEqual(ml, bc) {
		t.Errorf("memo-levers-2010 differs from the backcast beyond its levers")
	}
}

// claimRuns is the replicate count of the reduced claims run in CI.
func claimRuns() int {
	if os.Getenv("ENTRENCH_FULL") != "" {
		return 200
	}
	return 24
}

// TestRunWritesWellFormedTable runs every claim at a reduced count,
// checks the table, the CSV and the figures, and holds the claim
// directions that are robust at this count to their verdicts.
func TestRunWritesWellFormedTable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every claim")
	}
	n := claimRuns()
	rep, err := Run(context.Background(), Settings{Runs: n, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := rep.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{MarkdownFile, CSVFile, "backcast_cooperation_fan.png", "claim6_backcast_vs_memo.png",
		"claim6_difference_fan.svg", "claim2_3_reference_crisis.png", "claim4_ru_military.png", "claim5_attention.png", "claim1_crisis_prone_fan.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty (files: %v)", f, files)
		}
	}

	// CSV: a header and one row per test, every row complete.
	raw, err := os.ReadFile(filepath.Join(dir, CSVFile))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(Tests()) || !reflect.DeepEqual(recs[0], CSVHeader) {
		t.Fatalf("claims.csv has %d records (want %d) and header %v", len(recs), 1+len(Tests()), recs[0])
	}
	// Markdown: a verdict row per claim and a row per test, every
	// verdict one of the three.
	md, err := os.ReadFile(filepath.Join(dir, MarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| #") {
			rows++
			if cells := strings.Count(line, " | "); cells < 3 {
				t.Errorf("short table row: %s", line)
			}
		}
	}
	if rows != len(ClaimTexts)+len(Tests()) {
		t.Errorf("claims.md has %d table rows, want %d", rows, len(ClaimTexts)+len(Tests()))
	}
	if rep.Failed != 0 {
		t.Errorf("%d replicates failed", rep.Failed)
	}

	// Robust directions: these tests must come out supported even at the
	// reduced count (their intervals clear the threshold by a wide margin
	// at 1000 runs; see docs/claims.md). Claim 5 is left out: its effects
	// are small and one of them runs against the claim.
	for _, c := range rep.Claims {
		if len(c.Results) == 0 || c.Text == "" {
			t.Errorf("claim %d is empty", c.Number)
		}
		for _, r := range c.Results {
			if r.N < n-1 {
				t.Errorf("claim %d, %s: only %d of %d replicates defined", c.Number, r.Measure.Name, r.N, n)
			}
			// Claim 1's entrenchment bound was set for the old influence-share
			// proxy; the stress probe (issue 10) keeps more standing under
			// Model 1's low freeze sensitivities, and the bound is for
			// issue 11 to restate on Model 2.
			probeBound := c.Number == 1 && r.Measure.Name == sim.SummaryNames[sim.SumFinalEntrenchment]
			if c.Number != 5 && !probeBound && !r.Supported {
				t.Errorf("claim %d (%s vs %s), %s: estimate %.4g, CI [%.4g, %.4g] does not meet %s",
					c.Number, r.A, r.B, r.Measure.Name, r.Mean, r.Lo, r.Hi, r.Rule())
			}
		}
	}
	if c := rep.Claims[4]; c.Number != 5 || c.Results[2].Measure.Name != refRecovery.Name || c.Results[2].Mean <= 0 {
		t.Errorf("claim 5: waning attention should slow recovery after the reference crisis: %+v", c.Results[2].Estimate)
	}
}

func TestRunRejectsBadSettings(t *testing.T) {
	if _, err := Run(context.Background(), Settings{Runs: 1}); err == nil {
		t.Error("one run should be rejected: no interval")
	}
}

func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Settings{Runs: 4, Workers: 1}); !errors.Is(err, sim.ErrInterrupted) {
		t.Errorf("a cancelled context should interrupt the run: %v", err)
	}
}
