package prim

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// synth draws n cases uniform on [0,1]^5 with y true when x0 is in
// [0.2, 0.5] and x1 > 0.7 (a box of mass 0.09), each label flipped with
// probability noise.
func synth(n int, seed uint64, noise float64) ([]Factor, [][]float64, []bool) {
	rng := rand.New(rand.NewPCG(seed, 13))
	f := []Factor{{Name: "x0"}, {Name: "x1"}, {Name: "x2"}, {Name: "x3"}, {Name: "x4"}}
	x := make([][]float64, n)
	y := make([]bool, n)
	for i := range x {
		x[i] = make([]float64, 5)
		for j := range x[i] {
			x[i][j] = rng.Float64()
		}
		y[i] = trueBox(x[i])
		if rng.Float64() < noise {
			y[i] = !y[i]
		}
	}
	return f, x, y
}

func trueBox(x []float64) bool { return x[0] >= 0.2 && x[0] <= 0.5 && x[1] > 0.7 }

// TestKnownBox checks that PRIM recovers the box of synth, for three
// seeds: the chosen box (the knee) has its limits within 0.03 of 0.2, 0.5
// and 0.7, x1's upper limit and the three irrelevant factors
// unrestricted, the restrictions highly significant, and coverage and
// density at least 0.9 times those of the true box on the same cases
// (with 5% of labels flipped the true box itself has a coverage of about
// 0.66 and a density of about 0.95).
func TestKnownBox(t *testing.T) {
	tests := []struct {
		name  string
		noise float64
		s     Settings
		tol   float64 // on each limit
		ratio float64 // smallest coverage and density, relative to the true box's
	}{
		{"clean", 0, Settings{}, 0.03, 0.9},
		{"clean pasting", 0, Settings{Paste: true}, 0.03, 0.9},
		{"clean lenient1", 0, Settings{Objective: Lenient1}, 0.03, 0.9},
		// Coarser peels: the knee can fall one peel of 10% short.
		{"clean alpha 0.1", 0, Settings{Alpha: 0.1}, 0.04, 0.85},
		{"noisy", 0.05, Settings{}, 0.03, 0.9},
		{"noisy pasting", 0.05, Settings{Paste: true}, 0.03, 0.9},
	}
	for _, tt := range tests {
		for seed := range uint64(3) {
			f, x, y := synth(2000, seed, tt.noise)
			r, err := Find(f, x, y, tt.s)
			if err != nil {
				t.Fatalf("%s seed %d: %v", tt.name, seed, err)
			}
			b := r.Box()
			// The true box's coverage and density on these cases.
			tp, tn, pos := 0, 0, 0
			for i := range x {
				if y[i] {
					pos++
				}
				if trueBox(x[i]) {
					tn++
					if y[i] {
						tp++
					}
				}
			}
			tcov, tden := float64(tp)/float64(pos), float64(tp)/float64(tn)
			t.Logf("%s seed %d: step %d of %d, x0 [%.3f, %.3f], x1 [%.3f, %.3f], coverage %.3f (true box %.3f), density %.3f (%.3f)",
				tt.name, seed, r.Chosen, len(r.Steps), b.Limits[0].Min, b.Limits[0].Max, b.Limits[1].Min, b.Limits[1].Max, b.Coverage, tcov, b.Density, tden)
			if !slices.Equal(b.Restricted, []int{0, 1}) {
				t.Errorf("%s seed %d: restricted factors %v, want [0 1]", tt.name, seed, b.Restricted)
			}
			for _, c := range []struct {
				what      string
				got, want float64
			}{
				{"x0 min", b.Limits[0].Min, 0.2},
				{"x0 max", b.Limits[0].Max, 0.5},
				{"x1 min", b.Limits[1].Min, 0.7},
			} {
				if math.Abs(c.got-c.want) > tt.tol {
					t.Errorf("%s seed %d: %s = %.3f, want %.2f +- %.2f", tt.name, seed, c.what, c.got, c.want, tt.tol)
				}
			}
			if b.Limits[1].Max != r.Steps[0].Limits[1].Max {
				t.Errorf("%s seed %d: x1 max %.3f restricted", tt.name, seed, b.Limits[1].Max)
			}
			if b.Coverage < tt.ratio*tcov || b.Density < tt.ratio*tden {
				t.Errorf("%s seed %d: coverage %.3f, density %.3f, want at least %.2f x %.3f, %.3f", tt.name, seed, b.Coverage, b.Density, tt.ratio, tcov, tden)
			}
			for _, j := range b.Restricted {
				if !(b.QuasiP[j] < 1e-10) {
					t.Errorf("%s seed %d: quasi-p of %s = %g, want < 1e-10", tt.name, seed, f[j].Name, b.QuasiP[j])
				}
			}
		}
	}
}

