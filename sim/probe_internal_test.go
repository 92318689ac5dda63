package sim

import (
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/entrench/entrench/scenarios"
)

// copiedFields are the World fields copyFrom copies.
var copiedFields = []string{
	"pop", "orgs", "chans", "stakes", "routine", "exchanged", "execs", "tension", "afghan", "tick",
	"enabled", "lever", "usFloor", "usRate", "crisisProb", "initiativeProb", "crisisSeverity", "militarizedShare",
}

// notCopied are the World fields copyFrom leaves alone, with the reason.
// When a new field of World appears, TestCopyFromCoversWorld fails until
// it is copied in copyFrom (and listed in copiedFields) or listed here.
var notCopied = map[string]string{
	"m":              "the compiled model: the same, immutable, for the shadow",
	"params":         "points into the model: immutable",
	"stakeIdx":       "read only by stepEnvironment and record, which a probe does not run",
	"inertNow":       "probeOfficials' scratch, refilled at every probe's first tick",
	"eastMil":        "fixed by newWorld from the model: the same in the shadow",
	"probeAttention": "set in the shadow by holdAttentionAtFloor at every probe's start",
	"engaged":        "fixed by newWorld from the model: the same in the shadow",
	"engagedInf":     "fixed by newWorld from the model: the same in the shadow",
	"chanSides":      "fixed by newWorld from the model: the same in the shadow",
	"deadChans":      "probeOfficials' scratch, reset at every probe's first tick",
	"tenureLog":      "derived from the model's parameters by newWorld; the probe hires nobody",
	"interest":       "stepLobbying's scratch, refilled every tick",
	"opposition":     "stepLobbying's scratch, refilled every tick",
	"suspensions":    "the run's summary count; the probe counts nothing",
	"severity":       "draws random crisis severities; the probe has no random arrivals",
	"envSrc":         "environment stream; the probe draws no arrivals",
	"actSrc":         "the shadow's own generator (reference benchmarks only), reseeded per probe from PurposeProbe",
	"noiseKey":       "the shadow's own noise key, set per probe from PurposeProbe",
	"officials":      "a benchmark switch, set per probe from the run's",
	"popSrc":         "population stream; the probe hires nobody",
	"envRng":         "wraps envSrc",
	"actRng":         "wraps actSrc",
	"popRng":         "wraps popSrc",
	"noRecord":       "a benchmark switch of the run, not state",
	"officialsClock": "a benchmark clock, shared with the shadow by runProbe",
	"fault":          "a test hook of the run",
	"done":           "the run's cancellation; a probe is bounded by its horizon",
	"pendingCrisis":  "per-tick scratch, refilled by probeStep",
	"res":            "the run's results; the probe writes none (nil in the shadow)",
	"probe":          "the shadow itself (nil in the shadow: no probe inside a probe)",
	"probing":        "marks the shadow; set once by initProbe",
	"probes":         "the probe's results, kept by the run's World",
}

// popNotCopied are the fields of the officials (World.pop) copyFrom
// leaves alone, with the reason; every other field of agents.Population
// must be copied.
var popNotCopied = map[string]string{
	"Prop":      "written by the officials' update before its aggregation reads it; an inert organization's is read by nobody",
	"RetireAt":  "read only by turnover, which a probe does not run",
	"Exchanged": "read only by turnover and the run's exchange shares",
}

// sharedSubFields are slice fields of structs copied whole (agents.Org,
// agents.Channel): the copy shares their backing arrays, which is safe
// only because NewWorld fixes them and nothing writes them after.
var sharedSubFields = map[string]string{
	"Org.RankLo":           "fixed by NewWorld",
	"Org.RankHi":           "fixed by NewWorld",
	"Org.RankWeight":       "fixed by NewWorld",
	"Channel.Participants": "points into the model",
}

