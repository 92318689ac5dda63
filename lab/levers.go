package lab

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/entrench/entrench/scenarios"
)

// Lever is one row of the lab's lever table: a setting the page shows as
// a slider, with its description, unit and range taken from the scenario
// schema (scenarios/schema.go). The range is the one scenarios.Validate
// enforces; the server checks it again before building overrides.
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

	get func(*scenarios.Scenario) float64
}

// levers is the lever table, in page order.
var levers = []Lever{
	{
		Path: "levers.tapi_stake.value", Group: "Stakes", Label: "Gazprom stake in TAPI",
		Unit: "share of full participation, 0–1", Min: 0, Max: 1, Step: 0.01,
		Description: "Gazprom's stake in the TAPI pipeline. It scales the capacity of energy channels; pipeline revenue is a long-lived stake that ties Gazprom and the Kremlin to Afghan security.",
		get:         func(s *scenarios.Scenario) float64 { return s.Levers.TAPIStake.Value },
	},
	{
		Path: "levers.ndn_transit.value", Group: "Stakes", Label: "Northern Distribution Network transit",
		Unit: "share of full demand, 0–1", Min: 0, Max: 1, Step: 0.01,
		Description: "Transit of supplies to Afghanistan across Russia. It scales the capacity of Afghan-transit channels.",
		get:         func(s *scenarios.Scenario) float64 { return s.Levers.NDNTransit.Value },
	},
	{
		Path: "levers.border_cooperation.value", Group: "Stakes", Label: "Border and counternarcotics cooperation",
		Unit: "intensity, 0–1", Min: 0, Max: 1, Step: 0.01,
		Description: "Exchanges, joint conferences and raids on the Tajik-Afghan border. It scales the capacity of border-security and counternarcotics channels.",
		get:         func(s *scenarios.Scenario) float64 { return s.Levers.BorderCooperation.Value },
	},
	{
		Path: "levers.defense_sales.count", Group: "Defense sales", Label: "Major defense contracts",
		Unit: "contracts, 0–20", Min: 0, Max: 20, Step: 1, Integer: true,
		Description: "Russian purchases of European defense equipment (the Mistral ships, the German training centre). Defense-industrial capacity is min(1, contracts × size).",
		get:         func(s *scenarios.Scenario) float64 { return float64(s.Levers.DefenseSales.Count) },
	},
	{
		Path: "levers.defense_sales.size", Group: "Defense sales", Label: "Size of each contract",
		Unit: "share of channel capacity, 0–1", Min: 0, Max: 1, Step: 0.01,
		Description: "The size of each contract as a share of the defense-industrial channels' full capacity.",
		get:         func(s *scenarios.Scenario) float64 { return s.Levers.DefenseSales.Size },
	},
	{
		Path: "levers.defense_sales.follow_on_years", Group: "Defense sales", Label: "Follow-on contracts",
		Unit: "years, 0–50", Min: 0, Max: 50, Step: 0.5, SliderMax: 30,
		Description: "How long follow-on contracts for parts and training keep the stake alive. When positive it replaces the defense-industrial channels' stake persistence.",
		get:         func(s *scenarios.Scenario) float64 { return s.Levers.DefenseSales.FollowOnYears },
	},
	{
		Path: "levers.mil2mil_pressure.value", Group: "Military ties", Label: "Western push for mil-to-mil ties",
		Unit: "0–1", Min: 0, Max: 1, Step: 0.01,
		Description: "How hard the West presses deep military-to-military ties. It raises Western demand in mil-to-mil channels and the threat to their autonomy that Russian military participants feel.",
		get:         func(s *scenarios.Scenario) float64 { return s.Levers.Mil2MilPressure.Value },
	},
	{
		Path: "levers.us_attention.level", Group: "US attention", Label: "US attention floor",
		Unit: "attention, 0–1", Min: 0, Max: 1, Step: 0.01, Keep: true,
		Description: "The level Washington's attention to cooperation decays toward between summits. Unticked, the side keeps its own floor from the scenario.",
		get:         func(s *scenarios.Scenario) float64 { return s.Levers.USAttention.Level },
	},
	{
		Path: "levers.us_attention.decay", Group: "US attention", Label: "US attention decay",
		Unit: "share of the gap closed per month, 0–1", Min: 0, Max: 1, Step: 0.01, SliderMax: 0.3, Keep: true,
		Description: "How fast Washington's attention falls back to its floor after a summit. Unticked, the side keeps its own decay from the scenario.",
		get:         func(s *scenarios.Scenario) float64 { return s.Levers.USAttention.Decay },
	},
	{
		Path: "initiatives.rate_per_year", Group: "Climate", Label: "Summits and initiatives",
		Unit: "per year, 0–24", Min: 0, Max: 24, Step: 0.1, SliderMax: 4,
		Description: "Random summits and diplomatic initiatives (a Poisson process) that raise every capital's attention to cooperation.",
		get:         func(s *scenarios.Scenario) float64 { return s.Initiatives.RatePerYear },
	},
	{
		Path: "crises.rate_per_year", Group: "Climate", Label: "Crises",
		Unit: "per year, 0–24", Min: 0, Max: 24, Step: 0.1, SliderMax: 4,
		Description: "Random crises (a Poisson process) that freeze channel activity and sour officials' dispositions. 0.4 is about six crises in 15 years.",
		get:         func(s *scenarios.Scenario) float64 { return s.Crises.RatePerYear },
	},
	{
		Path: "crises.severity_mean", Group: "Climate", Label: "Crisis severity",
		Unit: "mean severity, strictly between 0 and 1", Min: 0.01, Max: 0.99, Step: 0.01,
		Description: "The mean of the Beta-distributed crisis severity. A crisis of severity 1 freezes all of a channel's activity that stakes and habit do not protect.",
		get:         func(s *scenarios.Scenario) float64 { return s.Crises.SeverityMean },
	},
}

// Levers returns the lever table in page order.
func Levers() []Lever { return slices.Clone(levers) }

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
func (l Lever) Value(sc *scenarios.Scenario) float64 { return l.get(sc) }

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

// leverKey is the lever path of scenarios.LeverPaths that l sets, e.g.
// "tapi_stake" for "levers.tapi_stake.value".
func (l Lever) leverKey() string {
	return strings.TrimSuffix(strings.TrimPrefix(l.Path, "levers."), ".value")
}
