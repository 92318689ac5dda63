package estimate

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

func sample(seed uint64, n int) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = 3 + 2*r.NormFloat64()
	}
	return xs
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestMomentsAgainstGonum(t *testing.T) {
	for _, n := range []int{2, 3, 10, 1000} {
		xs := sample(uint64(n), n)
		var m Moments
		for _, x := range xs {
			m.Add(x)
		}
		if m.N != n || !close(m.Mean, stat.Mean(xs, nil), 1e-13) || !close(m.Variance(), stat.Variance(xs, nil), 1e-12) {
			t.Errorf("n=%d: got mean %v var %v, gonum %v %v", n, m.Mean, m.Variance(), stat.Mean(xs, nil), stat.Variance(xs, nil))
		}
		if !close(m.SD(), stat.StdDev(xs, nil), 1e-12) {
			t.Errorf("n=%d: sd %v, gonum %v", n, m.SD(), stat.StdDev(xs, nil))
		}
	}
}

func TestMomentsFewValues(t *testing.T) {
	var m Moments
	if !math.IsNaN(m.Variance()) || m.Mean != 0 {
		t.Errorf("empty: %+v var %v", m, m.Variance())
	}
	m.Add(4)
	if m.Mean != 4 || !math.IsNaN(m.Variance()) {
		t.Errorf("one value: %+v var %v", m, m.Variance())
	}
}

func TestMerge(t *testing.T) {
	xs := sample(7, 301)
	var all, a, b Moments
	for i, x := range xs {
		all.Add(x)
		if i < 120 {
			a.Add(x)
		} else {
			b.Add(x)
		}
	}
	var empty Moments
	empty.Merge(a)
	empty.Merge(Moments{})
	empty.Merge(b)
	if empty.N != all.N || !close(empty.Mean, all.Mean, 1e-13) || !close(empty.M2, all.M2, 1e-12) {
		t.Errorf("merged %+v, sequential %+v", empty, all)
	}
}

func TestTMultiplier(t *testing.T) {
	if (1+0.95)/2 != 0.975 {
		t.Fatal("(1+0.95)/2 is not 0.975 in float64: the 95% multiplier would differ from the 97.5% quantile")
	}
	for _, tc := range []struct {
		n     int
		level float64
		want  float64 // from tables of Student's t
	}{
		{2, 0.95, 12.706}, {10, 0.95, 2.262}, {31, 0.99, 2.750}, {1000, 0.95, 1.962}, {5, 0.9, 2.132},
	} {
		got := TMultiplier(tc.n, tc.level)
		q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(tc.n - 1)}.Quantile((1 + tc.level) / 2)
		if got != q || math.Abs(got-tc.want) > 5e-4 {
			t.Errorf("TMultiplier(%d, %v) = %v, gonum %v, table %v", tc.n, tc.level, got, q, tc.want)
		}
	}
	if !math.IsNaN(TMultiplier(1, 0.95)) || !math.IsNaN(TMultiplier(0, 0.95)) {
		t.Error("TMultiplier should be NaN below two values")
	}
}

func TestMean(t *testing.T) {
	xs := sample(3, 50)
	e := Sample(append(xs, math.NaN()), 0.9)
	n := float64(len(xs))
	se := stat.StdDev(xs, nil) / math.Sqrt(n)
	tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.95)
	if e.N != 50 || e.Level != 0.9 || !close(e.Mean, stat.Mean(xs, nil), 1e-13) || !close(e.SE, se, 1e-12) ||
		!close(e.Lo, e.Mean-tq*se, 1e-12) || !close(e.Hi, e.Mean+tq*se, 1e-12) {
		t.Errorf("got %+v; want mean %v se %v half %v", e, stat.Mean(xs, nil), se, tq*se)
	}
	f := FromSD(e.Mean, e.SD, e.N, 0.9)
	if !close(f.Lo, e.Lo, 1e-13) || !close(f.Hi, e.Hi, 1e-13) || !close(f.SE, e.SE, 1e-13) {
		t.Errorf("FromSD %+v differs from Mean %+v", f, e)
	}
	for _, tc := range []struct {
		name string
		e    Estimate
		mean bool // Mean defined
	}{
		{"no value", Sample([]float64{math.NaN()}, 0.95), false},
		{"one value", Sample([]float64{2}, 0.95), true},
		{"FromSD no value", FromSD(0, 0, 0, 0.95), false},
		{"FromSD one value", FromSD(2, math.NaN(), 1, 0.95), true},
	} {
		if math.IsNaN(tc.e.Mean) == tc.mean || !math.IsNaN(tc.e.SD) || !math.IsNaN(tc.e.SE) || !math.IsNaN(tc.e.Lo) || !math.IsNaN(tc.e.Hi) {
			t.Errorf("%s: %+v", tc.name, tc.e)
		}
	}
}

