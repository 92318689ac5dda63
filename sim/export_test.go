package sim

import (
	"math"

	"github.com/entrench/entrench/scenarios"
)

// SetFault installs a fault-injection hook for tests: f runs at the start
// of every replicate, and may panic to simulate a failing rule.
func SetFault(o *Options, f func(rep int)) { o.fault = f }

// LeverValue returns the current value of the lever with lever path key
// in w (tests check that lever events reach the engine).
func LeverValue(w *World, key string) float64 {
	i, ok := scenarios.LeverIndex(key)
	if !ok {
		return math.NaN()
	}
	return w.lever[i]
}
