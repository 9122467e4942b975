import Foundation

// A Gaussian process over configurations whose parameters may be ordered
// (issue 17, fourteenth round): the model of the `gp-ei` search
// (TrustRegionSampler+Ordered.swift).
//
// Why: in spaces with integers and floats the default is the Bayesian
// quadratic regression, and on the HistGradientBoosting job Optuna's GP
// was ahead beyond noise at 100 evaluations. The Python prototype
// (Benchmarks/tune_prototype_mixed.py) put Optuna GP's kernel shape under
// the neighbourhood search that wins on the boolean families
// (docs/tuning.md, fourteenth round).
//
// The model, in the standardised losses y:
//
//     k(x, x') = s m(Σ_k w_k d_k(x_k, x'_k)²),   m(q) = (1 + √(5q) + 5q/3) e^(−√(5q))
//
// (Matérn 5/2 of the weighted distance), with d_k the difference of the
// grid positions scaled to [0, 1] for an ordered parameter (a log float's
// grid is log-spaced, so this is its log scale) and [x_k ≠ x'_k] for a
// categorical one; y = f + ε, ε ~ N(0, σ²). θ = (log w_1 … log w_p,
// log s, log(σ² − 10⁻⁶)) maximises the log marginal likelihood plus
// Optuna's weak priors: −(0.1/w_k + 0.1 w_k), s ~ Gamma(2, 1), σ² ~
// Gamma(1.1, 30). With W = ααᵀ − K⁻¹, α = K⁻¹y, and q_ab the weighted
// squared distance, the gradient of −log L is
//   ∂/∂ log w_k: −w_k Σ_{a<b} W_ab s m′(q_ab) d_abk²,  m′(q) = −(5/6)(1 + √(5q)) e^(−√(5q)),
//   ∂/∂ log s:   −½ Σ_ab W_ab K_ab (noise excluded),
//   ∂/∂ raw σ²:  −½ tr W (σ² − 10⁻⁶).
// The maximiser is ProjectedLBFGS.swift's, at most `steps` iterations from
// w_k = 1, s = 1, σ² = 10⁻², each log parameter within [−12, 5], on the
// latest `fitLimit` observations (the posterior conditions on all). The
// sampler keeps no state between proposals, so the same history gives the
// same fit. For a deterministic objective (`fixedNoise`, Optuna's
// `deterministic_objective`) σ² is pinned instead of fitted: a fitted
// noise near Gamma(1.1, 30)'s mean blurs differences below about 10⁻³ of
// the losses' spread, which is where smooth 6's last gains lie
// (docs/tuning.md, fourteenth round).

/// A Gaussian process with a Matérn 5/2 kernel of per-parameter weighted
/// distances (ordered or categorical), fitted by the marginal likelihood
/// with Optuna's priors, scoring configurations by expected improvement.
struct OrderedGP {
  /// The smallest noise variance.
  static let minimumNoise = 1e-6
  /// The most L-BFGS iterations of one fit.
  static let steps = 20
  /// The most observations the parameters are fitted on (the latest).
  static let fitLimit = 100

  /// Each parameter's unit: `1 / (radix − 1)` for an ordered parameter of
  /// two or more values, 0 for a categorical one (distance 0 or 1).
  let units: [Double]
  /// The configurations conditioned on (full indices).
  let configurations: [[Int]]
  /// The weight of each parameter's squared distance.
  let weights: [Double]
  /// The kernel's scale `s`: the latent prior variance.
  let signal: Double
  /// The noise variance `σ²`.
  let noise: Double
  /// `(K + σ² I)⁻¹ y`, y the standardised losses.
  let alpha: [Double]
  /// The Cholesky factor of `K + σ² I` (flat, lower triangle).
  let factor: [Double]
  /// The losses' mean and standard deviation.
  let mean: Double
  let scale: Double
  /// The best loss, standardised.
  let target: Double

  /// The units of `space`'s parameters (see `units`).
  static func units(_ space: SearchSpace) -> [Double] {
    space.ordered.map { $0.isOrdered && $0.count > 1 ? 1 / Double($0.count - 1) : 0 }
  }

