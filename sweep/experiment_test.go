package sweep

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/entrench/entrench/scenarios"
)

var sentinels = map[string]error{
	"ErrSyntax":     scenarios.ErrSyntax,
	"ErrUnknownKey": scenarios.ErrUnknownKey,
	"ErrType":       scenarios.ErrType,
	"ErrRange":      scenarios.ErrRange,
	"ErrRequired":   scenarios.ErrRequired,
	"ErrDuplicate":  scenarios.ErrDuplicate,
	"ErrReference":  scenarios.ErrReference,
	"ErrOverride":   scenarios.ErrOverride,
}

// TestLoadBad loads every file of testdata/bad, whose first line says
// "# want: SENTINEL LINE PATH", and checks that the first problem
// reported wraps the sentinel and is positioned at that line and key path.
func TestLoadBad(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) < 10 {
		t.Fatalf("want at least 10 bad files, got %d (%v)", len(files), err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(data), "\n")
			f := strings.Fields(strings.TrimPrefix(first, "# want:"))
			if len(f) < 2 {
				t.Fatalf("first line %q is not '# want: SENTINEL LINE [PATH]'", first)
			}
			sentinel := sentinels[f[0]]
			line, _ := strconv.Atoi(f[1])
			path := ""
			if len(f) > 2 {
				path = f[2]
			}
			_, err = Load(file, data, DirResolver("testdata"))
			var es scenarios.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("want a scenarios.Errors, got %v", err)
			}
			var hit *scenarios.FieldError
			for _, e := range es {
				if errors.Is(e, sentinel) && e.Path == path {
					hit = e
				}
			}
			if hit == nil {
				t.Fatalf("no problem wrapping %s at %q; got:\n%v", f[0], path, err)
			}
			if hit.Line != line || hit.File != file {
				t.Errorf("problem at %s:%d, want %s:%d: %v", hit.File, hit.Line, file, line, hit)
			}
		})
	}
}

func TestLoadHints(t *testing.T) {
	data, _ := os.ReadFile("testdata/bad/integer_round.yaml")
	_, err := Load("x.yaml", data, nil)
	if err == nil || !strings.Contains(err.Error(), "round: 1") {
		t.Errorf("a whole-number factor without round should suggest round: 1, got %v", err)
	}
	data, _ = os.ReadFile("testdata/bad/factor_path.yaml")
	_, err = Load("x.yaml", data, nil)
	if err == nil || !strings.Contains(err.Error(), "tapi_stake") {
		t.Errorf("a misspelt lever should suggest the right one, got %v", err)
	}
}

func TestBuiltins(t *testing.T) {
	want := map[string]struct {
		kind   string
		points int
	}{
		"grid-demo":           {Grid, 25},
		"lhs-demo":            {LHS, 40},
		"sobol-levers":        {Sobol, 64 * 8},
		"morris-levers":       {Morris, 20 * 9},
		"morris-coefficients": {Morris, 20 * 49},
		"sobol-coefficients":  {Sobol, 128 * 12},
	}
	infos := Builtins()
	if len(infos) != len(want) {
		t.Fatalf("Builtins() = %v, want %d experiments", infos, len(want))
	}
	for _, b := range infos {
		w, ok := want[b.Name]
		if !ok {
			t.Errorf("unexpected built-in %q", b.Name)
			continue
		}
		if b.Description == "" {
			t.Errorf("%s has no description", b.Name)
		}
		e, err := LoadBuiltin(b.Name)
		if err != nil {
			t.Fatalf("%s: %v", b.Name, err)
		}
		if e.Design.Kind != w.kind || e.Points() != w.points {
			t.Errorf("%s: %s design with %d points, want %s with %d", b.Name, e.Design.Kind, e.Points(), w.kind, w.points)
		}
		if e.Seed != e.Base().Seed {
			t.Errorf("%s: seed %d, want the scenario's %d", b.Name, e.Seed, e.Base().Seed)
		}
	}
	if _, err := LoadBuiltin("grid-dmeo"); !errors.Is(err, scenarios.ErrReference) {
		t.Errorf("unknown built-in: got %v, want ErrReference", err)
	}
}

