import Annealing
import Foundation

// A second-order factorization machine (Rendle, "Factorization Machines",
// ICDM 2010) over bits:
//
//     f(x) = w0 + Σ_i w_i x_i + Σ_{i<j} ⟨v_i, v_j⟩ x_i x_j,   v_i ∈ R^k,
//
// which is a QUBO with Q_ij = ⟨v_i, v_j⟩ — the observation behind FMQA
// (Kitai et al., "Designing metamaterials with quantum annealing and
// factorization machines", Phys. Rev. Research 2, 013319, 2020).
//
// Training: full-batch Adam on the mean squared error of standardised
// losses plus an L2 penalty, from a seeded small random start. The pairwise
// sum uses Rendle's O(k·nnz) identity
//     Σ_{i<j} ⟨v_i,v_j⟩ x_i x_j = ½ Σ_f [(Σ_i v_if x_i)² − Σ_i v_if² x_i²].

/// Fits a factorization machine and returns it as a `QuadraticSurrogate`.
public struct FactorizationMachine: Sendable {
  /// The rank `k` of the pairwise factors.
  public var rank: Int
  /// Full-batch Adam epochs.
  public var epochs: Int
  /// Adam's step size.
  public var learningRate: Double
  /// The L2 penalty on `w` and `v`.
  public var l2: Double
  /// Fit on a bootstrap resample of the observations (bootstrap Thompson
  /// sampling, Eckles & Kaptein 2014), so successive proposals explore
  /// instead of repeating the same fit's minimum.
  public var bootstrap: Bool

  /// A factorization machine; defaults: rank 8, 500 epochs, step 0.02, L2
  /// 1e-3, bootstrap on.
  public init(
    rank: Int = 8, epochs: Int = 500, learningRate: Double = 0.02, l2: Double = 1e-3,
    bootstrap: Bool = true
  ) {
    self.rank = rank
    self.epochs = epochs
    self.learningRate = learningRate
    self.l2 = l2
    self.bootstrap = bootstrap
  }

  /// Fits `losses ≈ f(bits)`; the result predicts in loss units.
  public func fit(bits: [[Int8]], losses: [Double], seed: UInt64) -> QuadraticSurrogate {
    let n = bits.first?.count ?? 0
    var out = QuadraticSurrogate(bits: n)
    let rows = bits.map { row in row.indices.filter { row[$0] != 0 }.map { ($0, 1.0) } }
    guard let m = fit(rows: rows, features: n, losses: losses, seed: seed) else { return out }
    out.offset = m.offset
    out.linear = m.linear
    for i in 0..<n {
      for j in (i + 1)..<n { out.pairs[i][j - i - 1] = m.interaction(i, j) }
    }
    return out
  }

  /// Fits `losses ≈ f(φ)` over real features given as sparse rows of
  /// (feature, value); `nil` without observations or features. The result
  /// predicts in loss units.
  public func fit(
    rows: [[(Int, Double)]], features n: Int, losses: [Double], seed: UInt64
  ) -> FactorizedModel? {
    guard !rows.isEmpty, n > 0 else { return nil }
    var rng = Xoshiro256PlusPlus(seed: seed)
    var rows = rows
    var losses = losses
    if bootstrap {
      let pick = rows.indices.map { _ in Int.random(in: 0..<rows.count, using: &rng) }
      rows = pick.map { rows[$0] }
      losses = pick.map { losses[$0] }
    }
    let (mean, scale) = standardization(losses)
    let y = losses.map { ($0 - mean) / scale }
    let k = max(1, rank)
    // Parameters in one vector: w0, w[n], v[n*k].
    let count = 1 + n + n * k
    var p = [Double](repeating: 0, count: count)
    for t in (1 + n)..<count { p[t] = 0.1 * gaussian(&rng) }
    var m = [Double](repeating: 0, count: count)
    var s = [Double](repeating: 0, count: count)
    var g = [Double](repeating: 0, count: count)
    var sums = [Double](repeating: 0, count: k)
    let b1 = 0.9, b2 = 0.999, eps = 1e-8
    var b1t = 1.0, b2t = 1.0
    let inv = 1 / Double(rows.count)
    for _ in 0..<epochs {
      for t in 0..<count { g[t] = 0 }
      for (r, active) in rows.enumerated() {
        var f = p[0]
        for f0 in 0..<k { sums[f0] = 0 }
        var sq = 0.0
        for (i, x) in active {
          f += p[1 + i] * x
          let base = 1 + n + i * k
          for f0 in 0..<k {
            let v = p[base + f0] * x
            sums[f0] += v
            sq += v * v
          }
        }
        var pair = -sq
        for f0 in 0..<k { pair += sums[f0] * sums[f0] }
        f += 0.5 * pair
        let e = 2 * (f - y[r]) * inv
        g[0] += e
        for (i, x) in active {
          g[1 + i] += e * x
          let base = 1 + n + i * k
          for f0 in 0..<k { g[base + f0] += e * x * (sums[f0] - p[base + f0] * x) }
        }
      }
      b1t *= b1
      b2t *= b2
      for t in 0..<count {
        let gt = g[t] + (t == 0 ? 0 : 2 * l2 * p[t])
        m[t] = b1 * m[t] + (1 - b1) * gt
        s[t] = b2 * s[t] + (1 - b2) * gt * gt
        p[t] -= learningRate * (m[t] / (1 - b1t)) / ((s[t] / (1 - b2t)).squareRoot() + eps)
      }
    }
    let root = scale.squareRoot()
    return FactorizedModel(
      offset: mean + scale * p[0], linear: (0..<n).map { scale * p[1 + $0] },
      factors: (0..<n).map { i in (0..<k).map { root * p[1 + n + i * k + $0] } })
  }
}

/// A fitted factorization machine in loss units:
/// `f(φ) = offset + Σ_i linear_i φ_i + Σ_{i<j} ⟨factors_i, factors_j⟩ φ_i φ_j`.
public struct FactorizedModel: Sendable {
  /// The constant.
  public var offset: Double
  /// The linear coefficient of each feature.
  public var linear: [Double]
  /// The factor vector of each feature.
  public var factors: [[Double]]

  /// The interaction `⟨factors_i, factors_j⟩` of features `i` and `j`.
  public func interaction(_ i: Int, _ j: Int) -> Double {
    zip(factors[i], factors[j]).reduce(0) { $0 + $1.0 * $1.1 }
  }

  /// The prediction at the sparse feature row `row` of (feature, value).
  public func predict(_ row: [(Int, Double)]) -> Double {
    var f = offset
    let k = factors.first?.count ?? 0
    var sums = [Double](repeating: 0, count: k)
    var sq = 0.0
    for (i, x) in row {
      f += linear[i] * x
      for t in 0..<k {
        let v = factors[i][t] * x
        sums[t] += v
        sq += v * v
      }
    }
    return f + 0.5 * (sums.reduce(0) { $0 + $1 * $1 } - sq)
  }
}

/// The mean and standard deviation of `y` (deviation 1 when `y` is constant).
func standardization(_ y: [Double]) -> (mean: Double, scale: Double) {
  let mean = y.reduce(0, +) / Double(max(1, y.count))
  let v = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, y.count))
  let sd = v.squareRoot()
  return (mean, sd > 1e-12 ? sd : 1)
}

/// A standard normal draw (Box–Muller).
func gaussian<G: RandomNumberGenerator>(_ rng: inout G) -> Double {
  let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng)
  let u2 = Double.random(in: 0..<1, using: &rng)
  return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
}
