package claims

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// worldRuns holds the replicates of one scenario as run: the series the
// measures read (as float32, by replicate) and the summaries.
type worldRuns struct {
	m     *sim.Model
	index map[string]int // kept series by metric name
	ticks int
	vals  [][]float32 // vals[rep][k*ticks+t]
	sums  []sim.Summary
	ok    []bool
	err   error // the scenario could not be built (errNotRunnable)
}

// keptSeries reports whether a metric is kept for the measures.
func keptSeries(name string) bool {
	return name == "cooperation" || strings.HasPrefix(name, "channel.") || strings.HasPrefix(name, "entrenchment")
}

func newWorldRuns(m *sim.Model, runs int) *worldRuns {
	w := &worldRuns{m: m, index: map[string]int{}, ticks: len(m.Dates),
		vals: make([][]float32, runs), sums: make([]sim.Summary, runs), ok: make([]bool, runs)}
	for _, mt := range m.Metrics {
		if keptSeries(mt.Name) {
			w.index[mt.Name] = len(w.index)
		}
	}
	return w
}

// Consume keeps one replicate; a failed one stays undefined. It
// implements sim.Sink and is called from one goroutine.
func (w *worldRuns) Consume(r *sim.RunResult) error {
	i := r.Replicate
	if i < 0 || i >= len(w.ok) {
		return fmt.Errorf("claims: replicate %d outside 0..%d", r.Replicate, len(w.ok)-1)
	}
	if r.Err != nil {
		return nil
	}
	T := w.ticks
	v := make([]float32, len(w.index)*T)
	for k, mt := range w.m.Metrics {
		if j, ok := w.index[mt.Name]; ok {
			for t := range T {
				v[j*T+t] = float32(r.Series[k*T+t])
			}
		}
	}
	w.vals[i], w.sums[i], w.ok[i] = v, r.Summary, true
	return nil
}

// active returns the channels of the scenario whose mean activity over
// replicates, at tick at (or over the run when at < 0), reaches
// ActiveLevel.
func (w *worldRuns) active(at int) []string {
	var out []string
	for _, c := range w.m.Scenario.Channels {
		k, ok := w.index["channel."+c.Name]
		if !ok {
			continue
		}
		var sum float64
		n := 0
		for r, v := range w.vals {
			if !w.ok[r] {
				continue
			}
			xs := v[k*w.ticks : (k+1)*w.ticks]
			if at >= 0 && at < len(xs) {
				sum += float64(xs[at])
			} else {
				var s float64
				for _, x := range xs {
					s += float64(x)
				}
				sum += s / float64(len(xs))
			}
			n++
		}
		if n > 0 && sum/float64(n) >= ActiveLevel {
			out = append(out, c.Name)
		}
	}
	return out
}

// batchRunner runs the scenarios of a list of tests once each and
// evaluates the tests on the stored replicates.
type batchRunner struct {
	runs, workers int
	seed          uint64
	sets          []scenarios.Override
	progress      func(what string, i, n int)
	// keep, if not nil, receives the aggregate of every scenario run.
	keep func(w *world, a *sim.Aggregate, sc *scenarios.Scenario)
	// failed counts failed replicates.
	failed int
	// particles and weights, if particles is not nil, make every
	// scenario a posterior ensemble (Settings.Particles).
	particles [][]scenarios.Override
	weights   []float64
}

// ensemble compiles world w once per particle, with the particle's
// overrides after the runner's sets, and returns base as an ensemble of
// those models (sim.Model.WithPosterior).
func (b *batchRunner) ensemble(w *world, base *sim.Model) (*sim.Model, error) {
	models := make([]*sim.Model, len(b.particles))
	for i, ovs := range b.particles {
		sets := append(slices.Clone(b.sets), ovs...)
		sc, err := build(*w, sets, b.seed, b.runs)
		if err != nil {
			return nil, fmt.Errorf("particle %d: %w", i+1, err)
		}
		if models[i], err = sim.Compile(sc); err != nil {
			return nil, fmt.Errorf("particle %d: %w", i+1, err)
		}
	}
	return base.WithPosterior(models, b.weights)
}

// run runs every scenario the tests need at design point point (0 for
// the defaults; the streams mix it in) and evaluates the tests.
func (b *batchRunner) run(ctx context.Context, tests []Test, point int) ([]Result, error) {
	var order []*world
	byKey := map[string]*world{}
	tws := make([][4]*world, len(tests))
	for i, t := range tests {
		ws, err := t.worlds(b.sets)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSettings, err)
		}
		for j, w := range ws {
			if w == nil {
				continue
			}
			k := w.key()
			if have, ok := byKey[k]; ok {
				ws[j] = have
				continue
			}
			byKey[k] = w
			order = append(order, w)
		}
		tws[i] = ws
	}
	store := map[*world]*worldRuns{}
	for i, w := range order {
		if b.progress != nil {
			b.progress(w.key(), i+1, len(order))
		}
		wr, err := b.runWorld(ctx, w, point)
		if err != nil {
			return nil, err
		}
		store[w] = wr
	}
	results := make([]Result, len(tests))
	for i, t := range tests {
		var wr [4]*worldRuns
		for j, w := range tws[i] {
			if w != nil {
				wr[j] = store[w]
			}
		}
		results[i] = evaluate(t, wr)
	}
	return results, nil
}

