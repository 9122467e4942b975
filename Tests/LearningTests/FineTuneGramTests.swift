import Annealing
import Foundation
import Testing

@testable import Learning

@Suite("Per-neuron rounding after fine-tuning: energy equals the projected residual")
struct FineTuneGramTests {
  @Test(arguments: [(4, 12, 2, UInt64(1)), (6, 15, 1, 2), (5, 9, 3, 3)])
  func energyEqualsProjectedResidualForEveryAssignment(
    d: Int, n: Int, bits: Int, seed: UInt64
  ) throws {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let x = (0..<(n * d)).map { _ in Double.random(in: -1...2, using: &rng) }
    let w = (0..<d).map { _ in Double.random(in: -1...1, using: &rng) }
    let grid = try QuantizationGrid(bits: bits)
    let s = grid.scale(w[...], rule: .maxabs)
    let h = try gramMatrix(x, rows: n, columns: d)
    let gram = fineTuneGram(h, mean: columnMeans(x, rows: n, columns: d), weights: w[...])
    let q = try RoundingQUBO(weights: w[...], scale: s, grid: grid, gram: gram)
    #expect(q.count >= d - 1)
    // The residual's directions: the scale (X w) and the bias (1).
    let columns = [
      (0..<n).map { r in (0..<d).reduce(0.0) { $0 + w[$1] * x[r * d + $1] } },
      [Double](repeating: 1, count: n),
    ]
    var removed = 0.0
    for code in 0..<(1 << q.count) {
      let z: [Int8] = (0..<q.count).map { Int8((code >> $0) & 1) }
      let c = q.codes(z)
      let e = (0..<d).map { w[$0] - s * Double(c[$0]) }
      let y = (0..<n).map { r in (0..<d).reduce(0.0) { $0 + e[$1] * x[r * d + $1] } }
      let direct = BlockFineTuneTests.projectedResidual(y, columns, rows: n)
      #expect(abs(q.energy(z) - direct) <= 1e-8 * max(1, direct), "assignment \(code)")
      removed = max(removed, quadraticForm(h, e) - direct)
    }
    #expect(removed > 1e-3, "fine-tuning removes part of the error")
  }
}
