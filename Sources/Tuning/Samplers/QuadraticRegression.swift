import Annealing
import Foundation

// Bayesian quadratic regression, fitted exactly in its dual (kernel) form.
//
// Implementation goals, in order of priority:
// 1. a fit that is exact, not the end of a stochastic optimisation: a
//    factorization machine fitted by 300 Adam epochs predicted the next
//    proposals of a 6-parameter quadratic bowl with an error of 0.08 where
//    the least-squares quadratic's was 0.001 (docs/tuning.md);
// 2. a real posterior, so that Thompson sampling explores by the model's
//    uncertainty, and hyperparameters chosen by the evidence, as a GP's are;
// 3. cost polynomial in the number of observations n (≤ a few hundred),
//    not in the number of pairwise coefficients p = F(F−1)/2 (32 640 for
//    256 features).
//
// The model, over real features φ (bits, or a continuous parameter's
// position d and d²: LocalFeatures.swift):
//
//     y = β₀ + Σ_i β_i φ_i + Σ_{i<j} β_ij φ_i φ_j + ε,
//     β₀ ~ N(0, c²), β_i ~ N(0, a²), β_ij ~ N(0, b²), ε ~ N(0, σ²),
//
// on standardised y, is a Gaussian process with the kernel
//
//     k(x, x') = c² + a² s + b² (s² − Σ_i φ_i² φ'_i²) / 2,   s = ⟨φ, φ'⟩,
//
// so every quantity is an n × n computation (Rasmussen & Williams, GPML,
// §2.1). (a², b², σ²) are chosen from a small grid by the log marginal
// likelihood. A posterior draw of β is made by Matheron's rule (Wilson et
// al., "Efficiently sampling functions from Gaussian process posteriors",
// ICML 2020): draw β' and ε' from the prior, then
//
//     β = β' + Λ Φᵀ (K + σ² I)⁻¹ (y − Φ β' − ε'),   Λ = prior variances,
//
// which needs only the p prior draws and n × n solves; with β' = 0 and
// ε' = 0 it is the posterior mean. β is a quadratic in the features — for
// the acquisition, a QUBO.

/// A quadratic function of real features:
/// `offset + Σ_i linear_i φ_i + Σ_{i<j} pairs[i][j − i − 1] φ_i φ_j`.
public struct FeatureQuadratic: Sendable {
  /// The constant.
  public var offset: Double
  /// The linear coefficients.
  public var linear: [Double]
  /// The pairwise coefficients, upper triangle row by row.
  public var pairs: [[Double]]

  /// The coefficient of `φ_i φ_j`, `i ≠ j`.
  public func pair(_ i: Int, _ j: Int) -> Double {
    i < j ? pairs[i][j - i - 1] : pairs[j][i - j - 1]
  }

  /// The value at the sparse feature row `row` of (feature, value).
  public func predict(_ row: [(Int, Double)]) -> Double {
    var f = offset
    for (a, (i, x)) in row.enumerated() {
      f += linear[i] * x
      for (j, y) in row[(a + 1)...] where i != j { f += pair(i, j) * x * y }
    }
    return f
  }
}

/// Fits the Bayesian quadratic regression of the file comment and returns
/// a posterior draw (Thompson sampling) or the posterior mean.
public struct QuadraticRegression: Sendable {
  /// Return a posterior draw (`true`, the default) or the posterior mean.
  public var thompson: Bool
  /// When set (and `thompson` is off), a posterior draw is returned when
  /// the fit's leave-one-out rank correlation with the losses is below
  /// this, the mean otherwise (HeldOutFit.swift).
  public var thompsonBelow: Double?

  /// A Bayesian quadratic regression; a posterior draw by default.
  public init(thompson: Bool = true, thompsonBelow: Double? = nil) {
    self.thompson = thompson
    self.thompsonBelow = thompsonBelow
  }

  /// `bqr-switch`'s threshold: a posterior draw when the held-out rank
  /// correlation is below 0.5.
  public static let switchCorrelation = 0.5

  /// The rank correlation of the leave-one-out means with the
  /// (standardised) losses, for the Cholesky factor of the chosen fit.
  func heldOutCorrelation(_ chol: [[Double]], _ y: [Double]) -> Double {
    rankCorrelation(leaveOneOutMeans(chol, y), y)
  }

  /// The prior scales tried, as (a², b², σ²) on standardised losses; the
  /// one with the highest evidence is used.
  static let grid: [(Double, Double, Double)] = grid(noises: [1e-4, 1e-2, 0.1])

  /// The grid offered when the space has continuous parameters: two more
  /// noise levels, 10⁻⁸ and 10⁻⁶, and a prior scale of 10 besides 0.1 and
  /// 1. With σ² ≥ 10⁻⁴ the model could not tell apart losses within about
  /// 1 % of their spread, and with scales ≤ 1 it shrank away a minimum
  /// sharper than the bowl around it (the ripple of the smooth benchmark,
  /// where it stalled; issue 17, fourth round, docs/tuning.md). Spaces
  /// without them keep `grid`.
  static let fineGrid: [(Double, Double, Double)] = grid(
    noises: [1e-8, 1e-6, 1e-4, 1e-2, 0.1], scales: [0.1, 1.0, 10.0])

