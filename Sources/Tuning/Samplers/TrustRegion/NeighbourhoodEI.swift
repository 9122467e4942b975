import Foundation

// Expected improvement over the neighbourhoods of every evaluated
// configuration (issue 17, twelfth round).
//
// Why: eleven rounds of models around the incumbent (a quadratic
// regression, FMs, a Hamming-kernel GP expanded to second order, trust
// regions that start small or jump) left Optuna's GP ahead on cubic 24 and
// LABS 40–60. The eleventh round's Python prototype
// (Benchmarks/tune_prototype.py) isolated what GP does differently: its
// local search starts from several good configurations, not only from the
// incumbent. A GP with the kernel exp(−θ d_H / p), θ = 8, scored by
// expected improvement over the unseen one-parameter neighbours of every
// evaluated configuration, beat GP beyond noise on LABS 20–24, LABS 40–60,
// Ising 64 and MaxSAT 60 at 100 evaluations and tied it on cubic 24; with
// the neighbours of the incumbent alone it fell back to the old default's
// regret on cubic 24 (docs/tuning.md, eleventh and twelfth rounds).
//
// Exact, and cheap where GP gets slow:
// - a neighbour z of base b (parameter k moved to v) has
//   d_H(z, x_n) = d_H(b, x_n) + [x_nk ≠ v] − [x_nk ≠ b_k], so its kernel
//   row costs O(n) from its base's distances, and the kernel takes only
//   p + 1 values, tabulated;
// - EI(μ, σ) grows with σ and the latent σ ≤ 1, so EI(μ, 1) bounds a
//   candidate's EI from its mean alone (O(n)); candidates are solved
//   (O(n²)) in the order of that bound until it falls below the `top`-th
//   exact value — the same ranking as solving every one.
// Bases are taken best loss first until `candidateLimit` candidates (every
// evaluated configuration up to 64 parameters and 100 evaluations).

// The sampler's default since issue 17's seventeenth round (`surrogate:
// {model: hamming-ard}`, `KernelChoice.byEvidence`) ranks with a weighted
// Hamming kernel s exp(−Σ_k w_k [x_k ≠ x'_k]), its weights, scale and noise
// fitted (WeightedHamming.swift), whenever the Laplace approximation of
// its evidence beats the fixed kernel's: a neighbour's distances are its
// base's changed at one parameter by ±w_k (still O(n)), and the latent
// σ² ≤ s bounds EI. The annealed reads keep the fixed kernel's mean
// (`gp`), whose second-order expansion (HammingKernel.swift) assumes one
// decay.

/// A Gaussian process with the kernel `exp(−θ d_H / p)` (θ and the noise
/// fixed), or a fitted weighted Hamming kernel, scoring candidate
/// configurations by their exact expected improvement over the best loss
/// observed.
struct NeighbourhoodEI {
  /// The kernel's decay θ per parameter changed, in units of `1/p`.
  static let decay = 8.0
  /// The noise variance, relative to the losses' variance.
  static let noise = 1e-4
  /// The most neighbours listed for one proposal.
  static let candidateLimit = 8192

  /// A configuration to score, with its distance to each observation (the
  /// number of parameters changed, or their weights' sum with a fitted
  /// kernel).
  struct Candidate {
    let configuration: [Int]
    let distances: [Double]
  }

  /// A scored candidate: its index in the list given, log EI, and the
  /// posterior mean (in the losses' units).
  struct Score {
    let index: Int
    let logEI: Double
    let mean: Double
  }

  /// The process with the fixed kernel (θ and noise); it ranks unless
  /// `fit` is set, and its mean's expansion is the annealed reads' QUBO.
  let gp: HammingKernel
  /// The process with fitted weights that ranks (`model: hamming-ard`,
  /// when the evidence prefers it to the fixed kernel).
  let fit: WeightedHamming?
  /// With `model: hamming-ard`, the fitted kernel's log Bayes factor
  /// against the fixed one (`WeightedHamming.evidenceGain`), whichever
  /// ranks; `nil` when none was fitted.
  let evidenceGain: Double?
  /// The observations' losses.
  let losses: [Double]
  /// `exp(−θ d / p)` for `d = 0…p`.
  let similarity: [Double]
  /// The best loss, standardised.
  let target: Double

