package agents

import (
	"math/rand/v2"
	"testing"
)

// benchOrgs is 17 organizations of 58 officials in three ranks, as in the
// baseline (980 officials).
func benchOrgs() (*Population, []Org, *Params) {
	rng := rand.New(rand.NewPCG(14, 6))
	p, _ := randomPopulation(rng, 17*58)
	orgs := make([]Org, 17)
	for i := range orgs {
		lo := 58 * i
		orgs[i] = Org{RankLo: []int{lo, lo + 40, lo + 52}, RankHi: []int{lo + 40, lo + 52, lo + 58},
			RankWeight: []float64{1, 2, 4}, WeightSum: 40 + 24 + 24, Engagement: 0.6, DispMean: 0.1, Line: 0.6}
	}
	k := &Params{WDisposition: 2, WHabit: 1.5, NoiseSD: 0.6, HabitGain: 0.1, HabitDecay: 0.02,
		Socialization: 0.05, ConfidenceBound: 0.8, DispositionReversion: 0.01, StakeHalf: 1, ResistMax: 0.8}
	return p, orgs, k
}

// BenchmarkOfficials reports ns per official-update of UpdateOfficials
// (this build's kernel), its scalar twin and the reference arithmetic
// (UpdateOfficialsReference: PCG, ziggurat, math.Exp), aggregates
// included; op is one month of all 986 officials.
func BenchmarkOfficials(b *testing.B) {
	for _, mode := range []string{"kernel-" + Kernel(), "scalar", "reference"} {
		b.Run(mode, func(b *testing.B) {
			p, orgs, k := benchOrgs()
			rng := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for t := 0; b.Loop(); t++ {
				for i := range orgs {
					switch mode {
					case "scalar":
						UpdateOfficialsScalar(p, &orgs[i], 0.1, k, uint64(t))
					case "reference":
						UpdateOfficialsReference(p, &orgs[i], 0.1, k, rng)
					default:
						UpdateOfficials(p, &orgs[i], 0.1, k, uint64(t))
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(p.Disp)), "ns/official")
		})
	}
}
