package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// wantErr is one expected problem: its place, sentinel and a piece of its
// message.
type wantErr struct {
	line, col int
	path      string
	err       error
	msg       string
}

// checkErrors compares an error returned by Load with the expected
// problems, in order.
func checkErrors(t *testing.T, file string, err error, want []wantErr) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %d problems", len(want))
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error %T is not an Errors: %v", err, err)
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(errs), len(want), err)
	}
	for i, w := range want {
		e := errs[i]
		if e.File != file || e.Line != w.line || e.Column != w.col || e.Path != w.path {
			t.Errorf("problem %d at %s:%d:%d %q, want %s:%d:%d %q", i, e.File, e.Line, e.Column, e.Path, file, w.line, w.col, w.path)
		}
		if !errors.Is(e, w.err) {
			t.Errorf("problem %d (%v) does not wrap %v", i, e, w.err)
		}
		if !strings.Contains(e.Msg, w.msg) {
			t.Errorf("problem %d message %q does not contain %q", i, e.Msg, w.msg)
		}
		if !errors.Is(err, w.err) {
			t.Errorf("errors.Is(Errors, %v) is false", w.err)
		}
	}
}

func TestLoadBad(t *testing.T) {
	tests := []struct {
		name string
		want []wantErr
	}{
		{"unknown_key", []wantErr{{7, 63, "organizations[0].influnce", ErrUnknownKey, `unknown key "influnce" (did you mean "influence"?); allowed keys: name, side, kind, influence,`}}},
		{"unknown_top_key", []wantErr{{11, 1, "horizont", ErrUnknownKey, `(did you mean "horizon"?)`}}},
		{"type_string_for_int", []wantErr{{11, 10, "horizon", ErrType, `expected an integer, got string "long"`}}},
		{"type_mapping_for_list", []wantErr{{8, 8, "sides", ErrType, "expected a list, got a mapping"}}},
		{"type_fraction_for_int", []wantErr{{8, 66, "organizations[1].officials", ErrType, "expected an integer, got number 8.5"}}},
		{"type_list_for_string", []wantErr{{2, 7, "name", ErrType, "expected a string, got a list"}}},
		{"range_attention", []wantErr{{5, 47, "sides[1].attention", ErrRange, "1.5 is out of range: must be from 0 to 1"}}},
		{"range_officials", []wantErr{{8, 66, "organizations[1].officials", ErrRange, "must be from 4 to 100000"}}},
		{"range_officials_ranks", []wantErr{{8, 66, "organizations[1].officials", ErrRange, "4 officials cannot fill the 5 ranks"}}},
		{"range_end_after_9999", []wantErr{{5, 10, "horizon", ErrRange, "would end in 10090, after the year 9999"}}},
		{"date_until_before_start", []wantErr{{12, 35, "crises.until", ErrDate, "2009-10 is before the start 2010-01"}}},
		{"ref_side_without_orgs", []wantErr{{6, 12, "sides[2].name", ErrReference, `side "paris" has no organizations`}}},
		{"range_severity_mean", []wantErr{{13, 18, "crises.severity_mean", ErrRange, "strictly between 0 and 1"}}},
		{"range_tick_months", []wantErr{{11, 14, "tick_months", ErrRange, "must be from 1 to 12"}}},
		{"range_seed", []wantErr{{11, 7, "seed", ErrRange, "must not be negative"}}},
		{"range_fall_rate", []wantErr{{13, 14, "model.fall_rate", ErrRange, "below build_rate 0.5"}}},
		{"dup_name", []wantErr{{8, 12, "organizations[1].name", ErrDuplicate, `duplicate organization name "gazprom" (first at organizations[0].name, line 7)`}}},
		{"dup_key", []wantErr{{13, 1, "horizon", ErrDuplicate, `duplicate key "horizon" (first at line 11)`}}},
		{"ref_side", []wantErr{{7, 27, "organizations[0].side", ErrReference, `unknown side "moskow" (did you mean "moscow"?); sides: moscow, washington`}}},
		{"ref_participant", []wantErr{{10, 47, "channels[0].participants[0]", ErrReference, `unknown organization "gasprom" (did you mean "gazprom"?)`}}},
		{"ref_one_bloc", []wantErr{{12, 57, "channels[1].participants", ErrReference, "must span both blocs: none is of a west side"}}},
		{"ref_event_channel", []wantErr{{15, 16, "events[0].channels[0]", ErrReference, `unknown channel "tapy" (did you mean "tapi"?)`}}},
		{"ref_event_side", []wantErr{{15, 21, "events[0].sides[1]", ErrReference, `unknown side "paris"`}}},
		{"ref_us_attention", []wantErr{{13, 11, "levers.us_attention.side", ErrReference, `unknown side "paris"`}}},
		{"date_month", []wantErr{{11, 8, "start", ErrDate, `"2010-13" is not of the form YYYY-MM with a month from 01 to 12`}}},
		{"date_day", []wantErr{{12, 11, "events[0].date", ErrDate, `"2010-06-15" is not of the form YYYY-MM`}}},
		{"date_outside", []wantErr{{13, 11, "events[0].date", ErrDate, "2012-02 is outside the simulated period 2010-01 to 2012-01"}}},
		{"date_until_before_from", []wantErr{{13, 10, "crises.until", ErrDate, "2011-01 is before crises.from 2012-01"}}},
		{"enum_kind", []wantErr{{7, 41, "organizations[0].kind", ErrRange, `unknown kind "energie" (did you mean "energy"?)`}}},
		{"enum_bloc", []wantErr{{6, 27, "sides[2].bloc", ErrRange, `unknown bloc "north"; blocs: east, west`}}},
		{"enum_event_kind", []wantErr{{14, 11, "events[0].kind", ErrRange, `unknown kind "summit"`}}},
		{"removed_freeze_sensitivity", []wantErr{{10, 64, "channels[0].freeze_sensitivity", ErrUnknownKey, `key "freeze_sensitivity" was removed in Model 2: use freeze_militarized and freeze_diplomatic`}}},
		{"removed_recovery_event", []wantErr{{14, 11, "events[0].kind", ErrRange, "recovery events were removed in Model 2: recoveries come out of the model; use an initiative"}}},
		{"enum_crisis_kind", []wantErr{
			{12, 59, "events[0].crisis_kind", ErrRange, `unknown crisis kind "military"; crisis kinds: militarized, diplomatic`},
			{13, 66, "events[1].crisis_kind", ErrRange, `only crisis events have a crisis_kind (this event's kind is "initiative")`},
		}},
		{"type_bool", []wantErr{{12, 17, "model.inert_stakes", ErrType, `expected true or false, got string "yes"`}}},
		{"ref_opposes", []wantErr{{8, 79, "organizations[1].opposes[0]", ErrReference, `unknown channel "mistrall" (did you mean "mistral"?)`}}},
		{"lever_path", []wantErr{{15, 22, "events[0].set.tapi_stak", ErrUnknownKey, `unknown lever path "tapi_stak" (did you mean "tapi_stake"?)`}}},
		{"lever_no_set", []wantErr{{12, 5, "events[0].set", ErrRequired, "a lever event must set at least one lever"}}},
		{"lever_value", []wantErr{{16, 28, "events[0].set.defense_sales.count", ErrRange, "40 is out of range: must be from 0 to 20"}}},
		{"removed_reference_severity", []wantErr{{12, 3, "metrics.reference_severity", ErrUnknownKey, `key "reference_severity" was removed: entrenchment is now measured by a stress probe; use probe_severity`}}},
		{"removed_cooperation_threshold", []wantErr{{12, 3, "metrics.cooperation_threshold", ErrUnknownKey, `key "cooperation_threshold" was removed`}}},
		{"removed_entrenched_share", []wantErr{{12, 3, "metrics.entrenched_share", ErrUnknownKey, `use entrenchment_threshold`}}},
		{"required_kind", []wantErr{{8, 5, "organizations[1].kind", ErrRequired, "a kind is required"}}},
		{"required_bloc_side", []wantErr{{4, 3, "sides", ErrRequired, `no side in bloc "west"`}}},
		{"required_event_date", []wantErr{{12, 5, "events[0].date", ErrRequired, "a date YYYY-MM is required"}}},
		{"name_syntax", []wantErr{{2, 7, "name", ErrRange, `name "my bad scenario" may only hold letters`}}},
		{"name_reserved", []wantErr{{11, 12, "channels[1].name", ErrRange, `"all" is reserved`}}},
		{"syntax", []wantErr{{10, 0, "", ErrSyntax, "did not find expected ',' or ']'"}}},
		{"syntax_tab", []wantErr{{12, 0, "", ErrSyntax, "found character that cannot start any token"}}},
		{"empty", []wantErr{{1, 0, "", ErrSyntax, "empty file"}}},
		{"comments_only", []wantErr{{1, 0, "", ErrSyntax, "empty file"}}},
		{"two_documents", []wantErr{{12, 0, "", ErrSyntax, "a second YAML document"}}},
		{"top_list", []wantErr{{2, 1, "", ErrType, "the top level must be a mapping"}}},
		{"multi", []wantErr{
			{3, 7, "runs", ErrRange, "0 is out of range: must be from 1 to 10000000"},
			{5, 43, "sides[0].attention", ErrRange, "-0.1 is out of range"},
			{7, 12, "sides[2].name", ErrDuplicate, `duplicate side name "moscow"`},
			{9, 63, "organizations[0].influnce", ErrUnknownKey, `did you mean "influence"?`},
			{10, 25, "organizations[1].side", ErrReference, `unknown side "washingon" (did you mean "washington"?)`},
			{12, 24, "channels[0].kind", ErrRange, `unknown kind "pipeline"`},
			{12, 58, "channels[0].participants[1]", ErrReference, `unknown organization "dhs"`},
			{14, 11, "events[0].date", ErrDate, "2008-08 is outside the simulated period 2010-01 to 2025-01"},
			{17, 15, "events[0].severity", ErrType, `expected a number, got string "high"`},
		}},
	}
	seen := make(map[string]bool)
	for _, tt := range tests {
		seen[tt.name+".yaml"] = true
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.name+".yaml")
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Load(tt.name+".yaml", data, nil)
			if s != nil {
				t.Errorf("Load returned a scenario with its error")
			}
			checkErrors(t, tt.name+".yaml", err, tt.want)
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s has no test case", f)
		}
	}
}