func testModel(t testing.TB, name string, sets ...string) *Model {
	t.Helper()
	var ovs []scenarios.Override
	for _, s := range sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	sc, err := scenarios.LoadBuiltin(name, ovs)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCopyFromCoversWorld walks World's fields by reflection: each must be
// copied by copyFrom or listed in notCopied with a reason. It then checks
// that every copied field is equal after copyFrom and shares no mutable
// memory with the source, and that the slice fields of the structs copied
// whole are known to be immutable.
func TestCopyFromCoversWorld(t *testing.T) {
	wt := reflect.TypeFor[World]()
	for f := range wt.Fields() {
		_, skip := notCopied[f.Name]
		copied := slices.Contains(copiedFields, f.Name)
		switch {
		case copied && skip:
			t.Errorf("World.%s is both copied and listed as not copied", f.Name)
		case !copied && !skip:
			t.Errorf("World.%s is neither copied by copyFrom nor listed in notCopied: copy it into the probe's shadow (copyFrom) or say why not", f.Name)
		}
	}
	for _, name := range copiedFields {
		if _, ok := wt.FieldByName(name); !ok {
			t.Errorf("copiedFields lists %s, which World no longer has", name)
		}
	}
	for name := range notCopied {
		if _, ok := wt.FieldByName(name); !ok {
			t.Errorf("notCopied lists %s, which World no longer has", name)
		}
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[World]().Field(fieldIndex(t, "orgs")).Type.Elem(),
		reflect.TypeFor[World]().Field(fieldIndex(t, "chans")).Type.Elem()} {
		for f := range typ.Fields() {
			if f.Type.Kind() == reflect.Slice || f.Type.Kind() == reflect.Map || f.Type.Kind() == reflect.Pointer {
				if _, ok := sharedSubFields[typ.Name()+"."+f.Name]; !ok {
					t.Errorf("%s.%s is a reference field of a struct copyFrom copies whole: the shadow would share it; copy it element by element or list it in sharedSubFields if it is immutable", typ.Name(), f.Name)
				}
			}
		}
	}

	m := testModel(t, "baseline", "crises.rate_per_year=2")
	w := NewWorld(m)
	res := &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())}
	w.Reset(0, 3, res)
	for range 40 {
		w.Step()
	}
	w.probe.copyFrom(w)
	src, dst := reflect.ValueOf(w).Elem(), reflect.ValueOf(w.probe).Elem()
	for _, name := range copiedFields {
		a, b := src.FieldByName(name), dst.FieldByName(name)
		if name == "pop" {
			pt := a.Type()
			for name := range popNotCopied {
				if _, ok := pt.FieldByName(name); !ok {
					t.Errorf("popNotCopied lists %s, which agents.Population no longer has", name)
				}
			}
			for f := range pt.Fields() {
				if _, skip := popNotCopied[f.Name]; skip {
					continue
				}
				x, y := a.FieldByName(f.Name), b.FieldByName(f.Name)
				if !equalValues(x, y) {
					t.Errorf("after copyFrom, World.pop.%s differs from the source", f.Name)
				}
				if shares(x, y) {
					t.Errorf("after copyFrom, World.pop.%s shares memory with the source", f.Name)
				}
			}
			continue
		}
		if !equalValues(a, b) {
			t.Errorf("after copyFrom, World.%s differs from the source", name)
		}
		if shares(a, b) {
			t.Errorf("after copyFrom, World.%s shares memory with the source", name)
		}
	}
}

func fieldIndex(t *testing.T, name string) int {
	f, ok := reflect.TypeFor[World]().FieldByName(name)
	if !ok {
		t.Fatalf("World has no field %s", name)
	}
	return f.Index[0]
}

// equalValues compares two values of the same type deeply, reading
// unexported fields (reflect.DeepEqual cannot).
func equalValues(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return a.Uint() == b.Uint()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.String:
		return a.String() == b.String()
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !equalValues(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		return a.Pointer() == b.Pointer()
	}
	return false
}

// shares reports whether two copies share a slice's backing array (for
// the field itself, the population's slices and the stake rows).
func shares(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return true
		}
		if a.Type().Elem().Kind() == reflect.Slice {
			for i := range a.Len() {
				if shares(a.Index(i), b.Index(i)) {
					return true
				}
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Field(i).Kind() == reflect.Slice && shares(a.Field(i), b.Field(i)) {
				return true
			}
		}
	}
	return false
}

// probeAt runs a world of m to tick t, then one probe, and returns the
// world.
func probeAt(t *testing.T, m *Model, rep, tick int) *World {
	t.Helper()
	w := NewWorld(m)
	res := &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())}
	w.Reset(0, rep, res)
	for range tick {
		w.Step()
	}
	w.runProbe()
	return w
}

