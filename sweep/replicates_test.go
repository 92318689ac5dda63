package sweep

import (
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/sim"
)

// TestReplicatesFile checks replicates.csv against points.csv: one row
// per replicate of every point, in point and replicate order, with every
// summary metric, whose mean and count per point are points.csv's.
func TestReplicatesFile(t *testing.T) {
	e := load(t, "tiny-lhs.yaml")
	dir := t.TempDir()
	runSweep(t, e, dir, Options{Workers: 2, NoFigures: true})
	reps := readCSV(t, filepath.Join(dir, ReplicatesFile))
	pts := readCSV(t, filepath.Join(dir, PointsFile))
	if want := append([]string{"point", "replicate"}, sim.SummaryNames[:]...); !slices.Equal(reps[0], want) {
		t.Fatalf("header %v, want %v", reps[0], want)
	}
	if got, want := len(reps)-1, (len(pts)-1)*e.Replicates; got != want {
		t.Fatalf("%d replicate rows, want %d", got, want)
	}
	metric := e.Metrics[0]
	col := slices.Index(reps[0], metric)
	meanCol, nCol := slices.Index(pts[0], metric+"_mean"), slices.Index(pts[0], metric+"_n")
	for i, p := range pts[1:] {
		var m estimate.Moments
		for r := range e.Replicates {
			row := reps[1+i*e.Replicates+r]
			if row[0] != p[0] || row[1] != strconv.Itoa(r) {
				t.Fatalf("row %v: want point %s replicate %d", row, p[0], r)
			}
			if row[col] != "" {
				x, err := strconv.ParseFloat(row[col], 64)
				if err != nil {
					t.Fatal(err)
				}
				m.Add(x)
			}
		}
		want, _ := strconv.ParseFloat(p[meanCol], 64)
		if strconv.Itoa(m.N) != p[nCol] || math.Abs(m.Mean-want) > 1e-9 {
			t.Errorf("point %s: replicates give mean %v over %d, points.csv %s over %s", p[0], m.Mean, m.N, p[meanCol], p[nCol])
		}
	}
}
