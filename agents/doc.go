// Package agents holds the model's actors (officials, organizations and
// channels) as plain data, and the pure rules that update them; randomness
// is passed in: a *rand.Rand, or for the officials' noise the tick's
// counter-based key (philox.TickKey), so that each draw is a pure function
// of (seed, point, replicate, purpose, tick, official).
package agents