  static func grid(noises: [Double], scales: [Double] = [0.1, 1.0])
    -> [(Double, Double, Double)]
  {
    var g: [(Double, Double, Double)] = []
    for a in scales {
      for ratio in [0.01, 0.1, 1.0] {
        for noise in noises { g.append((a, a * ratio, noise)) }
      }
    }
    return g
  }

  /// A posterior draw (or the mean) of the quadratic given `losses` at the
  /// feature rows `rows` over `features` features; `nil` without rows.
  /// `noiseScale`, when given, multiplies the noise variance of each row
  /// (≥ 1: a row the model need not follow as closely). `fine`: the
  /// evidence may also choose the noise levels of `fineGrid`.
  public func fit(
    rows: [[(Int, Double)]], features f: Int, losses: [Double], seed: UInt64,
    noiseScale: [Double]? = nil, fine: Bool = false
  ) -> FeatureQuadratic? {
    fitRanked(
      rows: rows, features: f, losses: losses, seed: seed, noiseScale: noiseScale, fine: fine,
      heldOut: false)?.quadratic
  }

  /// `fit`, with the chosen fit's leave-one-out rank correlation with the
  /// losses (HeldOutFit.swift) when `heldOut` is set and there are at
  /// least three rows (`nil` otherwise).
  ///
  /// `residual` (the observations' configurations; issue 17, seventh
  /// round): the evidence may add a local term `h exp(−θ d_H / p)` to the
  /// kernel (HammingResidual.swift), whose share of the posterior mean is
  /// returned as `residual`; with the posterior mean only. `cubic` (bit
  /// features only, 0 or 1): the evidence may add a term of higher order
  /// (CubicTerm.swift: every triple of bits, or of spins, or triples and
  /// quadruples of spins), whose share of the mean is returned as
  /// `cubic`, one weight per row. `spread` (issue 17, ninth round): also
  /// the posterior's standard deviation (PosteriorSpread.swift), for the
  /// mean of the quadratic kernel alone (`nil` otherwise).
  public func fitRanked(
    rows: [[(Int, Double)]], features f: Int, losses: [Double], seed: UInt64,
    noiseScale: [Double]? = nil, fine: Bool = false, heldOut: Bool,
    residual configurations: [[Int]]? = nil, cubic: HigherOrder? = nil, spread: Bool = false
  ) -> (
    quadratic: FeatureQuadratic, heldOut: Double?, residual: HammingResidual?, cubic: [Double]?,
    spread: PosteriorSpread?
  )? {
    let n = rows.count
    guard n > 0, f > 0 else { return nil }
    var rng = Xoshiro256PlusPlus(seed: seed)
    let (mean, scale) = standardization(losses)
    let y = losses.map { ($0 - mean) / scale }
    // Gram matrices of the linear and the pairwise features, row-major
    // n × n (FlatCholesky.swift: flat buffers, the same sums in the same
    // order as on nested arrays).
    var dense = [Double](repeating: 0, count: n * f)
    for (q, r) in rows.enumerated() {
      for (i, v) in r { dense[q * f + i] += v }
    }
    var g1 = [Double](repeating: 0, count: n * n)
    var g2 = g1
    for r in 0..<n {
      for q in r..<n {
        var s = 0.0
        var d = 0.0
        for (i, v) in rows[r] {
          let w = dense[q * f + i]
          s += v * w
          d += v * v * w * w
        }
        g1[r * n + q] = s
        g1[q * n + r] = s
        g2[r * n + q] = (s * s - d) / 2
        g2[q * n + r] = g2[r * n + q]
      }
    }
    let c2 = 1.0
    // The quadratic kernel between rows r and q with scales a and b, and
    // row r's noise variance at level `noise`.
    func quadratic(_ r: Int, _ q: Int, _ a: Double, _ b: Double) -> Double {
      c2 + a * g1[r * n + q] + b * g2[r * n + q]
    }
    func rowNoise(_ r: Int, _ noise: Double) -> Double { noise * (noiseScale?[r] ?? 1) }
    var best: (evidence: Double, a: Double, b: Double, noise: Double, chol: [Double])?
    var k = [Double](repeating: 0, count: n * n)
    for (a, b, noise) in fine ? Self.fineGrid : Self.grid {
      // The factor reads the lower triangle only.
      for r in 0..<n {
        for q in 0...r { k[r * n + q] = quadratic(r, q, a, b) }
        k[r * n + r] += rowNoise(r, noise)
      }
      guard let evidence = factoredEvidence(&k, n, y)?.evidence else { continue }
      if best.map({ evidence > $0.evidence }) ?? true { best = (evidence, a, b, noise, k) }
    }
    guard var h = best else { return nil }
    var local: (height: Double, decay: Double)?
    if let configurations, !thompson, thompsonBelow == nil,
      let better = HammingResidual.search(
        configurations: configurations, y: y, base: h.evidence,
        kernel: { r, q in quadratic(r, q, h.a, h.b) }, noise: { r in rowNoise(r, h.noise) })
    {
      local = (better.height, better.decay)
      h.evidence = better.evidence
      h.chol = better.chol
    }
    var cubicHeight: Double?
    if let cubic, !thompson, thompsonBelow == nil {
      for c in CubicTerm.heights.map({ $0 * h.b }) {
        for r in 0..<n {
          for q in 0...r {
            let s = g1[r * n + q]
            let bitDistance = g1[r * n + r] + g1[q * n + q] - 2 * s
            let t = cubic.kernel(common: s, distance: bitDistance, bits: Double(f))
            k[r * n + q] = quadratic(r, q, h.a, h.b) + c * t
          }
          k[r * n + r] += rowNoise(r, h.noise)
        }
        guard let evidence = factoredEvidence(&k, n, y)?.evidence else { continue }
        if evidence > h.evidence {
          h.evidence = evidence
          h.chol = k
          cubicHeight = c
        }
      }
    }
    // Matheron's rule: a prior draw (zero for the mean), corrected by the data.
    var out = FeatureQuadratic(
      offset: 0, linear: [Double](repeating: 0, count: f),
      pairs: (0..<f).map { [Double](repeating: 0, count: f - $0 - 1) })
    var residual = y
    var draw = thompson
    let ranked = (heldOut || (!draw && thompsonBelow != nil)) && n >= 3
    let correlation = ranked ? heldOutCorrelation(nestedLower(h.chol, n), y) : nil
    if !draw, let threshold = thompsonBelow, let c = correlation {
      draw = c < threshold
    }
    if draw {
      out.offset = c2.squareRoot() * gaussian(&rng)
      for i in 0..<f { out.linear[i] = h.a.squareRoot() * gaussian(&rng) }
      let sb = h.b.squareRoot()
      for i in 0..<f {
        for j in out.pairs[i].indices { out.pairs[i][j] = sb * gaussian(&rng) }
      }
      for r in 0..<n {
        let prior = out.predict(rows[r])
        residual[r] -= prior + rowNoise(r, h.noise).squareRoot() * gaussian(&rng)
      }
    }
    let alpha = solveFlat(h.chol, n, residual)
    // The pairwise sums go to a flat f × f upper triangle first (each
    // coefficient receives the same terms in the same order), then into
    // `pairs`.
    var pairSums = [Double](repeating: 0, count: f * f)
    for i in 0..<f {
      for j in out.pairs[i].indices { pairSums[i * f + i + 1 + j] = out.pairs[i][j] }
    }
    for r in 0..<n {
      let w = alpha[r]
      out.offset += c2 * w
      for (i, v) in rows[r] { out.linear[i] += h.a * w * v }
      let row = rows[r]
      for s in row.indices {
        let (i, v) = row[s]
        for t in (s + 1)..<row.count {
          let (j, u) = row[t]
          guard i != j else { continue }
          let (lo, hi) = i < j ? (i, j) : (j, i)
          pairSums[lo * f + hi] += h.b * w * v * u
        }
      }
    }
    for i in 0..<f {
      for j in out.pairs[i].indices { out.pairs[i][j] = pairSums[i * f + i + 1 + j] }
    }
    // Back to loss units.
    out.offset = mean + scale * out.offset
    for i in 0..<f {
      out.linear[i] *= scale
      for j in out.pairs[i].indices { out.pairs[i][j] *= scale }
    }
    let residualTerm = local.map { l in
      HammingResidual(decay: l.decay, weights: alpha.map { scale * l.height * $0 })
    }
    let cubicWeights = cubicHeight.map { c in alpha.map { scale * c * $0 } }
    // The posterior spread of the quadratic kernel alone (not with a local
    // or cubic term the evidence added, nor for a draw).
    let posterior =
      spread && !draw && local == nil && cubicHeight == nil
      ? PosteriorSpread(
        dense: dense, n: n, f: f, c2: c2, a: h.a, b: h.b, chol: h.chol, scale: scale)
      : nil
    return (out, correlation, residualTerm, cubicWeights, posterior)
  }
}

/// The lower Cholesky factor of a symmetric matrix, `nil` when it is not
/// positive definite.
func cholesky(_ a: [[Double]]) -> [[Double]]? {
  let n = a.count
  var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
  for i in 0..<n {
    for j in 0...i {
      var s = a[i][j]
      for k in 0..<j { s -= l[i][k] * l[j][k] }
      if i == j {
        guard s > 0 else { return nil }
        l[i][i] = s.squareRoot()
      } else {
        l[i][j] = s / l[j][j]
      }
    }
  }
  return l
}

/// The solution of `L Lᵀ x = b` for a lower Cholesky factor `L`.
func solve(_ l: [[Double]], _ b: [Double]) -> [Double] {
  let n = b.count
  var z = b
  for i in 0..<n {
    for k in 0..<i { z[i] -= l[i][k] * z[k] }
    z[i] /= l[i][i]
  }
  for i in stride(from: n - 1, through: 0, by: -1) {
    for k in (i + 1)..<n { z[i] -= l[k][i] * z[k] }
    z[i] /= l[i][i]
  }
  return z
}
