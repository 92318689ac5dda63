// Package agents holds the model's actors (officials, organizations and
// channels) as plain data, and the pure rules that update them; randomness
// is always passed in as a *rand.Rand.
package agents
