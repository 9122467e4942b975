import Annealing
import Testing

@testable import Tuning

@Suite struct HeldOutFitTests {
  /// A random symmetric positive definite n × n matrix and targets.
  static func problem(n: Int, seed: UInt64) -> (k: [[Double]], y: [Double]) {
    var rng = SplitMix64(seed: seed)
    let x = (0..<n).map { _ in (0..<3).map { _ in Double.random(in: -1...1, using: &rng) } }
    var k = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in 0..<n {
        var d = 0.0
        for t in 0..<3 { d += (x[i][t] - x[j][t]) * (x[i][t] - x[j][t]) }
        k[i][j] = 1 / (1 + d) + (i == j ? 0.05 : 0)
      }
    }
    return (k, (0..<n).map { _ in Double.random(in: -2...2, using: &rng) })
  }

  @Test func leaveOneOutMeansEqualRefitsWithoutEachObservation() throws {
    let (k, y) = Self.problem(n: 9, seed: 3)
    let l = try #require(cholesky(k))
    let fast = leaveOneOutMeans(l, y)
    for i in 0..<9 {
      // The regression refitted without observation i, predicting it.
      let keep = (0..<9).filter { $0 != i }
      let sub = keep.map { r in keep.map { k[r][$0] } }
      let alpha = solve(try #require(cholesky(sub)), keep.map { y[$0] })
      var mean = 0.0
      for (a, r) in zip(alpha, keep) { mean += k[i][r] * a }
      #expect(abs(fast[i] - mean) < 1e-9, "observation \(i): \(fast[i]) vs \(mean)")
    }
  }

  @Test func rankCorrelationOrdersAndTies() {
    #expect(abs(rankCorrelation([1, 2, 3, 4], [10, 20, 30, 40]) - 1) < 1e-12)
    #expect(abs(rankCorrelation([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12)
    #expect(rankCorrelation([1, 1, 1], [1, 2, 3]) == 0)
    #expect(rankCorrelation([1, 2], [1, 2]) == 0)
  }
}

@Suite struct SpearmanRhoTests {
  @Test func ranksWithTiesAndUndefinedCases() throws {
    // Ranks of x: 0, 1.5, 1.5, 3; of y: 0, 1, 2, 3 → ρ = 4.5 / √(4.5 · 5).
    let rho = try #require(spearmanRho([1, 2, 2, 5], [10, 11, 12, 13]))
    #expect(abs(rho - 4.5 / (4.5 * 5.0).squareRoot()) < 1e-12)
    #expect(spearmanRho([3, 1, 2], [30, 10, 20]) == 1)
    #expect(spearmanRho([1, 1, 1], [1, 2, 3]) == nil)
    #expect(spearmanRho([1], [1]) == nil)
    #expect(spearmanRho([1, 2], [1, 2, 3]) == nil)
  }
}
