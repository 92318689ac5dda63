package output

import (
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// threeRuns returns a successful run with a NaN summary and two events, a
// failed run, and a successful run with no events, all sharing one
// RunResult value as the engine does (each is passed to f in turn).
func threeRuns(f func(r *sim.RunResult) error) error {
	d, _ := scenarios.ParseMonth("2014-03")
	var r sim.RunResult
	for rep := range 3 {
		r.Point, r.Replicate, r.Err = 2, rep, nil
		r.Events = r.Events[:0]
		for i := range r.Summary {
			r.Summary[i] = float64(rep) + float64(i)/4
		}
		switch rep {
		case 0:
			r.Summary[sim.SumTimeToEntrenchment] = math.NaN()
			r.Summary[sim.SumFinalCooperation] = 1.0 / 3
			r.Events = append(r.Events,
				sim.EventRecord{Tick: 50, Date: d, Kind: "crisis", Name: "Crimea, annexation", Scheduled: true,
					Severity: 0.8, CooperationBefore: 0.5, CooperationAfter: 0.25},
				sim.EventRecord{Tick: 51, Date: d + 1, Kind: "crisis", Name: "random crisis",
					Severity: 0.125, CooperationBefore: 0.25, CooperationAfter: 0.2})
		case 1:
			r.Err = errors.New("agent 7: NaN disposition,\nat tick 3")
		}
		if err := f(&r); err != nil {
			return err
		}
	}
	return nil
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func TestRunWriter(t *testing.T) {
	runsHeader := append([]string{"replicate"}, sim.SummaryNames[:]...)
	run0 := []string{"0", "0.3333333333", "0.25", "0.5", "0.75", "", "1.25", "1.5", "1.75", "2", "2.25", "2.5", "2.75", "3", "3.25", "3.5", "3.75", "4", "4.25", "4.5", "4.75", "5"}
	run2 := []string{"2", "2", "2.25", "2.5", "2.75", "3", "3.25", "3.5", "3.75", "4", "4.25", "4.5", "4.75", "5", "5.25", "5.5", "5.75", "6", "6.25", "6.5", "6.75", "7"}
	eventsHeader := []string{"replicate", "tick", "date", "kind", "name", "scheduled", "severity", "cooperation_before", "cooperation_after"}
	ev0 := []string{"0", "50", "2014-03", "crisis", "Crimea, annexation", "true", "0.8", "0.5", "0.25"}
	ev1 := []string{"0", "51", "2014-04", "crisis", "random crisis", "false", "0.125", "0.25", "0.2"}
	fail := []string{"1", "agent 7: NaN disposition,\nat tick 3"}
	withPoint := func(recs ...[]string) [][]string {
		out := make([][]string, len(recs))
		for i, r := range recs {
			p := "2"
			if i == 0 {
				p = "point"
			}
			out[i] = append([]string{p}, r...)
		}
		return out
	}
	tests := []struct {
		name  string
		point bool
		want  map[string][][]string
	}{
		{"plain", false, map[string][][]string{
			RunsFile:     {runsHeader, run0, run2},
			EventsFile:   {eventsHeader, ev0, ev1},
			FailuresFile: {{"replicate", "error"}, fail},
		}},
		{"with point column", true, map[string][][]string{
			RunsFile:     withPoint(runsHeader, run0, run2),
			EventsFile:   withPoint(eventsHeader, ev0, ev1),
			FailuresFile: withPoint([]string{"replicate", "error"}, fail),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := NewRunWriter(dir, tt.point)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			if err := threeRuns(w.Consume); err != nil {
				t.Fatal(err)
			}
			if w.Completed() != 2 || w.Failed() != 1 {
				t.Errorf("completed %d, failed %d; want 2, 1", w.Completed(), w.Failed())
			}
			// Nothing is visible before Close.
			if _, err := os.Stat(filepath.Join(dir, RunsFile)); !os.IsNotExist(err) {
				t.Errorf("runs.csv visible before Close: %v", err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); !errors.Is(err, ErrClosed) {
				t.Errorf("second Close: %v, want ErrClosed", err)
			}
			if err := w.Consume(&sim.RunResult{}); !errors.Is(err, ErrClosed) {
				t.Errorf("Consume after Close: %v, want ErrClosed", err)
			}
			for _, name := range w.Files() {
				got := readCSV(t, filepath.Join(dir, name))
				if !slices.EqualFunc(got, tt.want[name], slices.Equal) {
					t.Errorf("%s:\n got %q\nwant %q", name, got, tt.want[name])
				}
			}
			assertNoTemp(t, dir)
		})
	}
}

func TestRunWriterAbort(t *testing.T) {
	dir := t.TempDir()
	w, err := NewRunWriter(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := threeRuns(w.Consume); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	w.Abort()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left after Abort: %v", ents)
	}
	if err := w.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("Close after Abort: %v, want ErrClosed", err)
	}
}

func TestNewRunWriterMissingDir(t *testing.T) {
	if _, err := NewRunWriter(filepath.Join(t.TempDir(), "nope"), false); err == nil {
		t.Fatal("no error for a missing folder")
	}
}

func TestAtomicFile(t *testing.T) {
	tests := []struct {
		name   string
		commit bool
		old    string // content of the target before, "" for none
		want   string // content after, "" for no file
	}{
		{"commit", true, "", "new"},
		{"commit replaces", true, "old", "new"},
		{"abort", false, "", ""},
		{"abort keeps old", false, "old", "old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "x.csv")
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			f, err := CreateAtomic(dir, "x.csv")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write([]byte("new")); err != nil {
				t.Fatal(err)
			}
			if tt.commit {
				if err := f.Commit(); err != nil {
					t.Fatal(err)
				}
			}
			f.Abort()
			if _, err := f.Write([]byte("more")); !errors.Is(err, ErrClosed) {
				t.Errorf("Write after end: %v, want ErrClosed", err)
			}
			b, err := os.ReadFile(path)
			switch {
			case tt.want == "" && !os.IsNotExist(err):
				t.Errorf("target exists (%v)", err)
			case tt.want != "" && string(b) != tt.want:
				t.Errorf("content %q (%v), want %q", b, err, tt.want)
			}
			if tt.commit {
				if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
					t.Errorf("mode %v (%v), want 0644", st.Mode(), err)
				}
			}
			assertNoTemp(t, dir)
		})
	}
}

