import Testing

@testable import Tuning

/// `initial_radius` (issue 17, seventh round): the region's initial radius
/// as a share of the parameters.
@Suite struct InitialRadiusTests {
  @Test func theShareSetsTheStartAndTheRegrowth() {
    let history = RegrowAtBestTests.failures
    let quarter = TrustRegion.replay(Array(history.prefix(2)), parameters: 16, startup: 1)
    #expect(quarter?.initialRadius == 4)
    let eighth = TrustRegion.replay(
      Array(history.prefix(2)), parameters: 16, startup: 1, initialShare: 0.125)
    #expect(eighth?.initialRadius == 2)
    // 24 parameters at an eighth: 3; a tiny share still gives one.
    #expect(
      TrustRegion.replay(
        [([Int](repeating: 0, count: 24), 0)], parameters: 24, startup: 1, initialShare: 0.125)?
        .initialRadius == 3)
    #expect(
      TrustRegion.replay(
        [([Int](repeating: 0, count: 24), 0)], parameters: 24, startup: 1, initialShare: 0.001)?
        .initialRadius == 1)
    // A regrown region returns to the smaller start.
    let regrown = TrustRegion.replay(
      history, parameters: 16, startup: 1, regrowAtBest: true, initialShare: 0.125)
    #expect(regrown.map { $0.restarts > 0 && $0.radius <= 2 } == true)
  }

  @Test func theSpecTakesAShare() throws {
    try TrustRegionSpecTests.expectOption(
      "initial_radius", \.initialRadius, absent: 0.25, accepted: [("0.125", 0.125)],
      rejected: ["0", "1.5", "wide"])
  }
}