  /// The process fitted to `observed`; `nil` with fewer than two
  /// observations or when no kernel matrix factors.
  /// - Parameter fixedNoise: the noise variance for a deterministic
  ///   objective (relative to the losses' variance); `nil`: fitted.
  init?(
    observed: [(configuration: [Int], loss: Double)], units: [Double], steps: Int = Self.steps,
    fitLimit: Int = Self.fitLimit, fixedNoise: Double? = nil
  ) {
    let n = observed.count
    let p = units.count
    guard n >= 2, p > 0, observed.allSatisfy({ $0.configuration.count == p }) else {
      return nil
    }
    let losses = observed.map(\.loss)
    let configurations = observed.map(\.configuration)
    let standardised = StandardisedLosses(losses)
    let (ybar, sd, y) = (standardised.mean, standardised.scale, standardised.y)
    let m = max(2, min(n, fitLimit))
    let objective = Objective(
      configurations: Array(configurations.suffix(m)), y: Array(y.suffix(m)), units: units,
      fixedNoise: fixedNoise)
    let start = [Double](repeating: 0, count: p) + (fixedNoise == nil ? [0, log(1e-2)] : [0])
    let theta = minimiseProjected(start, lower: -12, upper: 5, steps: steps) {
      objective.value($0)
    }
    let all =
      m == n
      ? objective
      : Objective(configurations: configurations, y: y, units: units, fixedNoise: fixedNoise)
    guard let fit = all.factored(theta) else { return nil }
    self.units = units
    self.configurations = configurations
    weights = theta.prefix(p).map { exp($0) }
    signal = exp(theta[p])
    noise = all.noise(theta)
    alpha = fit.alpha
    factor = fit.factor
    mean = ybar
    scale = sd
    target = (losses.min().map { ($0 - ybar) / sd }) ?? 0
  }

  /// Matérn 5/2 of a squared distance `q`, and its derivative in `q`.
  static func matern(_ q: Double) -> (value: Double, slope: Double) {
    let r = (5 * q).squareRoot()
    let e = exp(-r)
    return ((1 + r + 5 * q / 3) * e, -5.0 / 6.0 * (1 + r) * e)
  }

  /// The squared distance of parameter `k` between index values `a`, `b`.
  static func squared(_ a: Int, _ b: Int, unit: Double) -> Double {
    if unit == 0 { return a == b ? 0 : 1 }
    let d = Double(a - b) * unit
    return d * d
  }

  /// The weighted squared distance between two configurations.
  func distance(_ a: [Int], _ b: [Int]) -> Double {
    var q = 0.0
    for k in a.indices where a[k] != b[k] {
      q += weights[k] * Self.squared(a[k], b[k], unit: units[k])
    }
    return q
  }

  /// The posterior mean (in losses) and the log expected improvement over
  /// the best loss, of configuration `x` (O(n p + n²)).
  func score(_ x: [Int]) -> (logEI: Double, mean: Double) {
    let n = alpha.count
    var row = [Double](repeating: 0, count: n)
    var mu = 0.0
    for j in 0..<n {
      row[j] = signal * Self.matern(distance(x, configurations[j])).value
      mu += alpha[j] * row[j]
    }
    forwardSolveFlat(factor, n, &row)
    var sum = 0.0
    for v in row { sum += v * v }
    let sd = max(signal - sum, 1e-12).squareRoot()
    let logEI = NeighbourhoodEI.logExpectedImprovement(mean: mu, sd: sd, best: target)
    return (logEI, mean + scale * mu)
  }

  /// The negative log posterior of θ over one history.
  struct Objective {
    let n: Int
    let p: Int
    let y: [Double]
    /// `d_abk²` for each pair a < b (row-major by pair, then k).
    let squares: [Double]
    /// The pinned noise variance, or `nil` when θ's last entry fits it.
    let fixedNoise: Double?

    init(configurations: [[Int]], y: [Double], units: [Double], fixedNoise: Double? = nil) {
      n = configurations.count
      p = units.count
      self.y = y
      self.fixedNoise = fixedNoise
      var d = [Double](repeating: 0, count: n * (n - 1) / 2 * p)
      var at = 0
      for a in 0..<n {
        for b in (a + 1)..<n {
          for k in 0..<p {
            d[at + k] = OrderedGP.squared(
              configurations[a][k], configurations[b][k], unit: units[k])
          }
          at += p
        }
      }
      squares = d
    }

