import Annealing
import Foundation

// BOCS (Baptista & Poloczek, "Bayesian Optimization of Combinatorial
// Structures", ICML 2018): Bayesian linear regression of the loss on the
// bits and their pairwise products,
//
//     y = Σ_t β_t φ_t(x) + ε,   φ = (x_i) ∪ (x_i x_j, i<j),   ε ~ N(0, σ²),
//
// with the horseshoe sparsity prior β_t ~ N(0, σ² τ² λ_t²), λ_t, τ ~ C⁺(0,1).
// One Gibbs chain (auxiliary inverse-gamma form of Makalic & Schmidt, "A
// simple sampler for the horseshoe estimator", IEEE SPL 23, 2016) runs
// `gibbsSteps` sweeps; its last β is the Thompson sample, a quadratic in the
// bits, which is the acquisition QUBO.
//
// β given the rest is Gaussian; with fewer observations n than features p it
// is drawn by the O(n²p) method of Bhattacharya, Chakraborty & Mallick
// (Biometrika 103, 2016), otherwise through the Cholesky factor of the
// p×p precision matrix. Losses are standardised first (BOCS also centres
// them); product features that are zero on every observation (two bits of
// one one-hot group) are left out, so their coefficient is 0.

/// A BOCS-style Bayesian quadratic model with a horseshoe prior, fitted by
/// Gibbs sampling; `fit` returns one posterior draw (Thompson sampling).
public struct BayesianQuadratic: Sendable {
  /// Gibbs sweeps before the draw that is returned.
  public var gibbsSteps: Int

  /// A BOCS model; default 100 Gibbs sweeps.
  public init(gibbsSteps: Int = 100) {
    self.gibbsSteps = gibbsSteps
  }

  /// One posterior draw of the coefficients given `losses` at `bits`, in
  /// loss units.
  public func fit(bits: [[Int8]], losses: [Double], seed: UInt64) -> QuadraticSurrogate {
    let nb = bits.first?.count ?? 0
    var out = QuadraticSurrogate(bits: nb)
    guard !bits.isEmpty, nb > 0 else { return out }
    let (mean, scale) = standardization(losses)
    let y = losses.map { ($0 - mean) / scale }
    // Features that are non-zero somewhere.
    var features: [(Int, Int)] = []
    for i in 0..<nb where bits.contains(where: { $0[i] != 0 }) {
      features.append((i, i))
    }
    for i in 0..<nb {
      for j in (i + 1)..<nb where bits.contains(where: { $0[i] != 0 && $0[j] != 0 }) {
        features.append((i, j))
      }
    }
    let n = bits.count
    let p = features.count
    out.offset = mean
    guard p > 0 else { return out }
    // Features are products of bits, so each row is the set of its active
    // (value 1) features; every product below runs over those sets.
    let active: [[Int]] = bits.map { row in
      features.indices.filter { row[features[$0].0] != 0 && row[features[$0].1] != 0 }
    }
    var rng = Xoshiro256PlusPlus(seed: seed)
    var beta = [Double](repeating: 0, count: p)
    var lambda2 = [Double](repeating: 1, count: p)
    var nu = [Double](repeating: 1, count: p)
    var tau2 = 1.0, xi = 1.0, sigma2 = 1.0
    for _ in 0..<max(1, gibbsSteps) {
      let prior = lambda2.map { clamp(sigma2 * tau2 * $0) }
      beta =
        n < p
        ? drawWide(active, y: y, p: p, prior: prior, sigma2: sigma2, rng: &rng)
        : drawTall(active, y: y, p: p, prior: prior, sigma2: sigma2, rng: &rng)
      var rss = 0.0
      for r in 0..<n {
        var f = 0.0
        for t in active[r] { f += beta[t] }
        rss += (y[r] - f) * (y[r] - f)
      }
      var shrunk = 0.0
      for t in 0..<p { shrunk += beta[t] * beta[t] / lambda2[t] }
      sigma2 = clamp(
        inverseGamma(Double(n + p) / 2, rss / 2 + shrunk / (2 * tau2), &rng))
      for t in 0..<p {
        lambda2[t] = clamp(
          inverseGamma(1, 1 / nu[t] + beta[t] * beta[t] / (2 * tau2 * sigma2), &rng))
        nu[t] = inverseGamma(1, 1 + 1 / lambda2[t], &rng)
      }
      shrunk = 0
      for t in 0..<p { shrunk += beta[t] * beta[t] / lambda2[t] }
      tau2 = clamp(inverseGamma(Double(p + 1) / 2, 1 / xi + shrunk / (2 * sigma2), &rng))
      xi = inverseGamma(1, 1 + 1 / tau2, &rng)
    }
    for (t, (i, j)) in features.enumerated() {
      if i == j {
        out.linear[i] = scale * beta[t]
      } else {
        out.pairs[i][j - i - 1] = scale * beta[t]
      }
    }
    return out
  }
}

