import Annealing
import Foundation
import QUBOModel
import Testing

@testable import Learning

@Suite("Feature selection QUBO")
struct FeatureSelectionTests {
  @Test func mutualInformationOfKnownDistributions() {
    // Identical uniform variables on 4 values: I = ln 4. Independent: 0.
    let a = Array(repeating: [0, 1, 2, 3], count: 25).flatMap { $0 }
    #expect(abs(MutualInformation.mutualInformation(a, 4, a, 4) - log(4.0)) < 1e-12)
    let b = (0..<100).map { ($0 / 4) % 4 }
    let c = (0..<100).map { $0 % 4 }
    let indep = MutualInformation.mutualInformation(
      Array(b.prefix(64)), 4, Array(c.prefix(64)), 4)
    #expect(abs(indep) < 1e-12)
  }

  static func randomSelection(d: Int, seed: UInt64) throws -> FeatureSelection {
    var rng = Xoshiro256PlusPlus(seed: seed)
    var f = [Double]()
    var y = [Int]()
    for r in 0..<120 {
      let label = r % 3
      for j in 0..<d {
        f.append(Double.random(in: 0...1, using: &rng) + (j % 3 == label ? Double(j) * 0.1 : 0))
      }
      y.append(label)
    }
    return try FeatureSelection(
      try Dataset(name: "t", features: f, labels: y, featureCount: d, classNames: ["a", "b", "c"]))
  }

  @Test func penaltyOptimumKeepsExactlyKAndIsTheBestKSet() throws {
    let sel = try Self.randomSelection(d: 8, seed: 3)
    for k in [1, 3, 5] {
      let model = sel.model(k: k)
      let exact = try ExactSolver().sample(model, seed: 0)
      let best = try #require(exact.lowestRow)
      let chosen = exact.sample(best).enumerated().filter { $0.element != 0 }.map(\.offset)
      #expect(chosen.count == k)
      // The same set minimises relevance − redundancy over all k-sets.
      func objective(_ s: [Int]) -> Double {
        var v = -s.reduce(0) { $0 + sel.relevance[$1] }
        for a in s.indices { for b in (a + 1)..<s.count { v += sel.redundancy[s[a] * 8 + s[b]] } }
        return v
      }
      var bestSet = Double.infinity
      for mask in 0..<256 where mask.nonzeroBitCount == k {
        bestSet = min(bestSet, objective((0..<8).filter { mask >> $0 & 1 == 1 }))
      }
      #expect(abs(objective(chosen) - bestSet) < 1e-9)
    }
  }

  @Test func bisectionFindsKWithAnExactSolver() throws {
    let sel = try Self.randomSelection(d: 10, seed: 5)
    for k in [2, 4, 7] {
      let r = try sel.bisect(k: k, sampler: ExactSolver(), seed: 1)
      #expect(r.features.count == k)
      #expect(Set(r.features).count == k)
    }
    #expect(sel.topRelevance(3).count == 3)
  }

  @Test func encodedModelAgreesWithTheDirectPenaltyUnderTheExactSolver() throws {
    let sel = try Self.randomSelection(d: 8, seed: 13)
    for k in [2, 4] {
      let encoded = try #require(try sel.encoded(k: k, sampler: ExactSolver(), seed: 0))
      let direct = try sel.penalized(k: k, sampler: ExactSolver(), seed: 0)
      #expect(encoded.count == k)
      #expect(encoded == direct)
    }
  }

  @Test func penaltyAndEncodedSolveBisectionsObjectiveAtItsAlpha() throws {
    let sel = try Self.randomSelection(d: 9, seed: 21)
    var checked = 0
    for k in [2, 3, 5] {
      let b = try sel.bisect(k: k, sampler: ExactSolver(), seed: 1)
      guard b.exact else { continue }
      checked += 1
      // The unconstrained optimum keeps k features, so it is also the best
      // k-set of the same objective: the penalty must find it.
      let direct = try sel.penalized(k: k, alpha: b.alpha, sampler: ExactSolver(), seed: 0)
      #expect(direct == b.features, "k = \(k), α = \(b.alpha)")
      let encoded = try sel.encoded(k: k, alpha: b.alpha, sampler: ExactSolver(), seed: 0)
      #expect(encoded == b.features, "k = \(k), α = \(b.alpha)")
    }
    #expect(checked >= 2, "bisection hit k exactly only \(checked) times")
  }

  @Test func bisectionWithBadArgumentsThrows() throws {
    let sel = try Self.randomSelection(d: 4, seed: 2)
    #expect(throws: ShapeError.self) { try sel.bisect(k: 2, sampler: ExactSolver(), seed: 1, steps: 0) }
    #expect(throws: ShapeError.self) { try sel.bisect(k: 5, sampler: ExactSolver(), seed: 1) }
  }
}
