// Package lowdisc provides Sobol' low-discrepancy sequences in up to 1111
// dimensions, plain or randomized by a random digital shift or by Owen's
// nested uniform scrambling.
//
// The direction numbers are those of Joe and Kuo (2008), file
// new-joe-kuo-6.21201, the ones scipy.stats.qmc.Sobol and SALib use; the
// points come in Gray-code order (Antonov and Saleev 1979), so the
// unscrambled sequence is point for point the one scipy gives with
// scramble=False: 0, 1/2, 3/4, 1/4, 3/8, ... in the first coordinate.
//
// Prefix stability. Point i of a Sequence is a pure function of i, the
// coordinate and the randomization drawn when the Sequence was made; it
// does not depend on how many points are asked for or in which order. A
// design of N points can therefore grow to 2N by computing the points N
// to 2N-1 only. The randomization of coordinate j is drawn j-th from the
// caller's generator, so two sequences made from generators in the same
// state agree on their common coordinates whatever their dimensions.
//
// Balance. The first 2^m points of every coordinate, and of every
// randomization, hold exactly one point in each interval [k/2^m,
// (k+1)/2^m): use sample sizes that are powers of two, and start at point
// 0, which is the origin when the sequence is not randomized (some users
// skip it; with a randomization it is an ordinary point).
//
// References:
//   - I. M. Sobol', "On the distribution of points in a cube and the
//     approximate evaluation of integrals", USSR Comput. Math. Math. Phys.
//     7 (1967) 86-112.
//   - S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
//     two-dimensional projections", SIAM J. Sci. Comput. 30 (2008)
//     2635-2654; https://web.maths.unsw.edu.au/~fkuo/sobol/.
//   - A. B. Owen, "Randomly permuted (t,m,s)-nets and (t,s)-sequences",
//     in Monte Carlo and Quasi-Monte Carlo Methods in Scientific Computing,
//     Springer, 1995, 299-317.
//   - A. B. Owen, "On dropping the first Sobol' point", 2022,
//     arXiv:2008.08051.
package lowdisc
