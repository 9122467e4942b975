import Foundation

// A Gaussian process over configurations with a weighted Hamming kernel,
// its weights fitted by the marginal likelihood (issue 17; it ranks the
// default's neighbourhoods when its evidence beats the fixed kernel's,
// `surrogate: {model: hamming-ard}`, since the seventeenth round).
//
// Why: with the fixed kernel exp(−8 d_H / p) the neighbourhood search
// (NeighbourhoodEI.swift) trails Optuna's GP by the mean on cubic 24. GP
// fits a lengthscale per parameter (ARD). In the thirteenth round a weight
// per parameter under a prior of width 1.5 moved cubic 24 (−0.34 ± 0.46 in
// Swift) but lost LABS 40–60 beyond noise, and was reverted (851d128).
// The sixteenth round's prototype narrowed the prior to width 0.75: LABS
// 40–60 level with the fixed kernel, cubic 24 −0.26 ± 0.34
// (docs/tuning.md); in Swift it lost LABS 40–60 again, and the two runs
// proved to be one search (seventeenth round): a weight per parameter pays
// on some problems and not on others. So the data decide, at every
// proposal, by the evidence (`evidenceGain`, below): on LABS 40–60 the
// fixed kernel almost always wins, on cubic 24 the weights from about 45
// observations.
//
// The model, in the standardised losses y:
//
//     k(x, x') = s exp(−Σ_k w_k [x_k ≠ x'_k]),   y = f + ε,  ε ~ N(0, σ²),
//
// with θ = (log w_1 … log w_p, log s, log(σ² − 10⁻⁶)) at the maximum of
// the log marginal likelihood plus a weak prior — log w_k ~ N(log(8/p),
// 0.75²) (centred on the fixed kernel's decay), s ~ Gamma(2, 1), σ² ~
// Gamma(1.1, 30) (Optuna's priors for the scale and noise, their log
// densities added to the objective in the log parameters, as Optuna does:
// as densities over θ — what the evidence integrates — they are
// s ~ Exp(1) and σ² ~ Gamma(0.1, 30) on the box). With W =
// ααᵀ − K⁻¹, α = K⁻¹y, the gradient of the log likelihood is
// ½ Σ_ab W_ab ∂K_ab/∂θ:
//   ∂/∂ log w_k: −w_k Σ_{a<b} W_ab K_ab [x_ak ≠ x_bk]   (off the diagonal),
//   ∂/∂ log s:   ½ Σ_ab W_ab K_ab (noise excluded),
//   ∂/∂ raw σ²:  ½ tr W (σ² − 10⁻⁶).
// The maximiser is a projected L-BFGS (memory 8, backtracking to Armijo's
// condition), at most `steps` iterations from w_k = 8/p, s = 1, σ² = 10⁻²,
// each log parameter within [−12, 5]. The sampler keeps no state between
// proposals, so every fit starts there: the same history gives the same
// fit.
//
// Cost per evaluation of the objective: O(m² p) for the distances and the
// weights' gradient, O(m³) for the factor and K⁻¹, with m ≤ `fitLimit` =
// 100 the latest observations the parameters are fitted on (the posterior
// conditions on all n): at 256 bits and 300 observations the fit on all
// of them would cost seconds per proposal.

/// A Gaussian process with the kernel `s exp(−Σ_k w_k [x_k ≠ x'_k])`, the
/// weights `w`, scale `s` and noise fitted by the marginal likelihood with
/// a weak prior.
struct WeightedHamming {
  /// The prior's centre for each weight, in units of `1/p`.
  static let decay = 8.0
  /// The prior's standard deviation of `log w_k` (1.5 lost LABS 40–60).
  static let priorWidth = 0.75
  /// The smallest noise variance.
  static let minimumNoise = 1e-6
  /// `log ∫ σ²^0.1 exp(−30 σ²) dr` over the fit's box `r ∈ [−12, 5]`,
  /// `σ² = 10⁻⁶ + e^r`: the noise prior's normalising constant (by
  /// adaptive quadrature, 3.763873; `theNoisePriorIntegratesToOne` checks
  /// it). Γ(0.1)/30^0.1, the whole line's, would be 0.59 larger.
  static let logNoiseNormaliser = 1.3254485339500022
  /// The most L-BFGS iterations of one fit.
  static let steps = 20
  /// The most observations the parameters are fitted on (the latest).
  static let fitLimit = 100
  /// The most parameters a weight each is fitted for: the evidence's
  /// Hessian costs 2(p + 2) gradients of O(m³ + m² p), about a second per
  /// proposal at 256 parameters; above, the fixed kernel ranks.
  static let parameterLimit = 64

