import Foundation
import Testing

@testable import Tuning

@Suite struct ContinuousPolishTests {
  /// The model `(d_x − target)²` over the mixed space of LocalFeaturesTests,
  /// with a small pull on the categorical's bits that the polish must not
  /// act on.
  static func bowl(_ features: LocalFeatures, target: Double) -> FeatureQuadratic {
    let f = features.count
    var q = FeatureQuadratic(
      offset: target * target, linear: [Double](repeating: 0, count: f),
      pairs: (0..<f).map { [Double](repeating: 0, count: f - $0 - 1) })
    q.linear[features.features[0][0]] = -2 * target
    q.linear[features.features[0][1]] = 1
    for b in features.features[1] { q.linear[b] = -0.5 }
    return q
  }

  @Test func theModelsMinimumBetweenLevelsIsReached() throws {
    let (space, features) = try LocalFeaturesTests.mixed()
    let center = features.center
    let target = 0.037
    let want = center[0] + Int((target * Double(space.radices[0] - 1)).rounded())
    // The levels of the window are 0.025 of the range apart: the nearest
    // one is 0.012 from the optimum.
    let levelError = features.grid.levels[0].map { abs($0 - want) }.min() ?? 0
    #expect(levelError > 10_000)
    let q = Self.bowl(features, target: target)
    // From the level above the incumbent's (d = 0.025): its neighbours are
    // d = 0 and d = 0.05, around the optimum.
    var start = center
    start[0] = features.grid.levels[0][features.grid.centerLevels[0] + 1]
    let p = ContinuousPolish().polish(start, model: q, features: features)
    #expect(abs(p.configuration[0] - want) <= 1, "\(p.configuration[0]) vs \(want)")
    #expect(abs(p.predicted - q.predict(features.row(full: p.configuration))) < 1e-12)
    #expect(p.predicted < 1e-10)
    // Parameters seen through bits are the annealer's: unchanged.
    #expect(Array(p.configuration[1...2]) == Array(center[1...2]))
  }

  @Test func thePolishStaysBetweenTheNeighbouringLevels() throws {
    let (_, features) = try LocalFeaturesTests.mixed()
    let q = Self.bowl(features, target: 0.5)
    let p = ContinuousPolish().polish(features.center, model: q, features: features)
    #expect(p.configuration[0] == features.grid.levels[0][features.grid.centerLevels[0] + 1])
  }
}
