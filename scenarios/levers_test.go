package scenarios_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/entrench/entrench/scenarios"
)

func spec(t *testing.T, key string) scenarios.LeverSpec {
	t.Helper()
	i, ok := scenarios.LeverIndex(key)
	if !ok {
		t.Fatalf("no lever %q", key)
	}
	return scenarios.LeverSpecs()[i]
}

// TestLeverCheck checks each kind of range in the registry: inclusive,
// open, integer and keep.
func TestLeverCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  string
		x    float64
		want string
	}{
		{"inclusive low end", "tapi_stake", 0, ""},
		{"inclusive high end", "tapi_stake", 1, ""},
		{"above", "tapi_stake", 1.5, "1.5 is out of range: must be from 0 to 1"},
		{"open end", "crises.severity_mean", 1, "1 is out of range: must be strictly between 0 and 1"},
		{"open inside", "crises.severity_mean", 0.999, ""},
		{"fraction of an integer", "defense_sales.count", 2.5, "2.5 must be a whole number of contracts"},
		{"integer too large", "defense_sales.count", 21, "21 is out of range: must be from 0 to 20"},
		{"keep", "us_attention.level", -1, ""},
		{"keep out of range", "us_attention.decay", -0.5, "-0.5 is out of range: must be -1 (keep the side's own) or from 0 to 1"},
		{"rate", "crises.rate_per_year", 24, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spec(t, tc.key)
			if got := s.Check(tc.x); got != tc.want {
				t.Errorf("%s.Check(%v) = %q, want %q", tc.key, tc.x, got, tc.want)
			}
		})
	}
}

// TestLeverSettingReadsPath checks that every lever's Setting reads the
// value its Path sets in a scenario file.
func TestLeverSettingReadsPath(t *testing.T) {
	for _, s := range scenarios.LeverSpecs() {
		x := s.Min + s.Step
		sc, err := scenarios.LoadBuiltin("baseline", []scenarios.Override{{Path: s.Path, Value: strconv.FormatFloat(x, 'g', -1, 64)}})
		if err != nil {
			t.Errorf("%s=%v: %v", s.Path, x, err)
			continue
		}
		if got := s.Setting(sc).Value; got != x {
			t.Errorf("%s: Setting reads %v after setting %v", s.Key, got, x)
		}
	}
}

func TestRegisterLeverRefuses(t *testing.T) {
	n := len(scenarios.LeverSpecs())
	ok := scenarios.LeverSpec{Key: "x", Path: "x", Min: 0, Max: 1, Step: 0.1,
		Setting: func(*scenarios.Scenario) scenarios.LeverSetting { return scenarios.LeverSetting{} }}
	for _, tc := range []struct {
		name string
		edit func(*scenarios.LeverSpec)
	}{
		{"duplicate key", func(l *scenarios.LeverSpec) { l.Key = "tapi_stake" }},
		{"no key", func(l *scenarios.LeverSpec) { l.Key = "" }},
		{"no setting", func(l *scenarios.LeverSpec) { l.Setting = nil }},
		{"empty range", func(l *scenarios.LeverSpec) { l.Min = 1 }},
		{"no step", func(l *scenarios.LeverSpec) { l.Step = 0 }},
	} {
		l := ok
		tc.edit(&l)
		if err := scenarios.RegisterLever(l); !errors.Is(err, scenarios.ErrLeverSpec) {
			t.Errorf("%s: %v, want ErrLeverSpec", tc.name, err)
		}
	}
	if got := len(scenarios.LeverSpecs()); got != n {
		t.Errorf("refused registrations changed the registry from %d to %d levers", n, got)
	}
}
