package sim

import (
	"testing"

	"github.com/entrench/entrench/agents"
	"github.com/entrench/entrench/scenarios"
)

// lobbyingRef is stepLobbying's rule written over every organization,
// with agents.NetLobbying and agents.LobbyPush (the rule as stated): it
// returns each side's net lobbying per channel, each channel's backing
// and each side's attention push.
func lobbyingRef(w *World) (net [][]float64, backing [][2]float64, push []float64) {
	m, k := w.m, w.params
	n := len(w.orgs)
	interest, opposition := make([]float64, n), make([]float64, n)
	net = make([][]float64, len(m.sides))
	for si := range net {
		net[si] = make([]float64, len(m.channels))
		push = append(push, agents.LobbyPush(w.orgs, si, w.execs[si].Weight, k))
	}
	backing = make([][2]float64, len(m.channels))
	for c := range w.chans {
		cs := &m.channels[c]
		clear(interest)
		for i := range w.orgs {
			opposition[i] = agents.Opposition(m.orgs[i].opposes[c], false, 0, 0)
		}
		for j, oi := range cs.participants {
			o := &w.orgs[oi]
			interest[oi] = agents.Interest(w.stakes[c][j], o.EnergyStake, cs.afghan, k)
			opposition[oi] = agents.Opposition(m.orgs[oi].opposes[c], true, o.Suspicion, w.chans[c].Depth)
		}
		if cs.afghan {
			for i := range w.orgs {
				if cs.sidesMask[w.orgs[i].Side] && !(interest[i] > 0) {
					interest[i] = agents.Interest(0, w.orgs[i].EnergyStake, true, k)
				}
			}
		}
		for b := 0; b < 2; b++ {
			var sum, wsum float64
			for _, si := range cs.sides[b] {
				x := agents.NetLobbying(w.orgs, si, b, interest, opposition, w.execs[si].Weight, k)
				net[si][c] = x
				sum += m.sides[si].influence * x
				wsum += m.sides[si].influence
			}
			if wsum > 0 {
				backing[c][b] = k.Backing * sum / wsum
			}
		}
	}
	return net, backing, push
}

// TestLobbyingLists checks stepLobbying and the attention push, which sum
// over the lists compileLobbying makes, against the rule summed over every
// organization, bit for bit, tick after tick of built-in scenarios with
// energy stakes (TAPI reach), exchanges, opposition and suspicion, on
// every channel whose lever leaves it open (a shut channel's are not
// computed, nor a suspended channel's backing).
func TestLobbyingLists(t *testing.T) {
	for _, name := range []string{"baseline", "memo-levers-2010", "three-stakes", "tapi-only"} {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.LoadBuiltin(name, nil)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Compile(sc)
			if err != nil {
				t.Fatal(err)
			}
			w := NewWorld(m)
			res := &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks())}
			nonzero := 0
			for rep := 0; rep < 2; rep++ {
				w.Reset(0, rep, res)
				for tick := 1; tick <= sc.Horizon; tick++ {
					w.Step()
					net, backing, push := lobbyingRef(w)
					w.stepLobbying()
					for si := range m.sides {
						e := &w.execs[si]
						got := agents.LobbyPushOf(w.orgs, m.sides[si].members, m.sides[si].influence+e.Weight, w.params)
						if got != push[si] {
							t.Fatalf("replicate %d tick %d side %d: push %v, rule %v", rep, tick, si, got, push[si])
						}
						if got := w.lobbyPush(si); got != push[si] {
							t.Fatalf("replicate %d tick %d side %d: push from stakeIdx %v, rule %v", rep, tick, si, got, push[si])
						}
						for c := range m.channels {
							if w.chans[c].Capacity == 0 {
								continue // not computed: nobody reads it (stepLobbying)
							}
							if e.Net[c] != net[si][c] {
								t.Fatalf("replicate %d tick %d side %d channel %d: net lobbying %v, rule %v", rep, tick, si, c, e.Net[c], net[si][c])
							}
							if net[si][c] != 0 {
								nonzero++
							}
						}
					}
					for c := range m.channels {
						if w.chans[c].Capacity == 0 || w.chans[c].Suspended {
							continue // not computed: agents.Step reads no backing then (stepLobbying)
						}
						if w.chans[c].Backing != backing[c] {
							t.Fatalf("replicate %d tick %d channel %d: backing %v, rule %v", rep, tick, c, w.chans[c].Backing, backing[c])
						}
					}
				}
			}
			if nonzero == 0 {
				t.Error("net lobbying was 0 throughout: the test compares nothing")
			}
		})
	}
}
