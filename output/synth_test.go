package output

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// synthMetrics are the metrics of the synthetic runs, in Series order.
var synthMetrics = []sim.Metric{
	{Name: "cooperation", Label: "Cooperation", Group: "overall"},
	{Name: "entrenchment", Label: "Entrenchment", Group: "overall"},
	{Name: "channel.tapi", Label: "TAPI pipeline", Group: "channel"},
	{Name: "channel.ndn", Label: "Northern Distribution Network", Group: "channel"},
	{Name: "channel.border", Label: "Border security", Group: "channel"},
	{Name: "channel.narcotics", Label: "Counternarcotics", Group: "channel"},
	{Name: "channel.mistral", Label: "Mistral and follow-on", Group: "channel"},
	{Name: "channel.mil2mil", Label: "Mil-to-mil exchanges", Group: "channel"},
	{Name: "side.moscow", Label: "Moscow", Group: "side"},
	{Name: "side.washington", Label: "Washington", Group: "side"},
	{Name: "side.paris", Label: "Paris", Group: "side"},
}

// synthScenario returns a scenario with scheduled events over 2010-2024.
func synthScenario(t testing.TB) *scenarios.Scenario {
	t.Helper()
	ev := func(date, name, kind string, sev float64) scenarios.Event {
		m, err := scenarios.ParseMonth(date)
		if err != nil {
			t.Fatal(err)
		}
		return scenarios.Event{Date: m, Name: name, Kind: kind, Severity: sev}
	}
	return &scenarios.Scenario{
		Name: "synthetic",
		Events: []scenarios.Event{
			ev("2011-06", "Reset summit", scenarios.EventInitiative, 0.6),
			ev("2012-01", "NDN transit opens", scenarios.EventLever, 0),
			ev("2014-03", "Crimea annexation", scenarios.EventCrisis, 0.8),
			ev("2014-05", "Sanctions, first round", scenarios.EventCrisis, 0.4),
			ev("2016-09", "Counter-terror talks resume", scenarios.EventRecovery, 0.5),
			ev("2018-03", "Skripal poisoning", scenarios.EventCrisis, 0.6),
			ev("2020-06", "Strategic stability dialogue on arms control and cyber", scenarios.EventInitiative, 0.5),
			ev("2030-01", "Outside the simulated period", scenarios.EventCrisis, 0.5),
		},
	}
}

// synthDates returns the monthly dates from 2010-01 for ticks ticks.
func synthDates(ticks int) []scenarios.Month {
	start, _ := scenarios.ParseMonth("2010-01")
	d := make([]scenarios.Month, ticks)
	for i := range d {
		d[i] = start + scenarios.Month(i)
	}
	return d
}

// synthRun fills r with a sawtooth run: cooperation builds slowly toward
// a ceiling, falls fast at scheduled and random crises, and jumps at
// initiatives; entrenchment ratchets up with cooperation.
func synthRun(r *sim.RunResult, rep int, dates []scenarios.Month, sc *scenarios.Scenario) {
	rng := rand.New(rand.NewPCG(7, uint64(rep)))
	ticks := len(dates)
	nm := len(synthMetrics)
	if cap(r.Series) < nm*ticks {
		r.Series = make([]float64, nm*ticks)
	}
	r.Series = r.Series[:nm*ticks]
	r.Events = r.Events[:0]
	r.Replicate, r.Err = rep, nil
	coop, ent := 0.1, 0.0
	ceiling := 0.7 + 0.2*rng.Float64()
	chans := []float64{0.05, 0.1, 0.15, 0.1, 0.0, 0.05}
	for t := range ticks {
		before := coop
		if t > 0 {
			coop += 0.035 * (ceiling - coop)
			for i := range chans {
				chans[i] += 0.03 * (ceiling*(0.6+0.08*float64(i)) - chans[i])
			}
		}
		fire := func(name, kind string, sched bool, sev float64) {
			b := coop
			switch kind {
			case scenarios.EventCrisis:
				coop *= 1 - 0.6*sev*(1-ent)
				for i := range chans {
					chans[i] *= 1 - 0.5*sev
				}
			case scenarios.EventInitiative, scenarios.EventRecovery:
				coop = math.Min(1, coop+0.15*sev)
			}
			r.Events = append(r.Events, sim.EventRecord{Tick: t, Date: dates[t], Kind: kind, Name: name,
				Scheduled: sched, Severity: sev, CooperationBefore: b, CooperationAfter: coop})
		}
		if t > 0 {
			for _, e := range sc.Events {
				if e.Date == dates[t] {
					fire(e.Name, e.Kind, true, e.Severity)
				}
			}
			if rng.Float64() < 0.4/12 {
				fire("random crisis", scenarios.EventCrisis, false, 0.2+0.5*rng.Float64())
			}
		}
		_ = before
		ent += 0.02 * coop * (1 - ent)
		if ent > 0.05 && rng.Float64() < 0.01 {
			ent *= 0.9
		}
		r.Series[0*ticks+t] = coop
		r.Series[1*ticks+t] = ent
		for i, c := range chans {
			r.Series[(2+i)*ticks+t] = math.Min(1, c)
		}
		r.Series[8*ticks+t] = (chans[0] + chans[4] + chans[5]) / 3
		r.Series[9*ticks+t] = (chans[1] + chans[2] + chans[3] + chans[5]) / 4
		r.Series[10*ticks+t] = (chans[4] + chans[5]) / 2
	}
	for i := range r.Summary {
		r.Summary[i] = float64(rep) + float64(i)/10
	}
	r.Summary[sim.SumTimeToEntrenchment] = math.NaN()
}

// synthAggregate returns an aggregate of runs synthetic runs of ticks
// ticks, reusing one RunResult as the engine does.
func synthAggregate(t testing.TB, runs, ticks int) (*sim.Aggregate, *scenarios.Scenario) {
	t.Helper()
	sc := synthScenario(t)
	dates := synthDates(ticks)
	a := sim.NewAggregate(synthMetrics, dates)
	var r sim.RunResult
	for rep := range runs {
		synthRun(&r, rep, dates, sc)
		if err := a.Consume(&r); err != nil {
			t.Fatal(err)
		}
	}
	r.Err = errors.New("synthetic failure")
	if err := a.Consume(&r); err != nil {
		t.Fatal(err)
	}
	return a, sc
}