// TestCoverage checks that the 90% interval covers the true mean of
// seeded normal samples about 90% of the time.
func TestCoverage(t *testing.T) {
	const trials = 4000
	r := rand.New(rand.NewPCG(11, 12))
	covered := 0
	xs := make([]float64, 8)
	for range trials {
		for i := range xs {
			xs[i] = 5 + r.NormFloat64()
		}
		if e := Sample(xs, 0.9); e.Lo <= 5 && 5 <= e.Hi {
			covered++
		}
	}
	// Binomial sd at p = 0.9: sqrt(0.09/4000) = 0.0047; allow 4 sd.
	if p := float64(covered) / trials; math.Abs(p-0.9) > 0.019 {
		t.Errorf("coverage %.3f, want 0.90", p)
	}
}

func TestPaired(t *testing.T) {
	a := sample(5, 200)
	r := rand.New(rand.NewPCG(9, 9))
	b := make([]float64, len(a))
	for i := range a {
		b[i] = a[i] + 0.5 + 0.1*r.NormFloat64() // strongly correlated with a
	}
	a[3], b[7] = math.NaN(), math.NaN()
	d := Paired(a, b, 0.95)
	var da, db, dd []float64
	for i := range a {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i]) {
			da, db, dd = append(da, a[i]), append(db, b[i]), append(dd, b[i]-a[i])
		}
	}
	n := float64(len(dd))
	se := math.Sqrt(stat.Variance(dd, nil) / n)
	unp := math.Sqrt(stat.Variance(da, nil)/n + stat.Variance(db, nil)/n)
	if d.N != 198 || !close(d.Mean, stat.Mean(dd, nil), 1e-12) || !close(d.MeanA, stat.Mean(da, nil), 1e-13) ||
		!close(d.MeanB, stat.Mean(db, nil), 1e-13) || !close(d.SE, se, 1e-12) || !close(d.SEUnpaired, unp, 1e-12) ||
		!close(d.Narrowing, unp/se, 1e-12) {
		t.Errorf("got %+v; want se %v unpaired %v", d, se, unp)
	}
	if d.Narrowing < 10 {
		t.Errorf("pairing strongly correlated values should narrow the interval many times: %v", d.Narrowing)
	}
	if !(d.Lo < 0.5 && 0.5 < d.Hi) {
		t.Errorf("interval [%v, %v] misses the true difference 0.5", d.Lo, d.Hi)
	}
	same := Paired([]float64{1, 2, 3}, []float64{1, 2, 3}, 0.95)
	if same.SE != 0 || !math.IsNaN(same.Narrowing) {
		t.Errorf("identical sides: %+v", same)
	}
	one := Paired([]float64{1}, []float64{3}, 0.95)
	if one.N != 1 || one.Mean != 2 || one.MeanA != 1 || one.MeanB != 3 || !math.IsNaN(one.Lo) || !math.IsNaN(one.SEUnpaired) {
		t.Errorf("one pair: %+v", one)
	}
	none := Paired(nil, nil, 0.95)
	if none.N != 0 || !math.IsNaN(none.Mean) || !math.IsNaN(none.MeanA) {
		t.Errorf("no pair: %+v", none)
	}
	s := Single([]float64{1, 2, math.NaN(), 3}, 0.95)
	if s.N != 3 || s.Mean != 2 || s.MeanA != 2 || !math.IsNaN(s.MeanB) {
		t.Errorf("single: %+v", s)
	}
}
