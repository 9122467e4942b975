import Foundation
import Testing

@testable import Tuning

@Suite struct FineNoiseTests {
  /// A converging search on a 1-D quadratic the features (d, d²) represent
  /// exactly: 16 points spread over the range and 8 within ±0.004 of the
  /// incumbent at 0.3, localised to that window as the sampler does.
  static func converged() -> (rows: [[(Int, Double)]], losses: [Double], scale: [Double]) {
    let near = (0..<8).map { 0.296 + 0.008 * Double($0) / 7 }
    let xs = (0..<16).map { Double($0) / 15 } + near
    let rows = xs.map { x in [(0, x - 0.3), (1, (x - 0.3) * (x - 0.3))] }
    let losses = xs.map { 3 * ($0 - 0.3) * ($0 - 0.3) + 0.5 * ($0 - 0.3) }
    return (rows, losses, xs.map { 1 + pow(($0 - 0.3) / 0.004, 2) })
  }

  @Test func fineNoiseLevelsFollowLossesCloserThanAPercentOfTheirSpread() throws {
    let (rows, losses, scale) = Self.converged()
    let model = try #require(
      QuadraticRegression(thompson: false).fit(
        rows: rows, features: 2, losses: losses, seed: 1, noiseScale: scale, fine: true))
    // The near points' losses span 0.004 of a spread of about 1.3; with
    // σ² ≥ 10⁻⁴ (the standard grid) the fit misses them by up to 7·10⁻⁴.
    for (row, loss) in zip(rows, losses).suffix(8) {
      #expect(abs(model.predict(row) - loss) < 1e-5, "at d = \(row[0].1)")
    }
  }

  @Test func aSharpMinimumIsFollowedWithTheWiderPriorScales() throws {
    // The smooth benchmark's ripple near its minimum: curvature 9 on top
    // of the bowl's 1, losses of 10⁻⁴ on a spread of 0.4. With prior
    // scales of at most 1 on standardised losses the fit shrinks that
    // curvature away (errors up to 4.6·10⁻⁴ on the near points; 1.4·10⁻⁴
    // with scales up to 10).
    let f = { (x: Double) in
      (x - 0.3) * (x - 0.3) + 0.05 * (1 - cos(6 * Double.pi * (x - 0.3)))
    }
    let near = (0..<8).map { 0.296 + 0.008 * Double($0) / 7 }
    let xs = (0..<16).map { Double($0) / 15 } + near
    let rows = xs.map { x in [(0, x - 0.3), (1, (x - 0.3) * (x - 0.3))] }
    let scale = xs.map { 1 + pow(($0 - 0.3) / 0.004, 2) }
    let model = try #require(
      QuadraticRegression(thompson: false).fit(
        rows: rows, features: 2, losses: xs.map(f), seed: 1, noiseScale: scale, fine: true))
    for (row, x) in zip(rows, xs).suffix(8) {
      #expect(abs(model.predict(row) - f(x)) < 2.5e-4, "at d = \(row[0].1)")
    }
  }

  @Test func spacesWithoutContinuousParametersKeepTheirGrid() {
    #expect(QuadraticRegression.grid.allSatisfy { $0.2 >= 1e-4 && $0.0 <= 1 })
    #expect(QuadraticRegression.grid.count == 18)
    #expect(QuadraticRegression.fineGrid.contains { $0.2 < 1e-6 })
    #expect(QuadraticRegression.fineGrid.contains { $0.0 == 10 })
    #expect(QuadraticRegression.fineGrid.count == 45)
  }
}