  /// The configurations fitted (full indices).
  let configurations: [[Int]]
  /// The weight of a change of each parameter.
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
  /// The log posterior density (marginal likelihood of every observation
  /// and prior, without constants) at the fitted parameters.
  let logPosterior: Double
  /// The log Bayes factor of the fitted kernel against the fixed
  /// `exp(−8 d_H / p)` with noise 10⁻⁴ on the observations fitted: the
  /// Laplace approximation of the fitted kernel's evidence minus the fixed
  /// kernel's exact evidence (`Objective.laplaceEvidence`). Positive when
  /// the data support a weight per parameter.
  let evidenceGain: Double

  /// The process fitted to `configurations` and `losses`; `nil` with fewer
  /// than two observations or when no kernel matrix factors.
  init?(
    configurations: [[Int]], losses: [Double], steps: Int = Self.steps,
    fitLimit: Int = Self.fitLimit
  ) {
    let n = configurations.count
    guard n >= 2, losses.count == n, let p = configurations.first?.count, p > 0 else {
      return nil
    }
    let standardised = StandardisedLosses(losses)
    let (ybar, sd, y) = (standardised.mean, standardised.scale, standardised.y)
    // The parameters from the latest `fitLimit` observations (O(m² p + m³)
    // per step whatever n), the posterior from all of them.
    let m = max(2, min(n, fitLimit))
    let objective = Objective(
      configurations: Array(configurations.suffix(m)), y: Array(y.suffix(m)))
    let start =
      [Double](repeating: log(Self.decay / Double(p)), count: p) + [0, log(1e-2)]
    let theta = minimiseProjected(start, lower: -12, upper: 5, steps: steps) {
      objective.value($0)
    }
    let all = m == n ? objective : Objective(configurations: configurations, y: y)
    guard let fit = all.factored(theta),
      let laplace = objective.laplaceEvidence(theta),
      let fixed = objective.fixedEvidence()
    else { return nil }
    evidenceGain = laplace - fixed
    self.configurations = configurations
    weights = theta.prefix(p).map { exp($0) }
    signal = exp(theta[p])
    noise = Self.minimumNoise + exp(theta[p + 1])
    alpha = fit.alpha
    factor = fit.factor
    mean = ybar
    scale = sd
    logPosterior = -fit.value
  }

  /// `base` with its observations replaced by `configurations` and its
  /// solved weights and factor by `alpha` and `factor` (the kriging
  /// believer's pseudo-observations: the fitted parameters, the
  /// standardisation and the evidence stay `base`'s).
  init(conditioned base: WeightedHamming, configurations: [[Int]], alpha: [Double], factor: [Double]) {
    self.configurations = configurations
    weights = base.weights
    signal = base.signal
    noise = base.noise
    self.alpha = alpha
    self.factor = factor
    mean = base.mean
    scale = base.scale
    logPosterior = base.logPosterior
    evidenceGain = base.evidenceGain
  }

  /// The weighted distance `Σ_k weights[k] [a_k ≠ b_k]`.
  func distance(_ a: [Int], _ b: [Int]) -> Double {
    var d = 0.0
    for k in a.indices where a[k] != b[k] { d += weights[k] }
    return d
  }

  /// The negative log posterior of θ and its parts, over one history.
  struct Objective {
    let n: Int
    let p: Int
    let y: [Double]
    /// `[x_ak ≠ x_bk]` for each pair a < b (row-major by pair, then k).
    let mismatch: [UInt8]