// TestTrajectory checks the invariants of every trajectory: it starts
// with the box of all cases, density never falls, peels shrink and
// pastes grow the box, masses stay at or above MinMass, the counts agree
// with the limits, and unrestricted factors have no quasi-p-value.
func TestTrajectory(t *testing.T) {
	for _, s := range []Settings{{}, {Paste: true}, {Alpha: 0.2, MinMass: 0.2, Paste: true, PasteAlpha: 0.1}, {Objective: Lenient1}} {
		for seed := range uint64(4) {
			f, x, y := synth(500, seed+10, 0.1)
			r, err := Find(f, x, y, s)
			if err != nil {
				t.Fatal(err)
			}
			minMass := s.MinMass
			if minMass == 0 {
				minMass = DefaultMinMass
			}
			first := r.Steps[0]
			if first.Mass != 1 || first.Coverage != 1 || len(first.Restricted) != 0 {
				t.Fatalf("%+v seed %d: first step %+v is not the whole space", s, seed, first)
			}
			for i, st := range r.Steps {
				n, pos := 0, 0
				for c := range x {
					if st.Contains(f, x[c]) {
						n++
						if y[c] {
							pos++
						}
					}
				}
				if n != st.N || pos != st.Positives {
					t.Errorf("%+v seed %d step %d: limits hold %d cases, %d of interest; step says %d, %d", s, seed, i, n, pos, st.N, st.Positives)
				}
				if st.Mass < minMass {
					t.Errorf("%+v seed %d step %d: mass %.3f below %.3f", s, seed, i, st.Mass, minMass)
				}
				for j, p := range st.QuasiP {
					if restricted := slices.Contains(st.Restricted, j); restricted == math.IsNaN(p) || (restricted && !(p >= 0 && p <= 1)) {
						t.Errorf("%+v seed %d step %d: factor %d restricted %v, quasi-p %v", s, seed, i, j, restricted, p)
					}
				}
				if i == 0 {
					continue
				}
				prev := r.Steps[i-1]
				if st.Density <= prev.Density {
					t.Errorf("%+v seed %d step %d: density %.4f after %.4f", s, seed, i, st.Density, prev.Density)
				}
				if st.Pasted != (st.N > prev.N) {
					t.Errorf("%+v seed %d step %d: pasted %v but %d cases after %d", s, seed, i, st.Pasted, st.N, prev.N)
				}
			}
			if r.Chosen < 0 || r.Chosen >= len(r.Steps) {
				t.Errorf("%+v seed %d: chosen %d of %d steps", s, seed, r.Chosen, len(r.Steps))
			}
		}
	}
}

// TestMixedKinds checks integer and categorical factors: y is true when
// the integer k1 is at least 6 and the category c2 is 0 or 2 of 0..3;
// the continuous c0 and c3 and the integer k4 are irrelevant.
func TestMixedKinds(t *testing.T) {
	f := []Factor{{"c0", Continuous}, {"k1", Integer}, {"c2", Categorical}, {"c3", Continuous}, {"k4", Integer}}
	rng := rand.New(rand.NewPCG(5, 5))
	x := make([][]float64, 3000)
	y := make([]bool, len(x))
	for i := range x {
		x[i] = []float64{rng.Float64(), float64(rng.IntN(10)), float64(rng.IntN(4)), rng.Float64(), float64(rng.IntN(5))}
		y[i] = x[i][1] >= 6 && (x[i][2] == 0 || x[i][2] == 2)
	}
	for _, obj := range []Objective{Density, Lenient1} {
		r, err := Find(f, x, y, Settings{Objective: obj, Paste: true})
		if err != nil {
			t.Fatal(err)
		}
		b := r.Steps[len(r.Steps)-1]
		t.Logf("objective %d: %d steps, last box k1 [%v, %v], c2 %v, coverage %.3f, density %.3f", obj, len(r.Steps), b.Limits[1].Min, b.Limits[1].Max, b.Limits[2].Categories, b.Coverage, b.Density)
		if !slices.Equal(b.Restricted, []int{1, 2}) {
			t.Errorf("objective %d: restricted %v, want [1 2]", obj, b.Restricted)
		}
		if b.Limits[1].Min != 6 || b.Limits[1].Max != 9 {
			t.Errorf("objective %d: k1 in [%v, %v], want [6, 9]", obj, b.Limits[1].Min, b.Limits[1].Max)
		}
		if !slices.Equal(b.Limits[2].Categories, []int{0, 2}) {
			t.Errorf("objective %d: c2 in %v, want [0 2]", obj, b.Limits[2].Categories)
		}
		if b.Coverage != 1 || b.Density != 1 {
			t.Errorf("objective %d: coverage %v, density %v, want 1, 1", obj, b.Coverage, b.Density)
		}
	}
}

