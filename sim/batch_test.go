package sim_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// equalRuns fails unless a and b hold bit-identical runs.
func equalRuns(t *testing.T, a, b []*sim.RunResult) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d runs vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Replicate != b[i].Replicate {
			t.Fatalf("run %d: replicate %d vs %d", i, a[i].Replicate, b[i].Replicate)
		}
		for j := range a[i].Series {
			if math.Float64bits(a[i].Series[j]) != math.Float64bits(b[i].Series[j]) {
				t.Fatalf("replicate %d: series value %d differs: %v vs %v", a[i].Replicate, j, a[i].Series[j], b[i].Series[j])
			}
		}
		for j := range a[i].Summary {
			if math.Float64bits(a[i].Summary[j]) != math.Float64bits(b[i].Summary[j]) {
				t.Fatalf("replicate %d: summary %s differs", a[i].Replicate, sim.SummaryNames[j])
			}
		}
		if fmt.Sprint(a[i].Events) != fmt.Sprint(b[i].Events) {
			t.Fatalf("replicate %d: events differ", a[i].Replicate)
		}
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	sc := loadBuiltin(t, "tiny")
	one, _ := runAll(t, sc, 24, 1)
	for _, w := range []int{2, 8} {
		other, _ := runAll(t, sc, 24, w)
		equalRuns(t, one, other)
	}
}

func TestPrefixStable(t *testing.T) {
	sc := loadBuiltin(t, "tiny")
	short, _ := runAll(t, sc, 10, 2)
	long, _ := runAll(t, sc, 20, 2)
	equalRuns(t, short, long[:10])
	// And a batch starting at replicate 10 reproduces the rest.
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	var c collect
	if _, err := sim.Batch(context.Background(), m, sim.Options{Runs: 10, First: 10, Workers: 2}, &c); err != nil {
		t.Fatal(err)
	}
	equalRuns(t, long[10:], c.runs)
}

func TestCommonRandomNumbersAcrossLevers(t *testing.T) {
	a := loadBaseline(t)
	b := loadBaseline(t, "levers.tapi_stake.value=0.9", "levers.border_cooperation.value=0.7",
		"levers.mil2mil_pressure.value=0.8", "levers.defense_sales.count=3")
	ra, _ := runAll(t, a, 12, 2)
	rb, _ := runAll(t, b, 12, 2)
	differ := false
	for i := range ra {
		ca, cb := crises(ra[i]), crises(rb[i])
		if fmt.Sprint(ca) != fmt.Sprint(cb) {
			t.Fatalf("replicate %d: crises differ between lever settings:\n%v\n%v", i, ca, cb)
		}
		if ra[i].Summary[sim.SumFinalCooperation] != rb[i].Summary[sim.SumFinalCooperation] {
			differ = true
		}
	}
	if !differ {
		t.Fatal("the levers changed nothing: the test would be vacuous")
	}
	// A different crisis process gives different crises.
	c := loadBaseline(t, "crises.rate_per_year=1.5")
	rc, _ := runAll(t, c, 12, 2)
	same := 0
	for i := range ra {
		if fmt.Sprint(crises(ra[i])) == fmt.Sprint(crises(rc[i])) {
			same++
		}
	}
	if same == len(ra) {
		t.Fatal("a different crisis rate left every crisis sequence unchanged")
	}
}

type crisisDraw struct {
	Tick int
	Sev  float64
}

func crises(r *sim.RunResult) []crisisDraw {
	var out []crisisDraw
	for _, e := range r.Events {
		if e.Kind == scenarios.EventCrisis {
			out = append(out, crisisDraw{e.Tick, e.Severity})
		}
	}
	return out
}

