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

  @Test func theSpecTurnsItOn() throws {
    let plain = try #require(try TrustRegionSpecTests.sampler("") as? TrustRegionSampler)
    #expect(!plain.regrowAtBest)
    let on = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {regrow_at_best: true}") as? TrustRegionSampler)
    #expect(on.regrowAtBest)
    #expect(throws: TuningError.self) {
      try TrustRegionSpecTests.sampler("surrogate: {regrow_at_best: 1}")
    }
  }
}