func TestLoadGood(t *testing.T) {
	s, err := LoadBuiltin("tiny", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "tiny" || s.Horizon != 24 || s.Runs != 4 || len(s.Sides) != 2 || len(s.Organizations) != 4 || len(s.Channels) != 2 {
		t.Errorf("tiny loaded as %+v", s)
	}
	def := Default()
	if s.TickMonths != def.TickMonths || s.Model != def.Model || s.Crises != def.Crises {
		t.Errorf("absent keys did not keep their defaults")
	}
	var org Organization
	org.SetDefaults()
	if got := s.Organizations[1]; got.AutonomySensitivity != org.AutonomySensitivity || got.Influence != org.Influence || got.Officials != 8 {
		t.Errorf("organization %+v did not start from SetDefaults", got)
	}
	if s.Organizations[0].Influence != 3 {
		t.Errorf("influence = %v, want 3", s.Organizations[0].Influence)
	}
	if !reflect.DeepEqual(s.Ranks, DefaultRanks()) {
		t.Errorf("ranks = %v, want the default ladder", s.Ranks)
	}
	if got := s.Events[1]; got.Set["border_cooperation"] != 1 || !reflect.DeepEqual(got.Channels, []string{"all"}) || got.Severity != 0.5 {
		t.Errorf("lever event = %+v", got)
	}
	if s.Levers.TAPIStake.From.String() != "2010-06" {
		t.Errorf("tapi_stake.from = %v", s.Levers.TAPIStake.From)
	}
}

// TestLoadYAMLFeatures checks anchors, aliases, merge keys, null values
// and number forms.
func TestLoadYAMLFeatures(t *testing.T) {
	src := `
name: features
start: 2008-08
runs: 1e3
seed: 0x10
sides:
  - &side {name: moscow, bloc: east, attention: 0.25}
  - {<<: *side, name: washington, bloc: west}
organizations:
  - &org {name: a, side: moscow, kind: energy, officials: 8}
  - {<<: *org, name: b, side: washington}
channels:
  - {name: c, kind: energy, participants: [a, b]}
levers:
description: ~
`
	s, err := Load("features.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Runs != 1000 || s.Seed != 16 || s.Start.String() != "2008-08" {
		t.Errorf("runs, seed, start = %d, %d, %v", s.Runs, s.Seed, s.Start)
	}
	if w := s.Sides[1]; w.Name != "washington" || w.Bloc != BlocWest || w.Attention != 0.25 {
		t.Errorf("merged side = %+v", w)
	}
	if b := s.Organizations[1]; b.Side != "washington" || b.Officials != 8 || b.Kind != KindEnergy {
		t.Errorf("merged organization = %+v", b)
	}
	if s.Levers != Default().Levers {
		t.Errorf("null levers did not keep the defaults")
	}
}

// TestLoadBombs checks that aliases that expand to a huge tree are refused
// quickly.
func TestLoadBombs(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: bomb\na: &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for i := range 8 {
		name := string(rune('b' + i))
		b.WriteString(name + ": &" + name + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	b.WriteString("sides: [*" + prev + "]\n")
	_, err := Load("bomb.yaml", []byte(b.String()), nil)
	if err == nil {
		t.Fatal("no error")
	}
	if !errors.Is(err, ErrType) && !errors.Is(err, ErrSyntax) {
		t.Errorf("unexpected error %v", err)
	}
	src := "name: x\np: &p [" + strings.Repeat("a, ", 2000) + "a]\nchannels:\n" + strings.Repeat("  - {name: c, participants: *p}\n", 600)
	_, err = Load("bomb.yaml", []byte(src), nil)
	if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "expands to more than") {
		t.Errorf("alias bomb: %v", err)
	}
}

// TestLoadManyProblems checks that a file with very many problems gives a
// bounded list that says how many were left out.
func TestLoadManyProblems(t *testing.T) {
	src := "name: x\nsides:\n" + strings.Repeat("  - {name: 1}\n", 500)
	_, err := Load("many.yaml", []byte(src), nil)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != maxProblems {
		t.Fatalf("got %d problems, want %d", len(errs), maxProblems)
	}
	if last := errs[len(errs)-1]; !strings.Contains(last.Msg, "more problems not shown") {
		t.Errorf("last problem %q does not say more were left out", last.Msg)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    FieldError
		want string
	}{
		{FieldError{File: "a.yaml", Line: 3, Column: 7, Path: "runs", Msg: "m"}, "a.yaml:3:7: runs: m"},
		{FieldError{File: "a.yaml", Line: 3, Msg: "m"}, "a.yaml:3: m"},
		{FieldError{File: SetFile, Path: "runs", Msg: "m"}, "--set: runs: m"},
		{FieldError{Path: "runs", Msg: "m"}, "runs: m"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	errs := Errors{&tt0, &tt1}
	if got, want := errs.Error(), "f:1:1: a: x\nf:2:1: b: y"; got != want {
		t.Errorf("Errors.Error() = %q, want %q", got, want)
	}
	var fe *FieldError
	if !errors.As(error(errs), &fe) || fe.Path != "a" {
		t.Errorf("errors.As did not find the first FieldError")
	}
	if !errors.Is(errs, ErrRange) || !errors.Is(errs, ErrDate) || errors.Is(errs, ErrType) {
		t.Errorf("errors.Is does not look at each element")
	}
}

var (
	tt0 = FieldError{File: "f", Line: 1, Column: 1, Path: "a", Msg: "x", Err: ErrRange}
	tt1 = FieldError{File: "f", Line: 2, Column: 1, Path: "b", Msg: "y", Err: ErrDate}
)

// TestValidateGo checks Validate on scenarios built in Go: the paths are
// there, the positions are not.
func TestValidateGo(t *testing.T) {
	s, err := LoadBuiltin("tiny", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("tiny does not validate: %v", err)
	}
	s.Channels[1].Participants = append(s.Channels[1].Participants, "kremlin")
	s.Model.NoiseSD = -1
	s.Start = 0
	err = s.Validate()
	want := "start: a date YYYY-MM is required\n" +
		`channels[1].participants[2]: unknown organization "kremlin"; organizations: dhs, fsb_border, gazprom, state` + "\n" +
		"model.noise_sd: -1 is out of range: must be from 0 to 5"
	if err == nil || err.Error() != want {
		t.Errorf("Validate() =\n%v\nwant\n%s", err, want)
	}
	var errs Errors
	if !errors.As(err, &errs) || errs[0].Line != 0 || errs[0].File != "" {
		t.Errorf("Validate gave positions: %#v", errs)
	}

	empty := &Scenario{}
	err = empty.Validate()
	for _, sentinel := range []error{ErrRequired, ErrRange} {
		if !errors.Is(err, sentinel) {
			t.Errorf("zero Scenario: no %v in\n%v", sentinel, err)
		}
	}
}

func TestLoadFile(t *testing.T) {
	if _, err := LoadFile("tiny.yaml", nil); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(filepath.Join("testdata", "bad", "range_seed.yaml"), nil)
	var errs Errors
	if !errors.As(err, &errs) || errs[0].File != filepath.Join("testdata", "bad", "range_seed.yaml") {
		t.Errorf("LoadFile error = %v", err)
	}
	if _, err := LoadFile(filepath.Join("testdata", "missing.yaml"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestBuiltins(t *testing.T) {
	infos := Builtins()
	var names []string
	for _, b := range infos {
		names = append(names, b.Name)
		if b.Description == "" {
			t.Errorf("built-in %s has no description", b.Name)
		}
	}
	if !strings.Contains(strings.Join(names, " "), "tiny") {
		t.Errorf("Builtins() = %v, want tiny among them", names)
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Errorf("Builtins() not sorted: %v", names)
		}
	}
	if _, err := BuiltinSource("tiny.yaml"); err != nil {
		t.Errorf("BuiltinSource(tiny.yaml): %v", err)
	}
	_, err := BuiltinSource("tiyn")
	if !errors.Is(err, ErrReference) || !strings.Contains(err.Error(), `did you mean "tiny"?`) {
		t.Errorf("BuiltinSource(tiyn) = %v", err)
	}
	_, err = LoadBuiltin("tiny", []Override{{Path: "runs", Value: "0"}})
	var errs Errors
	if !errors.As(err, &errs) || errs[0].File != SetFile {
		t.Errorf("LoadBuiltin with a bad override: %v", err)
	}
	_, err = LoadBuiltin("tiny", []Override{{Path: "organizations.gazprom.officials", Value: "[8]"}})
	if !errors.As(err, &errs) || errs[0].Error() != "--set: organizations[0].officials: expected an integer, got a list" {
		t.Errorf("error = %v", err)
	}
}

func TestTickOfRoundsUp(t *testing.T) {
	sc := Default()
	sc.TickMonths = 12
	for _, tc := range []struct {
		date string
		want int
	}{{"2010-01", 0}, {"2010-02", 1}, {"2011-01", 1}, {"2011-02", 2}, {"2009-12", 0}, {"2009-01", -1}, {"2008-12", -1}} {
		m, err := ParseMonth(tc.date)
		if err != nil {
			t.Fatal(err)
		}
		if got := sc.TickOf(m); got != tc.want {
			t.Errorf("TickOf(%s) with yearly ticks from 2010-01 = %d, want %d", tc.date, got, tc.want)
		}
		if sc.TickOf(m) >= 0 && sc.DateOf(sc.TickOf(m)) < m {
			t.Errorf("%s falls in tick %d dated %s, before it", tc.date, sc.TickOf(m), sc.DateOf(sc.TickOf(m)))
		}
	}
	sc.TickMonths = 1
	if got := sc.TickOf(sc.Start + 37); got != 37 {
		t.Errorf("monthly TickOf = %d, want 37", got)
	}
}

func TestLoadSwitches(t *testing.T) {
	src := `name: sw
sides: [{name: a, bloc: east}, {name: b, bloc: west}]
organizations: [{name: o, side: a, kind: energy}, {name: p, side: b, kind: energy}]
channels: [{name: c, kind: political, participants: [o, p]}]
crises: {uniform_freeze: true}
model: {inert_stakes: true, inert_routines: false, follow_on_seller: true}
`
	sc, err := Load("sw.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sc.Crises.UniformFreeze || !sc.Model.InertStakes || sc.Model.InertRoutines || !sc.Model.FollowOnSeller {
		t.Errorf("switches decoded as %v %v %v %v", sc.Crises.UniformFreeze, sc.Model.InertStakes, sc.Model.InertRoutines, sc.Model.FollowOnSeller)
	}
	o, err := ParseOverride("model.inert_routines=true")
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = Load("sw.yaml", []byte(src), []Override{o}); err != nil || !sc.Model.InertRoutines {
		t.Errorf("--set model.inert_routines=true: %v, %v", err, sc != nil && sc.Model.InertRoutines)
	}
}
