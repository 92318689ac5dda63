package scenarios

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// LeverSpec describes one lever: a policy setting a scenario file sets
// under levers (or crises, initiatives) and a lever event may change at a
// date. The registry of LeverSpecs is the one place a lever is declared:
// validation, the engine (sim.Compile), the lab's sliders and the sweep's
// factor checks all read it. Adding a lever is one entry in leverTable plus
// its effect in the engine.
type LeverSpec struct {
	// Key is the lever path a lever event sets, e.g. "tapi_stake" or
	// "defense_sales.count". Required and unique.
	Key string
	// Path is the key path of the lever's value in a scenario file, as an
	// override names it, e.g. "levers.tapi_stake.value".
	Path string
	// Group is the heading the lab shows the lever under.
	Group string
	// Label is the short human name, e.g. "Gazprom stake in TAPI".
	Label string
	// Unit names the unit and scale, e.g. "share of full participation, 0–1".
	Unit string
	// Help says what the lever does in the model.
	Help string
	// Min and Max bound the accepted values, inclusive unless Open.
	Min, Max float64
	// Open excludes Min and Max themselves (crises.severity_mean is
	// strictly between 0 and 1).
	Open bool
	// Integer is true for whole-number levers; Noun names what they count,
	// for messages ("contracts").
	Integer bool
	Noun    string
	// Keep is true for levers where -1 means "keep the side's own setting".
	Keep bool
	// Step is the lab slider's step (> 0); SliderMax, when positive, ends
	// the slider below Max where larger values are rare.
	Step, SliderMax float64
	// Setting reads the lever's schedule from a scenario. Required.
	Setting func(*Scenario) LeverSetting
}

// LeverSetting is a lever's schedule in a scenario: Before until the month
// From, Value from then on (from the start when From is zero or not after
// the start). For a Keep lever Before is -1 (keep).
type LeverSetting struct {
	Before, Value float64
	From          Month
}