func TestFailingReplicateIsIsolated(t *testing.T) {
	sc := loadBuiltin(t, "tiny")
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	var opt = sim.Options{Runs: 12, Workers: 2}
	sim.SetFault(&opt, func(rep int) {
		if rep == 3 || rep == 7 {
			panic(fmt.Sprintf("injected fault in replicate %d", rep))
		}
	})
	var c collect
	rep, err := sim.Batch(context.Background(), m, opt, &c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Delivered != 12 || rep.Failed != 2 {
		t.Fatalf("report %+v, want 12 delivered and 2 failed", rep)
	}
	clean, _ := runAll(t, sc, 12, 1)
	for i, r := range c.runs {
		if i == 3 || i == 7 {
			if r.Err == nil {
				t.Errorf("replicate %d: want an error", i)
			}
			continue
		}
		if r.Err != nil {
			t.Errorf("replicate %d: unexpected error %v", i, r.Err)
		}
		equalRuns(t, clean[i:i+1], c.runs[i:i+1])
	}
}

func TestInterruptDeliversPrefix(t *testing.T) {
	sc := loadBuiltin(t, "tiny")
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var c collect
	opt := sim.Options{Runs: 1000, Workers: 2, Progress: func(done, _ int) {
		if done == 5 {
			cancel()
		}
	}}
	rep, err := sim.Batch(ctx, m, opt, &c)
	if !errors.Is(err, sim.ErrInterrupted) || !rep.Interrupted {
		t.Fatalf("want ErrInterrupted, got %v (%+v)", err, rep)
	}
	if rep.Delivered < 5 || rep.Delivered >= 1000 || len(c.runs) != rep.Delivered {
		t.Fatalf("delivered %d (sink saw %d)", rep.Delivered, len(c.runs))
	}
	for i, r := range c.runs {
		if r.Replicate != i {
			t.Fatalf("delivery %d is replicate %d: not a prefix", i, r.Replicate)
		}
	}
	clean, _ := runAll(t, sc, len(c.runs), 1)
	equalRuns(t, clean, c.runs)
}

func TestStreamSeedsDistinct(t *testing.T) {
	seen := map[[2]uint64]string{}
	for _, seed := range []uint64{0, 1, 2} {
		for point := 0; point < 3; point++ {
			for rep := 0; rep < 50; rep++ {
				for _, p := range []uint64{sim.PurposeEnvironment, sim.PurposeActors, sim.PurposePopulation} {
					a, b := sim.StreamSeed(seed, point, rep, p)
					k := [2]uint64{a, b}
					id := fmt.Sprint(seed, point, rep, p)
					if prev, ok := seen[k]; ok {
						t.Fatalf("streams %s and %s share seeds", prev, id)
					}
					seen[k] = id
				}
			}
		}
	}
}

func TestAggregateQuantilesMatchExact(t *testing.T) {
	// Quantiles read off the histogram sketch must be within one bin width
	// of the exact empirical quantiles; means and SDs must match exactly.
	rng := rand.New(rand.NewPCG(7, 11))
	metrics := []sim.Metric{{Name: "x"}}
	dates := []scenarios.Month{scenarios.Month(2010 * 12)}
	a := sim.NewAggregate(metrics, dates)
	xs := make([]float64, 5000)
	for i := range xs {
		// A skewed variable on [0, 1].
		xs[i] = math.Pow(rng.Float64(), 3)
		r := &sim.RunResult{Series: []float64{xs[i]}}
		for j := range r.Summary {
			r.Summary[j] = math.NaN()
		}
		if err := a.Consume(r); err != nil {
			t.Fatal(err)
		}
	}
	sort.Float64s(xs)
	s := a.Stats(0, 0)
	for _, q := range []struct {
		p   float64
		got float64
	}{{0.05, s.Q05}, {0.25, s.Q25}, {0.5, s.Q50}, {0.75, s.Q75}, {0.95, s.Q95}} {
		want := stat.Quantile(q.p, stat.Empirical, xs, nil)
		if math.Abs(q.got-want) > 1.0/sim.HistogramBins {
			t.Errorf("q%.2f: sketch %.5f, exact %.5f", q.p, q.got, want)
		}
	}
	if m := stat.Mean(xs, nil); math.Abs(s.Mean-m) > 1e-12 {
		t.Errorf("mean %.15f, want %.15f", s.Mean, m)
	}
	if sd := stat.StdDev(xs, nil); math.Abs(s.SD-sd) > 1e-12 {
		t.Errorf("sd %.15f, want %.15f", s.SD, sd)
	}
}

func TestCompareNarrowsIntervals(t *testing.T) {
	a := loadBaseline(t)
	b := loadBaseline(t, "levers.tapi_stake.value=0.8")
	ma, err := sim.Compile(a)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := sim.Compile(b)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := sim.Compare(context.Background(), ma, mb, sim.Options{Runs: 40, Workers: 2}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Paired(sim.SumMeanCooperation)
	t.Logf("mean cooperation: A %.4f B %.4f diff %.4f [%.4f, %.4f], narrowing %.2fx", p.MeanA, p.MeanB, p.Mean, p.Lo, p.Hi, p.Narrowing)
	if !(p.Mean > 0 && p.Lo > 0) {
		t.Errorf("a TAPI stake should raise mean cooperation: %+v", p)
	}
	if !(p.Narrowing > 1.5) {
		t.Errorf("common random numbers should narrow the interval: %.2fx", p.Narrowing)
	}
	if math.Abs(p.Mean-(p.MeanB-p.MeanA)) > 1e-12 {
		t.Errorf("diff %.6f is not MeanB-MeanA %.6f", p.Mean, p.MeanB-p.MeanA)
	}
	// The crisis count is identical in every pair.
	if d := c.Paired(sim.SumCrises); d.Mean != 0 || d.SE != 0 {
		t.Errorf("paired crisis counts differ: %+v", d)
	}
}

func TestAggregateConstantMetricExact(t *testing.T) {
	a := sim.NewAggregate([]sim.Metric{{Name: "x"}, {Name: "y"}}, []scenarios.Month{scenarios.Month(2010 * 12)})
	for i := 0; i < 10; i++ {
		if err := a.Consume(&sim.RunResult{Series: []float64{0, 0.3}}); err != nil {
			t.Fatal(err)
		}
	}
	for m, want := range []float64{0, 0.3} {
		s := a.Stats(m, 0)
		for _, q := range []float64{s.Q05, s.Q25, s.Q50, s.Q75, s.Q95} {
			if q != want {
				t.Errorf("metric %d: quantile %v, want exactly %v", m, q, want)
			}
		}
	}
}

func TestCancelStopsLongReplicatesMidRun(t *testing.T) {
	// A replicate of 2,400 years' worth of months would take seconds; a
	// cancelled batch must stop it between ticks, deliver only finished
	// replicates, and return promptly.
	sc := loadBuiltin(t, "tiny", "horizon=2400", "tick_months=1")
	for i := range sc.Organizations {
		sc.Organizations[i].Officials = 2000
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var c collect
	done := make(chan struct{})
	var rep sim.Report
	go func() {
		rep, err = sim.Batch(ctx, m, sim.Options{Runs: 8, Workers: 2}, &c)
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Batch did not return within 5 s of cancellation")
	}
	t.Logf("returned %v after cancel; %d delivered", time.Since(start), rep.Delivered)
	if !errors.Is(err, sim.ErrInterrupted) {
		t.Fatalf("err %v", err)
	}
	for i, r := range c.runs {
		if r.Err != nil || r.Replicate != i {
			t.Errorf("delivered replicate %d (position %d) with error %v", r.Replicate, i, r.Err)
		}
	}
}