func TestDefaultName(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"levers.tapi_stake.value", "tapi_stake"},
		{"crises.rate_per_year", "rate_per_year"},
		{"channels.tapi.stake_yield", "stake_yield"},
		{"channels[2].capacity", "capacity"},
		{"horizon", "horizon"},
	} {
		if got := defaultName(c.path); got != c.want {
			t.Errorf("defaultName(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}

// FuzzLoad checks that Load never panics and that whatever it accepts
// has a design of allowed size.
func FuzzLoad(f *testing.F) {
	for _, name := range builtinNames() {
		b, _ := BuiltinSource(name)
		f.Add(b)
	}
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Load("fuzz.yaml", data, DirResolver("testdata"))
		if err != nil {
			return
		}
		if n := e.Points(); n < 1 || n > MaxPoints {
			t.Fatalf("accepted a design of %d points", n)
		}
	})
}

// TestLoadRefusals checks positioned refusals that testdata/bad does not
// spell out: seed and runs as factors or set entries (the experiment's
// seed and replicates keys would silently override them), ranges that
// rounding empties, and normal distributions with no computable
// probability in their range.
func TestLoadRefusals(t *testing.T) {
	head := "name: x\nscenario: tiny\ndesign: {kind: lhs, points: 10}\n"
	tests := []struct {
		name      string
		yaml      string
		path      string
		line, col int
		sentinel  error
		msg       []string
	}{
		{"factor seed", head + "factors:\n  - {path: seed, min: 1, max: 9, round: 1}\n", "factors[0].path", 5, 12, scenarios.ErrOverride,
			[]string{"seed", "experiment's own seed key"}},
		{"factor runs", head + "factors:\n  - {path: levers.tapi_stake.value, min: 0, max: 1}\n  - {path: ' runs ', min: 1, max: 9, round: 1}\n", "factors[1].path", 6, 12, scenarios.ErrOverride,
			[]string{"runs", "replicates key"}},
		{"set seed", "set: [horizon=24, seed=3]\n" + head + "factors:\n  - {path: levers.tapi_stake.value, min: 0, max: 1}\n", "set[1]", 1, 19, scenarios.ErrOverride,
			[]string{"seed", "experiment's own seed key"}},
		{"set runs", "set:\n  - runs=100\n" + head + "factors:\n  - {path: levers.tapi_stake.value, min: 0, max: 1}\n", "set[0]", 2, 5, scenarios.ErrOverride,
			[]string{"runs", "replicates key"}},
		{"round leaves none", head + "factors:\n  - {path: levers.tapi_stake.value, min: 0.3, max: 0.45, round: 1}\n", "factors[0].round", 5, 65, scenarios.ErrRange,
			[]string{"no multiple of it lies in [0.3, 0.45]"}},
		{"round leaves one", head + "factors:\n  - {path: levers.tapi_stake.value, min: 0.5, max: 0.9, round: 0.5}\n", "factors[0].round", 5, 64, scenarios.ErrRange,
			[]string{"only one multiple of it, 0.5, lies in [0.5, 0.9]"}},
		{"normal far out", head + "factors:\n  - {path: levers.tapi_stake.value, min: 0.5, max: 1, distribution: normal, mean: 0, sd: 0.01}\n", "factors[0]", 5, 5, scenarios.ErrRange,
			[]string{"too little probability", "50 sd from the mean"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("x.yaml", []byte(tc.yaml), DirResolver("testdata"))
			var es scenarios.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("want a scenarios.Errors, got %v", err)
			}
			fe := es[0]
			if fe.Path != tc.path || fe.File != "x.yaml" || fe.Line != tc.line || fe.Column != tc.col || !errors.Is(fe, tc.sentinel) {
				t.Errorf("got %v (%s:%d:%d %s), want %s:%d:%d %s wrapping %v", fe, fe.File, fe.Line, fe.Column, fe.Path, "x.yaml", tc.line, tc.col, tc.path, tc.sentinel)
			}
			for _, m := range tc.msg {
				if !strings.Contains(fe.Error(), m) {
					t.Errorf("message %q lacks %q", fe.Error(), m)
				}
			}
		})
	}
	// Neighbours of the reserved keys stay allowed.
	ok := head + "set: [horizon=24]\nfactors:\n  - {path: crises.rate_per_year, min: 0.3, max: 0.45, round: 0.1}\n"
	if _, err := Load("ok.yaml", []byte(ok), DirResolver("testdata")); err != nil {
		t.Errorf("a valid experiment is refused: %v", err)
	}
}
