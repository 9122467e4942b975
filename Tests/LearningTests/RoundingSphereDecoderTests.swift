import Annealing
import Foundation
import QUBOModel
import Testing

@testable import Learning

@Suite("Sphere decoding of rounding QUBOs agrees with enumeration")
struct RoundingSphereDecoderTests {
  /// A random row of `d` weights with `n` calibration rows (n < d makes the
  /// Gram matrix singular); inputs correlated through a shared factor.
  static func problem(d: Int, n: Int, bits: Int, seed: UInt64) throws -> (RoundingQUBO, [Double]) {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let w = (0..<d).map { _ in Double.random(in: -1...1, using: &rng) }
    var x = [Double]()
    for _ in 0..<n {
      let shared = Double.random(in: -1...1, using: &rng)
      for _ in 0..<d { x.append(shared + Double.random(in: -1...1, using: &rng)) }
    }
    let h = try gramMatrix(x, rows: n, columns: d)
    let grid = try QuantizationGrid(bits: bits)
    let q = try RoundingQUBO(
      weights: w[...], scale: grid.scale(w[...], rule: .maxabs), grid: grid, gram: h)
    return (q, h)
  }

  @Test(arguments: [
    (8, 50, 2, UInt64(1)), (12, 40, 2, 2), (16, 100, 3, 3), (20, 60, 2, 4), (20, 8, 2, 5),
    (18, 200, 4, 6), (20, 30, 3, 7), (14, 5, 2, 8), (16, 40, 1, 9),
  ])
  func agreesWithTheExactSolver(d: Int, n: Int, bits: Int, seed: UInt64) throws {
    let (q, h) = try Self.problem(d: d, n: n, bits: bits, seed: seed)
    let sphere = try RoundingSphereDecoder().solve(q, gram: h)
    #expect(sphere.proven)
    #expect(abs(q.energy(sphere.assignment) - sphere.energy) < 1e-12 * max(1, sphere.energy))
    let exact = try ExactSolver().sample(q.model, seed: 0)
    let lowest = try #require(exact.lowestEnergy)
    #expect(abs(sphere.energy - lowest) <= 1e-9 * max(1, abs(lowest)), "f = \(q.count)")
  }

  @Test func aGoodStartOnlyPrunes() throws {
    let (q, h) = try Self.problem(d: 20, n: 60, bits: 2, seed: 9)
    let cold = try RoundingSphereDecoder().solve(q, gram: h)
    let warm = try RoundingSphereDecoder().solve(q, gram: h, starts: [cold.assignment])
    #expect(warm.energy == cold.energy)
    #expect(warm.nodes <= cold.nodes)
  }

  @Test func theNodeBudgetIsReported() throws {
    let (q, h) = try Self.problem(d: 20, n: 60, bits: 2, seed: 10)
    var decoder = RoundingSphereDecoder()
    decoder.nodeLimit = 3
    #expect(try !decoder.solve(q, gram: h).proven)
  }
}