func TestCreateAtomicBadName(t *testing.T) {
	for _, name := range []string{"", "a/b.csv", "../x.csv"} {
		if _, err := CreateAtomic(t.TempDir(), name); err == nil {
			t.Errorf("no error for name %q", name)
		}
	}
}

func TestWriteTimeseries(t *testing.T) {
	a, _ := synthAggregate(t, 20, 13)
	dir := t.TempDir()
	if err := WriteTimeseries(dir, a); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, filepath.Join(dir, TimeseriesFile))
	if !slices.Equal(recs[0], TimeseriesHeader) {
		t.Fatalf("header %q", recs[0])
	}
	if got, want := len(recs)-1, 13*len(synthMetrics); got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}
	tests := []struct {
		name string
		row  int
		tick string
		date string
		met  string
	}{
		{"first row", 1, "0", "2010-01", "cooperation"},
		{"second metric", 2, "0", "2010-01", "entrenchment"},
		{"second tick", 1 + len(synthMetrics), "1", "2010-02", "cooperation"},
		{"last row", len(recs) - 1, "12", "2011-01", "side.paris"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := recs[tt.row]
			if r[0] != tt.tick || r[1] != tt.date || r[2] != tt.met {
				t.Errorf("row %q, want tick %s date %s metric %s", r, tt.tick, tt.date, tt.met)
			}
			st := a.Stats(a.MetricIndex(tt.met), mustAtoi(t, tt.tick))
			if r[3] != FormatFloat(st.Mean) || r[9] != FormatFloat(st.Q95) {
				t.Errorf("row %q does not match stats %+v", r, st)
			}
		})
	}
	empty := sim.NewAggregate(synthMetrics, synthDates(3))
	if err := WriteTimeseries(t.TempDir(), empty); !errors.Is(err, ErrNoRuns) {
		t.Errorf("empty aggregate: %v, want ErrNoRuns", err)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestManifestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2025, 3, 1, 12, 30, 15, 999, time.FixedZone("MSK", 3*3600))
	tests := []struct {
		name string
		m    Manifest
	}{
		{"started", Manifest{Scenario: "baseline", ScenarioHash: strings.Repeat("ab", 32), Seed: 42, Runs: 1000,
			Provenance: Provenance{Workers: 8, Version: "v0.1.0", Args: []string{"entrench", "run", "baseline"}, Started: start}}},
		{"finished", Manifest{Scenario: "baseline", Seed: 42, Runs: 1000, RunsCompleted: 998, RunsFailed: 2,
			Provenance: Provenance{Started: start, Finished: start.Add(time.Minute), Completed: true,
				Files: []string{"runs.csv", "manifest.json"}, GoVersion: "go1.26.8"}, Notes: "a note"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteManifest(dir, &tt.m); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(b), "}\n") || !strings.Contains(string(b), "\n  \"scenario\": ") {
				t.Errorf("not indented JSON with a trailing newline:\n%s", b)
			}
			if !strings.Contains(string(b), `"started": "2025-03-01T09:30:15Z"`) {
				t.Errorf("started not in UTC RFC 3339 to the second:\n%s", b)
			}
			if tt.m.Finished.IsZero() == strings.Contains(string(b), `"finished"`) {
				t.Errorf("finished present %v, want %v:\n%s", !tt.m.Finished.IsZero(), !tt.m.Finished.IsZero(), b)
			}
			got, err := ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.m
			want.Started = start.UTC().Truncate(time.Second)
			if !want.Finished.IsZero() {
				want.Finished = want.Finished.UTC().Truncate(time.Second)
			}
			if want.GoVersion == "" {
				if got.GoVersion == "" {
					t.Error("go_version not filled in")
				}
				want.GoVersion = got.GoVersion
			}
			if want.Args == nil {
				want.Args = []string{}
			}
			if want.Files == nil {
				want.Files = []string{}
			}
			if !manifestEqual(got, &want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, &want)
			}
		})
	}
	if _, err := ReadManifest(t.TempDir()); err == nil {
		t.Error("ReadManifest of an empty folder: no error")
	}
}

