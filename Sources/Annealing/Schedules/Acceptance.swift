#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Acceptance rules for single-spin flips, specialised at compile time.
//
// Implementation goals, in order of priority:
// 1. Exact detailed balance at inverse temperature β (up to the 53-bit
//    resolution of the uniform variate u ∈ [0, 1)).
// 2. Most rejections cost one compare: `prepare(beta:)` turns the underflow
//    point into a ΔE cut-off once per β. For x = βΔE > ln 2^53 ≈ 36.74,
//    exp(−x) < 2^−53, so `u < exp(−x)` holds only for u = 0 (probability
//    2^−53): such flips are rejected without drawing a number or calling exp.
// 3. When every ΔE is an exact multiple of 2q (integer-weighted models such as
//    Gset), `QuantizedSystem` reads the acceptance probability from a table
//    filled once per β (see there); the rules here serve all other models.
//
// Metropolis: A = min(1, e^{−βΔE}). Gibbs (heat bath): A = 1 / (1 + e^{βΔE}).

/// How a proposed flip with energy change ΔE is accepted at inverse temperature β.
public enum Acceptance: String, Sendable, CaseIterable {
  /// Metropolis–Hastings: `A = min(1, exp(−β ΔE))`.
  case metropolis
  /// Heat bath (Gibbs): `A = 1 / (1 + exp(β ΔE))`.
  case gibbs
}

/// The order in which a sweep proposes spins.
public enum UpdateOrder: String, Sendable, CaseIterable {
  /// Spins `0, 1, …, n−1` in index order.
  case sequential
  /// `n` spins drawn uniformly at random, with replacement.
  case random
}

/// `ln 2^53`: past this x = βΔE an acceptance probability underflows the
/// 53-bit uniform variate.
let underflowExponent = 36.736_800_569_677_1

extension Acceptance {
  /// The acceptance probability of a flip with x = βΔE, with the underflow
  /// cut-offs: 0 for x past `underflowExponent`, and 1 for x ≤ 0
  /// (Metropolis) or x below −`underflowExponent` (Gibbs).
  ///
  /// The integer kernels tabulate it once per β (`QuantizedSystem`,
  /// `PackedSystem`); the rules below decide the same way flip by flip.
  func probability(betaDelta x: Double) -> Double {
    switch self {
    case .metropolis: x <= 0 ? 1 : (x > underflowExponent ? 0 : exp(-x))
    case .gibbs: x > underflowExponent ? 0 : (x < -underflowExponent ? 1 : 1 / (1 + exp(x)))
    }
  }
}

/// An acceptance rule prepared for one β at a time.
protocol AcceptanceRule {
  /// Readies the rule for inverse temperature `beta` (called once per β).
  mutating func prepare(beta: Double)
  /// Whether a flip with energy change `dE` is accepted.
  func accepts(_ dE: Double, rng: inout Xoshiro256PlusPlus) -> Bool
}

/// β and the |ΔE| past which e^{∓βΔE} underflows the uniform variate.
struct UnderflowCutoff {
  /// The inverse temperature.
  var beta = 0.0
  /// `underflowExponent / β` (∞ at β = 0).
  var cut = Double.infinity

  /// The cut-off at inverse temperature `beta`.
  mutating func prepare(beta: Double) {
    self.beta = beta
    cut = beta > 0 ? underflowExponent / beta : .infinity
  }
}

/// Metropolis acceptance with the underflow cut-off.
struct MetropolisRule: AcceptanceRule {
  var cutoff = UnderflowCutoff()

  mutating func prepare(beta: Double) { cutoff.prepare(beta: beta) }

  @inline(__always)
  func accepts(_ dE: Double, rng: inout Xoshiro256PlusPlus) -> Bool {
    if dE <= 0 { return true }
    if dE >= cutoff.cut { return false }
    return rng.nextUnit() < exp(-cutoff.beta * dE)
  }
}

/// Heat-bath acceptance with cut-offs on both sides.
struct GibbsRule: AcceptanceRule {
  var cutoff = UnderflowCutoff()

  mutating func prepare(beta: Double) { cutoff.prepare(beta: beta) }

  @inline(__always)
  func accepts(_ dE: Double, rng: inout Xoshiro256PlusPlus) -> Bool {
    if dE >= cutoff.cut { return false }
    if dE <= -cutoff.cut { return true }
    return rng.nextUnit() * (1 + exp(cutoff.beta * dE)) < 1
  }
}
