// Package calibrate fits a scenario's free parameters to observed data by
// ABC-SMC: it reads a calibration file (the scenario, the free parameters
// with their priors, the targets with their observation models, the fit
// window and the algorithm settings), turns it into an abc.Problem whose
// simulator applies a parameter vector to the scenario through the
// scenarios override machinery (so every value is checked like a --set
// flag), runs the scenario and computes the targets' summary statistics,
// and writes the posterior, the diagnostics, the summary table and the
// figures.
//
// A calibration file is strict YAML, loaded by Load with positioned
// errors (file:line:column: key path: message, wrapping a sentinel such as
// ErrUnknownKey or ErrRange), like scenario files.
//
// Targets. A target links one observed series (data/observed/series.csv)
// or one dated fact (data/observed/facts.csv) to a model metric through a
// summary statistic and an observation model:
//
//   - yearly_mean: for every observed point of the series (a year YYYY or
//     a month YYYY-MM), the mean of the metric over that year's (or
//     month's) ticks;
//   - falls_below: the month, as a decimal year, when the metric first
//     falls below level after the month given by after; a run in which it
//     never does gives the month after the run's end (a censored value);
//   - rises_above: likewise, the month it first comes back to level or
//     above after the month given by after.
//
// The observation model is affine with noise: observed = intercept +
// slope * statistic + noise * N(0, 1), where intercept and slope are
// numbers or names of free parameters (calibrated with the others) and
// noise is a fixed scale. Points dated inside the fit window enter the
// distance; the others are predicted out of sample only.
package calibrate
