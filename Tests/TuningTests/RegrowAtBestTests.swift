import Testing

@testable import Tuning

/// `regrowAtBest` (issue 17, fifth round): a collapsed region regrows
/// around the incumbent instead of restarting from a random configuration.
@Suite struct RegrowAtBestTests {
  /// A 16-parameter history: the first configuration is the best, every
  /// later one fails.
  static let failures: [(configuration: [Int], loss: Double)] =
    [(Array(repeating: 0, count: 16), 0)] + (1..<60).map { k in (Array(repeating: k, count: 16), 1) }

  @Test func aCollapseRegrowsTheRadiusAroundTheIncumbent() {
    var regrown = false
    for n in 2...Self.failures.count {
      let prefix = Array(Self.failures.prefix(n))
      guard let r = TrustRegion.replay(prefix, parameters: 16, startup: 1, regrowAtBest: true)
      else {
        Issue.record("no region after \(n) trials")
        return
      }
      #expect(!r.collapsed, "a regrowing region never collapses (trial \(n))")
      #expect(r.center == Self.failures[0].configuration)
      #expect(r.radius >= 0.5 && r.radius <= r.initialRadius)
      if r.restarts > 0 && r.radius == r.initialRadius { regrown = true }
    }
    #expect(regrown)
  }

  @Test func theSpecTurnsItOnByDefaultAndOff() throws {
    let plain = try #require(try TrustRegionSpecTests.sampler("") as? TrustRegionSampler)
    #expect(plain.regrowAtBest)
    let on = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {regrow_at_best: true}") as? TrustRegionSampler)
    #expect(on.regrowAtBest)
    let off = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {regrow_at_best: false}") as? TrustRegionSampler)
    #expect(!off.regrowAtBest)
    #expect(throws: TuningError.self) {
      try TrustRegionSpecTests.sampler("surrogate: {regrow_at_best: 1}")
    }
  }

  /// The regions a study of a constant objective (every trial after the
  /// first a failure) passes through, one per prefix of its trials.
  static func regions(_ sampler: TrustRegionSampler, _ space: SearchSpace, trials: Int) throws
    -> [TrustRegion]
  {
    let study = try Study(sampler: sampler, searchSpace: space, seed: 2)
    try study.optimize(trials: trials) { _ in 1 }
    let all = try study.trials
    return (11...all.count).compactMap {
      sampler.region(space: space, trials: Array(all.prefix($0)), direction: .minimize)
    }
  }

  /// The default (issue 17, sixth round): a space of bits regrows, a space
  /// with a windowed parameter (a continuous float, a fine grid) still
  /// restarts, and `regrowAtBest` off restarts.
  @Test func theDefaultRegrowsOnlyWithoutWindowedParameters() throws {
    let bits = try SearchSpace((0..<12).map { ("b\($0)", Distribution.bool) })
    let regrown = try Self.regions(TrustRegionTests.fast, bits, trials: 24)
    #expect(regrown.allSatisfy { !$0.collapsed })
    #expect(regrown.contains { $0.restarts > 0 }, "the region must have regrown at least once")
    var restarting = TrustRegionTests.fast
    restarting.regrowAtBest = false
    #expect(try Self.regions(restarting, bits, trials: 24).contains { $0.collapsed })
    let continuous = try SearchSpace([
      ("x", .continuous(low: 0, high: 1)), ("b", .bool),
    ])
    let fine = try SearchSpace([("n", .integer(low: 1, high: 100, step: 1)), ("b", .bool)])
    let short = try SearchSpace([("n", .integer(low: 1, high: 5, step: 1)), ("b", .bool)])
    #expect(TrustRegionTests.fast.regrows(bits) && TrustRegionTests.fast.regrows(short))
    #expect(!TrustRegionTests.fast.regrows(continuous) && !TrustRegionTests.fast.regrows(fine))
    let restarted = try Self.regions(TrustRegionTests.fast, continuous, trials: 40)
    #expect(restarted.contains { $0.collapsed }, "a continuous region must still collapse and restart")
  }
}
