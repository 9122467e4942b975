import Testing

@testable import Tuning

@Suite struct WindowNoiseTests {
  @Test func observationsOutsideTheWindowsCountLess() throws {
    let (_, features) = try LocalFeaturesTests.mixed()
    let center = features.center
    var edge = center
    edge[0] = try #require(features.grid.levels[0].first)
    var far = center
    far[0] = 0
    far[3] = 99
    var bitsOnly = center
    bitsOnly[1] = 0
    bitsOnly[2] = 0
    let w = features.windowNoise(full: [center, edge, far, bitsOnly])
    #expect(w[0] == 1)
    #expect(abs(w[1] - 2) < 1e-3, "the window's edge: \(w[1])")
    #expect(w[2] > 10, "far outside both windows: \(w[2])")
    // Parameters seen through bits do not localise the fit.
    #expect(w[3] == 1)
  }

  @Test func withoutWindowedParametersEveryObservationWeighsTheSame() throws {
    let space = try SearchSpace((0..<4).map { ("b\($0)", Distribution.bool) })
    let grid = try LocalGrid(full: space, center: [0, 1, 0, 1], resolution: 0.25)
    let encoded = try BitEncoding(space: grid.space, encodings: grid.encodings)
    let features = LocalFeatures(grid: grid, encoded: encoded, full: space)
    let w = features.windowNoise(full: [[1, 1, 1, 1], [0, 0, 0, 0], [0, 1, 0, 1]])
    #expect(w == [1, 1, 1])
  }
}