    /// The noise variance at θ.
    func noise(_ theta: [Double]) -> Double {
      fixedNoise ?? OrderedGP.minimumNoise + exp(theta[p + 1])
    }

    /// The kernel matrix `K + σ² I` at θ (flat, both triangles) and each
    /// pair's `s m′(q)` (by pair, as `squares`).
    func kernel(_ theta: [Double]) -> (k: [Double], slopes: [Double]) {
      let w = theta.prefix(p).map { exp($0) }
      let s = exp(theta[p])
      let noise = self.noise(theta)
      var k = [Double](repeating: 0, count: n * n)
      var slopes = [Double](repeating: 0, count: n * (n - 1) / 2)
      squares.withUnsafeBufferPointer { d in
        var at = 0
        var pair = 0
        for a in 0..<n {
          k[a * n + a] = s + noise
          for b in (a + 1)..<n {
            var q = 0.0
            for j in 0..<p { q += d[at + j] * w[j] }
            let m = OrderedGP.matern(q)
            k[a * n + b] = s * m.value
            k[b * n + a] = s * m.value
            slopes[pair] = s * m.slope
            at += p
            pair += 1
          }
        }
      }
      return (k, slopes)
    }

    /// The negative log posterior at θ, with `α` and the factor; `nil` when
    /// the kernel matrix does not factor.
    func factored(_ theta: [Double]) -> (value: Double, alpha: [Double], factor: [Double])? {
      var k = kernel(theta).k
      guard let (evidence, alpha) = factoredEvidence(&k, n, y) else { return nil }
      return (-evidence - logPrior(theta), alpha, k)
    }

    /// The log prior density of θ (without constants).
    func logPrior(_ theta: [Double]) -> Double {
      var out = 0.0
      for j in 0..<p {
        let w = exp(theta[j])
        out -= 0.1 / w + 0.1 * w
      }
      let s = exp(theta[p])
      out += log(s) - s
      if fixedNoise == nil {
        let noise = self.noise(theta)
        out += 0.1 * log(noise) - 30 * noise
      }
      return out
    }

    /// The negative log posterior at θ and its gradient; `+∞` where the
    /// kernel matrix does not factor.
    func value(_ theta: [Double]) -> (value: Double, gradient: [Double]) {
      var gradient = [Double](repeating: 0, count: theta.count)
      let (kernel, slopes) = kernel(theta)
      var l = kernel
      guard let (evidence, alpha) = factoredEvidence(&l, n, y) else {
        return (.infinity, gradient)
      }
      // W = ααᵀ − K⁻¹, K⁻¹ column by column.
      var w = [Double](repeating: 0, count: n * n)
      var e = [Double](repeating: 0, count: n)
      for c in 0..<n {
        e[c] = 1
        let column = solveFlat(l, n, e)
        e[c] = 0
        for r in 0..<n { w[r * n + c] = alpha[r] * alpha[c] - column[r] }
      }
      let noise = self.noise(theta)
      var traceW = 0.0
      var signalSum = 0.0
      squares.withUnsafeBufferPointer { d in
        gradient.withUnsafeMutableBufferPointer { g in
          var at = 0
          var pair = 0
          for a in 0..<n {
            traceW += w[a * n + a]
            signalSum += w[a * n + a] * (kernel[a * n + a] - noise)
            for b in (a + 1)..<n {
              signalSum += 2 * w[a * n + b] * kernel[a * n + b]
              // −Σ_{a<b} W_ab s m′(q_ab) d_abj², times w_j below.
              let t = -w[a * n + b] * slopes[pair]
              for j in 0..<p { g[j] += t * d[at + j] }
              at += p
              pair += 1
            }
          }
        }
      }
      for j in 0..<p {
        let wj = exp(theta[j])
        gradient[j] = gradient[j] * wj - 0.1 / wj + 0.1 * wj
      }
      let s = exp(theta[p])
      gradient[p] = -0.5 * signalSum - (1 - s)
      if fixedNoise == nil {
        let excess = noise - OrderedGP.minimumNoise
        gradient[p + 1] = -0.5 * traceW * excess - (0.1 / noise - 30) * excess
      }
      return (-evidence - logPrior(theta), gradient)
    }
  }
}
