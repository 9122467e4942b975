import Testing

@testable import Tuning

/// `start_radius` (issue 17, tenth round): the first region starts at k
/// changed parameters and grows by the usual rule; collapses regrow (or
/// restart) at the initial radius.
@Suite struct StartRadiusTests {
  /// A 16-parameter history whose every trial improves on the one before.
  static let improving: [(configuration: [Int], loss: Double)] =
    (0..<12).map { k in (Array(repeating: k, count: 16), -Double(k)) }

  /// The radius after each prefix of `history` (from two trials on).
  static func radii(
    _ history: [(configuration: [Int], loss: Double)], start: Int?, regrow: Bool = true
  ) -> [Double] {
    (2...history.count).compactMap {
      TrustRegion.replay(
        Array(history.prefix($0)), parameters: 16, startup: 1, regrowAtBest: regrow,
        startRadius: start)?.radius
    }
  }

  @Test func theFirstRegionStartsSmallAndDoublesAfterTwoSuccesses() {
    // p = 16: the initial radius is 4; two improvements in a row double.
    #expect(Self.radii(Self.improving, start: 1) == [1, 2, 2, 4, 4, 8, 8, 16, 16, 16, 16])
    #expect(Self.radii(Self.improving, start: nil) == [4, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16])
    // At least one, at most the initial radius.
    #expect(Self.radii(Self.improving, start: 3).first == 3)
    #expect(Self.radii(Self.improving, start: 10).first == 4)
    #expect(Self.radii(Self.improving, start: 0).first == 1)
    let r = TrustRegion.replay(Array(Self.improving.prefix(2)), parameters: 16, startup: 1, startRadius: 1)
    #expect(r?.initialRadius == 4, "the start radius leaves the initial radius alone")
  }

  @Test func aCollapseRegrowsAtTheInitialRadiusNotTheStart() {
    // Every trial after the first fails: ⌈√16⌉ = 4 failures halve the
    // radius, 1 → 0.5 collapses it, and it regrows at 4, then halves 4 →
    // 2 → 1 → 0.5 and regrows at 4 again.
    let radii = Self.radii(RegrowAtBestTests.failures, start: 1)
    #expect(Array(radii.prefix(10)) == [1, 1, 1, 4, 4, 4, 4, 2, 2, 2])
    #expect(radii.max() == 4 && radii.dropFirst(3).allSatisfy { $0 >= 1 })
    // Restarting from a random configuration: the next region is at 4.
    let history = Array(RegrowAtBestTests.failures.prefix(6))
    let restarted = TrustRegion.replay(history, parameters: 16, startup: 1, startRadius: 1)
    #expect(restarted.map { !$0.collapsed && $0.restarts == 1 && $0.radius == 4 } == true)
  }

  @Test func theSamplerStartsSmallOnlyWhereEveryParameterIsShownWhole() throws {
    var small = TrustRegionTests.fast
    small.startRadius = 1
    let study = try TrustRegionTests.bitStudy(small, trials: 12)
    let space = try #require(study.searchSpace)
    let trials = try study.trials
    let region = try #require(small.region(space: space, trials: trials, direction: .minimize))
    #expect(region.initialRadius == 3)
    #expect(region.radius <= 2, "12 bits from one changed parameter: at most one doubling")
    let eleventh = try #require(trials.count > 10 ? trials[10] : nil)
    #expect(eleventh.userAttributes["radius"] == .double(1))
    for seed in UInt64(0)..<3 {
      let first = Array(trials.prefix(10))
      let start = try #require(small.region(space: space, trials: first, direction: .minimize))
      #expect(start.radius == 1)
      for p in try small.propose(space: space, trials: first, direction: .minimize, count: 6, seed: seed) {
        #expect(TrustRegionSampler.distance(p, start.center) == 1)
      }
    }
    // A windowed parameter: the first region keeps the initial radius.
    let mixed = try SearchSpace(
      [("x", .continuous(low: 0, high: 1))] + (0..<7).map { ("b\($0)", Distribution.bool) })
    let m = try Study(sampler: small, searchSpace: mixed, seed: 3)
    try m.optimize(trials: 10) { _ in 1 }
    let r = try #require(small.region(space: mixed, trials: try m.trials, direction: .minimize))
    #expect(r.radius == r.initialRadius && r.initialRadius == 2)
  }

  @Test func theSpecTakesAStartRadius() throws {
    try TrustRegionSpecTests.expectOption(
      "start_radius", \.startRadius, absent: nil, accepted: [("1", 1), ("0", nil)],
      rejected: ["-1", "1.5", "small"])
  }
}
