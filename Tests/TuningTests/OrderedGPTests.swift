import Annealing
import Foundation
import Testing

@testable import Tuning

/// `model: gp-ei` (issue 17, fourteenth round): a Matérn Gaussian process
/// over ordered and categorical distances (OrderedGP.swift) ranking the
/// neighbours of every evaluated configuration, random candidates and EI
/// climbs (TrustRegionSampler+Ordered.swift).
@Suite struct OrderedGPTests {
  static var sampler: TrustRegionSampler {
    var s = TrustRegionTests.fast
    s.orderedSearch = true
    return s
  }

  /// Two 64-valued integers and a categorical of three: a smooth bowl in
  /// the integers, the categorical's second value best.
  static func bowl(_ t: Trial) throws -> Double {
    let i = try t.suggestInt("i", low: 0, high: 63)
    let j = try t.suggestInt("j", low: 0, high: 63)
    let c = try t.suggestCategorical("c", ["a", "b", "c"])
    let di = Double(i - 13)
    let dj = Double(j - 41)
    let penalty: Double = c == "b" ? 0 : 30
    return di * di + 2 * dj * dj + penalty
  }

  static var space: SearchSpace {
    get throws {
      try SearchSpace([
        ("i", .integer(low: 0, high: 63, step: 1)), ("j", .integer(low: 0, high: 63, step: 1)),
        ("c", .categorical(["a", "b", "c"])),
      ])
    }
  }

  @Test func theGradientIsTheObjectivesSlope() throws {
    var rng = Xoshiro256PlusPlus(seed: 5)
    let units = [1.0 / 63, 1.0 / 9, 0]
    let xs = (0..<14).map { _ in
      [
        Int.random(in: 0...63, using: &rng), Int.random(in: 0...9, using: &rng),
        Int.random(in: 0...2, using: &rng),
      ]
    }
    let y: [Double] = xs.map { x in
      let bonus: Double = x[2] == 1 ? 1 : 0
      return Double(x[0]) / 20 - Double(x[1] * x[1]) / 30 + bonus
    }
    let mean = y.reduce(0, +) / Double(y.count)
    // The noise fitted (θ's last entry) and pinned (a deterministic
    // objective: no entry for it).
    for fixed: Double? in [nil, 1e-6] {
      let objective = OrderedGP.Objective(
        configurations: xs, y: y.map { $0 - mean }, units: units, fixedNoise: fixed)
      let theta = [0.3, -0.5, 1.1, 0.2] + (fixed == nil ? [log(0.05)] : [])
      let (value, gradient) = objective.value(theta)
      #expect(value.isFinite && gradient.count == theta.count)
      expectGradientIsTheSlope(objective.value, at: theta, "noise \(fixed as Any): ")
    }
  }

  @Test func theFitFindsTheParameterThatMatters() throws {
    // The loss depends on the first integer only: its weight ends far
    // above the second's.
    var rng = Xoshiro256PlusPlus(seed: 9)
    let observed: [(configuration: [Int], loss: Double)] = (0..<30).map { _ in
      let x = [Int.random(in: 0...63, using: &rng), Int.random(in: 0...63, using: &rng)]
      let d = Double(x[0] - 20) / 63
      return (x, d * d)
    }
    let gp = try #require(OrderedGP(observed: observed, units: [1.0 / 63, 1.0 / 63]))
    #expect(gp.weights[0] > 10 * gp.weights[1], "\(gp.weights)")
    // The posterior mean ranks a configuration near the minimum above a
    // far one.
    #expect(gp.score([20, 5]).mean < gp.score([60, 5]).mean)
  }

  @Test func aSmoothBowlIsSolvedFasterThanByChance() throws {
    // 12 288 configurations; random search finds the optimum in 50 trials
    // with probability 50/12 288.
    for seed: UInt64 in [1, 2, 3] {
      let study = try Study(sampler: Self.sampler, searchSpace: try Self.space, seed: seed)
      try study.optimize(trials: 50, Self.bowl)
      let best = try study.trials.compactMap(\.value).min()
      #expect(best == 0, "seed \(seed): best \(String(describing: best))")
    }
  }

