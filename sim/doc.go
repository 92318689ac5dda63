// Package sim is the discrete-time engine and the Monte Carlo core of
// entrench: it compiles a scenario into a Model, steps Worlds month by month,
// runs replicates in parallel with reproducible random streams, and
// aggregates their results in constant memory.
package sim
