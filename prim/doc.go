// Package prim provides the Patient Rule Induction Method (PRIM) for
// scenario discovery: given cases (factor values) and which of them are of
// interest, it finds a box in factor space where the cases of interest are
// dense.
//
// The method is that of Friedman and Fisher (1999) as the EMA Workbench
// uses it (Kwakkel 2017; Bryant and Lempert 2010): starting from the box
// holding every case, each step peels off a fraction Alpha of the cases in
// the box on one side of one factor (a category of a categorical factor),
// choosing the peel that raises the density most, until no peel raises it
// or the box would hold less than MinMass of the cases; then, optionally,
// pasting grows the box back along one factor at a time while that raises
// the density. Every box along the way is kept (the peeling trajectory),
// with its coverage (share of the cases of interest inside), density
// (share of the cases inside that are of interest) and mass (share of
// all cases inside), so the analyst can trade coverage for density.
//
// For each restricted limit of a box a quasi-p-value (Bryant and Lempert
// 2010) says whether the restriction matters: the one-sided binomial
// probability of seeing at least the box's count of cases of interest
// among its cases if the density were that of the box without this
// restriction. A large value means the restriction could be dropped.
//
// References:
//   - J. H. Friedman and N. I. Fisher, "Bump hunting in high-dimensional
//     data", Statistics and Computing 9 (1999) 123-143.
//   - B. P. Bryant and R. J. Lempert, "Thinking inside the box: a
//     participatory, computer-assisted approach to scenario discovery",
//     Technological Forecasting and Social Change 77 (2010) 34-49.
//   - J. H. Kwakkel, "The Exploratory Modeling Workbench", Environmental
//     Modelling and Software 96 (2017) 239-250; ema_workbench/analysis/prim.py.
package prim