// TestProbeCrisisCuts fails if the probe's reference crisis loses its
// sign or its cut: over a one-month probe, a crisis of severity 0.9 keeps
// clearly less activity than no crisis, and raises the shadow's tension.
func TestProbeCrisisCuts(t *testing.T) {
	var with, without float64
	const n = 6
	for rep := range n {
		mw := testModel(t, "baseline", "metrics.probe_horizon_months=1", "metrics.probe_severity=0.9")
		mo := testModel(t, "baseline", "metrics.probe_horizon_months=1", "metrics.probe_severity=0")
		ww, wo := probeAt(t, mw, rep, 60), probeAt(t, mo, rep, 60)
		if !(ww.probe.tension > ww.tension) {
			t.Errorf("rep %d: the reference crisis should raise the probe's tension: %.3f -> %.3f", rep, ww.tension, ww.probe.tension)
		}
		with += ww.probes.ent / n
		without += wo.probes.ent / n
		for c := range ww.chans {
			if ww.probes.byChannel[c] > wo.probes.byChannel[c]+1e-12 {
				t.Errorf("rep %d: channel %s keeps more with the crisis (%.3f) than without (%.3f)", rep, mw.channels[c].name, ww.probes.byChannel[c], wo.probes.byChannel[c])
			}
		}
	}
	t.Logf("one month after the probe's crisis: kept %.3f with severity 0.9, %.3f without", with, without)
	if !(with < without-0.05) {
		t.Errorf("the reference crisis should cut activity: kept %.3f with it, %.3f without", with, without)
	}
}

// TestProbeAttentionAtFloor checks that the probe holds every executive's
// attention at its floor (the US lever's when set), and that a lower
// floor keeps less cooperation standing.
func TestProbeAttentionAtFloor(t *testing.T) {
	m := testModel(t, "baseline", "levers.us_attention.level=0.15")
	w := probeAt(t, m, 0, 36)
	for i := range m.sides {
		want := m.sides[i].floor
		if i == m.usSide {
			want = 0.15
		}
		if got := w.probe.execs[i].Attention; got != want {
			t.Errorf("side %s: attention in the probe %.4f, want its floor %.4f", m.sides[i].name, got, want)
		}
	}

	// The same run state probed with the US floor at 0.1 and at 0.5 (the
	// probe's index reset, so both use the same stream).
	var lo, hi float64
	const n = 6
	for rep := range n {
		w := probeAt(t, testModel(t, "baseline"), rep, 48)
		k := w.probes.count
		w.usFloor, w.probes.count = 0.1, k
		w.runProbe()
		lo += w.probes.ent / n
		w.usFloor, w.probes.count = 0.5, k
		w.runProbe()
		hi += w.probes.ent / n
	}
	t.Logf("entrenchment with the US attention floor at 0.1: %.3f, at 0.5: %.3f", lo, hi)
	if !(lo < hi-0.01) {
		t.Errorf("a lower attention floor should keep less cooperation in the probe: %.3f vs %.3f", lo, hi)
	}
}

// TestProbeZeroAllocs: a year of ticks, with its probe, allocates nothing
// after the first.
func TestProbeZeroAllocs(t *testing.T) {
	m := testModel(t, "baseline")
	w := NewWorld(m)
	res := &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks()), Events: make([]EventRecord, 0, 256)}
	w.Reset(0, 0, res)
	probes := 0
	allocs := testing.AllocsPerRun(10, func() {
		for range 12 {
			w.Step()
		}
		probes = w.probes.count
	})
	if probes < 10 {
		t.Fatalf("only %d probes ran: the test measured no probe", probes)
	}
	if allocs != 0 {
		t.Errorf("a year of ticks with a probe allocates %.1f times, want 0", allocs)
	}
}

// TestProbeStreams: each probe has its own stream, distinct from the
// run's purposes and from the other probes.
func TestProbeStreams(t *testing.T) {
	seen := map[[2]uint64]string{}
	add := func(name string, purpose uint64) {
		a, b := StreamSeed(7, 0, 3, purpose)
		if prev, ok := seen[[2]uint64{a, b}]; ok {
			t.Errorf("%s has the same stream as %s", name, prev)
		}
		seen[[2]uint64{a, b}] = name
	}
	add("environment", PurposeEnvironment)
	add("actors", PurposeActors)
	add("population", PurposePopulation)
	for k := range 20 {
		add("probe "+string(rune('a'+k)), PurposeProbe|uint64(k)<<32)
	}
}