// TestThreshold checks the choice of the box by a density threshold.
func TestThreshold(t *testing.T) {
	f, x, y := synth(2000, 1, 0.05)
	r, err := Find(f, x, y, Settings{Threshold: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	if !r.ThresholdMet || r.Box().Density < 0.9 {
		t.Fatalf("threshold 0.9: chosen step %d, density %.3f, met %v", r.Chosen, r.Box().Density, r.ThresholdMet)
	}
	for _, st := range r.Steps[r.Chosen+1:] {
		if st.Density >= 0.9 {
			t.Errorf("threshold 0.9: chosen step %d but a later step has density %.3f", r.Chosen, st.Density)
		}
	}
	knee, _ := Find(f, x, y, Settings{})
	high, _ := Find(f, x, y, Settings{Threshold: 0.999})
	if high.ThresholdMet || high.Chosen != knee.Chosen {
		t.Errorf("unreachable threshold: met %v, chosen %d, want the knee %d", high.ThresholdMet, high.Chosen, knee.Chosen)
	}
}

// TestQuasiP checks the quasi-p-values of a trajectory against a direct
// sum of binomial probabilities over cases counted anew.
func TestQuasiP(t *testing.T) {
	f, x, y := synth(400, 3, 0.1)
	r, err := Find(f, x, y, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, st := range r.Steps {
		for _, u := range st.Restricted {
			relaxed := st
			relaxed.Limits = slices.Clone(st.Limits)
			relaxed.Limits[u] = r.Steps[0].Limits[u]
			tj, hj := 0, 0
			for i := range x {
				if relaxed.Contains(f, x[i]) {
					tj++
					if y[i] {
						hj++
					}
				}
			}
			p := float64(hj) / float64(tj)
			want := 0.0
			for k := st.Positives; k <= st.N; k++ {
				lg := lgamma(st.N+1) - lgamma(k+1) - lgamma(st.N-k+1)
				want += math.Exp(lg + float64(k)*math.Log(p) + float64(st.N-k)*math.Log1p(-p))
			}
			if got := st.QuasiP[u]; math.Abs(got-want) > 1e-9*want+1e-300 {
				t.Errorf("step with %d cases, factor %d: quasi-p %g, direct sum %g", st.N, u, got, want)
			}
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d quasi-p-values checked", checked)
	}
	for _, c := range []struct {
		k, n int
		p    float64
		want float64
	}{
		{3, 5, 0.5, 0.5},
		{1, 10, 0.1, 1 - math.Pow(0.9, 10)},
		{0, 4, 0.3, 1},
		{5, 4, 0.3, 0},
		{2, 4, 1, 1},
		{2, 4, 0, 0},
	} {
		if got := binomialUpper(c.k, c.n, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("P(Bin(%d, %v) >= %d) = %v, want %v", c.n, c.p, c.k, got, c.want)
		}
	}
}

func lgamma(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}

// TestEdgeCases checks degenerate inputs: errors with the sentinel for
// malformed ones, trivial trajectories where there is nothing to peel.
func TestEdgeCases(t *testing.T) {
	one := []Factor{{Name: "a"}}
	tests := []struct {
		name  string
		f     []Factor
		x     [][]float64
		y     []bool
		s     Settings
		err   error
		steps int // expected trajectory length when err is nil
	}{
		{"no cases", one, nil, nil, Settings{}, ErrNoCases, 0},
		{"no factors", nil, [][]float64{{}}, []bool{true}, Settings{}, ErrShape, 0},
		{"short y", one, [][]float64{{1}, {2}}, []bool{true}, Settings{}, ErrShape, 0},
		{"ragged row", one, [][]float64{{1}, {2, 3}}, []bool{true, false}, Settings{}, ErrShape, 0},
		{"bad kind", []Factor{{Kind: Kind(9)}}, [][]float64{{1}}, []bool{true}, Settings{}, ErrShape, 0},
		{"NaN", one, [][]float64{{1}, {math.NaN()}}, []bool{true, false}, Settings{}, ErrValue, 0},
		{"Inf", one, [][]float64{{math.Inf(1)}}, []bool{true}, Settings{}, ErrValue, 0},
		{"fractional integer", []Factor{{Kind: Integer}}, [][]float64{{1.5}}, []bool{true}, Settings{}, ErrValue, 0},
		{"negative category", []Factor{{Kind: Categorical}}, [][]float64{{-1}}, []bool{true}, Settings{}, ErrValue, 0},
		{"no positive", one, [][]float64{{1}, {2}}, []bool{false, false}, Settings{}, ErrNoPositive, 0},
		{"alpha 0.5", one, [][]float64{{1}}, []bool{true}, Settings{Alpha: 0.5}, ErrSettings, 0},
		{"negative alpha", one, [][]float64{{1}}, []bool{true}, Settings{Alpha: -0.1}, ErrSettings, 0},
		{"paste alpha", one, [][]float64{{1}}, []bool{true}, Settings{PasteAlpha: 0.7}, ErrSettings, 0},
		{"min mass 1", one, [][]float64{{1}}, []bool{true}, Settings{MinMass: 1}, ErrSettings, 0},
		{"threshold", one, [][]float64{{1}}, []bool{true}, Settings{Threshold: 1.5}, ErrSettings, 0},
		{"objective", one, [][]float64{{1}}, []bool{true}, Settings{Objective: Objective(3)}, ErrSettings, 0},
		{"all positive", one, [][]float64{{1}, {2}, {3}}, []bool{true, true, true}, Settings{Paste: true}, nil, 1},
		{"single case", one, [][]float64{{1}}, []bool{true}, Settings{}, nil, 1},
		{"constant factors", []Factor{{}, {Kind: Integer}, {Kind: Categorical}}, [][]float64{{1, 2, 0}, {1, 2, 0}, {1, 2, 0}}, []bool{true, false, true}, Settings{Paste: true}, nil, 1},
		// Peeling the value 0 raises the density to 1 with mass 0.5.
		{"two values", []Factor{{Kind: Integer}}, [][]float64{{0}, {0}, {1}, {1}}, []bool{false, false, true, true}, Settings{MinMass: 0.5}, nil, 2},
		// The same peel leaves too little mass.
		{"two values, min mass", []Factor{{Kind: Integer}}, [][]float64{{0}, {0}, {1}, {1}}, []bool{false, false, true, true}, Settings{MinMass: 0.6}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Find(tt.f, tt.x, tt.y, tt.s)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if len(r.Steps) != tt.steps {
				t.Errorf("%d steps, want %d", len(r.Steps), tt.steps)
			}
			if r.Chosen != len(r.Steps)-1 {
				t.Errorf("chosen %d of %d steps", r.Chosen, len(r.Steps))
			}
		})
	}
}

// TestErrorSaysWhere checks that a bad value's error names the case and
// the factor.
func TestErrorSaysWhere(t *testing.T) {
	_, err := Find([]Factor{{Name: "a"}, {Name: "policy", Kind: Categorical}}, [][]float64{{0, 1}, {0.5, 2.5}}, []bool{true, false}, Settings{})
	want := `prim: bad factor value: case 1, factor "policy" (categorical): 2.5 is not a category code 0, 1, 2, ...`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// BenchmarkFind runs PRIM on 50000 cases of 10 factors, about the size of
// a sweep's per-replicate outcomes.
func BenchmarkFind(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	f := make([]Factor, 10)
	x := make([][]float64, 50000)
	y := make([]bool, len(x))
	for i := range x {
		x[i] = make([]float64, len(f))
		for j := range x[i] {
			x[i][j] = rng.Float64()
		}
		y[i] = trueBox(x[i]) != (rng.Float64() < 0.05)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Find(f, x, y, Settings{Paste: true}); err != nil {
			b.Fatal(err)
		}
	}
}