  /// Which kernel ranks the candidates.
  enum KernelChoice {
    /// `exp(−θ d_H / p)`, θ and the noise fixed (`model: gp-ei`).
    case fixed
    /// The weighted Hamming kernel, fitted (up to
    /// `WeightedHamming.parameterLimit` parameters).
    case weighted
    /// The weighted kernel when its Laplace evidence beats the fixed
    /// kernel's (`WeightedHamming.evidenceGain > 0`), else the fixed one
    /// (the sampler's default, `model: hamming-ard`).
    case byEvidence
  }

  /// The process fitted to `observed`, ranking with `kernel`; `nil` with
  /// fewer than two observations or when the fixed kernel's matrix does
  /// not factor (a weighted fit that fails leaves the fixed kernel).
  init?(observed: [(configuration: [Int], loss: Double)], kernel: KernelChoice = .fixed) {
    let losses = observed.map(\.loss)
    let configurations = observed.map(\.configuration)
    guard
      let gp = HammingKernel(
        configurations: configurations, losses: losses,
        decays: [Self.decay], noises: [Self.noise])
    else { return nil }
    let p = gp.configurations[0].count
    var fit: WeightedHamming?
    var gain: Double?
    if kernel != .fixed, p <= WeightedHamming.parameterLimit,
      let f = WeightedHamming(configurations: configurations, losses: losses)
    {
      gain = f.evidenceGain
      if kernel == .weighted || f.evidenceGain > 0 { fit = f }
    }
    self.init(
      gp: gp, fit: fit, evidenceGain: gain, losses: losses,
      similarity: (0...p).map { exp(-gp.decay * Double($0) / Double(p)) })
  }

  /// A process assembled from its parts; the target is `gp`'s best loss in
  /// the ranking process's standardisation.
  init(
    gp: HammingKernel, fit: WeightedHamming?, evidenceGain: Double?, losses: [Double],
    similarity: [Double]
  ) {
    self.gp = gp
    self.fit = fit
    self.evidenceGain = evidenceGain
    self.losses = losses
    self.similarity = similarity
    target = (gp.bestLoss - (fit?.mean ?? gp.mean)) / (fit?.scale ?? gp.scale)
  }

  // The ranking process's parts.
  var configurations: [[Int]] { fit?.configurations ?? gp.configurations }
  var alpha: [Double] { fit?.alpha ?? gp.alpha }
  var factor: [Double] { fit?.factor ?? gp.factor }
  /// The latent prior variance (1 with the fixed kernel).
  var signal: Double { fit?.signal ?? 1 }
  var noiseVariance: Double { fit?.noise ?? gp.noise }
  var lossMean: Double { fit?.mean ?? gp.mean }
  var lossScale: Double { fit?.scale ?? gp.scale }

  /// The kernel at distance `d`.
  @inline(__always) func kernel(_ d: Double) -> Double {
    if let fit { return fit.signal * exp(-d) }
    return similarity[Int(d)]
  }

  /// The distance between two configurations.
  func distance(_ a: [Int], _ b: [Int]) -> Double {
    fit?.distance(a, b) ?? Double(TrustRegionSampler.distance(a, b))
  }

  /// `x` with its distances to the observations (O(n p)).
  func candidate(_ x: [Int]) -> Candidate {
    Candidate(configuration: x, distances: configurations.map { distance(x, $0) })
  }

