package sweep

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/entrench/entrench/output"
)

// readColumns reads a whitespace-separated text file of numbers, as
// numpy.savetxt writes and numpy.loadtxt reads ("nan" included).
func readColumns(t *testing.T, path string) [][]float64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]float64
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		var row []float64
		for _, f := range strings.Fields(line) {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, i+1, err)
			}
			row = append(row, x)
		}
		rows = append(rows, row)
	}
	return rows
}

// TestExportSALibOrder runs sobol sweeps with the SALib export and
// recomputes entrench's indices from the exported files alone, read in
// SALib's layout ([A, AB_1..AB_k, B] per row, or [A, AB_1..AB_k,
// BA_1..BA_k, B] with calc_second_order), the way SALib's sobol.analyze
// slices Y: the recomputed indices must equal indices.csv and
// indices2.csv to the last digit written. It also checks the sample's
// structure: AB_i is A with column i from B, and BA_i is B with column i
// from A.
func TestExportSALibOrder(t *testing.T) {
	for _, file := range []string{"tiny-sobol.yaml", "tiny-sobol2.yaml"} {
		t.Run(file, func(t *testing.T) {
			e := load(t, file)
			dir := t.TempDir()
			runSweep(t, e, dir, Options{Workers: 2, NoFigures: true, ExportSALib: true})
			var pr salibProblem
			js, err := os.ReadFile(filepath.Join(dir, SALibProblemFile))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(js, &pr); err != nil {
				t.Fatal(err)
			}
			k, n := pr.NumVars, pr.N
			if k != len(e.Factors) || n != e.Design.N || pr.CalcSecondOrder != (e.Design.Order == 2) || len(pr.Names) != k {
				t.Fatalf("problem %+v does not describe the experiment", pr)
			}
			w := k + 2
			if pr.CalcSecondOrder {
				w = 2*k + 2
			}
			x := readColumns(t, filepath.Join(dir, SALibSampleFile))
			if len(x) != n*w {
				t.Fatalf("sample has %d rows, want %d", len(x), n*w)
			}
			for j := range n {
				a, b := x[j*w], x[j*w+w-1]
				for i := range k {
					ab := x[j*w+1+i]
					for c := range k {
						want := a[c]
						if c == i {
							want = b[c]
						}
						if ab[c] != want {
							t.Fatalf("row %d: AB_%d = %v is not A %v with column %d of B %v", j, i, ab, a, i, b)
						}
					}
					if pr.CalcSecondOrder {
						ba := x[j*w+1+k+i]
						for c := range k {
							want := b[c]
							if c == i {
								want = a[c]
							}
							if ba[c] != want {
								t.Fatalf("row %d: BA_%d = %v is not B %v with column %d of A %v", j, i, ba, b, i, a)
							}
						}
					}
				}
			}
			want := readCSV(t, filepath.Join(dir, IndicesFile))
			var want2 [][]string
			if pr.CalcSecondOrder {
				want2 = readCSV(t, filepath.Join(dir, Indices2File))
			}
			r1, r2 := 1, 1
			for m, out := range pr.Outputs {
				cols := readColumns(t, filepath.Join(dir, out))
				y := make([]float64, len(cols))
				for i, c := range cols {
					y[i] = c[0]
				}
				if len(y) != n*w {
					t.Fatalf("%s has %d rows, want %d", out, len(y), n*w)
				}
				// SALib's slicing: A = Y[0::w], AB_i = Y[1+i::w],
				// BA_i = Y[1+k+i::w], B = Y[w-1::w].
				yA, yB := make([]float64, n), make([]float64, n)
				yAB := make([][]float64, k)
				var yBA [][]float64
				if pr.CalcSecondOrder {
					yBA = make([][]float64, k)
				}
				for i := range k {
					yAB[i] = make([]float64, n)
					if yBA != nil {
						yBA[i] = make([]float64, n)
					}
				}
				for j := range n {
					yA[j], yB[j] = y[j*w], y[j*w+w-1]
					for i := range k {
						yAB[i][j] = y[j*w+1+i]
						if yBA != nil {
							yBA[i][j] = y[j*w+1+k+i]
						}
					}
				}
				idx, pairs := SobolAnalyze2(yA, yB, yAB, yBA, e.Design.Bootstrap, e.Design.Confidence, e.Seed+uint64(m))
				for i, s := range idx {
					got := []string{e.Metrics[m], pr.Names[i], output.FormatFloat(s.S1), output.FormatFloat(s.S1Lo), output.FormatFloat(s.S1Hi),
						output.FormatFloat(s.ST), output.FormatFloat(s.STLo), output.FormatFloat(s.STHi), strconv.Itoa(s.N)}
					if strings.Join(got, ",") != strings.Join(want[r1], ",") {
						t.Errorf("from the SALib files: %v\nindices.csv:          %v", got, want[r1])
					}
					r1++
				}
				for _, p := range pairs {
					got := []string{e.Metrics[m], pr.Names[p.I], pr.Names[p.J], output.FormatFloat(p.S2), output.FormatFloat(p.S2Lo), output.FormatFloat(p.S2Hi), strconv.Itoa(p.N)}
					if strings.Join(got, ",") != strings.Join(want2[r2], ",") {
						t.Errorf("from the SALib files: %v\nindices2.csv:         %v", got, want2[r2])
					}
					r2++
				}
			}
			if r1 != len(want) || (want2 != nil && r2 != len(want2)) {
				t.Errorf("recomputed %d and %d rows, indices files have %d and %d", r1-1, r2-1, len(want)-1, len(want2)-1)
			}
		})
	}
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
		t.Fatal(err)
	}
	return recs
}
