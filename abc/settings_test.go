package abc

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBadSettings checks that bad problems and settings are errors
// wrapping ErrSettings or ErrPrior, reported before any simulation.
func TestBadSettings(t *testing.T) {
	c := conjugate{n: 5, priorVar: 1}
	good := func() *Problem { return c.problem(t, 0) }
	cases := []struct {
		name string
		p    func() *Problem
		s    Settings
		want error
		msg  string
	}{
		{"nil problem", func() *Problem { return nil }, Settings{}, ErrSettings, "no problem"},
		{"no simulator", func() *Problem { p := good(); p.Simulate = nil; return p }, Settings{}, ErrSettings, "simulator"},
		{"no observed", func() *Problem { p := good(); p.Observed = nil; return p }, Settings{}, ErrSettings, "no observed"},
		{"NaN observed", func() *Problem { p := good(); p.Observed = []float64{math.NaN()}; return p }, Settings{}, ErrSettings, "observed summary 1"},
		{"weights length", func() *Problem { p := good(); p.Weights = []float64{1, 1}; return p }, Settings{}, ErrSettings, "2 summary weights"},
		{"negative weight", func() *Problem { p := good(); p.Weights = []float64{-1}; return p }, Settings{}, ErrSettings, "summary weight 1"},
		{"zero weights", func() *Problem { p := good(); p.Weights = []float64{0}; return p }, Settings{}, ErrSettings, "all summary weights"},
		{"bad prior", func() *Problem { p := good(); p.Params[0].Prior.B = -1; return p }, Settings{}, ErrPrior, `"theta"`},
		{"one particle", good, Settings{Particles: 1}, ErrSettings, "particles"},
		{"negative particles", good, Settings{Particles: -5}, ErrSettings, "particles"},
		{"quantile 1", good, Settings{Quantile: 1}, ErrSettings, "quantile"},
		{"quantile NaN", good, Settings{Quantile: math.NaN()}, ErrSettings, "quantile"},
		{"scale", good, Settings{Scale: 7}, ErrSettings, "scale"},
		{"min tolerance", good, Settings{MinTolerance: -1}, ErrSettings, "minimum tolerance"},
		{"min acceptance", good, Settings{MinAcceptance: 1}, ErrSettings, "minimum acceptance"},
		{"generations", good, Settings{MaxGenerations: -1}, ErrSettings, "maximum generations"},
		{"budget", good, Settings{MaxSimulations: -1}, ErrSettings, "maximum simulations"},
		{"budget below particles", good, Settings{Particles: 100, MaxSimulations: 50}, ErrSettings, "below the 100 particles"},
		{"schedule increasing", good, Settings{Tolerances: []float64{1, 2}}, ErrSettings, "must decrease"},
		{"schedule zero", good, Settings{Tolerances: []float64{1, 0}}, ErrSettings, "tolerance 2"},
		{"schedule Inf", good, Settings{Tolerances: []float64{math.Inf(1)}}, ErrSettings, "tolerance 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), tc.p(), tc.s)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v, want %v mentioning %q", err, tc.want, tc.msg)
			}
		})
	}
}

// TestSimulatorFaults checks that a failing simulator stops the run with
// its error, that wrong summary counts are errors, and that NaN summaries
// are rejected rather than accepted.
func TestSimulatorFaults(t *testing.T) {
	c := conjugate{n: 5, priorVar: 1}
	p := c.problem(t, 0)
	boom := errors.New("boom")
	p.Simulate = func(context.Context, []float64, *rand.Rand) ([]float64, error) { return nil, boom }
	if _, err := Run(context.Background(), p, Settings{Particles: 10}); !errors.Is(err, boom) {
		t.Errorf("simulator error: %v", err)
	}
	p.Simulate = func(context.Context, []float64, *rand.Rand) ([]float64, error) { return []float64{1, 2}, nil }
	if _, err := Run(context.Background(), p, Settings{Particles: 10}); err == nil || !strings.Contains(err.Error(), "2 summaries") {
		t.Errorf("wrong summary count: %v", err)
	}
	// Half the runs fail with NaN: they are never particles.
	p.Simulate = func(ctx context.Context, th []float64, rng *rand.Rand) ([]float64, error) {
		if rng.IntN(2) == 0 {
			return []float64{math.NaN()}, nil
		}
		return c.simulate(ctx, th, rng)
	}
	r, err := Run(context.Background(), p, Settings{Particles: 50, MaxGenerations: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range r.Generations {
		if st.Acceptance > 0.75 {
			t.Errorf("generation %d accepted %.2f of attempts although half fail", st.Generation, st.Acceptance)
		}
	}
	for _, d := range r.Final.Distances {
		if math.IsNaN(d) || math.IsInf(d, 0) {
			t.Errorf("a failed run became a particle")
		}
	}
}

// TestStoppingRules checks the budget, the minimum acceptance and
// tolerance, and the fixed schedule.
func TestStoppingRules(t *testing.T) {
	c := conjugate{n: 20, priorVar: 10}
	run := func(s Settings) *Result {
		t.Helper()
		s.Particles, s.Workers = 200, 2
		r, err := Run(context.Background(), c.problem(t, 0.5), s)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := run(Settings{MaxSimulations: 3000})
	if r.Stop != StopBudget || r.Final.TotalSimulations > 3000 {
		t.Errorf("budget: stop %q after %d simulations", r.Stop, r.Final.TotalSimulations)
	}
	r = run(Settings{MinAcceptance: 0.1})
	if r.Stop != StopAcceptance {
		t.Errorf("min acceptance: stop %q", r.Stop)
	}
	for _, st := range r.Generations {
		if st.Acceptance < 0.1 {
			t.Errorf("generation %d kept with acceptance %.3f", st.Generation, st.Acceptance)
		}
	}
	r = run(Settings{MinTolerance: 0.1})
	if n := len(r.Generations); r.Stop != StopTolerance || r.Final.Tolerance > 0.1 || r.Generations[n-2].Tolerance <= 0.1 {
		t.Errorf("min tolerance: stop %q at tolerance %g", r.Stop, r.Final.Tolerance)
	}
	r = run(Settings{Tolerances: []float64{1, 0.5, 0.2}})
	if r.Stop != StopSchedule || len(r.Generations) != 4 || r.Generations[3].Tolerance != 0.2 {
		t.Errorf("fixed schedule: stop %q, %d generations", r.Stop, len(r.Generations))
	}
}