  /// The configurations one parameter away from an observation and not in
  /// `excluded`, each once: the bases best loss first (ties in trial
  /// order), each base's parameters in order and values ascending, until
  /// `limit` are listed.
  func neighbours(radices: [Int], excluding excluded: Set<[Int]>, limit: Int) -> [Candidate] {
    let xs = configurations
    let order = xs.indices.sorted { (losses[$0], $0) < (losses[$1], $1) }
    var listed = excluded
    var out: [Candidate] = []
    for b in order {
      let base = xs[b]
      let d0 = candidate(base).distances
      for k in base.indices {
        let w = fit?.weights[k] ?? 1
        for v in 0..<radices[k] where v != base[k] {
          var z = base
          z[k] = v
          guard listed.insert(z).inserted else { continue }
          var d = d0
          for n in xs.indices {
            let c = xs[n][k]
            d[n] += w * (Double(c != v ? 1 : 0) - Double(c != base[k] ? 1 : 0))
          }
          out.append(Candidate(configuration: z, distances: d))
          if out.count >= limit { return out }
        }
      }
    }
    return out
  }

  /// The `top` candidates with the highest expected improvement, highest
  /// first (ties: the earlier in the list), each with its log EI and mean;
  /// exact (see the file comment).
  func best(_ candidates: [Candidate], top: Int) -> [Score] {
    let alpha = alpha
    let n = alpha.count
    let m = candidates.count
    guard top > 0, m > 0 else { return [] }
    var means = [Double](repeating: 0, count: m)
    for i in 0..<m {
      var mu = 0.0
      let d = candidates[i].distances
      for j in 0..<n { mu += alpha[j] * kernel(d[j]) }
      means[i] = mu
    }
    let sdBound = signal.squareRoot()
    let bound = means.map { Self.logExpectedImprovement(mean: $0, sd: sdBound, best: target) }
    let order = (0..<m).sorted { (bound[$0], $1) > (bound[$1], $0) }
    var kept: [Score] = []
    var row = [Double](repeating: 0, count: n)
    let (mean0, scale) = (lossMean, lossScale)
    for i in order {
      if kept.count == top, let last = kept.last, bound[i] < last.logEI { break }
      let d = candidates[i].distances
      for j in 0..<n { row[j] = kernel(d[j]) }
      let variance = latentVariance(&row)
      let logEI = Self.logExpectedImprovement(
        mean: means[i], sd: variance.squareRoot(), best: target)
      let score = Score(index: i, logEI: logEI, mean: mean0 + scale * means[i])
      // Insert in order (highest first, ties by index), keep `top`.
      var at = kept.count
      while at > 0, (kept[at - 1].logEI, -kept[at - 1].index) < (logEI, -i) { at -= 1 }
      guard at < top else { continue }
      kept.insert(score, at: at)
      if kept.count > top { kept.removeLast() }
    }
    return kept
  }

  /// `s − |L⁻¹ k|²` (s = 1 with the fixed kernel), at least 10⁻¹², for
  /// the kernel row `k` (overwritten).
  func latentVariance(_ k: inout [Double]) -> Double {
    let n = k.count
    var sum = 0.0
    factor.withUnsafeBufferPointer { l in
      k.withUnsafeMutableBufferPointer { z in
        guard let lb = l.baseAddress, let zb = z.baseAddress else { return }
        for i in 0..<n {
          let ri = lb + i * n
          var s = zb[i]
          for j in 0..<i { s -= ri[j] * zb[j] }
          s /= ri[i]
          zb[i] = s
          sum += s * s
        }
      }
    }
    return max(signal - sum, 1e-12)
  }

  /// log EI for a minimisation with posterior `mean` and `sd` and best
  /// value `best`: log(σ h(z)), h(z) = z Φ(z) + φ(z), z = (best − μ)/σ;
  /// below z = −6 by h's asymptotic series φ(z)/z² (1 − 3/z² + 15/z⁴), where
  /// the direct form cancels.
  static func logExpectedImprovement(mean: Double, sd: Double, best: Double) -> Double {
    let z = (best - mean) / sd
    if z > -6 {
      return log(sd) + log(max(z * normalCDF(z) + normalPDF(z), 1e-300))
    }
    let z2 = z * z
    let logPhi = -0.5 * z2 - 0.5 * log(2 * Double.pi)
    return log(sd) + logPhi - log(z2) + log(1 - 3 / z2 + 15 / (z2 * z2))
  }
}
