package reference

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultCheck(t *testing.T) {
	type s struct {
		A float64 `yaml:"a"`
		B string  `yaml:"b"`
		C int     `yaml:"c"`
	}
	c := &comments{types: map[string]string{"s": "S is a test."}, fields: map[string]map[string]string{"s": {
		"A": "A is a rate, 0 to 1. Default 0.3.",
		"B": `B is a side. Default "washington".`,
		"C": "C is a count, 1 to 10,000. Default 1,000.",
	}}}
	tests := []struct {
		name string
		v    s
		bad  []string // fields reported
	}{
		{"agree", s{A: 0.3, B: "washington", C: 1000}, nil},
		{"number", s{A: 0.35, B: "washington", C: 1000}, []string{"s.A"}},
		{"string and int", s{A: 0.3, B: "moscow", C: 999}, []string{"s.B", "s.C"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &walker{c: c, done: map[reflect.Type]bool{}}
			v := tt.v
			w.walk("", reflect.ValueOf(&v).Elem())
			if len(w.errs) != len(tt.bad) {
				t.Fatalf("got %d problems %v, want %v", len(w.errs), w.errs, tt.bad)
			}
			for i, e := range w.errs {
				if !errors.Is(e, ErrDrift) || !strings.Contains(e.Error(), tt.bad[i]+":") {
					t.Errorf("problem %d = %v, want one about %s wrapping ErrDrift", i, e, tt.bad[i])
				}
			}
			if got := w.sections[0].Rows[0]; got.Default != format(reflect.ValueOf(v.A)) || got.Doc != "A rate, 0 to 1. Default 0.3." {
				t.Errorf("row a = %+v", got)
			}
		})
	}
}

// TestScenarioSections checks the generated tables against the code on a
// few keys, and that every schema field has a comment and a default that
// agrees with it.
func TestScenarioSections(t *testing.T) {
	secs, err := ScenarioSections("..")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]Row{}
	for _, s := range secs {
		for _, r := range s.Rows {
			rows[r.Key] = r
		}
	}
	for key, def := range map[string]string{
		"horizon": "180", "start": "`2010-01`", "sides[].attention_floor": "0.3",
		"crises.rate_per_year": "0.4", "model.build_rate": "0.25", "metrics.survival_window": "12",
		"levers.us_attention.side": "`washington`", "ranks": "`[junior, mid, senior, leadership]`",
	} {
		if rows[key].Default != def {
			t.Errorf("%s: default %q, want %q", key, rows[key].Default, def)
		}
	}
	if _, err := ExperimentSections(".."); err != nil {
		t.Fatal(err)
	}
}

func TestReplace(t *testing.T) {
	doc := []byte("a\n<!-- BEGIN GENERATED: p -->\nold\n<!-- END GENERATED -->\nb\n")
	got, err := Replace(doc, "p", []byte("new"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\n<!-- BEGIN GENERATED: p -->\n\nnew\n\n<!-- END GENERATED -->\nb\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if again, _ := Replace(got, "p", []byte("new")); string(again) != string(got) {
		t.Errorf("replacing twice changed the document: %q", again)
	}
	if _, err := Replace(doc, "q", nil); !errors.Is(err, ErrMarkers) {
		t.Errorf("missing markers: %v", err)
	}
}
