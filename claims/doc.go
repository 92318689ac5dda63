// Package claims puts the memo's claims to the test: it runs the built-in
// scenarios on common random numbers and decides each claim by tests
// declared before the runs (Catalogue), each with a placebo that switches
// its mechanism off, a minimum effect that matters, measures on the
// channels all its scenarios share, and robustness over coefficient draws
// (Robust) kept in a resumable, shardable journal.
package claims
