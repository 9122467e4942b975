import Foundation

// A local term beside the Bayesian quadratic regression (issue 17,
// seventh round).
//
// The regression's kernel is a quadratic polynomial: one global quadratic
// fitted to every trial. LABS is quartic and the cubic benchmark cubic;
// what a quadratic cannot fit there is left as noise. Here the evidence
// may add to the kernel a term that decays with Hamming distance,
//
//     k(x, x') = k_quadratic(x, x') + h exp(−θ d_H(x, x') / p),
//
// a Gaussian process over the residual of the quadratic (the structure of
// higher order, near the trials that show it). The quadratic's own scales
// and noise are chosen first (as without the term); then (h, θ) from a
// small grid, kept only when the evidence rises. The posterior mean is the
// regression's quadratic plus Σ_n w_n exp(−θ d_H(x, x_n) / p), which
// `HammingKernel.expansion` writes as a QUBO around the incumbent (exact
// within two parameters of it).

/// The local term of a regression fitted with a Hamming residual kernel:
/// its share of the posterior mean is
/// `Σ_n weights[n] exp(−decay d_H(x, x_n) / p)` over the observations.
public struct HammingResidual: Sendable {
  /// θ, the decay per parameter changed in units of `1/p`.
  public let decay: Double
  /// One weight per observation, in loss units.
  public let weights: [Double]

  /// The (h, θ) grid tried on standardised losses.
  static let grid: [(height: Double, decay: Double)] = [
    (0.1, 4), (0.1, 16), (0.3, 4), (0.3, 16), (1, 4), (1, 16),
  ]

  /// The grid setting with the highest evidence when it beats `base` (the
  /// evidence without the term): its height, decay, evidence and the
  /// Cholesky factor (flat, lower triangle) of the kernel matrix; `nil`
  /// otherwise. `kernel(r, q)` is the quadratic's kernel between rows
  /// `r ≥ q`, `noise(r)` row `r`'s noise variance.
  static func search(
    configurations: [[Int]], y: [Double], base: Double,
    kernel: (Int, Int) -> Double, noise: (Int) -> Double
  ) -> (height: Double, decay: Double, evidence: Double, chol: [Double])? {
    let n = configurations.count
    guard n == y.count, n > 1, let width = configurations.first?.count, width > 0 else {
      return nil
    }
    let p = Double(width)
    var quadratic = [Double](repeating: 0, count: n * n)
    var distance = quadratic
    for r in 0..<n {
      for q in 0...r {
        quadratic[r * n + q] = kernel(r, q)
        distance[r * n + q] = Double(TrustRegionSampler.distance(configurations[r], configurations[q]))
      }
    }
    var best: (height: Double, decay: Double, evidence: Double, chol: [Double])?
    var k = quadratic
    for (height, decay) in grid {
      for r in 0..<n {
        for q in 0...r {
          k[r * n + q] = quadratic[r * n + q] + height * exp(-decay * distance[r * n + q] / p)
        }
        k[r * n + r] += noise(r)
      }
      guard let evidence = factoredEvidence(&k, n, y)?.evidence else { continue }
      if evidence > (best?.evidence ?? base) { best = (height, decay, evidence, k) }
    }
    return best
  }
}
