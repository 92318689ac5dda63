// Package sweep runs batch experiments (grids, Latin hypercubes, Sobol and Morris designs) over a scenario's values, with crash-safe resume, cluster shards and sensitivity analysis.
package sweep