/// A draw of β ~ N(A⁻¹Φᵀα, A⁻¹) when features outnumber observations.
///
/// A = ΦᵀΦ + D⁻¹, Φ = X/σ, α = y/σ, by Bhattacharya et al.: u ~ N(0, D),
/// δ ~ N(0, I), v = Φu + δ, w = (ΦDΦᵀ + I)⁻¹(α − v), β = u + DΦᵀw. Rows of
/// X are 0/1, given as their active features.
private func drawWide<G: RandomNumberGenerator>(
  _ active: [[Int]], y: [Double], p: Int, prior d: [Double], sigma2: Double, rng: inout G
) -> [Double] {
  let n = active.count
  let s = 1 / sigma2.squareRoot()
  let u = (0..<p).map { d[$0].squareRoot() * gaussian(&rng) }
  var rhs = [Double](repeating: 0, count: n)
  for r in 0..<n {
    var v = gaussian(&rng)
    for t in active[r] { v += s * u[t] }
    rhs[r] = s * y[r] - v
  }
  // (XDXᵀ)_ab = Σ_{t active in both rows} d_t: mark row a's features once.
  var m = [Double](repeating: 0, count: n * n)
  var mark = [Double](repeating: 0, count: p)
  for a in 0..<n {
    for t in active[a] { mark[t] = d[t] }
    for b in a..<n {
      var acc = 0.0
      for t in active[b] { acc += mark[t] }
      m[a * n + b] = s * s * acc + (a == b ? 1 : 0)
      m[b * n + a] = m[a * n + b]
    }
    for t in active[a] { mark[t] = 0 }
  }
  let w = choleskySolve(&m, rhs, n)
  var beta = u
  for r in 0..<n {
    for t in active[r] { beta[t] += d[t] * s * w[r] }
  }
  return beta
}

/// β ~ N(A⁻¹Xᵀy/σ², A⁻¹), A = XᵀX/σ² + D⁻¹, through A = LLᵀ.
private func drawTall<G: RandomNumberGenerator>(
  _ active: [[Int]], y: [Double], p: Int, prior d: [Double], sigma2: Double, rng: inout G
) -> [Double] {
  var a = [Double](repeating: 0, count: p * p)
  var b = [Double](repeating: 0, count: p)
  for (r, row) in active.enumerated() {
    for t in row {
      b[t] += y[r] / sigma2
      for u in row where u >= t { a[t * p + u] += 1 / sigma2 }
    }
  }
  for t in 0..<p {
    a[t * p + t] += 1 / d[t]
    for u in (t + 1)..<p { a[u * p + t] = a[t * p + u] }
  }
  let mean = choleskySolve(&a, b, p)
  // a now holds L (lower); solve Lᵀ z' = z for the noise.
  var z = (0..<p).map { _ in gaussian(&rng) }
  for t in stride(from: p - 1, through: 0, by: -1) {
    var acc = z[t]
    for u in (t + 1)..<p { acc -= a[u * p + t] * z[u] }
    z[t] = acc / a[t * p + t]
  }
  return zip(mean, z).map(+)
}

/// Solves `M w = b` for symmetric positive definite `M` (n×n, row-major).
///
/// Leaves the Cholesky factor L in the lower triangle of `m`. A tiny jitter
/// keeps a numerically singular matrix factorable.
func choleskySolve(_ m: inout [Double], _ b: [Double], _ n: Int) -> [Double] {
  for j in 0..<n {
    var diag = m[j * n + j]
    for k in 0..<j { diag -= m[j * n + k] * m[j * n + k] }
    let l = max(diag, 1e-12).squareRoot()
    m[j * n + j] = l
    for i in (j + 1)..<n {
      var acc = m[i * n + j]
      for k in 0..<j { acc -= m[i * n + k] * m[j * n + k] }
      m[i * n + j] = acc / l
    }
  }
  var z = b
  for i in 0..<n {
    var acc = z[i]
    for k in 0..<i { acc -= m[i * n + k] * z[k] }
    z[i] = acc / m[i * n + i]
  }
  for i in stride(from: n - 1, through: 0, by: -1) {
    var acc = z[i]
    for k in (i + 1)..<n { acc -= m[k * n + i] * z[k] }
    z[i] = acc / m[i * n + i]
  }
  return z
}

private func clamp(_ v: Double) -> Double { min(max(v, 1e-10), 1e10) }

/// A draw of IG(shape, scale): `scale / Gamma(shape, 1)`.
func inverseGamma<G: RandomNumberGenerator>(_ shape: Double, _ scale: Double, _ rng: inout G)
  -> Double
{
  scale / max(gammaDraw(shape, &rng), 1e-300)
}

/// A Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shape < 1 by boosting).
func gammaDraw<G: RandomNumberGenerator>(_ shape: Double, _ rng: inout G) -> Double {
  if shape < 1 {
    let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
    return gammaDraw(shape + 1, &rng) * Foundation.pow(u, 1 / shape)
  }
  let d = shape - 1.0 / 3
  let c = 1 / (9 * d).squareRoot()
  while true {
    var z = 0.0
    var v = 0.0
    repeat {
      z = gaussian(&rng)
      v = 1 + c * z
    } while v <= 0
    v = v * v * v
    let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
    if Foundation.log(u) < 0.5 * z * z + d - d * v + d * Foundation.log(v) { return d * v }
  }
}