// leverTable is the lever registry, in the lab's page order.
var leverTable = []LeverSpec{
	{
		Key: "tapi_stake", Path: "levers.tapi_stake.value", Group: "Stakes", Label: "Gazprom stake in TAPI",
		Unit: "share of full participation, 0–1", Min: 0, Max: 1, Step: 0.01,
		Help:    "Gazprom's stake in the TAPI pipeline. It scales the capacity of energy channels; pipeline revenue is a long-lived stake that ties Gazprom and the Kremlin to Afghan security.",
		Setting: func(s *Scenario) LeverSetting { return simpleSetting(s.Levers.TAPIStake) },
	},
	{
		Key: "ndn_transit", Path: "levers.ndn_transit.value", Group: "Stakes", Label: "Northern Distribution Network transit",
		Unit: "share of full demand, 0–1", Min: 0, Max: 1, Step: 0.01,
		Help:    "Transit of supplies to Afghanistan across Russia. It scales the capacity of Afghan-transit channels.",
		Setting: func(s *Scenario) LeverSetting { return simpleSetting(s.Levers.NDNTransit) },
	},
	{
		Key: "border_cooperation", Path: "levers.border_cooperation.value", Group: "Stakes", Label: "Border and counternarcotics cooperation",
		Unit: "intensity, 0–1", Min: 0, Max: 1, Step: 0.01,
		Help:    "Exchanges, joint conferences and raids on the Tajik-Afghan border. It scales the capacity of border-security and counternarcotics channels.",
		Setting: func(s *Scenario) LeverSetting { return simpleSetting(s.Levers.BorderCooperation) },
	},
	{
		Key: "defense_sales.count", Path: "levers.defense_sales.count", Group: "Defense sales", Label: "Major defense contracts",
		Unit: "contracts, 0–20", Min: 0, Max: 20, Step: 1, Integer: true, Noun: "contracts",
		Help: "Russian purchases of European defense equipment (the Mistral ships, the German training centre). Defense-industrial capacity is min(1, contracts × size).",
		Setting: func(s *Scenario) LeverSetting {
			ds := s.Levers.DefenseSales
			return LeverSetting{Before: 0, Value: float64(ds.Count), From: ds.From}
		},
	},
	{
		Key: "defense_sales.size", Path: "levers.defense_sales.size", Group: "Defense sales", Label: "Size of each contract",
		Unit: "share of channel capacity, 0–1", Min: 0, Max: 1, Step: 0.01,
		Help: "The size of each contract as a share of the defense-industrial channels' full capacity.",
		Setting: func(s *Scenario) LeverSetting {
			ds := s.Levers.DefenseSales
			return LeverSetting{Before: ds.Size, Value: ds.Size, From: ds.From}
		},
	},
	{
		Key: "defense_sales.follow_on_years", Path: "levers.defense_sales.follow_on_years", Group: "Defense sales", Label: "Follow-on contracts",
		Unit: "years, 0–50", Min: 0, Max: 50, Step: 0.5, SliderMax: 30,
		Help: "How long follow-on contracts for parts and training keep the stake alive. When positive it replaces the defense-industrial channels' stake persistence.",
		Setting: func(s *Scenario) LeverSetting {
			ds := s.Levers.DefenseSales
			return LeverSetting{Before: ds.FollowOnYears, Value: ds.FollowOnYears, From: ds.From}
		},
	},
	{
		Key: "mil2mil_pressure", Path: "levers.mil2mil_pressure.value", Group: "Military ties", Label: "Western push for mil-to-mil ties",
		Unit: "0–1", Min: 0, Max: 1, Step: 0.01,
		Help:    "How hard the West presses deep military-to-military ties. It raises Western demand in mil-to-mil channels and the threat to their autonomy that Russian military participants feel.",
		Setting: func(s *Scenario) LeverSetting { return simpleSetting(s.Levers.Mil2MilPressure) },
	},
	{
		Key: "us_attention.level", Path: "levers.us_attention.level", Group: "US attention", Label: "US attention floor",
		Unit: "attention, 0–1", Min: 0, Max: 1, Step: 0.01, Keep: true,
		Help: "The level Washington's attention to cooperation decays toward between summits. Unticked, the side keeps its own floor from the scenario.",
		Setting: func(s *Scenario) LeverSetting {
			a := s.Levers.USAttention
			return LeverSetting{Before: -1, Value: a.Level, From: a.From}
		},
	},
	{
		Key: "us_attention.decay", Path: "levers.us_attention.decay", Group: "US attention", Label: "US attention decay",
		Unit: "share of the gap closed per month, 0–1", Min: 0, Max: 1, Step: 0.01, SliderMax: 0.3, Keep: true,
		Help: "How fast Washington's attention falls back to its floor after a summit. Unticked, the side keeps its own decay from the scenario.",
		Setting: func(s *Scenario) LeverSetting {
			a := s.Levers.USAttention
			return LeverSetting{Before: -1, Value: a.Decay, From: a.From}
		},
	},
	{
		Key: "initiatives.rate_per_year", Path: "initiatives.rate_per_year", Group: "Climate", Label: "Summits and initiatives",
		Unit: "per year, 0–24", Min: 0, Max: 24, Step: 0.1, SliderMax: 4,
		Help: "Random summits and diplomatic initiatives (a Poisson process) that raise every capital's attention to cooperation.",
		Setting: func(s *Scenario) LeverSetting {
			r := s.Initiatives.RatePerYear
			return LeverSetting{Before: r, Value: r}
		},
	},
	{
		Key: "crises.rate_per_year", Path: "crises.rate_per_year", Group: "Climate", Label: "Crises",
		Unit: "per year, 0–24", Min: 0, Max: 24, Step: 0.1, SliderMax: 4,
		Help: "Random crises (a Poisson process) that freeze channel activity and sour officials' dispositions. 0.4 is about six crises in 15 years.",
		Setting: func(s *Scenario) LeverSetting {
			return LeverSetting{Before: 0, Value: s.Crises.RatePerYear, From: s.Crises.From}
		},
	},
	{
		Key: "crises.severity_mean", Path: "crises.severity_mean", Group: "Climate", Label: "Crisis severity",
		Unit: "mean severity, strictly between 0 and 1", Min: 0, Max: 1, Open: true, Step: 0.01,
		Help: "The mean of the Beta-distributed crisis severity. A crisis of severity 1 freezes all of a channel's activity that stakes and habit do not protect.",
		Setting: func(s *Scenario) LeverSetting {
			m := s.Crises.SeverityMean
			return LeverSetting{Before: m, Value: m, From: s.Crises.From}
		},
	},
	{
		Key: "crises.militarized_share", Path: "crises.militarized_share", Group: "Climate", Label: "Share of militarized crises",
		Unit: "probability, 0–1", Min: 0, Max: 1, Step: 0.01,
		Help: "The probability that a random crisis is militarized (Kosovo, Georgia, Crimea: it hits every channel) rather than diplomatic (Iraq, Libya: it barely touches practical work). The kind is drawn every tick, so crisis kinds are common across scenarios.",
		Setting: func(s *Scenario) LeverSetting {
			m := s.Crises.MilitarizedShare
			return LeverSetting{Before: m, Value: m}
		},
	},
}

