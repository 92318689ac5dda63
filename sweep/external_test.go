package sweep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entrench/entrench/scenarios"
)

func loadDesign(t *testing.T, e *Experiment, name string) (*Experiment, error) {
	t.Helper()
	path := filepath.Join("testdata", "design", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return e.WithDesign(path, data)
}

// TestDesignBad checks the positioned errors of bad external designs.
func TestDesignBad(t *testing.T) {
	e := load(t, "tiny-lhs.yaml")
	tests := []struct {
		file      string
		line, col int
		sentinel  error
		msg       string
	}{
		{"outside.csv", 3, 1, scenarios.ErrRange, "range is [0, 1]"},
		{"missing.csv", 1, 1, scenarios.ErrRequired, "no column for factor rate_per_year"},
		{"number.csv", 2, 2, scenarios.ErrType, `"abc" is not a finite number`},
		{"empty.csv", 2, 1, scenarios.ErrRequired, "no points"},
		{"fields.csv", 2, 1, nil, "wrong number of fields"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := loadDesign(t, e, tc.file)
			var de *DesignError
			if !errors.As(err, &de) || !errors.Is(err, ErrDesign) {
				t.Fatalf("want a DesignError wrapping ErrDesign, got %v", err)
			}
			if de.Line != tc.line || de.Column != tc.col || !strings.Contains(de.Msg, tc.msg) || !strings.HasSuffix(de.File, tc.file) {
				t.Errorf("got %v, want %s:%d:%d: ...%s...", err, tc.file, tc.line, tc.col, tc.msg)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("%v does not wrap %v", err, tc.sentinel)
			}
		})
	}
}

// TestDesignExternal runs an external design whole, interrupted and
// resumed, and in shards merged: the points are the file's, and the three
// folders' outputs are byte-identical.
func TestDesignExternal(t *testing.T) {
	e, err := loadDesign(t, load(t, "tiny-lhs.yaml"), "good.csv")
	if err != nil {
		t.Fatal(err)
	}
	if e.Points() != 5 || e.Design.Kind != External {
		t.Fatalf("%d points of kind %s, want 5 external", e.Points(), e.Design.Kind)
	}
	whole := t.TempDir()
	runSweep(t, e, whole, Options{Workers: 2, NoFigures: true, Version: testVersion})
	pts := readCSV(t, filepath.Join(whole, PointsFile))
	want := [][]string{{"0", "0.5", "0.5"}, {"1", "1", "0.1"}, {"2", "0", "2"}, {"3", "0.25", "1.5"}, {"4", "0.75", "0.2"}}
	for i, w := range want {
		if !slices.Equal(pts[1+i][:3], w) {
			t.Errorf("points.csv row %d starts %v, want %v", i+1, pts[1+i][:3], w)
		}
	}
	// Resume from a journal cut after two points.
	resumed := t.TempDir()
	runSweep(t, e, resumed, Options{Workers: 2, NoFigures: true, Version: testVersion})
	j := filepath.Join(resumed, JournalFile)
	data, err := os.ReadFile(j)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	if err := os.WriteFile(j, []byte(strings.Join(lines[:2], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(resumed)
	if err != nil {
		t.Fatal(err)
	}
	m.Completed, m.Outputs = false, false
	if err := writeManifest(resumed, m); err != nil {
		t.Fatal(err)
	}
	if _, err := Resume(context.Background(), resumed, Options{Workers: 2, NoFigures: true, Version: testVersion}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "resumed", folderFiles(t, whole), folderFiles(t, resumed))
	// Two shards, merged.
	var shards []string
	for k := range 2 {
		d := t.TempDir()
		runSweep(t, e, d, Options{Workers: 1, NoFigures: true, Version: testVersion, Shard: k, Shards: 2})
		shards = append(shards, d)
	}
	merged := t.TempDir()
	if _, err := Merge(context.Background(), shards, merged, Options{NoFigures: true, Version: testVersion}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "merged", folderFiles(t, whole), folderFiles(t, merged))
}

// FuzzDesign checks that reading an external design never panics, that
// every error is a DesignError with a position, and that an accepted
// design has only values its factors allow.
func FuzzDesign(f *testing.F) {
	for _, name := range []string{"good.csv", "outside.csv", "missing.csv", "number.csv", "fields.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "design", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	e, err := LoadFile(filepath.Join("testdata", "tiny-lhs.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := e.WithDesign("fuzz.csv", data)
		if err != nil {
			var de *DesignError
			if !errors.As(err, &de) || de.Line < 1 || de.Column < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		x := make([]float64, len(e.Factors))
		p := newPlan(d)
		for i := range d.Points() {
			p.point(i, x)
			for j := range x {
				if msg := e.Factors[j].allows(x[j]); msg != "" {
					t.Fatalf("point %d: %s=%v accepted: %s", i, e.Factors[j].Name, x[j], msg)
				}
			}
		}
	})
}
