#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// AdaRound (Nagel, Amjad, van Baalen, Louizos and Blankevoort, "Up or Down?
// Adaptive Rounding for Post-Training Quantization", ICML 2020,
// arXiv 2004.10568), implemented here on the same per-neuron objective the
// annealer sees, so that the two differ only in how they search.
//
// Each free weight's rounding variable x_a ∈ {0, 1} is relaxed to
// h(V_a) = clip(σ(V_a)(ζ − γ) + γ, 0, 1) with ζ = 1.1, γ = −0.1 (the
// rectified sigmoid, their eq. 23). The loss is the reconstruction error of
// the relaxed codes plus their regulariser (eq. 24–25):
//
//     L(V) = (d − u h)ᵀ H (d − u h) + λκ Σ_a (1 − |2h_a − 1|^β),
//
// which in the QUBO's own terms is offset + (linear − diag)ᵀh + hᵀMh with
// M = u² H_FF (the diagonal `curvature`, the off-diagonal `quadratic / 2`).
// κ is the mean of M's diagonal (the cost of moving one weight by a whole
// step), so λ does not depend on the data's scale. β falls linearly from
// 20 to 2 after a warm-up of 20 % of the iterations without the
// regulariser, as in the paper; the optimiser is Adam. V starts where h
// equals the weight's fractional position between its two codes; the
// result is h ≥ ½ → 1.
//
// Implementation goals, in order: the paper's schedule and relaxation;
// deterministic (no randomness at all); O(f²) work per iteration over
// contiguous buffers.

/// AdaRound's continuous relaxation of a rounding QUBO, solved by Adam with
/// an annealed regulariser (arXiv 2004.10568).
public struct AdaRound: Sendable, Equatable, Codable {
  /// Adam iterations per neuron.
  public var iterations = 1000
  /// The regulariser weight λ, relative to the mean curvature κ.
  public var lambda = 1.0
  /// Adam's step size on V.
  public var learningRate = 0.05
  /// The regulariser exponent β at the end of the warm-up.
  public var betaStart = 20.0
  /// The regulariser exponent β at the last iteration.
  public var betaEnd = 2.0
  /// The share of iterations without the regulariser.
  public var warmup = 0.2

  /// The paper's schedule with this project's iteration count and λ.
  public init() {}

  static let zeta = 1.1
  static let gamma = -0.1

  /// The rounding bits of `q` for the weights `w` (0/1 per variable).
  public func solve(_ q: RoundingQUBO, weights w: ArraySlice<Double>) -> [Int8] {
    let f = q.count
    guard f > 0 else { return [] }
    var m = [Double](repeating: 0, count: f * f)
    var kappa = 0.0
    for a in 0..<f {
      m[a * f + a] = q.curvature[a]
      kappa += q.curvature[a] / Double(f)
      for b in (a + 1)..<f {
        m[a * f + b] = q.quadratic[a * f + b] / 2
        m[b * f + a] = m[a * f + b]
      }
    }
    let g0 = (0..<f).map { q.linear[$0] - q.curvature[$0] }
    let lam = lambda * max(kappa, 1e-300)
    let start = w.startIndex
    var v = q.free.enumerated().map { a, i -> Double in
      let r = (w[start + i] / q.scale - Double(q.base[i])) / Double(q.step)
      let p = min(max((r - Self.gamma) / (Self.zeta - Self.gamma), 1e-4), 1 - 1e-4)
      return log(p / (1 - p))
    }
    var h = [Double](repeating: 0, count: f)
    var grad = [Double](repeating: 0, count: f)
    var m1 = [Double](repeating: 0, count: f)
    var m2 = [Double](repeating: 0, count: f)
    let (b1, b2, eps) = (0.9, 0.999, 1e-8)
    let warm = Int(Double(iterations) * warmup)
    m.withUnsafeBufferPointer { mp in
      for t in 0..<iterations {
        for a in 0..<f {
          let s = 1 / (1 + exp(-v[a]))
          h[a] = min(max(s * (Self.zeta - Self.gamma) + Self.gamma, 0), 1)
        }
        let regularised = t >= warm
        let beta: Double
        if regularised && iterations > warm + 1 {
          let progress = Double(t - warm) / Double(iterations - warm - 1)
          beta = betaStart + (betaEnd - betaStart) * progress
        } else {
          beta = betaStart
        }
        for a in 0..<f {
          var mh = 0.0
          let row = a * f
          for b in 0..<f { mh += mp[row + b] * h[b] }
          var dh = g0[a] + 2 * mh
          if regularised {
            let z = 2 * h[a] - 1
            let az = abs(z)
            if az > 0 { dh += lam * (-beta * pow(az, beta - 1) * (z > 0 ? 1 : -1) * 2) }
          }
          let s = 1 / (1 + exp(-v[a]))
          let raw = s * (Self.zeta - Self.gamma) + Self.gamma
          grad[a] = raw > 0 && raw < 1 ? dh * (Self.zeta - Self.gamma) * s * (1 - s) : 0
        }
        let c1 = 1 - pow(b1, Double(t + 1))
        let c2 = 1 - pow(b2, Double(t + 1))
        for a in 0..<f {
          m1[a] = b1 * m1[a] + (1 - b1) * grad[a]
          m2[a] = b2 * m2[a] + (1 - b2) * grad[a] * grad[a]
          v[a] -= learningRate * (m1[a] / c1) / ((m2[a] / c2).squareRoot() + eps)
        }
      }
    }
    return v.map { x -> Int8 in
      let s = 1 / (1 + exp(-x))
      return s * (Self.zeta - Self.gamma) + Self.gamma >= 0.5 ? 1 : 0
    }
  }
}