  @Test func proposalsAreUnseenNotedAndTheSameForASeed() throws {
    let study = try Study(sampler: TrustRegionTests.fast, searchSpace: try Self.space, seed: 4)
    try study.optimize(trials: 20, Self.bowl)
    let space = try Self.space
    let trials = try study.trials
    let history = History(space: space, trials: trials, direction: .minimize)
    let a = try Self.sampler.proposeWithNotes(
      space: space, trials: trials, direction: .minimize, count: 3, seed: 7)
    let b = try Self.sampler.proposeWithNotes(
      space: space, trials: trials, direction: .minimize, count: 3, seed: 7)
    #expect(a.map(\.configuration) == b.map(\.configuration))
    #expect(Set(a.map(\.configuration)).count == 3)
    let gp = try #require(
      OrderedGP(observed: history.observed, units: OrderedGP.units(space)))
    var last = Double.infinity
    for p in a {
      #expect(!history.seen.contains(p.configuration))
      #expect(p.notes["design"] == .string("gp"))
      let source = p.notes["source"]
      #expect([.string("neighbour"), .string("random"), .string("climb")].contains(source))
      // The noted EI is the process's, and a batch goes best first.
      let value = try #require(p.notes["log_expected_improvement"]?.doubleValue)
      #expect(abs(value - gp.score(p.configuration).logEI) < 1e-12)
      #expect(value <= last)
      last = value
    }
    // No unseen neighbour of an evaluated configuration scores higher.
    for o in history.observed {
      for z in TrustRegionSampler.moves(o.configuration, space: space)
      where !history.seen.contains(z) {
        #expect(gp.score(z).logEI <= last + 1e-12 || a.contains { $0.configuration == z })
      }
    }
  }

  @Test func movesHalveTheRangeDownToOneStep() throws {
    let space = try SearchSpace([
      ("n", .integer(low: 0, high: 100, step: 1)), ("k", .integer(low: 0, high: 4, step: 1)),
      ("c", .categorical(["x", "y"])),
    ])
    let moves = TrustRegionSampler.moves([40, 2, 0], space: space)
    let n = moves.filter { $0[1] == 2 && $0[2] == 0 }.map { $0[0] }
    #expect(n == [0, 15, 28, 34, 37, 39, 41, 43, 46, 52, 65, 90])
    #expect(moves.filter { $0[0] == 40 && $0[2] == 0 }.map { $0[1] } == [0, 1, 3, 4])
    #expect(moves.filter { $0[0] == 40 && $0[1] == 2 }.map { $0[2] } == [1])
  }

  @Test func booleanSpacesAndTheSpecAreUnchanged() throws {
    // In a space of booleans `gp-ei` is the default neighbourhood search.
    let study = try TrustRegionTests.bitStudy(NeighbourhoodEITests.sampler, trials: 16)
    let space = try #require(study.searchSpace)
    let trials = try study.trials
    for seed: UInt64 in 0..<2 {
      let plain = try NeighbourhoodEITests.sampler.propose(
        space: space, trials: trials, direction: .minimize, count: 2, seed: seed)
      var ordered = NeighbourhoodEITests.sampler
      ordered.orderedSearch = true
      let gp = try ordered.propose(
        space: space, trials: trials, direction: .minimize, count: 2, seed: seed)
      #expect(plain == gp)
    }
    let spec = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {model: gp-ei}") as? TrustRegionSampler)
    #expect(spec.orderedSearch && spec.neighbourhoods && !spec.deterministic)
    let pinned = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {model: gp-ei, deterministic: true}")
        as? TrustRegionSampler)
    #expect(pinned.deterministic)
    #expect(throws: TuningError.self) {
      try TrustRegionSpecTests.sampler("surrogate: {model: gp-ei, deterministic: 1}")
    }
    // The default since the fifteenth round, in the spec and in Swift;
    // `hamming-ei` names the default of rounds 12–14 (the regression where
    // a parameter is ordered).
    let plain = try #require(try TrustRegionSpecTests.sampler("") as? TrustRegionSampler)
    #expect(plain.orderedSearch && plain.neighbourhoods && !plain.deterministic)
    #expect(TrustRegionSampler().orderedSearch)
    let old = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {model: hamming-ei}") as? TrustRegionSampler)
    #expect(!old.orderedSearch && old.neighbourhoods)
    let bqr = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {model: bqr}") as? TrustRegionSampler)
    #expect(!bqr.orderedSearch && !bqr.neighbourhoods)
  }
}