func simpleSetting(l Lever) LeverSetting {
	return LeverSetting{Before: l.Before, Value: l.Value, From: l.From}
}

// LeverSpecs returns the lever registry in the lab's page order. The slice is
// a copy; its index of a lever is the one LeverIndex returns.
func LeverSpecs() []LeverSpec { return slices.Clone(leverTable) }

// LeverIndex returns the position of the lever with lever path key in
// LeverSpecs, or false when there is none.
func LeverIndex(key string) (int, bool) {
	i := slices.IndexFunc(leverTable, func(l LeverSpec) bool { return l.Key == key })
	return i, i >= 0
}

// LeverKeys returns every lever path a lever event may set, in registry
// order.
func LeverKeys() []string {
	keys := make([]string, len(leverTable))
	for i, l := range leverTable {
		keys[i] = l.Key
	}
	return keys
}

// ErrLeverSpec is wrapped by RegisterLever's errors.
var ErrLeverSpec = errors.New("scenarios: bad lever spec")

// RegisterLever appends a lever to the registry, as image.RegisterFormat
// does for formats: call it from an init function (of a package that also
// gives the lever its effect in the engine, or of a test), never while
// scenarios are being validated or compiled. It refuses an entry with a
// duplicate or empty key, no Setting, a bad range or a step that is not
// positive.
func RegisterLever(l LeverSpec) error {
	switch {
	case l.Key == "" || l.Path == "":
		return fmt.Errorf("%w: key and path are required", ErrLeverSpec)
	case slices.Contains(LeverKeys(), l.Key):
		return fmt.Errorf("%w: lever %q is already registered", ErrLeverSpec, l.Key)
	case l.Setting == nil:
		return fmt.Errorf("%w: lever %q has no Setting", ErrLeverSpec, l.Key)
	case !(l.Min < l.Max) || math.IsInf(l.Min, 0) || math.IsInf(l.Max, 0):
		return fmt.Errorf("%w: lever %q: range [%v, %v] is empty or not finite", ErrLeverSpec, l.Key, l.Min, l.Max)
	case !(l.Step > 0):
		return fmt.Errorf("%w: lever %q: step %v must be greater than 0", ErrLeverSpec, l.Key, l.Step)
	}
	leverTable = append(leverTable, l)
	return nil
}

// Check reports a problem with x as a setting of the lever: a message
// saying what is allowed, or "" when x is allowed. The message starts with
// the value, e.g. "1.5 is out of range: must be from 0 to 1".
func (l *LeverSpec) Check(x float64) string {
	switch {
	case l.Keep:
		if x != -1 && !(x >= l.Min && x <= l.Max) {
			return fmt.Sprintf("%s is out of range: must be -1 (keep the side's own) or from %s to %s", num(x), num(l.Min), num(l.Max))
		}
	case l.Integer && x != math.Trunc(x):
		return fmt.Sprintf("%s must be a whole number of %s", num(x), l.Noun)
	case l.Open:
		if !(x > l.Min && x < l.Max) {
			return fmt.Sprintf("%s is out of range: must be strictly between %s and %s", num(x), num(l.Min), num(l.Max))
		}
	default:
		if !(x >= l.Min && x <= l.Max) {
			return fmt.Sprintf("%s is out of range: must be from %s to %s", num(x), num(l.Min), num(l.Max))
		}
	}
	return ""
}
