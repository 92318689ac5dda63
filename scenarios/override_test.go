package scenarios

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestParseOverride(t *testing.T) {
	tests := []struct {
		in   string
		want Override
		err  string
	}{
		{in: "runs=8", want: Override{"runs", "8"}},
		{in: " channels[2].capacity = 0.5 ", want: Override{"channels[2].capacity", "0.5"}},
		{in: "events[0].set.defense_sales.count=2", want: Override{"events[0].set.defense_sales.count", "2"}},
		{in: "description=a=b", want: Override{"description", "a=b"}},
		{in: "description=", want: Override{"description", ""}},
		{in: "runs", err: `--set: "runs" is not of the form key.path=value`},
		{in: "=3", err: `--set: "=3" is not of the form key.path=value`},
		{in: "channels[x].capacity=1", err: `--set: channels[x].capacity: bad list index [x] in key path "channels[x].capacity"`},
		{in: "channels[-1]=1", err: `--set: channels[-1]: bad list index [-1] in key path "channels[-1]"`},
		{in: "channels..capacity=1", err: `--set: channels..capacity: empty key in key path "channels..capacity"`},
		{in: "channels[0]capacity=1", err: `--set: channels[0]capacity: unexpected "capacity" after ] in key path "channels[0]capacity" (use a dot before a key)`},
	}
	for _, tt := range tests {
		got, err := ParseOverride(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || !errors.Is(err, ErrOverride) {
				t.Errorf("ParseOverride(%q) error = %v, want %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseOverride(%q) = %+v, %v, want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestOverrideGood(t *testing.T) {
	tests := []struct {
		name string
		set  []string
		src  string // empty: tiny.yaml
		get  func(s *Scenario) any
		want any
	}{
		{name: "by index", set: []string{"channels[1].capacity=0.5"},
			get: func(s *Scenario) any { return s.Channels[1].Capacity }, want: 0.5},
		{name: "by name", set: []string{"channels.tapi.capacity=0.25"},
			get: func(s *Scenario) any { return s.Channels[0].Capacity }, want: 0.25},
		{name: "organization by name", set: []string{"organizations.dhs.influence=2"},
			get: func(s *Scenario) any { return s.Organizations[3].Influence }, want: 2.0},
		{name: "event by name with a space", set: []string{"events.border push.severity=0.9"},
			get: func(s *Scenario) any { return s.Events[1].Severity }, want: 0.9},
		{name: "top-level scalars", set: []string{"runs=8", "start=2010-02", "seed=0x20"},
			get: func(s *Scenario) any { return []any{s.Runs, s.Start.String(), s.Seed} }, want: []any{8, "2010-02", uint64(32)}},
		{name: "flow list", set: []string{"channels.tapi.participants=[gazprom, dhs]"},
			get: func(s *Scenario) any { return s.Channels[0].Participants }, want: []string{"gazprom", "dhs"}},
		{name: "list element", set: []string{"channels[0].participants[1]=dhs"},
			get: func(s *Scenario) any { return s.Channels[0].Participants }, want: []string{"gazprom", "dhs"}},
		{name: "set key with a dot", set: []string{"events[1].set.defense_sales.count=2"},
			get: func(s *Scenario) any { return s.Events[1].Set }, want: map[string]float64{"border_cooperation": 1, "defense_sales.count": 2}},
		{name: "created set", set: []string{"events[0].kind=lever", "events[0].set.ndn_transit=0.5"},
			get: func(s *Scenario) any { return s.Events[0].Set }, want: map[string]float64{"ndn_transit": 0.5}},
		{name: "created lever", set: []string{"levers.ndn_transit.value=0.5", "levers.ndn_transit.from=2011-01"},
			get: func(s *Scenario) any { return s.Levers.NDNTransit.Value + float64(s.Levers.NDNTransit.From.Year()) }, want: 2011.5},
		{name: "whole mapping", set: []string{"levers.tapi_stake={value: 1}"},
			get: func(s *Scenario) any { return s.Levers.TAPIStake }, want: Lever{Value: 1}},
		{name: "null restores the default", set: []string{"description=", "horizon=~"},
			get: func(s *Scenario) any { return []any{s.Description, s.Horizon} }, want: []any{"", Default().Horizon}},
		{name: "later wins", set: []string{"runs=8", "runs=9"},
			get: func(s *Scenario) any { return s.Runs }, want: 9},
		{name: "into a null mapping", src: minimal + "levers:\n", set: []string{"levers.tapi_stake.value=0.5"},
			get: func(s *Scenario) any { return s.Levers.TAPIStake.Value }, want: 0.5},
		{name: "name with dots", src: strings.NewReplacer("name: b,", "name: nato.staff,", "[a, b]", "[a, nato.staff]").Replace(minimal) + "  - {name: c, side: w, kind: energy, officials: 8}\n",
			set: []string{"organizations.nato.staff.officials=9"},
			get: func(s *Scenario) any { return []int{s.Organizations[1].Officials, s.Organizations[2].Officials} }, want: []int{9, 8}},
		{name: "anchor stays put", src: anchored, set: []string{"organizations.a.officials=9"},
			get: func(s *Scenario) any { return []int{s.Organizations[0].Officials, s.Organizations[1].Officials} }, want: []int{9, 8}},
		{name: "through an alias", src: anchored, set: []string{"organizations.b.officials=10"},
			get: func(s *Scenario) any { return []int{s.Organizations[0].Officials, s.Organizations[1].Officials} }, want: []int{8, 10}},
		{name: "anchored top level", src: "&top\n" + minimal, set: []string{"runs=7"},
			get: func(s *Scenario) any { return s.Runs }, want: 7},
		{name: "merged key", src: anchored, set: []string{"organizations.b.kind=industry"},
			get: func(s *Scenario) any { return []string{s.Organizations[0].Kind, s.Organizations[1].Kind} }, want: []string{"energy", "industry"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var overrides []Override
			for _, s := range tt.set {
				o, err := ParseOverride(s)
				if err != nil {
					t.Fatal(err)
				}
				overrides = append(overrides, o)
			}
			var s *Scenario
			var err error
			if tt.src == "" {
				s, err = LoadBuiltin("tiny", overrides)
			} else {
				s, err = Load("src.yaml", []byte(tt.src), overrides)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.get(s); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

const minimal = `name: minimal
sides: [{name: e, bloc: east}, {name: w, bloc: west}]
channels: [{name: ch, kind: energy, participants: [a, b]}]
organizations:
  - {name: a, side: e, kind: energy, officials: 8}
  - {name: b, side: w, kind: energy, officials: 8}
`

const anchored = `name: anchored
sides: [{name: e, bloc: east}, {name: w, bloc: west}]
channels: [{name: ch, kind: energy, participants: [a, b]}]
organizations:
  - &a {name: a, side: e, kind: energy, officials: 8}
  - {<<: *a, name: b, side: w}
`

func TestOverrideBad(t *testing.T) {
	tests := []struct {
		name string
		set  []string
		want []wantErr
		file []string // File of each problem; empty: all SetFile
	}{
		{"index out of range", []string{"channels[5].capacity=1"},
			[]wantErr{{0, 0, "channels[5].capacity", ErrOverride, "index 5 is out of range: channels has 2 elements"}}, nil},
		{"unknown name", []string{"channels.tapy.capacity=1"},
			[]wantErr{{0, 0, "channels.tapy.capacity", ErrOverride, `channels has no element named "tapy" (did you mean "tapi"?); names: tapi, border`}}, nil},
		{"removed key", []string{"metrics.entrenched_share=0.4"},
			[]wantErr{{0, 0, "metrics.entrenched_share", ErrUnknownKey, `key "entrenched_share" was removed: use entrenchment_threshold`}}, nil},
		{"unknown key", []string{"levers.tapi_stake.valeu=1"},
			[]wantErr{{0, 0, "levers.tapi_stake.valeu", ErrUnknownKey, `levers.tapi_stake has no key "valeu" (did you mean "value"?); allowed keys: value, before, from, description`}}, nil},
		{"unknown top key", []string{"horizont=1"},
			[]wantErr{{0, 0, "horizont", ErrUnknownKey, `the top level has no key "horizont" (did you mean "horizon"?)`}}, nil},
		{"key of a scalar", []string{"runs.x=1"},
			[]wantErr{{0, 0, "runs.x", ErrUnknownKey, "runs is an integer and has no keys or elements"}}, nil},
		{"index of a mapping", []string{"levers[0]=1"},
			[]wantErr{{0, 0, "levers[0]", ErrType, "levers is a mapping, not a list: use a key, not [0]"}}, nil},
		{"list without names", []string{"channels.tapi.participants.gazprom=x"},
			[]wantErr{{0, 0, "channels.tapi.participants.gazprom", ErrOverride, "channels[0].participants has no named elements: choose one by index, as in channels[0].participants[0]"}}, nil},
		{"bad YAML value", []string{"channels.tapi.participants=[gazprom"},
			[]wantErr{{0, 0, "channels.tapi.participants", ErrOverride, `value "[gazprom" is not valid YAML`}}, nil},
		{"wrong type", []string{"horizon=long"},
			[]wantErr{{0, 0, "horizon", ErrType, `expected an integer, got string "long"`}}, nil},
		{"out of range", []string{"organizations.gazprom.officials=2"},
			[]wantErr{{0, 0, "organizations[0].officials", ErrRange, "2 is out of range: must be from 4 to 100000"}}, nil},
		{"unknown key in the value", []string{"levers.tapi_stake={valeu: 1}"},
			[]wantErr{{0, 0, "levers.tapi_stake.valeu", ErrUnknownKey, `did you mean "value"?`}}, nil},
		{"bad date", []string{"start=2010-6"},
			[]wantErr{{0, 0, "start", ErrDate, `"2010-6" is not of the form YYYY-MM`}}, nil},
		{"breaks a reference in the file", []string{"sides.moscow.name=kyiv"},
			[]wantErr{
				{20, 11, "organizations[0].side", ErrReference, `unknown side "moscow"; sides: kyiv, washington`},
				{25, 11, "organizations[1].side", ErrReference, `unknown side "moscow"`},
			}, []string{"builtin:tiny.yaml", "builtin:tiny.yaml"}},
		{"all problems", []string{"runs=0", "channels[9].kind=x", "horizon=[1]"},
			[]wantErr{
				{0, 0, "channels[9].kind", ErrOverride, "index 9 is out of range"},
				{0, 0, "horizon", ErrType, "expected an integer, got a list"},
				{0, 0, "runs", ErrRange, "0 is out of range"},
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var overrides []Override
			for _, s := range tt.set {
				o, err := ParseOverride(s)
				if err != nil {
					t.Fatal(err)
				}
				overrides = append(overrides, o)
			}
			_, err := LoadBuiltin("tiny", overrides)
			file := SetFile
			if tt.file != nil {
				file = tt.file[0]
			}
			checkErrors(t, file, err, tt.want)
			for i := range tt.want {
				if !errors.Is(err, tt.want[i].err) {
					t.Errorf("not errors.Is %v", tt.want[i].err)
				}
			}
			if tt.file == nil && !errors.Is(err, ErrOverride) && !errors.Is(err, ErrType) && !errors.Is(err, ErrRange) && !errors.Is(err, ErrDate) && !errors.Is(err, ErrUnknownKey) {
				t.Errorf("unexpected sentinel in %v", err)
			}
		})
	}
}

// TestOverridePathErrorsWrapErrOverride checks that a path that cannot
// exist is both an override error and the underlying kind of error.
func TestOverridePathErrorsWrapErrOverride(t *testing.T) {
	_, err := LoadBuiltin("tiny", []Override{{Path: "levers.tapi_stake.valeu", Value: "1"}})
	if !errors.Is(err, ErrOverride) || !errors.Is(err, ErrUnknownKey) {
		t.Errorf("error %v should wrap ErrOverride and ErrUnknownKey", err)
	}
}

func TestSetPath(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(minimal), &doc); err != nil {
		t.Fatal(err)
	}
	if err := SetPath(&doc, "organizations.a.officials", "12"); err != nil {
		t.Fatal(err)
	}
	if err := SetPath(&doc, "levers.defense_sales.count", "3"); err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load("out.yaml", out, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if s.Organizations[0].Officials != 12 || s.Levers.DefenseSales.Count != 3 {
		t.Errorf("SetPath did not set: %s", out)
	}
	err = SetPath(&doc, "organizations.z.officials", "1")
	var fe *FieldError
	if !errors.As(err, &fe) || fe.File != SetFile || fe.Path != "organizations.z.officials" {
		t.Errorf("SetPath error = %#v", err)
	}
	if err := SetPath(nil, "runs", "1"); !errors.Is(err, ErrOverride) {
		t.Errorf("SetPath(nil) = %v", err)
	}
}
