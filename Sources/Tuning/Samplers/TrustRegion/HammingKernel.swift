import Foundation

// A Gaussian process over configurations with a Hamming kernel, whose
// posterior mean inside the trust region is written as a QUBO by its
// second-order expansion around the incumbent (issue 17, seventh round).
//
// Why: on LABS (quartic) and the cubic benchmark the quadratic regression
// fits one global quadratic to every trial; Optuna's GP, with a kernel
// that decays with distance, searches the incumbent's neighbours one
// parameter at a time and wins there between 10 and 25 evaluations
// (docs/tuning.md). A kernel model is local by construction, but its mean
// is not a quadratic. Around the incumbent c it is, to second order in the
// parameters changed:
//
//     m(x) ≈ m(c) + Σ_u A_u I_u(x) + Σ_{u<v} B_uv I_u(x) I_v(x),
//
// with I_u(x) = [x_k = a] for u = (k, a), a ≠ c_k, A_u = m(c with u) − m(c),
// B_uv = m(c with u, v) − m(c with u) − m(c with v) + m(c), u and v of
// different parameters. The expansion equals the mean exactly at the
// incumbent and at every configuration one or two parameters away; farther
// it is the mean with the interactions of three and more changes dropped.
// Each indicator is affine in one bit of the local grid's encoding (one-hot,
// or one bit for two values), so the expansion is a QUBO over those bits.
//
// The kernel is k(x, x') = exp(−θ d_H(x, x') / p), d_H the number of
// parameters in which x and x' differ and p the number of parameters; it
// factors over parameters, so changing parameter k of c multiplies each
// k(c, x_n) by a ratio r_u(n), and every coefficient above costs O(n):
// A_u = s Σ_n w_n (r_u(n) − 1) and B_uv = s Σ_n w_n (r_u(n) − 1)(r_v(n) − 1),
// with w = α ∘ k(c, ·), α = (K + σ² I)⁻¹ (y − ȳ)/s. θ and σ² are chosen
// from a grid by the log marginal likelihood (the losses standardised, as
// the regression's prior scales are).

/// A Gaussian process with the exponentiated Hamming kernel
/// `exp(−θ d_H / p)`, fitted to configurations of a space whose parameters
/// are all shown whole.
struct HammingKernel {
  /// The kernel's decay per parameter changed, in units of `1/p`.
  static let decays: [Double] = [1, 2, 4, 8, 16, 32, 64]
  /// The noise variances tried, relative to the losses' variance.
  static let noises: [Double] = [1e-6, 1e-2, 1e-1]

  /// The configurations fitted (full indices).
  let configurations: [[Int]]
  /// The chosen decay θ.
  let decay: Double
  /// The chosen relative noise variance.
  let noise: Double
  /// `(K + σ² I)⁻¹ (y − ȳ) / s`.
  let alpha: [Double]
  /// The losses' mean ȳ and standard deviation s.
  let mean: Double
  let scale: Double
  /// The log marginal likelihood of the chosen setting.
  let evidence: Double
  /// The Cholesky factor of `K + σ² I` (flat, lower triangle).
  let factor: [Double]
  /// The lowest loss observed.
  let bestLoss: Double

