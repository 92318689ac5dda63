package lab

import (
	"net/url"
	"testing"
)

// FuzzSettings feeds arbitrary forms to the settings parser and the
// scenario builder: they must never panic, and whatever they accept must
// be a valid scenario with every lever inside the lab's table.
func FuzzSettings(f *testing.F) {
	for _, seed := range []string{
		"scenario=tiny&levers.tapi_stake.value=0.8&runs=10",
		"scenario=tiny&crises.severity_mean=0.999&seed=18446744073709551615",
		"scenario=tiny&set:levers.us_attention.level=on&levers.us_attention.level=-1",
		"scenario=tiny&levers.defense_sales.count=1e1&runs=-0",
		"scenario=upload:00&levers.ndn_transit.value=0x1p-2",
		"scenario=../tiny&runs=2000",
	} {
		f.Add(seed)
	}
	s, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(s.Close)
	f.Fuzz(func(t *testing.T, query string) {
		form, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		set, a, src, probs := s.parseSettings(form)
		if len(probs) > 0 {
			return
		}
		a, b, probs := s.build(set, a, src)
		if len(probs) > 0 {
			return
		}
		if err := b.Validate(); err != nil {
			t.Fatalf("accepted an invalid scenario: %v", err)
		}
		if b.Runs < MinRuns || b.Runs > s.cfg.MaxRuns || b.Horizon > s.cfg.MaxHorizon || a.Seed != b.Seed ||
			officials(b) > int64(s.cfg.MaxOfficials) || work(a, b, b.Runs) > s.cfg.MaxWork {
			t.Fatalf("accepted runs %d horizon %d seeds %d/%d", b.Runs, b.Horizon, a.Seed, b.Seed)
		}
		for _, l := range levers {
			if err := l.Check(l.Value(b)); err != nil && l.Value(b) != l.Value(a) {
				t.Fatalf("accepted %s = %v: %v", l.Path, l.Value(b), err)
			}
		}
	})
}
