// Package abc provides approximate Bayesian computation by sequential Monte
// Carlo (ABC-SMC, also called ABC population Monte Carlo) for simulators
// that the caller supplies, with its diagnostics and simulation-based
// calibration helpers.
//
// The algorithm is that of Toni et al. (2009) and Beaumont et al. (2009),
// as in pyabc's inference/smc.py and SimInf's abc: generation 0 samples the
// prior; every later generation proposes particles by picking an ancestor
// from the previous population by weight and perturbing it with a
// multivariate normal kernel whose covariance is twice the weighted
// particle covariance (Beaumont et al. 2009; Filippi et al. 2013 compare
// this global kernel with local ones); a proposal is simulated and kept
// when its distance to the observed summaries is at most the generation's
// tolerance; and the kept particles get importance weights
//
//	w_i ∝ π(θ_i) / Σ_j w_j K(θ_i | θ_j)
//
// against the prior π. The tolerance schedule is either fixed or adaptive,
// a quantile of the previous generation's accepted distances (Del Moral et
// al. 2012 adapt it to keep the effective sample size; the quantile rule is
// the common simplification of Beaumont et al. and pyabc).
//
// Distances are weighted Euclidean distances on summaries standardized by
// the median absolute deviation (or standard deviation) of generation 0's
// summaries, that is of the prior predictive distribution, or by each
// summary's noise, estimated from pairs of simulations at generation 0's
// particles (ScaleNoise; see there why it gives tighter posteriors when a
// summary's prior predictive spread is mostly a parameter's).
//
// Regression adjustment. Settings.Adjust = AdjustRegression
// post-processes the final generation into Result.Posterior by the
// local-linear regression adjustment of Beaumont, Zhang and Balding (2002)
// (AdjustGeneration): each parameter, on a logit or log scale inside its
// prior's support, is regressed on the standardized summaries by weighted
// least squares (importance weights times an Epanechnikov kernel of the
// distance, bandwidth the final tolerance), and moved by the fitted slopes
// times its summaries' distance from the observed ones. It corrects the
// spread the tolerance ball leaves in the posterior, exactly when the
// parameters' posterior mean is linear in the summaries with a constant
// spread. It is a pure function of the final generation, so it changes
// neither the generations nor the checkpoints.
//
// Determinism. Every random stream is seeded from (seed, generation,
// attempt, purpose) with SplitMix64 mixing, and the particles of a
// generation are the first Particles accepted attempts in attempt order,
// so a run gives byte-identical results for any number of workers, and a
// generation can be evaluated in shards over attempt ranges on different
// machines and merged (see Step).
//
// Checkpoints. With a folder set, every completed generation is written
// to it atomically; Run resumes from the last complete generation and
// gives the same final result as an uninterrupted run.
//
// Job chains. A generation can be computed by several jobs (for example a
// Slurm job array per generation, then a merge job), all sharing a
// checkpoint folder and the same Problem and Settings:
//
//  1. each shard job calls NextStep(dir, ...) to get the Step of the next
//     generation, evaluates its own attempt range with Step.Evaluate(ctx,
//     first, count, workers) and writes the result with WriteShard;
//  2. the merge job calls NextStep again, ReadShards and Step.Assemble. If
//     the shards hold Particles accepted attempts it writes the generation
//     with WriteGeneration and submits the next generation's jobs; if not,
//     Assemble returns the first attempt still needed and the merge job
//     submits shard jobs for the attempts from there (a second round); if
//     the Step's Limit was reached, the generation is abandoned and the
//     chain ends with the previous generation as the posterior;
//  3. the chain also ends when NextStep returns a stop reason.
//
// The generation assembled is the one Run computes, whatever the shard
// ranges, because attempt a of generation t always draws from the streams
// (Seed, t, a, purpose) and particles are taken in attempt order. A good
// shard size is about Particles / (acceptance rate of the previous
// generation / 2) attempts over all shards, the cost of a second round
// being one more job latency. Run can finish a chain from the same folder.
//
// References:
//   - T. Toni, D. Welch, N. Strelkowa, A. Ipsen, M. P. H. Stumpf (2009),
//     Approximate Bayesian computation scheme for parameter inference and
//     model selection in dynamical systems, J. R. Soc. Interface 6:187-202.
//   - M. A. Beaumont, W. Zhang, D. J. Balding (2002), Approximate Bayesian
//     computation in population genetics, Genetics 162:2025-2035.
//   - M. A. Beaumont, J.-M. Cornuet, J.-M. Marin, C. P. Robert (2009),
//     Adaptive approximate Bayesian computation, Biometrika 96:983-990.
//   - P. Del Moral, A. Doucet, A. Jasra (2012), An adaptive sequential
//     Monte Carlo method for approximate Bayesian computation, Statistics
//     and Computing 22:1009-1020.
//   - S. Filippi, C. P. Barnes, J. Cornebise, M. P. H. Stumpf (2013), On
//     optimality of kernels for approximate Bayesian computation using
//     sequential Monte Carlo, Stat. Appl. Genet. Mol. Biol. 12:87-107.
//   - S. Talts, M. Betancourt, D. Simpson, A. Vehtari, A. Gelman (2018),
//     Validating Bayesian inference algorithms with simulation-based
//     calibration, arXiv:1804.06788.
package abc
