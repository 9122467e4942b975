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
    let (_, gradient) = objective.value(theta)
    for i in theta.indices {
      let h = 1e-5
      var up = theta
      var down = theta
      up[i] += h
      down[i] -= h
      let slope = (objective.value(up).value - objective.value(down).value) / (2 * h)
      #expect(
        abs(slope - gradient[i]) < 1e-5 * max(1, abs(slope)), "θ_\(i): \(slope) vs \(gradient[i])")
    }
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
}