    init(configurations: [[Int]], y: [Double]) {
      n = configurations.count
      p = configurations[0].count
      self.y = y
      var m = [UInt8](repeating: 0, count: n * (n - 1) / 2 * p)
      var at = 0
      for a in 0..<n {
        for b in (a + 1)..<n {
          for k in 0..<p where configurations[a][k] != configurations[b][k] { m[at + k] = 1 }
          at += p
        }
      }
      mismatch = m
    }

    /// The kernel matrix `K + σ² I` at θ (flat, both triangles).
    func kernel(_ theta: [Double]) -> [Double] {
      let w = theta.prefix(p).map { exp($0) }
      let s = exp(theta[p])
      let noise = WeightedHamming.minimumNoise + exp(theta[p + 1])
      var k = [Double](repeating: 0, count: n * n)
      mismatch.withUnsafeBufferPointer { m in
        var at = 0
        for a in 0..<n {
          k[a * n + a] = s + noise
          for b in (a + 1)..<n {
            var d = 0.0
            for j in 0..<p { d += Double(m[at + j]) * w[j] }
            let v = s * exp(-d)
            k[a * n + b] = v
            k[b * n + a] = v
            at += p
          }
        }
      }
      return k
    }

    /// The negative log posterior at θ, with `α` and the factor; `nil` when
    /// the kernel matrix does not factor.
    func factored(_ theta: [Double]) -> (value: Double, alpha: [Double], factor: [Double])? {
      var k = kernel(theta)
      guard let (evidence, alpha) = factoredEvidence(&k, n, y) else { return nil }
      return (-evidence - logPrior(theta), alpha, k)
    }

    /// The log evidence of `y` under the fixed kernel `exp(−8 d_H / p)`
    /// with noise 10⁻⁴ (the default's), without the −n/2 log 2π every
    /// model shares; `nil` when its matrix does not factor.
    func fixedEvidence() -> Double? {
      let theta =
        [Double](repeating: log(WeightedHamming.decay / Double(p)), count: p)
        + [0, log(NeighbourhoodEI.noise - WeightedHamming.minimumNoise)]
      var k = kernel(theta)
      return factoredEvidence(&k, n, y)?.evidence
    }

    /// The Laplace approximation of the log evidence of `y` with θ
    /// integrated out, around the fit `theta`, without the −n/2 log 2π:
    /// `log p(y | θ) + log p(θ) + (d/2) log 2π − ½ log det H`, H the
    /// Hessian of the negative log posterior (forward differences of the
    /// analytic gradient, step 10⁻⁴, symmetrised; its eigenvalues at least
    /// 10⁻⁸) and
    /// the priors normalised on the fit's box — `log w_k ~ N(log(8/p),
    /// 0.75²)`; the scale's `log s − s` over `log s` integrates to 1; the
    /// noise's `0.1 log σ² − 30 σ²` to `exp(logNoiseNormaliser)`. A weight the
    /// data leave at its prior costs nothing; one they pin down costs its
    /// Occam factor (MacKay 1992; issue 17, seventeenth round). `nil` when
    /// the kernel matrix does not factor at `theta`.
    func laplaceEvidence(_ theta: [Double]) -> Double? {
      let d = theta.count
      let (at, g0) = value(theta)
      guard at.isFinite else { return nil }
      let h = 1e-4
      var hessian = [Double](repeating: 0, count: d * d)
      for i in 0..<d {
        var up = theta
        up[i] += h
        let (fu, gu) = value(up)
        guard fu.isFinite else { return nil }
        for j in 0..<d { hessian[i * d + j] = (gu[j] - g0[j]) / h }
      }
      for i in 0..<d {
        for j in 0..<i {
          let v = 0.5 * (hessian[i * d + j] + hessian[j * d + i])
          hessian[i * d + j] = v
          hessian[j * d + i] = v
        }
      }
      let logDet = symmetricEigenvalues(hessian, d).reduce(0) { $0 + log(max($1, 1e-8)) }
      let width = WeightedHamming.priorWidth
      let normalisation =
        -Double(p) * 0.5 * log(2 * Double.pi * width * width) - WeightedHamming.logNoiseNormaliser
      return -at + normalisation + 0.5 * Double(d) * log(2 * Double.pi) - 0.5 * logDet
    }