// runWorld builds, compiles and runs one scenario. A scenario this model
// cannot build is returned with its err set, not as an error.
func (b *batchRunner) runWorld(ctx context.Context, w *world, point int) (*worldRuns, error) {
	sc, err := build(*w, b.sets, b.seed, b.runs)
	if err == nil {
		var m *sim.Model
		if m, err = sim.Compile(sc); err == nil && b.particles != nil {
			m, err = b.ensemble(w, m)
		}
		if err == nil {
			wr := newWorldRuns(m, b.runs)
			sinks := []sim.Sink{wr}
			var agg *sim.Aggregate
			if b.keep != nil {
				agg = m.NewAggregate()
				sinks = append(sinks, agg)
			}
			rep, err := sim.Batch(ctx, m, sim.Options{Runs: b.runs, Workers: b.workers, Point: point}, sinks...)
			b.failed += rep.Failed
			if err != nil {
				return nil, fmt.Errorf("claims: %s: %w", w.key(), err)
			}
			if agg != nil {
				b.keep(w, agg, sc)
			}
			return wr, nil
		}
		err = fmt.Errorf("%w: %s: %w", errNotRunnable, w.key(), err)
	}
	if !errors.Is(err, errNotRunnable) {
		return nil, err
	}
	return &worldRuns{err: err}, nil
}

// evaluate computes a test's estimates from its scenarios' replicates:
// A, B, A′, B′ in that order, nil where the test has none.
func evaluate(t Test, wr [4]*worldRuns) Result {
	res := Result{Test: t}
	nan := math.NaN()
	empty := estimate.Difference{Estimate: estimate.Estimate{Mean: nan, SD: nan, SE: nan, Lo: nan, Hi: nan, Level: sim.Confidence}, MeanA: nan, MeanB: nan, SEUnpaired: nan, Narrowing: nan}
	res.Raw, res.PlaceboEst, res.Effect = empty, empty, empty
	present := wr[:0:0]
	for _, w := range wr {
		if w == nil {
			continue
		}
		if w.err != nil {
			res.NotRun = notRunReason(w.err)
			return res
		}
		present = append(present, w)
	}
	if msg := lacks(t.Measure, present); msg != "" {
		res.NotRun = msg
		return res
	}
	if t.Measure.Channels != NoChannels {
		at := -1
		if t.A.Ref != NoReference {
			at = ReferenceTick - 1
		}
		chans := present[0].active(at)
		for _, w := range present[1:] {
			act := w.active(at)
			chans = slices.DeleteFunc(chans, func(c string) bool { return !slices.Contains(act, c) })
		}
		switch t.Measure.Channels {
		case SharedPractical:
			chans = channelsOfKind(present[0].m.Scenario, chans, politicalKinds, false)
		case SharedAfghan:
			chans = channelsOfKind(present[0].m.Scenario, chans, afghanKinds, true)
		}
		if len(chans) == 0 {
			res.NotRun = fmt.Sprintf("no %s: no channel is active in every scenario of the test", t.Measure.Channels)
			return res
		}
		if slices.Contains(t.Measure.Series, "entrenchment.channel.*") {
			for _, c := range chans {
				for _, w := range present {
					if _, ok := w.index["entrenchment.channel."+c]; !ok {
						res.NotRun = "this model has no series entrenchment.channel." + c
						return res
					}
				}
			}
		}
		res.Channels = chans
	}
	values := func(w *worldRuns) []float64 {
		if w == nil {
			return nil
		}
		xs := make([]float64, len(w.ok))
		for r := range xs {
			xs[r] = nan
			if w.ok[r] {
				xs[r] = t.Measure.Value(view{w: w, rep: r, chans: res.Channels})
			}
		}
		return xs
	}
	a, b, ap, bp := values(wr[0]), values(wr[1]), values(wr[2]), values(wr[3])
	level := sim.Confidence
	var raw, pl []float64 // per replicate: the comparison in each world
	if t.Paired() {
		res.Raw = estimate.Paired(a, b, level)
		raw = diff(a, b)
	} else {
		res.Raw = estimate.Single(a, level)
		raw = a
	}
	res.Effect = res.Raw
	if t.Placebo != nil {
		if t.Paired() {
			res.PlaceboEst = estimate.Paired(ap, bp, level)
			pl = diff(ap, bp)
		} else {
			res.PlaceboEst = estimate.Single(ap, level)
			pl = ap
		}
		res.Effect = estimate.Paired(pl, raw, level)
	}
	res.Holds = t.holds(res.Effect.Lo, res.Effect.Hi)
	res.RawHolds = t.holds(res.Raw.Lo, res.Raw.Hi)
	res.PlaceboHolds = t.Placebo != nil && t.holds(res.PlaceboEst.Lo, res.PlaceboEst.Hi)
	res.Contradicted = t.contradicts(res.Effect.Lo, res.Effect.Hi)
	return res
}

// diff returns b[i]-a[i] (NaN where either is).
func diff(a, b []float64) []float64 {
	d := make([]float64, len(a))
	for i := range a {
		d[i] = b[i] - a[i]
	}
	return d
}

// lacks returns why the worlds cannot give measure ms (a series or summary
// they do not have), or "".
func lacks(ms Measure, ws []*worldRuns) string {
	for _, s := range ms.Summaries {
		if !slices.Contains(sim.SummaryNames[:], s) {
			return "this model has no summary " + s
		}
	}
	for _, s := range ms.Series {
		if strings.HasSuffix(s, "*") {
			continue // checked per channel
		}
		for _, w := range ws {
			if _, ok := w.index[s]; !ok {
				return fmt.Sprintf("scenario %s has no series %s", w.m.Scenario.Name, s)
			}
		}
	}
	return ""
}

// notRunReason shortens a not-runnable error to its cause, without the
// list of allowed keys.
func notRunReason(err error) string {
	s := firstLine(err.Error())
	s = strings.TrimPrefix(s, errNotRunnable.Error()+": ")
	s, _, _ = strings.Cut(s, "; allowed")
	return s
}
