package scenarios

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestRangesCoverCoefficients fails when a numeric coefficient has no
// plausible range: add a row to coefficientRanges (with its reason) for
// every new field of Coefficients.
func TestRangesCoverCoefficients(t *testing.T) {
	have := map[string]Range{}
	for _, r := range AllCoefficientRanges() {
		if _, dup := have[r.Key]; dup {
			t.Errorf("%s: two rows", r.Key)
		}
		have[r.Key] = r
	}
	for k := range NumericCoefficientKeys() {
		if _, ok := have[k]; !ok {
			t.Errorf("%s: numeric coefficient without a plausible range in scenarios/ranges.go", k)
		}
	}
	for _, r := range AllCoefficientRanges() {
		if !NumericCoefficientKeys()[r.Key] {
			t.Logf("%s: range kept for a key the schema does not have (yet)", r.Key)
		}
	}
}

// TestRangesHoldDefaults checks every range is well formed, explained,
// and contains the coefficient's default.
func TestRangesHoldDefaults(t *testing.T) {
	def := reflect.ValueOf(DefaultCoefficients())
	typ := def.Type()
	byKey := map[string]float64{}
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
		switch v := def.Field(i); v.Kind() {
		case reflect.Float64:
			byKey["model."+name] = v.Float()
		case reflect.Int:
			byKey["model."+name] = float64(v.Int())
		}
	}
	for _, r := range CoefficientRanges() {
		if !(r.Lo < r.Hi) || r.Reason == "" {
			t.Errorf("%s: range [%g, %g] reason %q", r.Key, r.Lo, r.Hi, r.Reason)
		}
		if d := byKey[r.Key]; d < r.Lo || d > r.Hi {
			t.Errorf("%s: default %g outside [%g, %g]", r.Key, d, r.Lo, r.Hi)
		}
	}
}

// TestRangeValuesLoad checks the ends of every range load as overrides of
// the baseline (they pass validation).
func TestRangeValuesLoad(t *testing.T) {
	for _, u := range []float64{0, 1} {
		var ovs []Override
		for _, r := range CoefficientRanges() {
			ovs = append(ovs, Override{Path: r.Key, Value: r.Value(u)})
		}
		if _, err := LoadBuiltin("baseline", ovs); err != nil {
			t.Errorf("range ends at u=%g: %v", u, err)
		}
	}
	r := Range{Lo: 1, Hi: 6, Integer: true}
	if got := r.Value(0.55); got != strconv.Itoa(4) {
		t.Errorf("integer value at 0.55 = %s, want 4", got)
	}
}
