package sweep

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
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
