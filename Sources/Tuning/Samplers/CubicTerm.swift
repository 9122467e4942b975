import Foundation

// Triples of bits beside the Bayesian quadratic regression (issue 17,
// seventh round): the cubic benchmark is a cubic polynomial and LABS a
// quartic one, of which a quadratic fits only a projection.
//
// Over 0/1 features the kernel of every triple of features with one prior
// variance c is
//
//     k₃(x, x') = c Σ_{i<j<k} φ_i φ_j φ_k φ'_i φ'_j φ'_k = c C(s, 3),
//
// s = ⟨φ, φ'⟩ the number of bits on in both — an n × n computation, as
// the quadratic's are. After the quadratic's scales and noise are chosen,
// c is tried at 1 %, 10 % and 100 % of the pairwise prior variance and
// kept when the evidence rises. The posterior mean's cubic part,
// Σ_n w_n C(s_n(x), 3), is not a quadratic; around the incumbent c it is
// expanded to second order in the parameters changed (as
// HammingKernel.swift does for its kernel): a parameter moved to value a
// changes each s_n by the overlap of the bits of a with the observation's
// less that of c's value, so every coefficient is O(n). The expansion is
// exact at the incumbent and one or two parameters away.

/// The terms of higher order the regression's kernel may add over 0/1
/// features (CubicTerm.swift).
public enum HigherOrder: String, Sendable, CaseIterable {
  /// Every triple of bits, `C(s, 3)` (`s` the bits on in both).
  case bitTriples = "bits"
  /// Every triple of spins `σ = 1 − 2x`: `e₃` of the products
  /// `σ_i σ'_i`, a function of the bits' Hamming distance `d` alone (with
  /// `S = B − 2d` over `B` bits, `e₃ = (S³ − 3BS + 2S) / 6`).
  case spinTriples = "spins3"
  /// Triples and quadruples of spins: `e₃ + e₄`,
  /// `e₄ = (S⁴ − 6BS² + 3B² + 8S² − 6B) / 24`.
  case spinTriplesAndQuadruples = "spins34"

  /// The kernel of unit height between two patterns with `common` bits on
  /// in both and `distance` bits different, over `bits` bits.
  func kernel(common s: Double, distance d: Double, bits b: Double) -> Double {
    switch self {
    case .bitTriples:
      return CubicTerm.choose3(s)
    case .spinTriples:
      return Self.e3(b - 2 * d, b)
    case .spinTriplesAndQuadruples:
      let t = b - 2 * d
      return Self.e3(t, b) + (t * t * t * t - 6 * b * t * t + 3 * b * b + 8 * t * t - 6 * b) / 24
    }
  }

  /// e₃ of ±1 values summing to `t`, `b` of them (Newton's identities).
  static func e3(_ t: Double, _ b: Double) -> Double { (t * t * t - 3 * b * t + 2 * t) / 6 }

  /// Whether the kernel depends on the bits through their Hamming
  /// distance (spins) rather than the bits on in both.
  var usesDistance: Bool { self != .bitTriples }
}

/// The cubic kernel term of the regression and its expansion.
enum CubicTerm {
  /// The triples' prior variance tried, relative to the pairs'.
  static let heights: [Double] = [0.01, 0.1, 1]

  /// C(s, 3) for a real s (the count of common bits).
  static func choose3(_ s: Double) -> Double { s * (s - 1) * (s - 2) / 6 }

  /// The second-order expansion around `grid`'s incumbent of
  /// `Σ_n weights[n] C(⟨bits(x), bits(x_n)⟩, 3)` as a QUBO over
  /// `encoded`'s bits; `nil` when some parameter is windowed or spelled in
  /// more than one bit per value.
  static func expansion(
    configurations: [[Int]], weights: [Double], grid: LocalGrid, encoded: BitEncoding,
    full: SearchSpace, order: HigherOrder = .bitTriples
  ) -> QuadraticSurrogate? {
    guard let units = HammingKernel.units(grid: grid, encoded: encoded, full: full) else {
      return nil
    }
    let center = grid.centerLevels
    let observed = configurations.map { grid.local($0) }
    // The statistic the kernel reads, parameter by parameter: bits on in
    // both, or bits different.
    func overlap(_ k: Int, _ a: Int, _ b: Int) -> Double {
      let x = encoded.bitsOfParameter(k, a)
      let y = encoded.bitsOfParameter(k, b)
      var s = 0.0
      for (u, v) in zip(x, y) where order.usesDistance ? u != v : (u != 0 && v != 0) { s += 1 }
      return s
    }
    let bits = Double(encoded.bitCount)
    // The kernel of unit height at statistic t (bits on in both, or the
    // Hamming distance: `overlap` counts the one `order` reads).
    func k3(_ t: Double) -> Double {
      order.kernel(common: t, distance: t, bits: bits)
    }
    let s0: [Double] = observed.map { o in
      var s = 0.0
      for k in o.indices { s += overlap(k, center[k], o[k]) }
      return s
    }
    // Δ_u(n): the change of s_n when the unit's parameter moves to its value.
    let delta: [[Double]] = units.map { u in
      let a = grid.levels[u.k].firstIndex(of: u.value) ?? center[u.k]
      return observed.map { o in overlap(u.k, a, o[u.k]) - overlap(u.k, center[u.k], o[u.k]) }
    }
    let n = observed.count
    var base = 0.0
    for i in 0..<n { base += weights[i] * k3(s0[i]) }
    var single: [Double] = []
    for u in units.indices {
      var v = 0.0
      for i in 0..<n { v += weights[i] * (k3(s0[i] + delta[u][i]) - k3(s0[i])) }
      single.append(v)
    }
    return HammingKernel.qubo(units: units, bits: encoded.bitCount, offset: base, linear: single) {
      u, v in
      var b = 0.0
      for i in 0..<n {
        let s = s0[i]
        let du = delta[u][i]
        let dv = delta[v][i]
        b += weights[i] * (k3(s + du + dv) - k3(s + du) - k3(s + dv) + k3(s))
      }
      return b
    }
  }
}
