import Foundation
import QUBOModel
import Testing

@testable import Learning

@Suite("Block QUBO after fine-tuning: energy equals the projected Gauss–Newton residual")
struct BlockFineTuneTests {
  static func block(
    fanIn: Int, hidden: Int, outputs: Int, n: Int, bits: Int, seed: UInt64, afterFineTune: Bool
  ) throws -> BlockQUBO {
    let q = try BlockQUBOTests.block(
      fanIn: fanIn, hidden: hidden, outputs: outputs, n: n, bits: bits, seed: seed)
    return try BlockQUBO(
      first: q.first, second: q.second, fanIn: fanIn, hidden: hidden, outputs: outputs,
      firstScales: q.firstScales, secondScales: q.secondScales,
      grid: QuantizationGrid(bits: bits), inputs: q.inputs,
      hiddenActivations: q.hiddenActivations, gains: q.gains, rows: n,
      afterFineTune: afterFineTune)
  }

  /// The logits error of every row, `J_r e`, by the formula of the
  /// derivation: `V (g_r ∘ E x_r) + F h_r`.
  static func residual(_ q: BlockQUBO, first a: [Int], second b: [Int]) -> [Double] {
    var out = [Double]()
    for r in 0..<q.rows {
      for o in 0..<q.outputs {
        var z = 0.0
        for j in 0..<q.hidden {
          var s = 0.0
          for i in 0..<q.fanIn {
            let e = q.first[j * q.fanIn + i] - q.firstScales[j] * Double(a[j * q.fanIn + i])
            s += e * q.inputs[r * q.fanIn + i]
          }
          let f = q.second[o * q.hidden + j] - q.secondScales[o] * Double(b[o * q.hidden + j])
          z += q.second[o * q.hidden + j] * q.gains[r * q.hidden + j] * s
            + f * q.hiddenActivations[r * q.hidden + j]
        }
        out.append(z)
      }
    }
    return out
  }

  /// The logits directions of every neuron's scale and bias, written out
  /// entry by entry (row r, output o).
  static func directions(_ q: BlockQUBO) -> [[Double]] {
    var columns = [[Double]]()
    for j in 0..<q.hidden {
      var scale = [Double](), bias = [Double]()
      for r in 0..<q.rows {
        var pre = 0.0
        for i in 0..<q.fanIn { pre += q.first[j * q.fanIn + i] * q.inputs[r * q.fanIn + i] }
        for o in 0..<q.outputs {
          let d = q.second[o * q.hidden + j] * q.gains[r * q.hidden + j]
          scale.append(d * pre)
          bias.append(d)
        }
      }
      columns += [scale, bias]
    }
    for o in 0..<q.outputs {
      var scale = [Double](), bias = [Double]()
      for r in 0..<q.rows {
        var z = 0.0
        for t in 0..<q.hidden {
          z += q.second[o * q.hidden + t] * q.hiddenActivations[r * q.hidden + t]
        }
        for o2 in 0..<q.outputs {
          scale.append(o2 == o ? z : 0)
          bias.append(o2 == o ? 1 : 0)
        }
      }
      columns += [scale, bias]
    }
    return columns
  }

  /// `min_δ ‖y + D δ‖² / n` by modified Gram–Schmidt on the columns of D:
  /// the squared norm of y's component orthogonal to their span.
  static func projectedResidual(_ y: [Double], _ columns: [[Double]], rows n: Int) -> Double {
    var basis = [[Double]]()
    for c in columns {
      var v = c
      for u in basis {
        let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
        for t in v.indices { v[t] -= dot * u[t] }
      }
      let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      let scale = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
      if norm > 1e-9 * max(scale, 1e-300) { basis.append(v.map { $0 / norm }) }
    }
    var r = y
    for u in basis {
      let dot = zip(u, r).reduce(0) { $0 + $1.0 * $1.1 }
      for t in r.indices { r[t] -= dot * u[t] }
    }
    return r.reduce(0) { $0 + $1 * $1 } / Double(n)
  }

  @Test(arguments: [
    (2, 2, 2, 10, 2, UInt64(1)), (3, 2, 2, 12, 2, 2), (2, 3, 1, 12, 3, 3), (2, 2, 3, 10, 1, 4),
  ])
  func energyEqualsProjectedResidualForEveryAssignment(
    fanIn: Int, hidden: Int, outputs: Int, n: Int, bits: Int, seed: UInt64
  ) throws {
    let q = try Self.block(
      fanIn: fanIn, hidden: hidden, outputs: outputs, n: n, bits: bits, seed: seed,
      afterFineTune: true)
    #expect(q.rows * q.outputs > 2 * (hidden + outputs), "more residuals than parameters")
    let f = q.rounding.free.count
    #expect(f > hidden * fanIn / 2 && f <= 14)
    #expect(q.rounding.free.contains { $0 >= hidden * fanIn }, "second-layer variables")
    let columns = Self.directions(q)
    var removed = 0.0
    for code in 0..<(1 << f) {
      let z: [Int8] = (0..<f).map { Int8((code >> $0) & 1) }
      let (a, b) = q.codes(z)
      let direct = Self.projectedResidual(Self.residual(q, first: a, second: b), columns, rows: n)
      #expect(abs(q.model.energy(z) - direct) <= 1e-7 * max(1, direct), "assignment \(code)")
      let whole = try q.gaussNewtonError(first: a, second: b)
      #expect(direct <= whole + 1e-12)
      removed = max(removed, whole - direct)
    }
    #expect(removed > 1e-3, "fine-tuning removes part of the error")
  }

  /// The library's logits errors (GEMMs) agree with the formula above.
  @Test func logitsErrorsMatchTheFormula() throws {
    let q = try Self.block(
      fanIn: 4, hidden: 3, outputs: 2, n: 9, bits: 2, seed: 5, afterFineTune: false)
    let z = (0..<q.rounding.free.count).map { Int8($0 % 2) }
    let (a, b) = q.codes(z)
    let library = try q.logitsErrors(first: a, second: b)
    let formula = Self.residual(q, first: a, second: b)
    #expect(zip(library, formula).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
  }
}
