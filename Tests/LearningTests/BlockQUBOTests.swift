import Annealing
import Foundation
import QUBOModel
import Testing

@testable import Learning

@Suite("Block QUBO: energy equals the directly computed Gauss–Newton logits error")
struct BlockQUBOTests {
  static func random(_ count: Int, _ range: ClosedRange<Double>, _ rng: inout Xoshiro256PlusPlus)
    -> [Double]
  {
    (0..<count).map { _ in Double.random(in: range, using: &rng) }
  }

  static func block(
    fanIn: Int, hidden: Int, outputs: Int, n: Int, bits: Int, seed: UInt64
  ) throws -> BlockQUBO {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let w = random(hidden * fanIn, -1...1, &rng)
    let v = random(outputs * hidden, -1...1, &rng)
    let b = random(hidden, -0.5...0.5, &rng)
    let x = random(n * fanIn, -2...2, &rng)
    var h = [Double](repeating: 0, count: n * hidden)
    for r in 0..<n {
      for j in 0..<hidden {
        var s = b[j]
        for i in 0..<fanIn { s += w[j * fanIn + i] * x[r * fanIn + i] }
        h[r * hidden + j] = tanh(s)
      }
    }
    let grid = try QuantizationGrid(bits: bits)
    let s1 = (0..<hidden).map { grid.scale(w[($0 * fanIn)..<(($0 + 1) * fanIn)], rule: .maxabs) }
    let s2 = (0..<outputs).map { grid.scale(v[($0 * hidden)..<(($0 + 1) * hidden)], rule: .maxabs) }
    return try BlockQUBO(
      first: w, second: v, fanIn: fanIn, hidden: hidden, outputs: outputs, firstScales: s1,
      secondScales: s2, grid: grid, inputs: x, hiddenActivations: h,
      gains: h.map { 1 - $0 * $0 }, rows: n)
  }

  @Test(arguments: [
    (2, 2, 2, 5, 2, UInt64(1)), (3, 2, 2, 7, 2, 2), (2, 3, 1, 4, 3, 3), (2, 2, 3, 6, 1, 4),
  ])
  func energyEqualsGaussNewtonErrorForEveryAssignment(
    fanIn: Int, hidden: Int, outputs: Int, n: Int, bits: Int, seed: UInt64
  ) throws {
    let q = try Self.block(
      fanIn: fanIn, hidden: hidden, outputs: outputs, n: n, bits: bits, seed: seed)
    let f = q.rounding.free.count
    #expect(f > hidden * fanIn / 2 && f <= 14)
    #expect(q.rounding.free.contains { $0 >= hidden * fanIn }, "second-layer variables")
    for code in 0..<(1 << f) {
      let z: [Int8] = (0..<f).map { Int8((code >> $0) & 1) }
      let (a, b) = q.codes(z)
      let direct = try q.gaussNewtonError(first: a, second: b)
      #expect(abs(q.model.energy(z) - direct) <= 1e-9 * max(1, direct), "assignment \(code)")
    }
  }

  /// The Gauss–Newton error is the first-order logits error: for codes a
  /// tiny distance from the float weights it matches the true change of the
  /// logits (checked by finite differences through a small step t).
  @Test func gaussNewtonErrorIsTheLinearizedLogitsError() throws {
    let q = try Self.block(fanIn: 3, hidden: 2, outputs: 2, n: 5, bits: 2, seed: 9)
    let z = [Int8](repeating: 0, count: q.rounding.free.count)
    let (a, b) = q.codes(z)
    let e1 = try q.gaussNewtonError(first: a, second: b)
    // Recompute with W, V from the QUBO's own data: error of the tanh net
    // between float weights and the weights moved by t·(ŵ − w), over t².
    let t = 1e-5
    var total = 0.0
    for r in 0..<q.rows {
      for o in 0..<q.outputs {
        var z0 = 0.0
        var z1 = 0.0
        for j in 0..<q.hidden {
          var s = 0.0
          var s1 = 0.0
          for i in 0..<q.fanIn {
            let wf = q.first[j * q.fanIn + i]
            let wq = q.firstScales[j] * Double(a[j * q.fanIn + i])
            s += wf * q.inputs[r * q.fanIn + i]
            s1 += (wf + t * (wq - wf)) * q.inputs[r * q.fanIn + i]
          }
          // The bias: atanh(h) − s recovers it from the float activations.
          let bias = atanh(q.hiddenActivations[r * q.hidden + j]) - s
          let vf = q.second[o * q.hidden + j]
          let vq = q.secondScales[o] * Double(b[o * q.hidden + j])
          z0 += vf * tanh(s + bias)
          z1 += (vf + t * (vq - vf)) * tanh(s1 + bias)
        }
        total += (z1 - z0) * (z1 - z0)
      }
    }
    let linearized = total / Double(q.rows) / (t * t)
    #expect(abs(linearized - e1) <= 1e-3 * max(1, e1))
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func refinementNeverEndsAboveItsStart(seed: UInt64) throws {
    let q = try Self.block(fanIn: 6, hidden: 5, outputs: 3, n: 20, bits: 2, seed: seed)
    var rng = Xoshiro256PlusPlus(seed: seed &+ 100)
    let start: [Int8] = (0..<q.rounding.free.count).map { _ in Int8.random(in: 0...1, using: &rng) }
    var refinement = CoupledRefinement()
    refinement.sweeps = 50
    let bits = try refinement.refine(q.model, start: start, seed: seed)
    #expect(q.model.energy(bits) <= q.model.energy(start) + 1e-12)
    #expect(q.model.energy(bits) < q.model.energy(start), "a random start is improved")
  }
}