    /// The log prior density of θ (without constants).
    func logPrior(_ theta: [Double]) -> Double {
      let centre = log(WeightedHamming.decay / Double(p))
      let width2 = WeightedHamming.priorWidth * WeightedHamming.priorWidth
      var out = 0.0
      for j in 0..<p { out -= 0.5 * (theta[j] - centre) * (theta[j] - centre) / width2 }
      let s = exp(theta[p])
      let noise = WeightedHamming.minimumNoise + exp(theta[p + 1])
      out += log(s) - s
      out += 0.1 * log(noise) - 30 * noise
      return out
    }

    /// The negative log posterior at θ and its gradient; `+∞` where the
    /// kernel matrix does not factor.
    func value(_ theta: [Double]) -> (value: Double, gradient: [Double]) {
      var gradient = [Double](repeating: 0, count: p + 2)
      let kernel = kernel(theta)
      var l = kernel
      guard let (evidence, alpha) = factoredEvidence(&l, n, y) else {
        return (.infinity, gradient)
      }
      // W = ααᵀ − K⁻¹.
      var w = inverseFromFactor(l, n)
      for r in 0..<n {
        for c in 0..<n { w[r * n + c] = alpha[r] * alpha[c] - w[r * n + c] }
      }
      let noise = WeightedHamming.minimumNoise + exp(theta[p + 1])
      var traceW = 0.0
      var signalSum = 0.0
      mismatch.withUnsafeBufferPointer { m in
        gradient.withUnsafeMutableBufferPointer { g in
          var at = 0
          for a in 0..<n {
            traceW += w[a * n + a]
            signalSum += w[a * n + a] * (kernel[a * n + a] - noise)
            for b in (a + 1)..<n {
              let t = w[a * n + b] * kernel[a * n + b]
              signalSum += 2 * t
              // d(−log L)/dw_j = Σ_{a<b} W_ab K_ab [x_aj ≠ x_bj].
              for j in 0..<p { g[j] += t * Double(m[at + j]) }
              at += p
            }
          }
        }
      }
      let centre = log(WeightedHamming.decay / Double(p))
      let width2 = WeightedHamming.priorWidth * WeightedHamming.priorWidth
      for j in 0..<p {
        gradient[j] = gradient[j] * exp(theta[j]) + (theta[j] - centre) / width2
      }
      let s = exp(theta[p])
      gradient[p] = -0.5 * signalSum - (1 - s)
      let excess = noise - WeightedHamming.minimumNoise
      gradient[p + 1] = -0.5 * traceW * excess - (0.1 / noise - 30) * excess
      return (-evidence - logPrior(theta), gradient)
    }
  }
}

/// The eigenvalues of the symmetric `d × d` matrix `a` (flat, row-major),
/// by cyclic Jacobi rotations until the off-diagonal mass is below 10⁻²⁴
/// of the whole (at most 50 sweeps); unordered.
func symmetricEigenvalues(_ a: [Double], _ d: Int) -> [Double] {
  var m = a
  for _ in 0..<50 {
    var off = 0.0
    var total = 0.0
    for i in 0..<d {
      for j in 0..<d {
        total += m[i * d + j] * m[i * d + j]
        if i != j { off += m[i * d + j] * m[i * d + j] }
      }
    }
    if off <= 1e-24 * total { break }
    for p in 0..<d {
      for q in (p + 1)..<d where m[p * d + q] != 0 {
        // The rotation that zeroes m[p][q] (Golub and Van Loan, 8.5.2).
        let tau = (m[q * d + q] - m[p * d + p]) / (2 * m[p * d + q])
        let t = (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
        let c = 1 / (1 + t * t).squareRoot()
        let s = t * c
        for k in 0..<d {
          let kp = m[k * d + p]
          let kq = m[k * d + q]
          m[k * d + p] = c * kp - s * kq
          m[k * d + q] = s * kp + c * kq
        }
        for k in 0..<d {
          let pk = m[p * d + k]
          let qk = m[q * d + k]
          m[p * d + k] = c * pk - s * qk
          m[q * d + k] = s * pk + c * qk
        }
      }
    }
  }
  return (0..<d).map { m[$0 * d + $0] }
}