  /// The setting of `decays` × `noises` (by default the grids above) with
  /// the highest evidence; `nil` with fewer than two observations or when
  /// no setting factors.
  init?(
    configurations: [[Int]], losses: [Double], decays: [Double] = Self.decays,
    noises: [Double] = Self.noises
  ) {
    let n = configurations.count
    guard n >= 2, losses.count == n, let p = configurations.first?.count, p > 0 else {
      return nil
    }
    let standardised = StandardisedLosses(losses)
    let (ybar, s, y) = (standardised.mean, standardised.scale, standardised.y)
    var distance = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<i {
        let d = Double(TrustRegionSampler.distance(configurations[i], configurations[j]))
        distance[i * n + j] = d
        distance[j * n + i] = d
      }
    }
    var best: (decay: Double, noise: Double, alpha: [Double], evidence: Double, chol: [Double])?
    for decay in decays {
      for noise in noises {
        var k = distance.map { exp(-decay * $0 / Double(p)) }
        for i in 0..<n { k[i * n + i] += noise }
        guard let (evidence, a) = factoredEvidence(&k, n, y) else { continue }
        if best.map({ evidence > $0.evidence }) ?? true {
          best = (decay, noise, a, evidence, k)
        }
      }
    }
    guard let best else { return nil }
    self.configurations = configurations
    decay = best.decay
    noise = best.noise
    alpha = best.alpha
    mean = ybar
    scale = s
    evidence = best.evidence
    factor = best.chol
    bestLoss = losses.min() ?? ybar
  }

  /// The kernel `exp(−decay d_H(a, b) / p)` between two configurations of
  /// `p` parameters.
  static func similarity(_ a: [Int], _ b: [Int], decay: Double) -> Double {
    exp(-decay * Double(TrustRegionSampler.distance(a, b)) / Double(a.count))
  }

  /// The kernel's factors r_u(n) when the incumbent `center`'s parameter
  /// moves to each unit's value: 1 where configuration n's distance does
  /// not change, exp(∓decay / p) where it grows or shrinks by one.
  static func ratios(
    units: [Unit], center: [Int], configurations: [[Int]], decay: Double
  ) -> [[Double]] {
    let step = exp(-decay / Double(center.count))
    return units.map { u in
      configurations.map { c in
        let before = c[u.k] == center[u.k] ? 0 : 1
        let after = c[u.k] == u.value ? 0 : 1
        return after == before ? 1 : (after > before ? step : 1 / step)
      }
    }
  }

  /// The posterior mean at `x` (full indices).
  func predict(_ x: [Int]) -> Double {
    var s = 0.0
    for (c, a) in zip(configurations, alpha) {
      s += a * Self.similarity(x, c, decay: decay)
    }
    return mean + scale * s
  }

  /// The second-order expansion of the mean around `grid`'s incumbent as a
  /// QUBO over `encoded`'s bits (see the file comment); `nil` when some
  /// parameter is windowed or spelled in more than one bit per value
  /// (neither one-hot nor one bit), where the expansion is not a QUBO of
  /// this form.
  func surrogate(grid: LocalGrid, encoded: BitEncoding, full: SearchSpace) -> QuadraticSurrogate? {
    Self.expansion(
      configurations: configurations, weights: alpha.map { scale * $0 }, decay: decay,
      offset: mean, grid: grid, encoded: encoded, full: full)
  }

  /// The second-order expansion around `grid`'s incumbent of
  /// `offset + Σ_n weights[n] exp(−decay d_H(x, configurations[n]) / p)`
  /// as a QUBO over `encoded`'s bits (see the file comment); `nil` when
  /// some parameter is windowed or spelled in more than one bit per value.
  static func expansion(
    configurations: [[Int]], weights: [Double], decay: Double, offset: Double,
    grid: LocalGrid, encoded: BitEncoding, full: SearchSpace
  ) -> QuadraticSurrogate? {
    let center = grid.full(grid.centerLevels)
    guard let units = units(grid: grid, encoded: encoded, full: full) else { return nil }
    let n = configurations.count
    var w = [Double](repeating: 0, count: n)
    for i in 0..<n {
      w[i] = weights[i] * similarity(center, configurations[i], decay: decay)
    }
    // R[u][n] = r_u(n) − 1: the kernel's factor when parameter k moves
    // from c_k to the unit's value, less one.
    let r = ratios(units: units, center: center, configurations: configurations, decay: decay)
      .map { row in row.map { $0 - 1 } }
    let a = r.map { row in zip(row, w).reduce(0) { $0 + $1.0 * $1.1 } }
    return qubo(units: units, bits: encoded.bitCount, offset: offset + w.reduce(0, +), linear: a) {
      u, v in
      var b = 0.0
      for i in 0..<n { b += w[i] * r[u][i] * r[v][i] }
      return b
    }
  }

  /// The indicators u = (k, local level a ≠ the incumbent's) of a grid
  /// whose parameters are all shown whole: each one's parameter, full
  /// value, and the affine map `I_u = σ + τ x_bit` onto one bit; `nil`
  /// when some parameter is windowed or spelled otherwise.
  static func units(grid: LocalGrid, encoded: BitEncoding, full: SearchSpace)
    -> [Unit]?
  {
    var units: [Unit] = []
    for k in grid.levels.indices {
      guard grid.levels[k].count == full.radices[k] else { return nil }
      let positions = encoded.positions[k]
      let count = grid.levels[k].count
      for a in 0..<count where a != grid.centerLevels[k] {
        let bits = encoded.bitsOfParameter(k, a)
        if positions.count == 1, count == 2, bits.count == 1 {
          // One bit: the indicator is the bit, or one less it.
          let on = bits[0] == 1
          units.append(
            Unit(
              k: k, value: grid.levels[k][a], sigma: on ? 0 : 1, tau: on ? 1 : -1, bit: positions[0]
            ))
        } else if positions.count == count, bits.count == count,
          bits.enumerated().allSatisfy({ ($0.offset == a) == ($0.element == 1) })
        {
          units.append(Unit(k: k, value: grid.levels[k][a], sigma: 0, tau: 1, bit: positions[a]))
        } else {
          return nil
        }
      }
    }
    return units
  }

  /// An indicator `[x_k = value]`, equal to `sigma + tau x_bit` on valid
  /// patterns.
  struct Unit {
    let k: Int
    let value: Int
    let sigma: Double
    let tau: Double
    let bit: Int
  }

  /// The QUBO `offset + Σ_u linear[u] I_u + Σ_{u<v} pair(u, v) I_u I_v`
  /// (`pair` asked only for units of different parameters), with each
  /// indicator written in its bit.
  static func qubo(
    units: [Unit], bits: Int, offset: Double, linear a: [Double],
    pair: (Int, Int) -> Double
  ) -> QuadraticSurrogate {
    var out = QuadraticSurrogate(bits: bits)
    out.offset = offset
    for u in units.indices {
      let (su, tu, xu) = (units[u].sigma, units[u].tau, units[u].bit)
      for v in (u + 1)..<units.count where units[u].k != units[v].k {
        let b = pair(u, v)
        // B I_u I_v with I = σ + τ x.
        let (sv, tv, xv) = (units[v].sigma, units[v].tau, units[v].bit)
        out.offset += b * su * sv
        out.linear[xv] += b * su * tv
        out.linear[xu] += b * sv * tu
        let (i, j) = xu < xv ? (xu, xv) : (xv, xu)
        out.pairs[i][j - i - 1] += b * tu * tv
      }
      out.offset += a[u] * su
      out.linear[xu] += a[u] * tu
    }
    return out
  }

  /// The second-order expansion around `grid`'s incumbent of
  /// −log EI(x), EI the expected improvement of the posterior over the
  /// best loss observed (the expansion equals −log EI at the incumbent
  /// and one or two parameters from it); `nil` as `surrogate`.
  func expectedImprovement(grid: LocalGrid, encoded: BitEncoding, full: SearchSpace)
    -> QuadraticSurrogate?
  {
    guard let units = Self.units(grid: grid, encoded: encoded, full: full) else { return nil }
    let center = grid.full(grid.centerLevels)
    let n = configurations.count
    let k0 = configurations.map { Self.similarity(center, $0, decay: decay) }
    // r_u(n): the kernel's factor when parameter k moves to the unit's value.
    let r = Self.ratios(
      units: units, center: center, configurations: configurations, decay: decay)
    // Standardised: the best observation's value, the mean and variance.
    let m0 = negativeLogEI(k0)
    var single: [Double] = []
    for u in units.indices {
      var kx = k0
      for i in 0..<n { kx[i] *= r[u][i] }
      single.append(negativeLogEI(kx) - m0)
    }
    return Self.qubo(
      units: units, bits: encoded.bitCount, offset: m0, linear: single
    ) { u, v in
      var kx = k0
      for i in 0..<n { kx[i] *= r[u][i] * r[v][i] }
      return negativeLogEI(kx) - single[u] - single[v] - m0
    }
  }

  /// −log EI at the point whose kernel values with the observations are
  /// `kx` (standardised: the latent variance, without the noise).
  func negativeLogEI(_ kx: [Double]) -> Double {
    let best = (bestLoss - mean) / scale
    var mu = 0.0
    for i in alpha.indices { mu += alpha[i] * kx[i] }
    let w = forwardSolve(kx)
    let variance = max(1 - w.reduce(0) { $0 + $1 * $1 }, 1e-12)
    let sd = variance.squareRoot()
    let z = (best - mu) / sd
    let ei = sd * (z * normalCDF(z) + normalPDF(z))
    return -log(max(ei, 1e-300))
  }

  /// −log EI at `x` (full indices).
  func negativeLogEI(at x: [Int]) -> Double {
    negativeLogEI(configurations.map { Self.similarity(x, $0, decay: decay) })
  }

  /// `L⁻¹ b` for the fit's Cholesky factor `L`.
  func forwardSolve(_ b: [Double]) -> [Double] {
    var z = b
    forwardSolveFlat(factor, b.count, &z)
    return z
  }
}

/// The standard normal density.
func normalPDF(_ z: Double) -> Double { exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }

/// The standard normal distribution function.
func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
