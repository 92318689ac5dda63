package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entrench/entrench/sim"
)

const testVersion = "test-1"

func load(t *testing.T, file string) *Experiment {
	t.Helper()
	e, err := LoadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// folderFiles reads every file of a sweep folder except the manifest
// (times, workers, command line), keyed by name.
func folderFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range ents {
		if e.IsDir() || e.Name() == ManifestFile {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

// sameFiles fails unless got holds exactly the files of want, byte for byte.
func sameFiles(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !bytes.Equal(want[n], got[n]) {
			t.Errorf("%s: %s differs (%d vs %d bytes)", what, n, len(want[n]), len(got[n]))
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("%s: unexpected file %s", what, n)
		}
	}
}

func runSweep(t *testing.T, e *Experiment, dir string, opt Options) *Report {
	t.Helper()
	opt.Version = testVersion
	rep, err := Run(context.Background(), e, dir, opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// TestRunDesignsAndWorkers runs every design end to end with figures and
// checks that the outputs are byte-identical for 1 and 3 workers.
func TestRunDesignsAndWorkers(t *testing.T) {
	tests := []struct {
		file  string
		files []string
	}{
		{"tiny-grid.yaml", []string{"points.csv", "failures.csv", "heatmap_final_cooperation.png", "heatmap_crisis_survival.svg", "best_cooperation_fan.png", "worst_cooperation_fan.svg"}},
		{"tiny-lhs.yaml", []string{"points.csv", "failures.csv", "best_cooperation_fan.png"}},
		{"tiny-sobol.yaml", []string{"points.csv", "indices.csv", "sobol_final_cooperation.png", "sobol_mean_cooperation.svg"}},
		{"tiny-sobol2.yaml", []string{"points.csv", "indices.csv", "indices2.csv", "convergence.csv", "sobol_convergence_final_cooperation.png", "sobol_convergence_mean_cooperation.svg"}},
		{"tiny-morris.yaml", []string{"points.csv", "indices.csv", "morris_final_cooperation.png", "morris_final_cooperation.svg"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			e := load(t, tc.file)
			base := t.TempDir()
			r1 := runSweep(t, e, filepath.Join(base, "w1"), Options{Workers: 1})
			r3 := runSweep(t, e, filepath.Join(base, "w3"), Options{Workers: 3})
			if r1.Done != e.Points() || r1.Failed != 0 || !r1.Outputs {
				t.Errorf("report %+v, want %d points done, none failed, outputs written", r1, e.Points())
			}
			f1, f3 := folderFiles(t, filepath.Join(base, "w1")), folderFiles(t, filepath.Join(base, "w3"))
			for _, f := range tc.files {
				if len(f1[f]) == 0 {
					t.Errorf("missing or empty %s", f)
				}
			}
			sameFiles(t, "workers 1 vs 3", f1, f3)
			lines := strings.Count(string(f1[PointsFile]), "\n")
			if lines != e.Points()+1 {
				t.Errorf("points.csv has %d lines, want header + %d", lines, e.Points())
			}
			m, err := ReadManifest(filepath.Join(base, "w3"))
			if err != nil || !m.Completed || !m.Outputs || m.PointsDone != e.Points() || m.Workers != 3 || r3.Ran != e.Points() {
				t.Errorf("manifest %+v (%v)", m, err)
			}
		})
	}
}

// TestCommonRandomNumbers checks that points share random numbers by
// replicate: two grid points that differ only in a factor that cannot
// matter (a lever on a channel kind the scenario lacks) give identical
// statistics.
func TestCommonRandomNumbers(t *testing.T) {
	data := []byte(`name: crn
scenario: tiny
design: {kind: grid}
factors:
  - {path: levers.ndn_transit.value, values: [0, 1]}
replicates: 5
`)
	e, err := Load("crn.yaml", data, DirResolver("testdata"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	runSweep(t, e, dir, Options{NoFigures: true})
	rows := strings.Split(strings.TrimSpace(string(must(os.ReadFile(filepath.Join(dir, PointsFile))))), "\n")
	if len(rows) != 3 {
		t.Fatalf("points.csv: %q", rows)
	}
	_, a, _ := strings.Cut(rows[1], ",0,")
	_, b, _ := strings.Cut(rows[2], ",1,")
	if a == "" || a != b {
		t.Errorf("points differing only in an inert lever differ:\n%s\n%s", rows[1], rows[2])
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestResumeAfterInterrupt cancels a sweep after some points, tears the
// journal's last line as a crash mid-write would, resumes, and checks that
// the outputs are byte-identical to an uninterrupted run.
func TestResumeAfterInterrupt(t *testing.T) {
	e := load(t, "tiny-sobol.yaml")
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	runSweep(t, e, ref, Options{Workers: 2})

	dir := filepath.Join(base, "cut")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := Run(ctx, e, dir, Options{Workers: 2, Version: testVersion, Progress: func(done, _ int) {
		if done >= 11 {
			cancel()
		}
	}})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("want ErrInterrupted, got %v", err)
	}
	if rep.Done < 11 || rep.Done >= e.Points() {
		t.Fatalf("%d points done after the interrupt, want 11..%d", rep.Done, e.Points()-1)
	}
	m, _ := ReadManifest(dir)
	if m.Completed || !m.Interrupted || m.PointsDone != rep.Done {
		t.Errorf("manifest after interrupt: %+v", m)
	}
	if exists(filepath.Join(dir, PointsFile)) {
		t.Error("an interrupted sweep must not write points.csv")
	}
	// A new sweep into the folder is refused.
	if _, err := Run(context.Background(), e, dir, Options{Version: testVersion}); !errors.Is(err, ErrUnfinished) {
		t.Errorf("a new sweep into an unfinished folder: got %v, want ErrUnfinished", err)
	}
	// A crash in the middle of an append leaves a torn line.
	jf, err := os.OpenFile(filepath.Join(dir, JournalFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	jf.WriteString("39\tok\t3\t0.12")
	jf.Close()
	// Resume with another version is refused.
	if _, err := Resume(context.Background(), dir, Options{Version: "other"}); !errors.Is(err, ErrMismatch) {
		t.Errorf("resume with another version: got %v, want ErrMismatch", err)
	}
	rep, err = Resume(context.Background(), dir, Options{Workers: 1, Version: testVersion})
	if err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if rep.Done != e.Points() || rep.Ran != e.Points()-m.PointsDone {
		t.Errorf("resume report %+v, want %d done and %d run now", rep, e.Points(), e.Points()-m.PointsDone)
	}
	sameFiles(t, "resumed vs uninterrupted", folderFiles(t, ref), folderFiles(t, dir))
}

// TestShardMerge runs a design in 3 shards, merges them, and compares the
// outputs with the unsharded run; then checks the refusals.
func TestShardMerge(t *testing.T) {
	e := load(t, "tiny-grid.yaml")
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	runSweep(t, e, ref, Options{})
	var shards []string
	for k := range 3 {
		d := filepath.Join(base, "shard", string(rune('0'+k)))
		rep := runSweep(t, e, d, Options{Shard: k, Shards: 3, Workers: 1 + k})
		if rep.Outputs || rep.Points != 4 || rep.Done != 4 {
			t.Errorf("shard %d: %+v, want 4 of 12 points and no outputs", k, rep)
		}
		shards = append(shards, d)
	}
	out := filepath.Join(base, "merged")
	// Shards in any order.
	rep, err := Merge(context.Background(), []string{shards[2], shards[0], shards[1]}, out, Options{Version: testVersion})
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if rep.Done != 12 || !rep.Outputs {
		t.Errorf("merge report %+v", rep)
	}
	sameFiles(t, "merged vs unsharded", folderFiles(t, ref), folderFiles(t, out))

	// A shard of another seed, another experiment, a missing shard, a
	// repeated shard, an unfinished shard, another version.
	other := *e
	other.Seed++
	odd := filepath.Join(base, "odd")
	runSweep(t, &other, odd, Options{Shard: 1, Shards: 3})
	g := load(t, "tiny-failing.yaml")
	alien := filepath.Join(base, "alien")
	runSweep(t, g, alien, Options{Shard: 1, Shards: 3})
	unfinished := filepath.Join(base, "unfinished")
	ctx, cancel := context.WithCancel(context.Background())
	Run(ctx, e, unfinished, Options{Shard: 1, Shards: 3, Workers: 1, Version: testVersion, Progress: func(done, _ int) {
		if done >= 1 {
			cancel()
		}
	}})
	cancel()
	refusals := []struct {
		name    string
		dirs    []string
		version string
		err     error
		msg     string
	}{
		{"seed", []string{shards[0], odd, shards[2]}, testVersion, ErrMismatch, "different seeds"},
		{"experiment", []string{shards[0], alien, shards[2]}, testVersion, ErrMismatch, "different experiments"},
		{"missing", []string{shards[0], shards[2]}, testVersion, ErrIncomplete, "shards 1/3 are missing"},
		{"repeated", []string{shards[0], shards[0], shards[2]}, testVersion, ErrIncomplete, "given twice"},
		{"unfinished", []string{shards[0], unfinished, shards[2]}, testVersion, ErrIncomplete, "unfinished"},
		{"version", shards, "test-2", ErrMismatch, "version"},
		{"not a sweep", []string{shards[0], base}, testVersion, ErrMismatch, "not a sweep folder"},
	}
	for _, r := range refusals {
		_, err := Merge(context.Background(), r.dirs, filepath.Join(base, "m-"+r.name), Options{Version: r.version})
		if !errors.Is(err, r.err) || !strings.Contains(err.Error(), r.msg) {
			t.Errorf("%s: got %v, want %v mentioning %q", r.name, err, r.err, r.msg)
		}
	}
}

// TestFailedPoints checks that a point whose scenario is invalid is
// recorded in failures.csv and does not stop the sweep.
func TestFailedPoints(t *testing.T) {
	e := load(t, "tiny-failing.yaml")
	dir := t.TempDir()
	rep, err := Run(context.Background(), e, dir, Options{Version: testVersion})
	if !errors.Is(err, ErrSomeFailed) {
		t.Fatalf("want ErrSomeFailed, got %v", err)
	}
	if rep.Done != 4 || rep.Failed != 1 || !rep.Outputs {
		t.Errorf("report %+v, want 4 done, 1 failed, outputs written", rep)
	}
	fails := string(must(os.ReadFile(filepath.Join(dir, FailuresFile))))
	if !strings.HasPrefix(fails, "point,build_rate,fall_rate,replicate,error\n2,0.4,0.3,,") || !strings.Contains(fails, "build_rate") {
		t.Errorf("failures.csv:\n%s", fails)
	}
	pts := string(must(os.ReadFile(filepath.Join(dir, PointsFile))))
	if strings.Count(pts, "\n") != 4 || strings.Contains(pts, "\n2,") {
		t.Errorf("points.csv should hold the 3 good points only:\n%s", pts)
	}
}

func TestJournalRoundTrip(t *testing.T) {
	recs := []record{
		{point: 3, reps: 5, stats: []metricStat{{0.25, 0.1, 5}, {nan(), nan(), 0}}},
		{point: 4, reps: 1, stats: []metricStat{{0.25, nan(), 1}, {nan(), nan(), 0}}, values: func() []float64 {
			v := make([]float64, sim.NumSummary)
			for i := range v {
				v[i] = float64(i) / 3
			}
			v[1] = nan()
			return v
		}()},
		{point: 7, fails: []failure{{-1, "bad\tvalue\nsecond line"}, {2, "NaN in run"}}},
	}
	for _, r := range recs {
		line := r.encode()
		got, err := decodeRecord(line[:len(line)-1], 2, 10)
		if err != nil {
			t.Fatalf("decode %q: %v", line, err)
		}
		if !bytes.Equal(got.encode(), line) {
			t.Errorf("round trip: %q -> %q", line, got.encode())
		}
		// Any flipped byte fails the checksum or the parse.
		for i := range len(line) - 1 {
			bad := bytes.Clone(line[:len(line)-1])
			bad[i] ^= 0x01
			if _, err := decodeRecord(bad, 2, 10); err == nil {
				t.Errorf("flipping byte %d of %q went unnoticed", i, line)
			}
		}
	}
	if _, err := decodeRecord(recs[0].encode()[:20], 2, 10); err == nil {
		t.Error("a torn line must not decode")
	}
}

// FuzzJournal checks that decoding never panics and that whatever
// decodes encodes back to the same line.
func FuzzJournal(f *testing.F) {
	f.Add([]byte("3\tok\t5\t0.25\t0.1\t5\t" + "00000000"))
	f.Add((&record{point: 1, fails: []failure{{-1, "x"}}}).encode())
	f.Fuzz(func(t *testing.T, line []byte) {
		r, err := decodeRecord(bytes.TrimSuffix(line, []byte("\n")), 1, 100)
		if err != nil {
			return
		}
		if _, err := decodeRecord(bytes.TrimSuffix(r.encode(), []byte("\n")), 1, 100); err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
	})
}

// openFiles counts this process's open file descriptors, or returns -1
// where /proc/self/fd does not exist.
func openFiles() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// TestMergeManyShards merges 40 shards under an open-file limit far below
// 40 (a merge must not hold every shard's journal open at once), checks
// the outputs against the unsharded run, and that no descriptor leaks.
func TestMergeManyShards(t *testing.T) {
	data := []byte(`name: many
scenario: tiny
design: {kind: lhs, points: 45}
factors:
  - {path: levers.tapi_stake.value, min: 0, max: 1}
  - {path: crises.rate_per_year, min: 0.1, max: 2}
replicates: 1
`)
	e, err := Load("many.yaml", data, DirResolver("testdata"))
	if err != nil {
		t.Fatal(err)
	}
	const shards = 40
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	runSweep(t, e, ref, Options{NoFigures: true})
	var dirs []string
	for k := range shards {
		d := filepath.Join(base, fmt.Sprintf("shard-%d", k))
		runSweep(t, e, d, Options{Shard: k, Shards: shards, Workers: 1})
		dirs = append(dirs, d)
	}
	out := filepath.Join(base, "merged")
	before := openFiles()
	if before > 0 {
		limitOpenFiles(t, uint64(before+12))
	}
	rep, err := Merge(context.Background(), dirs, out, Options{Version: testVersion, NoFigures: true, Workers: 1})
	if err != nil {
		t.Fatalf("Merge of %d shards (open files limited to %d): %v", shards, before+12, err)
	}
	if rep.Done != 45 {
		t.Errorf("merged %d points, want 45", rep.Done)
	}
	if after := openFiles(); before < 0 {
		t.Log("no /proc/self/fd: descriptor leak not checked")
	} else if after != before {
		t.Errorf("%d files open before the merge, %d after: descriptors leak", before, after)
	}
	sameFiles(t, "40 shards merged vs unsharded", folderFiles(t, ref), folderFiles(t, out))
}

// TestSortJournalManyFiles sorts more journals than an int16 can number
// (the journal index once wrapped past 32767, losing the points of the
// journals beyond): 32768 empty journals (one file, named again and
// again), then three holding a point each, in reverse order.
func TestSortJournalManyFiles(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	paths := slices.Repeat([]string{empty}, 1<<15)
	const n = 3
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("j%d", i))
		r := record{point: n - 1 - i, reps: 1, stats: []metricStat{{float64(n - 1 - i), 0, 1}}}
		if err := os.WriteFile(p, r.encode(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if err := sortJournal(dir, paths, 1, n, nil); err != nil {
		t.Fatal(err)
	}
	want := 0
	_, err := scanJournal(filepath.Join(dir, JournalFile), 1, n, func(r record, _ journalEntry) {
		if r.point != want || r.stats[0].mean != float64(want) {
			t.Fatalf("record %d is point %d with mean %g", want, r.point, r.stats[0].mean)
		}
		want++
	})
	if err != nil || want != n {
		t.Errorf("the sorted journal holds %d of %d points (%v)", want, n, err)
	}
}

// copyDir copies the files of folder src into a new folder dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b := must(os.ReadFile(filepath.Join(src, e.Name())))
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// editManifest rewrites sweep.json in dir after edit changes its fields
// (as JSON values).
func editManifest(t *testing.T, dir string, edit func(map[string]any)) {
	t.Helper()
	path := filepath.Join(dir, ManifestFile)
	var m map[string]any
	if err := json.Unmarshal(must(os.ReadFile(path)), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if err := os.WriteFile(path, must(json.Marshal(m)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// noPanic runs f and turns a panic into a test failure.
func noPanic(t *testing.T, what string, f func() error) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// TestCorruptManifest edits a shard's sweep.json in ways a hand or a
// damaged disk might, and checks that Resume and Merge refuse it with
// ErrBadManifest, never a panic; then tries random edits of its numbers,
// which must never panic.
func TestCorruptManifest(t *testing.T) {
	e := load(t, "tiny-grid.yaml") // 12 points: 4 per shard of 3
	base := t.TempDir()
	var shards []string
	for k := range 3 {
		d := filepath.Join(base, fmt.Sprintf("shard-%d", k))
		runSweep(t, e, d, Options{Shard: k, Shards: 3, Workers: 1, NoFigures: true})
		shards = append(shards, d)
	}
	set := func(kv ...any) func(map[string]any) {
		return func(m map[string]any) {
			for i := 0; i < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
		}
	}
	tests := []struct {
		name string
		edit func(map[string]any)
		raw  string // replaces the file when not empty
		msg  string
	}{
		{"shards 0", set("shards", 0), "", "shards is 0"},
		{"shards negative", set("shards", -3), "", "shards is -3"},
		{"shard negative", set("shard", -1), "", "shard is -1"},
		{"shard = shards", set("shard", 3), "", "shard is 3"},
		{"shard beyond", set("shard", 1000), "", "shard is 1000"},
		{"huge shards", set("shards", 1<<40), "", "shard_points is 4"},
		{"shard points", set("shard_points", 5), "", "shard_points is 5"},
		{"shard points negative", set("shard_points", -4), "", "shard_points is -4"},
		{"points", set("points", 13), "", "points is 13"},
		{"points 0", set("points", 0), "", "points is 0"},
		{"points huge", set("points", 1<<40), "", "points is"},
		{"points done", set("points_done", 9), "", "points_done is 9"},
		{"points failed", set("points_failed", -1), "", "points_failed is -1"},
		{"replicates 0", set("replicates", 0), "", "replicates is 0"},
		{"unsharded but short", set("shards", 1, "shard", 0), "", "shard_points is 4"},
		{"not JSON", nil, "{\"shards\": 3,", "sweep.json"},
		{"wrong type", nil, `{"shards": "three"}`, "sweep.json"},
		{"empty", nil, " ", "sweep.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "shard-1")
			copyDir(t, shards[1], bad)
			if tc.raw != "" {
				os.WriteFile(filepath.Join(bad, ManifestFile), []byte(tc.raw), 0o644)
			} else {
				editManifest(t, bad, tc.edit)
			}
			check := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, ErrBadManifest) || !strings.Contains(err.Error(), tc.msg) {
					t.Errorf("%s: got %v, want ErrBadManifest mentioning %q", what, err, tc.msg)
				}
			}
			check("resume", noPanic(t, "Resume", func() error {
				_, err := Resume(context.Background(), bad, Options{Version: testVersion, Workers: 1})
				return err
			}))
			for _, order := range [][]string{{shards[0], bad, shards[2]}, {bad, shards[0], shards[2]}} {
				check("merge", noPanic(t, "Merge", func() error {
					_, err := Merge(context.Background(), order, filepath.Join(t.TempDir(), "m"), Options{Version: testVersion, NoFigures: true})
					return err
				}))
			}
		})
	}
	// Random edits of the numbers: any outcome but a panic.
	r := rand.New(rand.NewPCG(1, 2))
	keys := []string{"shard", "shards", "shard_points", "points", "points_done", "points_failed", "replicates"}
	vals := []int64{-1 << 40, -2, -1, 0, 1, 2, 3, 4, 5, 11, 12, 13, 1 << 31, 1 << 40}
	for i := range 40 {
		bad := filepath.Join(t.TempDir(), "shard")
		copyDir(t, shards[i%3], bad)
		var edits []any
		for range 1 + r.IntN(2) {
			edits = append(edits, keys[r.IntN(len(keys))], vals[r.IntN(len(vals))])
		}
		editManifest(t, bad, set(edits...))
		what := fmt.Sprintf("edit %v", edits)
		noPanic(t, what+": Resume", func() error {
			_, err := Resume(context.Background(), bad, Options{Version: testVersion, Workers: 1, NoFigures: true})
			return err
		})
		dirs := slices.Clone(shards)
		dirs[i%3] = bad
		noPanic(t, what+": Merge", func() error {
			_, err := Merge(context.Background(), dirs, filepath.Join(t.TempDir(), "m"), Options{Version: testVersion, NoFigures: true})
			return err
		})
	}
}

// interrupted runs e into dir and cancels it once a few points are done.
func interrupted(t *testing.T, e *Experiment, dir string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Run(ctx, e, dir, Options{Workers: 1, Version: testVersion, NoFigures: true, Progress: func(done, _ int) {
		if done >= 3 {
			cancel()
		}
	}})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("want ErrInterrupted, got %v", err)
	}
}

// TestMergeIntoUnfinished checks that Merge refuses an --out folder that
// holds an unfinished sweep, leaving its journal alone, and replaces a
// finished one, old files and all.
func TestMergeIntoUnfinished(t *testing.T) {
	e := load(t, "tiny-grid.yaml")
	base := t.TempDir()
	var shards []string
	for k := range 2 {
		d := filepath.Join(base, fmt.Sprintf("shard-%d", k))
		runSweep(t, e, d, Options{Shard: k, Shards: 2, NoFigures: true})
		shards = append(shards, d)
	}
	out := filepath.Join(base, "out")
	interrupted(t, load(t, "tiny-sobol.yaml"), out)
	journal := must(os.ReadFile(filepath.Join(out, JournalFile)))
	_, err := Merge(context.Background(), shards, out, Options{Version: testVersion, NoFigures: true})
	if !errors.Is(err, ErrUnfinished) || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("merge into an unfinished sweep: got %v, want ErrUnfinished", err)
	}
	if now := must(os.ReadFile(filepath.Join(out, JournalFile))); !bytes.Equal(now, journal) {
		t.Error("the refused merge changed the unfinished sweep's journal")
	}
	// A finished sweep is replaced: its other outputs go.
	done := filepath.Join(base, "done")
	runSweep(t, load(t, "tiny-sobol.yaml"), done, Options{NoFigures: true})
	if _, err := Merge(context.Background(), shards, done, Options{Version: testVersion, NoFigures: true}); err != nil {
		t.Fatalf("merge into a finished sweep: %v", err)
	}
	if exists(filepath.Join(done, IndicesFile)) {
		t.Error("the merge left the old sweep's indices.csv")
	}
	m, err := ReadManifest(done)
	if err != nil || m.Experiment != "tiny-grid" || !m.Completed {
		t.Errorf("manifest after the merge: %+v, %v", m, err)
	}
}

// TestCheckpoints checks that a running sweep keeps points_done in
// sweep.json up to date, by time or by count.
func TestCheckpoints(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		points   int
	}{
		{"every point", time.Hour, 1},
		{"every 0 s", -1, 1 << 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := load(t, "tiny-sobol.yaml")
			dir := t.TempDir()
			calls := 0
			_, err := Run(context.Background(), e, dir, Options{Workers: 2, Version: testVersion, NoFigures: true, CheckpointInterval: tc.interval, CheckpointPoints: tc.points, Progress: func(done, total int) {
				calls++
				m, err := ReadManifest(dir)
				if err != nil || m.PointsDone != done || m.Completed {
					t.Errorf("at %d of %d points done, sweep.json says %d done (completed %v, %v)", done, total, m.PointsDone, m.Completed, err)
				}
			}})
			if err != nil || calls != e.Points()+1 {
				t.Errorf("Run: %v, %d progress calls", err, calls)
			}
		})
	}
}

// TestFolderLock checks that two sessions never work in one folder: a
// running sweep holds the lock, and a lock left behind is taken over only
// when its owner is known to be gone.
func TestFolderLock(t *testing.T) {
	e := load(t, "tiny-sobol.yaml")
	base := t.TempDir()
	var shards []string
	for k := range 2 {
		d := filepath.Join(base, fmt.Sprintf("shard-%d", k))
		runSweep(t, load(t, "tiny-grid.yaml"), d, Options{Shard: k, Shards: 2, NoFigures: true})
		shards = append(shards, d)
	}
	dir := filepath.Join(base, "running")
	var during []error
	_, err := Run(context.Background(), e, dir, Options{Workers: 1, Version: testVersion, NoFigures: true, Progress: func(done, _ int) {
		if done != 2 {
			return
		}
		_, err := Resume(context.Background(), dir, Options{Version: testVersion})
		during = append(during, err)
		_, err = Run(context.Background(), e, dir, Options{Version: testVersion})
		during = append(during, err)
		_, err = Merge(context.Background(), shards, dir, Options{Version: testVersion})
		during = append(during, err)
	}})
	if err != nil {
		t.Fatal(err)
	}
	for i, what := range []string{"resume", "run", "merge into"} {
		if i >= len(during) || !errors.Is(during[i], ErrLocked) {
			t.Errorf("%s a running sweep's folder: got %v, want ErrLocked", what, during)
		}
	}
	if exists(filepath.Join(dir, LockFile)) {
		t.Error("the lock outlived the sweep")
	}

	cut := filepath.Join(base, "cut")
	interrupted(t, e, cut)
	host, _ := os.Hostname()
	me := currentHolder(SlurmJob{})
	lock := func(pid int, host, token, job, restart string) string {
		return string(must(json.Marshal(lockHolder{PID: pid, Host: host, Token: token, SlurmJob: job, SlurmRestart: restart, Since: time.Now()})))
	}
	tests := []struct {
		name     string
		lock     string
		old      bool // lock file last changed an hour ago
		slurm    SlurmJob
		takeOver bool
		msg      string
	}{
		{"live process here", lock(os.Getppid(), host, "x", "", ""), false, SlurmJob{}, false, fmt.Sprintf("pid %d on %s", os.Getppid(), host)},
		{"this process", lock(me.PID, host, me.Token, "", ""), false, SlurmJob{}, false, "in use"},
		{"earlier process with our pid", lock(me.PID, host, "earlier", "", ""), false, SlurmJob{}, true, ""},
		{"dead process here", lock(1<<30, host, "x", "", ""), false, SlurmJob{}, true, ""},
		{"other host", lock(1<<30, "elsewhere", "x", "", ""), false, SlurmJob{}, false, "if no entrench session runs there any more, delete"},
		{"requeued slurm job", lock(1<<30, "node7", "x", "77", ""), false, SlurmJob{"77", "1"}, true, ""},
		{"same slurm run", lock(1<<30, "node7", "x", "77", "1"), false, SlurmJob{"77", "1"}, false, "node7"},
		{"other slurm job", lock(1<<30, "node7", "x", "76", ""), false, SlurmJob{"77", "1"}, false, "node7"},
		{"torn, just now", `{"pid": 12`, false, SlurmJob{}, false, "being locked"},
		{"torn, long ago", `{"pid": 12`, true, SlurmJob{}, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := filepath.Join(t.TempDir(), "cut")
			copyDir(t, cut, d)
			path := filepath.Join(d, LockFile)
			os.WriteFile(path, []byte(tc.lock), 0o644)
			if tc.old {
				old := time.Now().Add(-time.Hour)
				os.Chtimes(path, old, old)
			}
			rep, err := Resume(context.Background(), d, Options{Version: testVersion, NoFigures: true, Slurm: tc.slurm})
			if tc.takeOver {
				if err != nil || rep.Done != e.Points() {
					t.Errorf("a stale lock should be taken over: %v", err)
				}
				if exists(path) {
					t.Error("the lock outlived the resume")
				}
				return
			}
			if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want ErrLocked mentioning %q", err, tc.msg)
			}
			if got := string(must(os.ReadFile(path))); got != tc.lock {
				t.Errorf("a refused session changed the lock to %q", got)
			}
		})
	}
}

// TestCheckpointEvery checks the documented zero values and negative
// values of the checkpoint options.
func TestCheckpointEvery(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		points   int
		wantD    time.Duration
		wantN    int
	}{
		{"zero: defaults", 0, 0, DefaultCheckpointInterval, DefaultCheckpointPoints},
		{"negative: every point", -1, -1, 0, 1},
		{"set", time.Minute, 7, time.Minute, 7},
	}
	for _, tc := range tests {
		d, n := Options{CheckpointInterval: tc.interval, CheckpointPoints: tc.points}.checkpointEvery()
		if d != tc.wantD || n != tc.wantN {
			t.Errorf("%s: got %v, %d; want %v, %d", tc.name, d, n, tc.wantD, tc.wantN)
		}
	}
}
