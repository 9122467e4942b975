import QUBOModel

// The default inverse-temperature range of simulated annealing.
//
// Derivation (DESIGN.md, "Kernels"): flipping spin i changes the energy by
// ΔE_i = −2 s_i (h_i + Σ_j J_ij s_j), so |ΔE_i| ≤ 2 S_i with
// S_i = |h_i| + Σ_j |J_ij|. The hot end accepts the costliest flip of the
// model half the time: exp(−β_hot · 2 max_i S_i) = 1/2. The cold end makes
// the cheapest non-zero flip unlikely: with m_i the smallest non-zero |bias|
// touching i, and N_min the number of spins that share the global minimum,
// N_min · exp(−β_cold · 2 min_i m_i) = 0.01, about a 1% chance that any flip
// is accepted on the last sweep. Computed on the spin form, so the range is
// the same whether a model was written as a QUBO or as an Ising model.

/// An inverse-temperature interval `[hot, cold]` (`hot ≤ cold`).
public struct BetaRange: Sendable, Equatable {
  /// The first, smallest β.
  public var hot: Double
  /// The last, largest β.
  public var cold: Double

  public init(hot: Double, cold: Double) {
    self.hot = hot
    self.cold = cold
  }

  /// The warning samplers put in `info["warnings"]` for an all-zero model.
  public static let degenerateWarning =
    "every bias is zero (all states have the same energy); the β range is set to [0.1, 1]"

  /// The default range for `problem` (see the derivation above).
  ///
  /// An all-zero model has no scale; it gets `[0.1, 1]` and `isDegenerate`.
  public static func `default`(for problem: IsingProblem) -> (range: BetaRange, isDegenerate: Bool)
  {
    let n = problem.numSpins
    var maxS = 0.0
    var minM = Double.infinity
    var minCount = 0
    for i in 0..<n {
      var s = abs(problem.h[i])
      var m = problem.h[i] != 0 ? abs(problem.h[i]) : Double.infinity
      for k in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        let a = abs(problem.coupling[k])
        s += a
        if a > 0 && a < m { m = a }
      }
      maxS = max(maxS, s)
      if m < minM {
        minM = m
        minCount = 1
      } else if m == minM && m.isFinite {
        minCount += 1
      }
    }
    guard maxS > 0, minM.isFinite else {
      return (BetaRange(hot: 0.1, cold: 1), true)
    }
    let hot = log(2.0) / (2 * maxS)
    let cold = log(Double(minCount) / 0.01) / (2 * minM)
    return (BetaRange(hot: hot, cold: max(cold, hot)), false)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
