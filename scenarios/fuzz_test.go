package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var sentinels = []error{ErrSyntax, ErrUnknownKey, ErrType, ErrRange, ErrRequired, ErrDuplicate, ErrReference, ErrDate, ErrOverride}

// checkLoadError checks the invariants of a Load error.
func checkLoadError(t *testing.T, file string, err error) {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("error %v is not a non-empty Errors", err)
	}
	for i, e := range errs {
		known := false
		for _, s := range sentinels {
			known = known || errors.Is(e, s)
		}
		if !known {
			t.Errorf("problem %v wraps no sentinel", e)
		}
		if e.File != file && e.File != SetFile {
			t.Errorf("problem %v names file %q", e, e.File)
		}
		if e.Line < 0 || e.Column < 0 || e.File == file && e.Line == 0 {
			t.Errorf("problem %v has no position", e)
		}
		if i > 0 && (errs[i-1].Line > e.Line || errs[i-1].Line == e.Line && errs[i-1].Column > e.Column) {
			t.Errorf("problems not sorted: %v before %v", errs[i-1], e)
		}
	}
}

// checkRoundTrip checks that a loaded scenario marshals and loads back
// equal.
func checkRoundTrip(t *testing.T, s *Scenario) {
	t.Helper()
	out, err := Marshal(s)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	back, err := Load("marshaled.yaml", out, nil)
	if err != nil {
		t.Fatalf("marshaled scenario does not load: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(s, back) {
		t.Fatalf("round trip changed the scenario:\n got %#v\nwant %#v\n%s", back, s, out)
	}
}

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, b := range Builtins() {
		data, err := BuiltinSource(b.Name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimal))
	f.Add([]byte(anchored))
}

// FuzzLoad checks that Load never panics, that its errors are positioned
// and wrap a sentinel, and that whatever loads marshals and loads back
// equal.
func FuzzLoad(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load("fuzz.yaml", data, nil)
		if err != nil {
			if s != nil {
				t.Fatal("Load returned a scenario with its error")
			}
			checkLoadError(t, "fuzz.yaml", err)
			return
		}
		checkRoundTrip(t, s)
	})
}

// FuzzOverride checks overrides on the tiny scenario the same way.
func FuzzOverride(f *testing.F) {
	for _, o := range []string{
		"channels[1].capacity=0.5", "channels.tapi.participants=[gazprom, dhs]",
		"events[1].set.defense_sales.count=2", "levers.ndn_transit.from=2011-01",
		"organizations.gazprom.influence=[", "sides[0]={name: kyiv, bloc: east}",
		"runs.x=1", "model=~", "events.crisis.channels[1]=all",
	} {
		f.Add(o)
	}
	f.Fuzz(func(t *testing.T, set string) {
		o, err := ParseOverride(set)
		if err != nil {
			if !errors.Is(err, ErrOverride) {
				t.Fatalf("ParseOverride error %v does not wrap ErrOverride", err)
			}
			return
		}
		s, err := LoadBuiltin("tiny", []Override{o})
		if err != nil {
			checkLoadError(t, "builtin:tiny.yaml", err)
			return
		}
		checkRoundTrip(t, s)
	})
}
