package lab

import (
	"fmt"
	"math"

	"github.com/entrench/entrench/scenarios"
)

// Lever is one row of the lab's lever table: a setting the page shows as
// a slider, with its description, unit and range taken from the lever
// registry (scenarios.LeverSpecs). The range is the one scenarios.Validate
// enforces (an open range's ends are one step inside); the server checks it
// again before building overrides.
type Lever struct {
	// Path is the override key path the lever sets, e.g.
	// "levers.tapi_stake.value" (see scenarios.Override).
	Path string
	// Group is the heading the page shows the lever under.
	Group string
	// Label is the short human name, e.g. "Gazprom stake in TAPI".
	Label string
	// Unit names the unit and scale, e.g. "share of full participation".
	Unit string
	// Min and Max bound the accepted values (inclusive).
	Min, Max float64
	// Step is the slider's step.
	Step float64
	// SliderMax, when positive, ends the slider below Max where larger
	// values are rare; the number box still accepts up to Max.
	SliderMax float64
	// Integer is true for whole-number levers.
	Integer bool
	// Keep is true for levers where -1 means "keep the side's own
	// setting"; the page shows a checkbox for it.
	Keep bool
	// Description says what the lever does in the model.
	Description string

	spec scenarios.LeverSpec
}

// levers is the lever table in page order, read from the registry when
// the package is initialized.
var levers = Levers()

// leverOf makes the lab's row of a registered lever.
func leverOf(s scenarios.LeverSpec) Lever {
	l := Lever{
		Path: s.Path, Group: s.Group, Label: s.Label, Unit: s.Unit, Min: s.Min, Max: s.Max,
		Step: s.Step, SliderMax: s.SliderMax, Integer: s.Integer, Keep: s.Keep, Description: s.Help, spec: s,
	}
	if s.Open {
		l.Min, l.Max = s.Min+s.Step, s.Max-s.Step
	}
	return l
}

// Levers returns the lever table in page order: one row per lever of the
// registry (scenarios.LeverSpecs), read at each call.
func Levers() []Lever {
	specs := scenarios.LeverSpecs()
	ls := make([]Lever, len(specs))
	for i, s := range specs {
		ls[i] = leverOf(s)
	}
	return ls
}

// leverByPath returns the lever with the given path.
func leverByPath(path string) (Lever, bool) {
	for _, l := range levers {
		if l.Path == path {
			return l, true
		}
	}
	return Lever{}, false
}

// Value returns the lever's setting in sc.
func (l Lever) Value(sc *scenarios.Scenario) float64 { return l.spec.Setting(sc).Value }

// Check reports whether x is an allowed setting of the lever: a finite
// number within [Min, Max], whole for Integer levers, or -1 for Keep
// levers.
func (l Lever) Check(x float64) error {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Errorf("%s: %v is not a number", l.Label, x)
	case l.Keep && x == -1:
		return nil
	case x < l.Min || x > l.Max:
		return fmt.Errorf("%s: %s is out of range: must be from %s to %s (%s)", l.Label, formatValue(x), formatValue(l.Min), formatValue(l.Max), l.Unit)
	case l.Integer && x != math.Trunc(x):
		return fmt.Errorf("%s: %s must be a whole number", l.Label, formatValue(x))
	}
	return nil
}

// leverKey is the lever path of the registry that l sets, e.g.
// "tapi_stake" for "levers.tapi_stake.value".
func (l Lever) leverKey() string { return l.spec.Key }
