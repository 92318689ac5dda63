// Package lab serves the policy lab: a local web page where students turn
// a scenario's levers and see, against the unchanged scenario on the same
// crisis draws, how cooperation and entrenchment change.
//
// The page is rendered on the server with html/template, its figures are
// SVG drawn by gonum/plot, and its few lines of JavaScript and CSS are
// embedded in the binary; nothing is fetched from elsewhere. Every input is
// checked on the server against the lever table (Levers) and the scenario
// validation of package scenarios, runs are capped, bounded in number and
// time, and cancelled when the page asks for a new one.
//
// With Config.Posterior set, both scenarios of every run are the posterior
// ensemble of a calibration (package calibrate), as `entrench run
// --posterior` builds it: each replicate draws a particle by weight.
package lab
