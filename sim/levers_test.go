package sim_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/entrench/entrench/lab"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// knob is a lever added in this test build only: it reads the crisis
// severity concentration, a scenario field no built-in lever covers. Its
// registration shows that a new lever is one registry entry: validation,
// the engine's lever state and the lab's table pick it up.
var knob = scenarios.LeverSpec{
	Key: "crises.severity_concentration", Path: "crises.severity_concentration",
	Group: "Climate", Label: "Crisis severity concentration", Unit: "alpha+beta, 0.5–1000",
	Help: "Test lever.", Min: 0.5, Max: 1000, Step: 0.5,
	Setting: func(s *scenarios.Scenario) scenarios.LeverSetting {
		c := s.Crises.SeverityConcentration
		return scenarios.LeverSetting{Before: c, Value: c}
	},
}

func init() {
	if err := scenarios.RegisterLever(knob); err != nil {
		panic(err)
	}
}

func TestRegisteredLever(t *testing.T) {
	if !slices.Contains(scenarios.LeverKeys(), knob.Key) {
		t.Fatalf("lever keys %v lack the registered %q", scenarios.LeverKeys(), knob.Key)
	}
	if err := scenarios.RegisterLever(knob); !errors.Is(err, scenarios.ErrLeverSpec) {
		t.Errorf("registering %q twice: %v, want ErrLeverSpec", knob.Key, err)
	}

	// Validated: a lever event may set it, within its range only.
	withEvent := func(x float64) *scenarios.Scenario {
		sc := loadBuiltin(t, "tiny")
		sc.Events = append(sc.Events, scenarios.Event{Date: sc.DateOf(3), Name: "knob", Kind: scenarios.EventLever,
			Channels: []string{"all"}, Sides: []string{"all"}, Severity: 0.5, Set: map[string]float64{knob.Key: x}})
		return sc
	}
	err := withEvent(2000).Validate()
	var fe *scenarios.FieldError
	if !errors.Is(err, scenarios.ErrRange) || !errors.As(err, &fe) || fe.Path != fmt.Sprintf("events[%d].set.%s", len(withEvent(0).Events)-1, knob.Key) {
		t.Errorf("setting %s to 2000: %v, want ErrRange at the event's set key", knob.Key, err)
	}

	// Settable by a lever event: the engine's lever state follows it.
	sc := withEvent(7)
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	w := sim.NewWorld(m)
	res := &sim.RunResult{Series: make([]float64, len(m.Metrics)*len(m.Dates))}
	w.Reset(0, 0, res)
	if got := sim.LeverValue(w, knob.Key); got != sc.Crises.SeverityConcentration {
		t.Errorf("at tick 0 the lever is %v, want the scenario's %v", got, sc.Crises.SeverityConcentration)
	}
	for range 3 {
		w.Step()
	}
	if got := sim.LeverValue(w, knob.Key); got != 7 {
		t.Errorf("after the lever event the lever is %v, want 7", got)
	}

	// Listed for the lab, with its range and label.
	i := slices.IndexFunc(lab.Levers(), func(l lab.Lever) bool { return l.Path == knob.Path })
	if i < 0 {
		t.Fatalf("the lab's lever table lacks %s", knob.Path)
	}
	l := lab.Levers()[i]
	if l.Label != knob.Label || l.Min != knob.Min || l.Max != knob.Max || l.Check(1001) == nil || l.Check(4) != nil {
		t.Errorf("lab row %+v does not follow the registry", l)
	}
}
