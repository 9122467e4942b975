import Annealing
import Foundation
import QUBOModel
import Testing

@testable import Learning

@Suite("Coupled layer QUBO: energy equals the directly computed block error")
struct CoupledLayerQUBOTests {
  static func random(_ count: Int, _ range: ClosedRange<Double>, _ rng: inout Xoshiro256PlusPlus)
    -> [Double]
  {
    (0..<count).map { _ in Double.random(in: range, using: &rng) }
  }

  @Test(arguments: [
    (3, 2, 2, 5, 2, UInt64(1)), (4, 3, 2, 7, 2, 2), (2, 3, 4, 4, 3, 3), (5, 2, 1, 9, 2, 4),
    (3, 3, 2, 6, 1, 5),
  ])
  func energyEqualsBlockErrorForEveryAssignment(
    fanIn: Int, fanOut: Int, nextWidth: Int, n: Int, bits: Int, seed: UInt64
  ) throws {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let w = Self.random(fanOut * fanIn, -1...1, &rng)
    let x = Self.random(n * fanIn, -2...2, &rng)
    let g = Self.random(n * fanOut, 0...1, &rng)
    let v = Self.random(nextWidth * fanOut, -1...1, &rng)
    let grid = try QuantizationGrid(bits: bits)
    let scales = (0..<fanOut).map {
      grid.scale(w[($0 * fanIn)..<(($0 + 1) * fanIn)], rule: .maxabs)
    }
    let q = try CoupledLayerQUBO(
      weights: w, fanIn: fanIn, fanOut: fanOut, scales: scales, grid: grid, inputs: x, rows: n,
      gains: g, next: v, nextWidth: nextWidth)
    let f = q.free.count
    #expect(f >= fanIn)
    for code in 0..<(1 << f) {
      let z: [Int8] = (0..<f).map { Int8((code >> $0) & 1) }
      let direct = try q.blockError(codes: q.codes(z))
      let energy = q.model.energy(z)
      #expect(abs(energy - direct) <= 1e-9 * max(1, direct), "assignment \(code)")
    }
  }

  /// With V = I and unit gains the coupled QUBO is the sum of the per-neuron
  /// QUBOs (their Gram is XᵀX/n).
  @Test func identityNextLayerIsTheSumOfPerNeuronQUBOs() throws {
    var rng = Xoshiro256PlusPlus(seed: 5)
    let (fanIn, fanOut, n) = (4, 3, 6)
    let w = Self.random(fanOut * fanIn, -1...1, &rng)
    let x = Self.random(n * fanIn, -2...2, &rng)
    let grid = try QuantizationGrid(bits: 2)
    let scales = (0..<fanOut).map {
      grid.scale(w[($0 * fanIn)..<(($0 + 1) * fanIn)], rule: .maxabs)
    }
    let eye = (0..<(fanOut * fanOut)).map { $0 / fanOut == $0 % fanOut ? 1.0 : 0 }
    let q = try CoupledLayerQUBO(
      weights: w, fanIn: fanIn, fanOut: fanOut, scales: scales, grid: grid, inputs: x, rows: n,
      gains: [Double](repeating: 1, count: n * fanOut), next: eye, nextWidth: fanOut)
    let h = try gramMatrix(x, rows: n, columns: fanIn)
    let codes = (0..<(fanOut * fanIn)).map { grid.nearest(w[$0], scale: scales[$0 / fanIn]) }
    var sum = 0.0
    for j in 0..<fanOut {
      let row = w[(j * fanIn)..<((j + 1) * fanIn)]
      let per = try RoundingQUBO(weights: row, scale: scales[j], grid: grid, gram: h)
      sum += per.energy(per.assignment(Array(codes[(j * fanIn)..<((j + 1) * fanIn)])))
    }
    #expect(try abs(q.blockError(codes: codes) - sum) < 1e-9 * max(1, sum))
  }
}
