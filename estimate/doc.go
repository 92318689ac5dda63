// Package estimate provides the statistics of Monte Carlo output: running
// moments, the mean with a Student-t confidence interval at any level, and
// the paired difference of two scenarios run on common random numbers,
// with how much the pairing narrowed its interval.
//
// Every type here is a plain value, safe for concurrent reads; an
// accumulator (Moments, Pairs) being updated belongs to one goroutine.
// Values must be added in a fixed order for results to be reproducible to
// the bit: floating-point sums depend on order.
package estimate
