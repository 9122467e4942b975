import Annealing
import Testing

@testable import Tuning

/// `model: bqr-cubic` (issue 17, seventh round): the regression's cubic
/// term over the bits, expanded to second order around the incumbent.
@Suite struct CubicTermTests {
  @Test func theExpansionEqualsTheCubicPartUpToTwoChanges() throws {
    let space = try SearchSpace(
      (0..<5).map { ("b\($0)", Distribution.bool) } + [
        ("c", .categorical(["a", "b", "c"])), ("n", .integer(low: 0, high: 3, step: 1)),
      ])
    var rng = Xoshiro256PlusPlus(seed: 3)
    let configurations = (0..<12).map { _ in space.randomConfiguration(using: &rng) }
    let weights = (0..<12).map { _ in Double.random(in: -1...1, using: &rng) }
    let center = [1, 0, 1, 1, 0, 2, 1]
    let grid = try LocalGrid(full: space, center: center, resolution: 1)
    let encoded = try BitEncoding(space: grid.space, encodings: grid.encodings)
    for order in HigherOrder.allCases {
      try check(order)
    }
    func check(_ order: HigherOrder) throws {
      let q = try #require(
        CubicTerm.expansion(
          configurations: configurations, weights: weights, grid: grid, encoded: encoded,
          full: space, order: order))
      func exact(_ x: [Int]) -> Double {
        let bits = encoded.bits(of: grid.local(x))
        var f = 0.0
        for (c, w) in zip(configurations, weights) {
          let other = encoded.bits(of: grid.local(c))
          var s = 0.0
          var d = 0.0
          for (u, v) in zip(bits, other) {
            if u == 1 && v == 1 { s += 1 }
            if u != v { d += 1 }
          }
          f += w * order.kernel(common: s, distance: d, bits: Double(bits.count))
        }
        return f
      }
      var checked = 0
      var far = 0.0
      for x in LocalFeaturesTests.everyLocal(grid.space.radices) {
        let full = grid.full(x)
        let energy = q.predict(encoded.bits(of: x))
        if TrustRegionSampler.distance(full, center) <= 2 {
          #expect(
            abs(energy - exact(full)) < 1e-9 * max(1, abs(exact(full))),
            "\(order) \(full): \(energy) vs \(exact(full))")
          checked += 1
        } else {
          far = max(far, abs(energy - exact(full)))
        }
      }
      // The incumbent, 5 + 2 + 3 one-change and 10 + 10 + 15 + 6 two-change ones.
      #expect(checked == 1 + 10 + 41)
      #expect(far > 1e-6)
    }
  }

  @Test func spinKernelsAreTheSumsOverTriplesAndQuadruples() {
    // Brute force over 6 spins: e3 and e4 of the products σ_i σ'_i.
    for d in 0...6 {
      let z = (0..<6).map { $0 < d ? -1.0 : 1.0 }
      var e3 = 0.0
      var e4 = 0.0
      for i in 0..<6 {
        for j in (i + 1)..<6 {
          for k in (j + 1)..<6 {
            e3 += z[i] * z[j] * z[k]
            for l in (k + 1)..<6 { e4 += z[i] * z[j] * z[k] * z[l] }
          }
        }
      }
      let dd = Double(d)
      #expect(abs(HigherOrder.spinTriples.kernel(common: 0, distance: dd, bits: 6) - e3) < 1e-9)
      #expect(
        abs(HigherOrder.spinTriplesAndQuadruples.kernel(common: 0, distance: dd, bits: 6) - e3 - e4)
          < 1e-9)
    }
  }

  @Test func theEvidenceAddsTheTermOnACubicObjectiveOnly() throws {
    // 10 bits; a pure cubic objective and a pure quadratic one.
    var rng = Xoshiro256PlusPlus(seed: 5)
    let xs = (0..<60).map { _ in (0..<10).map { _ in Int.random(in: 0...1, using: &rng) } }
    let rows = xs.map { x in x.enumerated().filter { $0.element == 1 }.map { ($0.offset, 1.0) } }
    let cubic = xs.map { x in Double(x[0] * x[1] * x[2] + x[3] * x[4] * x[5] - x[6] * x[7] * x[8]) }
    let quadratic = xs.map { x in Double(x[0] * x[1] - x[2] * x[3]) + 0.5 * Double(x[4]) }
    let regression = QuadraticRegression(thompson: false)
    let onCubic = try #require(
      regression.fitRanked(
        rows: rows, features: 10, losses: cubic, seed: 1, heldOut: false, cubic: .bitTriples))
    #expect(onCubic.cubic != nil)
    let onQuadratic = try #require(
      regression.fitRanked(
        rows: rows, features: 10, losses: quadratic, seed: 1, heldOut: false, cubic: .bitTriples))
    #expect(onQuadratic.cubic == nil)
    // Off: the fit is the plain regression's.
    let plain = try #require(
      regression.fitRanked(rows: rows, features: 10, losses: cubic, seed: 1, heldOut: false))
    #expect(plain.cubic == nil)
  }
}
