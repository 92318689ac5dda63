// Package sweep runs batch experiments (grids, Latin hypercubes, Sobol and Morris designs) over a scenario's values, with crash-safe resume, cluster shards and sensitivity analysis.
//
// Missing values. A point's statistics of a metric (points.csv: M_mean,
// M_sd, the interval and M_n) cover only the replicates where the metric
// is defined (not NaN): for a metric such as time_to_entrenchment_months,
// undefined in runs that never entrench, M_mean is a mean conditional on
// the event and M_n says how many runs it rests on. A point whose scenario
// fails, or any of whose replicates fails, is recorded in failures.csv
// and has no statistics. SobolAnalyze drops every Saltelli row in which a
// point failed or the metric's mean is undefined (SobolIndex.N counts the
// rows kept), and Morris drops elementary effects with a missing end
// (MorrisIndex.N). When that happens in a part of the factor space only,
// the indices describe the rest of it and can be strongly biased; see
// docs/guide/cluster.md, "Undefined metrics and failed points".
//
// Row order of a sobol design. Design point i belongs to row j = i/w of
// the Saltelli matrices A and B, w = k+2 for k factors (2k+2 with order
// 2), and within the row comes, in this order: A_j, B_j, AB_1..AB_k (A_j
// with factor i taken from B_j), then with order 2 BA_1..BA_k (B_j with
// factor i taken from A_j). SALib orders a row [A, AB_1..AB_k,
// BA_1..BA_k, B]; Options.ExportSALib writes the design and outputs in
// that order. A and B are the first and last k coordinates of point j of
// a scrambled Sobol' sequence (package lowdisc), or with sequence random
// 2k draws of row j's own generator; either way row j does not depend on
// N, so a design's first rows are the design of a smaller N.
package sweep
