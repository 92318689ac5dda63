package claims

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/entrench/entrench/scenarios"
)

// Reference crises: the same crisis added to every scenario of a test, so
// that resistance is measured against one shock.
const (
	// ReferenceTick is the tick of the reference crisis: eight years into
	// a 15-year run, when slow stakes (pipeline, follow-on contracts) have
	// had time to build.
	ReferenceTick = 96
	// ReferenceWindow is how many ticks after a crisis its drawdown is
	// measured (the lowest point in the crisis tick and the next
	// ReferenceWindow ticks).
	ReferenceWindow = 12
	// RecoveredFraction is the share of its pre-crisis level cooperation
	// must regain to count as recovered.
	RecoveredFraction = 0.9
	// MilitarizedSeverity is the severity of the militarized reference
	// crisis: Georgia 2008 in the backcast (0.8) less a margin, so that
	// stakes have something left to protect.
	MilitarizedSeverity = 0.7
	// DiplomaticSeverity is the severity of the diplomatic reference
	// crisis: Iraq 2003 and Libya 2011 in the backcast.
	DiplomaticSeverity = 0.5
)

// Reference says which reference crisis a scenario gets.
type Reference int

// Reference crises.
const (
	NoReference Reference = iota
	// Militarized: a militarized crisis of MilitarizedSeverity on every
	// channel at ReferenceTick.
	Militarized
	// Diplomatic: a diplomatic crisis of DiplomaticSeverity on every
	// channel at ReferenceTick (Model 2's crisis kinds).
	Diplomatic
)

func (r Reference) suffix() string {
	switch r {
	case Militarized:
		return "+ref"
	case Diplomatic:
		return "+dipref"
	}
	return ""
}

// Variant names of built-ins changed in code (a --set cannot drop events).
const (
	// NoReset drops the backcast's two exogenous policy rows that push
	// recovery after 2008 (the 2009-01 new administration and the 2009-03
	// reset), so the recovery must come from the model alone.
	NoReset = "noreset"
)

// noResetDates are the dates of the events NoReset drops.
var noResetDates = []string{"2009-01", "2009-03"}

// Scenario is a scenario as a test runs it: a built-in with an optional
// reference crisis and variant.
type Scenario struct {
	// Name is the built-in scenario's name.
	Name string
	// Ref is the reference crisis added, if any.
	Ref Reference
	// Variant is "" or NoReset.
	Variant string
}

// Key names the scenario as run, e.g. "tapi-only+ref".
func (s Scenario) Key() string {
	k := s.Name + s.Ref.suffix()
	if s.Variant != "" {
		k += "+" + s.Variant
	}
	return k
}

// world is a scenario with the overrides of a world (the --set values, a
// coefficient set) and of a placebo, if any.
type world struct {
	sc      Scenario
	placebo []scenarios.Override
}

func (w world) key() string {
	k := w.sc.Key()
	for _, o := range w.placebo {
		k += " [" + o.String() + "]"
	}
	return k
}

// errNotRunnable marks a scenario this model cannot build (an unknown
// built-in or key, a crisis kind it lacks); the tests that need it are
// reported as not run, the others go on.
var errNotRunnable = errors.New("claims: scenario not runnable on this model")

// build loads w's scenario with overrides (applied first) and the
// placebo's, adds the reference crisis and applies the variant.
func build(w world, overrides []scenarios.Override, seed uint64, runs int) (*scenarios.Scenario, error) {
	ovs := append(append([]scenarios.Override(nil), overrides...), w.placebo...)
	sc, err := scenarios.LoadBuiltin(w.sc.Name, ovs)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", errNotRunnable, w.key(), err)
	}
	sc.Seed, sc.Runs = seed, runs
	switch w.sc.Variant {
	case "":
	case NoReset:
		sc.Events = slices.DeleteFunc(sc.Events, func(e scenarios.Event) bool {
			for _, d := range noResetDates {
				if e.Date.String() == d && e.Kind != scenarios.EventCrisis {
					return true
				}
			}
			return false
		})
	default:
		return nil, fmt.Errorf("%w: unknown variant %q", errNotRunnable, w.sc.Variant)
	}
	if w.sc.Ref != NoReference {
		if sc.Horizon < ReferenceTick+ReferenceWindow {
			return nil, fmt.Errorf("%w: scenario %s is too short (%d ticks) for a reference crisis at tick %d", errNotRunnable, w.sc.Name, sc.Horizon, ReferenceTick)
		}
		ev := scenarios.Event{
			Date: sc.DateOf(ReferenceTick), Name: "reference crisis", Kind: scenarios.EventCrisis,
			Channels: []string{"all"}, Sides: []string{"all"}, Severity: MilitarizedSeverity,
			Source: "claims: the same reference crisis in every scenario of a test",
		}
		kind := "militarized"
		if w.sc.Ref == Diplomatic {
			ev.Severity, kind = DiplomaticSeverity, "diplomatic"
		}
		if err := setCrisisKind(&ev, kind); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", errNotRunnable, w.key(), err)
		}
		sc.Events = append(sc.Events, ev)
	}
	return sc, nil
}

// setCrisisKind sets the crisis kind of ev (Model 2's Event.CrisisKind).
// A schema without crisis kinds has only militarized crises.
func setCrisisKind(ev *scenarios.Event, kind string) error {
	f := reflect.ValueOf(ev).Elem().FieldByName("CrisisKind")
	if !f.IsValid() || f.Kind() != reflect.String {
		if kind == "militarized" {
			return nil
		}
		return fmt.Errorf("this model has no %s crises (no event crisis_kind)", kind)
	}
	f.SetString(kind)
	return nil
}

// parseOverrides parses key=value strings.
func parseOverrides(sets []string) ([]scenarios.Override, error) {
	var ovs []scenarios.Override
	for _, s := range sets {
		o, err := scenarios.ParseOverride(strings.TrimSpace(s))
		if err != nil {
			return nil, err
		}
		ovs = append(ovs, o)
	}
	return ovs, nil
}
