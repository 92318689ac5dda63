// Package study runs Monte Carlo studies of compiled models: the replicates
// of one model (Run), or of two models paired replicate by replicate on
// common random numbers (Compare).
//
// A study with an output folder keeps the folder honest: it writes the
// manifest first, marked not completed; streams every run to runs.csv,
// events.csv and failures.csv; then writes the time series and figures;
// and finishes the manifest last, completed only when every requested run
// was delivered. An interrupted study writes what finished and says so in
// its manifest. A study without an output folder writes nothing and only
// returns its results, for callers (the claims, the web lab) that present
// them in their own way.
//
// The package reads no flags, environment or globals: the command line
// builds Settings and passes them in.
package study
