package scenarios

import (
	"bytes"
	"reflect"
	"testing"
)

// TestMarshalRoundTrip checks that every built-in marshals to YAML that
// loads back to a deeply equal scenario, and that marshaling is a fixed
// point.
func TestMarshalRoundTrip(t *testing.T) {
	// Every switch on in one case, so the booleans round-trip too.
	switches := []Override{}
	for _, o := range []string{"model.inert_stakes=true", "model.inert_routines=true", "model.follow_on_seller=true", "crises.uniform_freeze=true"} {
		ov, err := ParseOverride(o)
		if err != nil {
			t.Fatal(err)
		}
		switches = append(switches, ov)
	}
	cases := []struct {
		name string
		ovs  []Override
	}{{"tiny+switches", switches}}
	for _, b := range Builtins() {
		cases = append(cases, struct {
			name string
			ovs  []Override
		}{b.Name, nil})
	}
	for _, c := range cases {
		b := struct{ Name string }{c.name}
		if c.ovs != nil {
			b.Name = "tiny"
		}
		t.Run(c.name, func(t *testing.T) {
			s, err := LoadBuiltin(b.Name, c.ovs)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Load(b.Name+".marshaled.yaml", out, nil)
			if err != nil {
				t.Fatalf("marshaled %s does not load: %v\n%s", b.Name, err, out)
			}
			if c.ovs != nil && !back.Model.InertStakes {
				t.Error("the switches did not survive the round trip")
			}
			if !reflect.DeepEqual(s, back) {
				t.Errorf("round trip changed the scenario:\n got %+v\nwant %+v", back, s)
			}
			again, err := Marshal(back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, again) {
				t.Errorf("Marshal is not a fixed point:\n%s\n---\n%s", out, again)
			}
			if Hash(s) != Hash(back) || len(Hash(s)) != 64 {
				t.Errorf("Hash = %q and %q", Hash(s), Hash(back))
			}
		})
	}
}

func TestHash(t *testing.T) {
	a, err := LoadBuiltin("tiny", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadBuiltin("tiny", []Override{{Path: "seed", Value: "2"}})
	if err != nil {
		t.Fatal(err)
	}
	if Hash(a) == Hash(b) {
		t.Errorf("scenarios that differ in seed have the same hash")
	}
	// Comments, order and spelling of the file do not matter: only the
	// loaded scenario does.
	src, err := BuiltinSource("tiny")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load("copy.yaml", append([]byte("# a comment\n"), bytes.ReplaceAll(src, []byte("runs: 4"), []byte("runs: 0x4"))...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if Hash(a) != Hash(c) {
		t.Errorf("the hash depends on the spelling of the file")
	}
}

// TestMarshalSpecial checks values that YAML would read as another type
// unless quoted, and numbers that must keep every bit.
func TestMarshalSpecial(t *testing.T) {
	s, err := LoadBuiltin("tiny", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Description = "true"
	s.Events[0].Name = "2008-08"
	s.Events[1].Source = "null"
	s.Events[2].Name = "  leading: space\nand a line\t"
	s.Organizations[0].Description = "1e3"
	s.Model.Bias = 0.1 + 0.2
	s.Model.ExchangeRate = 5e-324
	s.Seed = 1<<64 - 1
	out, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load("special.yaml", out, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !reflect.DeepEqual(s, back) {
		t.Errorf("round trip changed the scenario:\n%s", out)
	}
}