func manifestEqual(a, b *Manifest) bool {
	x, y := *a, *b
	if !x.Started.Equal(y.Started) || !x.Finished.Equal(y.Finished) {
		return false
	}
	x.Started, y.Started, x.Finished, y.Finished = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

func TestWriteSummaryTable(t *testing.T) {
	a, _ := synthAggregate(t, 4, 3)
	var b strings.Builder
	if err := WriteSummaryTable(&b, a); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if got, want := len(lines), 2+int(sim.NumSummary); got != want {
		t.Fatalf("%d lines, want %d:\n%s", got, want, out)
	}
	tests := []struct {
		name string
		line int
		want []string
	}{
		{"runs", 0, []string{"4 successful runs, 1 failed"}},
		{"header", 1, []string{"Metric", "Mean", "SD", "95% CI of mean", "n defined"}},
		// Values 0..3: mean 1.5, sd 1.291, t(0.975, 3 df) = 3.182, so the
		// interval is 1.5 ± 2.054.
		{"final cooperation", 2, []string{"Final cooperation", "1.5", "1.291", "[-0.5543, 3.554]", "4"}},
		{"undefined metric", 2 + sim.SumTimeToEntrenchment, []string{"Time to entrenchment (months)", "-", "-", "-", "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(lines[tt.line], w) {
					t.Errorf("line %q lacks %q", lines[tt.line], w)
				}
			}
		})
	}
	// Columns are aligned: every data line has "Mean" column at one offset.
	col := strings.Index(lines[1], "Mean")
	for _, l := range lines[2:] {
		if len(l) <= col || l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("misaligned line %q", l)
		}
	}
}

// The engine feeds a RunWriter as a sim.Sink.
var _ sim.Sink = (*RunWriter)(nil)

func BenchmarkRunWriter(b *testing.B) {
	dir := b.TempDir()
	w, err := NewRunWriter(dir, false)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Abort()
	var r sim.RunResult
	for i := range r.Summary {
		r.Summary[i] = 0.123456789 * float64(i)
	}
	r.Events = make([]sim.EventRecord, 10)
	for i := range r.Events {
		r.Events[i] = sim.EventRecord{Tick: i, Kind: "crisis", Name: "random crisis", Severity: 0.5, CooperationBefore: 0.4, CooperationAfter: 0.3}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Replicate = i
		if err := w.Consume(&r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "runs/s")
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}
