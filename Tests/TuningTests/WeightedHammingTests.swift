import Annealing
import Foundation
import Testing

@testable import Tuning

/// The weighted Hamming kernel's fit (`model: hamming-ard`; issue 17,
/// thirteenth and sixteenth rounds): a weight per parameter, the scale and
/// the noise by the marginal likelihood.
@Suite struct WeightedHammingTests {
  /// `n` random configurations of `p` booleans whose loss depends only on
  /// the parameters in `relevant`.
  static func planted(n: Int, p: Int, relevant: [Int], seed: UInt64) -> (
    configurations: [[Int]], losses: [Double]
  ) {
    var rng = Xoshiro256PlusPlus(seed: seed)
    var xs: [[Int]] = []
    var ys: [Double] = []
    for _ in 0..<n {
      let x = (0..<p).map { _ in Int.random(in: 0..<2, using: &rng) }
      let s = relevant.map { Double(2 * x[$0] - 1) }
      var loss = 0.0
      for (i, v) in s.enumerated() { loss += Double(i + 1) * v }
      loss += 2 * s[0] * s[1] - 1.5 * s[1] * s[2]
      xs.append(x)
      ys.append(loss)
    }
    return (xs, ys)
  }

  @Test func theFittedWeightsFindThePlantedParameters() throws {
    let relevant = [1, 4, 9]
    for seed: UInt64 in [1, 2, 3] {
      let (xs, ys) = Self.planted(n: 60, p: 12, relevant: relevant, seed: seed)
      let fit = try #require(WeightedHamming(configurations: xs, losses: ys))
      let inside = relevant.map { fit.weights[$0] }
      let outside = fit.weights.indices.filter { !relevant.contains($0) }.map { fit.weights[$0] }
      let lowestInside = try #require(inside.min())
      let highestOutside = try #require(outside.max())
      #expect(
        lowestInside > 3 * highestOutside,
        "seed \(seed): \(fit.weights.map { ($0 * 100).rounded() / 100 })")
      // The fit is better than the start (w = 8/p, s = 1, σ² = 10⁻²).
      let objective = WeightedHamming.Objective(
        configurations: xs, y: ys.map { ($0 - fit.mean) / fit.scale })
      let start = [Double](repeating: log(8.0 / 12), count: 12) + [0, log(1e-2)]
      #expect(fit.logPosterior > -objective.value(start).value + 1)
    }
  }

  @Test func theGradientIsTheObjectivesSlope() throws {
    let (xs, ys) = Self.planted(n: 25, p: 6, relevant: [0, 2, 3], seed: 7)
    let mean = ys.reduce(0, +) / Double(ys.count)
    let objective = WeightedHamming.Objective(configurations: xs, y: ys.map { ($0 - mean) / 3 })
    var rng = Xoshiro256PlusPlus(seed: 11)
    let theta = (0..<8).map { i in (i < 6 ? log(8.0 / 6) : i == 6 ? 0.2 : log(0.05)) }
      .map { $0 + Double.random(in: -0.3...0.3, using: &rng) }
    expectGradientIsTheSlope(objective.value, at: theta)
  }

  @Test func theFitIsTheSameForTheSameHistory() throws {
    let (xs, ys) = Self.planted(n: 40, p: 10, relevant: [2, 5, 7], seed: 4)
    let a = try #require(WeightedHamming(configurations: xs, losses: ys))
    let b = try #require(WeightedHamming(configurations: xs, losses: ys))
    #expect(a.weights == b.weights && a.signal == b.signal && a.noise == b.noise)
    #expect(a.alpha == b.alpha)
  }

  @Test func pastTheLimitTheLatestObservationsAreFittedAndAllConditioned() throws {
    let (xs, ys) = Self.planted(n: 50, p: 8, relevant: [0, 3, 6], seed: 9)
    let limited = try #require(WeightedHamming(configurations: xs, losses: ys, fitLimit: 30))
    // The parameters: the minimum of the objective over the last 30
    // observations, standardised as all 50 are.
    let y = ys.map { ($0 - limited.mean) / limited.scale }
    let late = WeightedHamming.Objective(
      configurations: Array(xs.suffix(30)), y: Array(y.suffix(30)))
    let start = [Double](repeating: log(8.0 / 8), count: 8) + [0, log(1e-2)]
    let theta = minimiseProjected(start, lower: -12, upper: 5, steps: WeightedHamming.steps) {
      late.value($0)
    }
    #expect(limited.weights == theta.prefix(8).map { exp($0) })
    #expect(limited.signal == exp(theta[8]))
    // The posterior: every observation.
    #expect(limited.alpha.count == 50)
    let all = WeightedHamming.Objective(configurations: xs, y: y)
    let expected = try #require(all.factored(theta))
    #expect(limited.alpha == expected.alpha)
    // Unlimited, the fit differs.
    let full = try #require(WeightedHamming(configurations: xs, losses: ys))
    #expect(full.weights != limited.weights)
  }

  @Test func theMinimiserReachesABoxedQuadraticsMinimum() {
    // f = Σ c_i (x_i − t_i)², the target of coordinate 2 outside the box.
    let c = [1.0, 10, 3, 0.5]
    let t = [0.5, -2, 7, 1]
    let x = minimiseProjected([0, 0, 0, 0], lower: -3, upper: 5, steps: 50, tolerance: 1e-9) {
      x in
      var f = 0.0
      var g = [Double](repeating: 0, count: 4)
      for i in 0..<4 {
        f += c[i] * (x[i] - t[i]) * (x[i] - t[i])
        g[i] = 2 * c[i] * (x[i] - t[i])
      }
      return (f, g)
    }
    let expected = [0.5, -2, 5, 1]
    for i in 0..<4 { #expect(abs(x[i] - expected[i]) < 1e-6, "x_\(i) = \(x[i])") }
  }

  // The evidence (issue 17, seventeenth round): `model: hamming-ard` ranks
  // with the weighted kernel only when its Laplace evidence beats the
  // fixed kernel's.

  @Test func theNoisePriorIntegratesToOne() {
    // Simpson's rule over the fit's box, r = log(σ² − 10⁻⁶) ∈ [−12, 5].
    let steps = 20_000
    let h = 17.0 / Double(steps)
    var sum = 0.0
    for i in 0...steps {
      let u = WeightedHamming.minimumNoise + exp(-12 + Double(i) * h)
      let f = exp(0.1 * log(u) - 30 * u - WeightedHamming.logNoiseNormaliser)
      sum += (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2) * f
    }
    #expect(abs(sum * h / 3 - 1) < 1e-6, "\(sum * h / 3)")
  }

  @Test func theLaplaceEvidenceIsTheIntegralOfThePosterior() throws {
    // One parameter (θ = log w, log s, log σ² − 10⁻⁶): the posterior's
    // integral by Simpson's rule on a 41³ grid of ±6 of its Laplace
    // standard deviations against the Laplace approximation.
    for seed: UInt64 in [1, 2, 3] {
      var rng = Xoshiro256PlusPlus(seed: seed)
      let xs = (0..<12).map { _ in [Int.random(in: 0..<2, using: &rng)] }
      let ys = xs.map { Double(2 * $0[0] - 1) + 0.5 * gaussian(&rng) }
      let fit = try #require(WeightedHamming(configurations: xs, losses: ys, steps: 200))
      let y = ys.map { ($0 - fit.mean) / fit.scale }
      let objective = WeightedHamming.Objective(configurations: xs, y: y)
      let theta = [log(fit.weights[0]), log(fit.signal), log(fit.noise - WeightedHamming.minimumNoise)]
      let laplace = try #require(objective.laplaceEvidence(theta))
      // The grid's half-widths: 6 sd of each coordinate under the Laplace
      // Gaussian (the inverse Hessian's diagonal, by central differences).
      var sd = [Double](repeating: 0, count: 3)
      var hessian = [[Double]](repeating: [0, 0, 0], count: 3)
      for i in 0..<3 {
        var up = theta
        var down = theta
        up[i] += 1e-4
        down[i] -= 1e-4
        let (gu, gd) = (objective.value(up).gradient, objective.value(down).gradient)
        for j in 0..<3 { hessian[i][j] = (gu[j] - gd[j]) / 2e-4 }
      }
      let cofactor = { (i: Int) -> Double in
        let (a, b) = ((i + 1) % 3, (i + 2) % 3)
        return hessian[a][a] * hessian[b][b] - hessian[a][b] * hessian[b][a]
      }
      let det = (0..<3).reduce(0.0) { acc, j in
        let (a, b) = ((j + 1) % 3, (j + 2) % 3)
        return acc + hessian[0][j] * (hessian[1][a] * hessian[2][b] - hessian[1][b] * hessian[2][a])
      }
      for i in 0..<3 { sd[i] = (cofactor(i) / det).squareRoot() }
      let k = 41
      let axes = (0..<3).map { i in
        let lo = max(-12, theta[i] - 6 * sd[i])
        let hi = min(5, theta[i] + 6 * sd[i])
        return (0..<k).map { lo + (hi - lo) * Double($0) / Double(k - 1) }
      }
      let top = try #require(objective.factored(theta)).value
      let weight = { (i: Int) -> Double in i == 0 || i == k - 1 ? 1 : i % 2 == 1 ? 4 : 2 }
      var integral = 0.0
      for a in 0..<k {
        for b in 0..<k {
          for c in 0..<k {
            guard let v = objective.factored([axes[0][a], axes[1][b], axes[2][c]])?.value
            else { continue }
            integral += weight(a) * weight(b) * weight(c) * exp(top - v)
          }
        }
      }
      let cell = (0..<3).reduce(1.0) { $0 * (axes[$1][1] - axes[$1][0]) / 3 }
      let normalisation =
        -0.5 * log(2 * Double.pi * WeightedHamming.priorWidth * WeightedHamming.priorWidth)
        - WeightedHamming.logNoiseNormaliser
      let brute = -top + log(integral * cell) + normalisation
      #expect(abs(laplace - brute) < 0.15, "seed \(seed): Laplace \(laplace), integral \(brute)")
    }
  }

  /// Losses drawn from a Gaussian process with the kernel
  /// `exp(−Σ_k w_k [x_k ≠ x'_k])` and noise 10⁻⁴ at `n` random
  /// configurations of `w.count` booleans.
  static func drawn(n: Int, weights w: [Double], seed: UInt64) -> (
    configurations: [[Int]], losses: [Double]
  ) {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let xs = (0..<n).map { _ in w.indices.map { _ in Int.random(in: 0..<2, using: &rng) } }
    var k = [Double](repeating: 0, count: n * n)
    for a in 0..<n {
      for b in 0...a {
        var d = 0.0
        for j in w.indices where xs[a][j] != xs[b][j] { d += w[j] }
        k[a * n + b] = exp(-d) + (a == b ? 1e-4 : 0)
      }
    }
    _ = choleskyInPlace(&k, n)
    let z = (0..<n).map { _ in gaussian(&rng) }
    let ys = (0..<n).map { a in (0...a).reduce(0.0) { $0 + k[a * n + $1] * z[$1] } }
    return (xs, ys)
  }

  @Test func theEvidencePrefersTheKernelTheLossesWereDrawnFrom() throws {
    // Drawn from the fixed kernel (every weight 8/p): the fixed kernel's
    // evidence is the higher; drawn with three relevant parameters of
    // twelve: the weighted kernel's. Ten seeds each; the Python prototype
    // (numpy draws) gave 9 of 10 both ways.
    let p = 12
    let fixed = [Double](repeating: 8.0 / Double(p), count: p)
    let planted = (0..<p).map { [1, 4, 9].contains($0) ? 2.0 : 0.01 }
    var fixedWins = 0
    var weightedWins = 0
    for seed: UInt64 in 1...10 {
      let a = Self.drawn(n: 60, weights: fixed, seed: seed)
      let fa = try #require(WeightedHamming(configurations: a.configurations, losses: a.losses))
      if fa.evidenceGain < 0 { fixedWins += 1 }
      let b = Self.drawn(n: 60, weights: planted, seed: seed)
      let fb = try #require(WeightedHamming(configurations: b.configurations, losses: b.losses))
      if fb.evidenceGain > 0 { weightedWins += 1 }
    }
    #expect(fixedWins >= 8, "the fixed kernel's draws: \(fixedWins) of 10")
    #expect(weightedWins >= 8, "the planted draws: \(weightedWins) of 10")
  }

  @Test func theEigenvaluesOfASymmetricMatrix() {
    // Q diag(λ) Qᵀ with Q a product of rotations: its eigenvalues are λ.
    let d = 6
    let lambda = [3.0, -1.5, 0.25, 7, 1e-3, 2]
    var q = (0..<d).map { i in (0..<d).map { j in i == j ? 1.0 : 0 } }
    var rng = Xoshiro256PlusPlus(seed: 8)
    for _ in 0..<20 {
      let i = Int.random(in: 0..<d, using: &rng)
      let j = (i + Int.random(in: 1..<d, using: &rng)) % d
      let t = Double.random(in: 0..<(2 * Double.pi), using: &rng)
      for r in 0..<d {
        let (a, b) = (q[r][i], q[r][j])
        q[r][i] = cos(t) * a - sin(t) * b
        q[r][j] = sin(t) * a + cos(t) * b
      }
    }
    var m = [Double](repeating: 0, count: d * d)
    for r in 0..<d {
      for c in 0..<d {
        for k in 0..<d { m[r * d + c] += q[r][k] * lambda[k] * q[c][k] }
      }
    }
    let found = symmetricEigenvalues(m, d).sorted()
    for (a, b) in zip(found, lambda.sorted()) { #expect(abs(a - b) < 1e-10, "\(a) vs \(b)") }
  }

  @Test func theInverseFromTheFactorIsTheInverse() {
    var rng = Xoshiro256PlusPlus(seed: 2)
    let n = 9
    let a = (0..<n).map { _ in (0..<n).map { _ in Double.random(in: -1...1, using: &rng) } }
    var k = [Double](repeating: 0, count: n * n)
    for r in 0..<n {
      for c in 0..<n {
        for j in 0..<n { k[r * n + c] += a[r][j] * a[c][j] }
        if r == c { k[r * n + c] += 0.5 }
      }
    }
    var l = k
    #expect(choleskyInPlace(&l, n))
    let inverse = inverseFromFactor(l, n)
    for r in 0..<n {
      for c in 0..<n {
        var s = 0.0
        for j in 0..<n { s += k[r * n + j] * inverse[j * n + c] }
        #expect(abs(s - (r == c ? 1 : 0)) < 1e-10)
      }
    }
  }
}
