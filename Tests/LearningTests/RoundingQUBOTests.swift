import Annealing
import Foundation
import QUBOModel
import Testing

@testable import Learning

@Suite("Rounding QUBO: exact energies, solvers on enumerable layers")
struct RoundingQUBOTests {
  /// A random layer: `rows × d` weights and `n × d` inputs (one input column
  /// is zero, so its weights must be fixed).
  static func layer(rows: Int, d: Int, n: Int, seed: UInt64) throws
    -> (w: [Double], x: [Double], h: [Double])
  {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let w = (0..<(rows * d)).map { _ in Double.random(in: -1...1, using: &rng) }
    var x = (0..<(n * d)).map { _ in Double.random(in: -2...2, using: &rng) }
    for r in 0..<n { x[r * d + d - 1] = 0 }
    return (w, x, try gramMatrix(x, rows: n, columns: d))
  }

  /// `‖X(w − ŵ)‖²/n` computed directly from the inputs.
  static func reconstructionError(_ x: [Double], n: Int, w: ArraySlice<Double>, _ wq: [Double])
    -> Double
  {
    let d = wq.count
    var total = 0.0
    for r in 0..<n {
      var z = 0.0
      for i in 0..<d { z += x[r * d + i] * (w[w.startIndex + i] - wq[i]) }
      total += z * z
    }
    return total / Double(n)
  }

  @Test(arguments: [1, 2, 3, 4], [ScaleRule.maxabs, .mse])
  func energyOfEveryRoundingIsTheReconstructionError(bits: Int, rule: ScaleRule) throws {
    let grid = try QuantizationGrid(bits: bits)
    for seed in 0..<6 as Range<UInt64> {
      let (w, x, h) = try Self.layer(rows: 3, d: 9, n: 20, seed: seed)
      for j in 0..<3 {
        let row = w[(j * 9)..<((j + 1) * 9)]
        let s = grid.scale(row, rule: rule)
        let q = try RoundingQUBO(weights: row, scale: s, grid: grid, gram: h)
        #expect(!q.free.contains(8), "a weight on a zero input must be fixed")
        #expect(q.count <= 8)
        let model = q.model
        for mask in 0..<(1 << q.count) {
          let bits = (0..<q.count).map { Int8((mask >> $0) & 1) }
          let codes = q.codes(bits)
          #expect(codes.allSatisfy { abs($0) <= grid.qmax })
          #expect(grid.bits > 1 || codes.allSatisfy { $0 == 1 || $0 == -1 })
          let wq = codes.map { s * Double($0) }
          let direct = Self.reconstructionError(x, n: 20, w: row, wq)
          let e = q.energy(bits)
          #expect(abs(e - direct) <= 1e-9 * max(1, direct), "mask \(mask): \(e) vs \(direct)")
          #expect(abs(model.energy(bits.map { Int8($0) }) - direct) <= 1e-9 * max(1, direct))
          #expect(q.assignment(codes) == bits)
        }
      }
    }
  }

  @Test func everyCodeIsWithinOneStepOfTheWeight() throws {
    let grid = try QuantizationGrid(bits: 2)
    let (w, _, h) = try Self.layer(rows: 1, d: 9, n: 20, seed: 42)
    let s = grid.scale(w[0..<9], rule: .maxabs)
    let q = try RoundingQUBO(weights: w[0..<9], scale: s, grid: grid, gram: h)
    let zeros = [Int8](repeating: 0, count: q.count)
    let ones = [Int8](repeating: 1, count: q.count)
    let (lo, hi) = (q.codes(zeros), q.codes(ones))
    for i in q.free {
      #expect(hi[i] == lo[i] + 1)
      #expect(Double(lo[i]) * s <= w[i] + 1e-12 || lo[i] == -grid.qmax)
      #expect(Double(hi[i]) * s >= w[i] - 1e-12 || hi[i] == grid.qmax)
    }
    for i in 0..<9 where !q.free.contains(i) { #expect(lo[i] == hi[i]) }
  }

  @Test(arguments: [2, 3, 4])
  func mseScaleHasTheSmallestWeightErrorOnItsGrid(bits: Int) throws {
    let grid = try QuantizationGrid(bits: bits)
    func error(_ w: ArraySlice<Double>, _ s: Double) -> Double {
      w.reduce(0) { $0 + pow($1 - s * Double(grid.nearest($1, scale: s)), 2) }
    }
    var differs = 0
    for seed in 0..<10 as Range<UInt64> {
      let (w, _, _) = try Self.layer(rows: 1, d: 30, n: 2, seed: 900 + seed)
      let row = w[0..<30]
      let m = grid.scale(row, rule: .maxabs)
      let s = grid.scale(row, rule: .mse)
      #expect(error(row, s) <= error(row, m))
      for k in 0...40 { #expect(error(row, s) <= error(row, m * (0.2 + 0.02 * Double(k))) + 1e-12) }
      if s != m { differs += 1 }
    }
    #expect(differs > 0, "the MSE rule never moved the scale")
  }

  static func optimum(_ q: RoundingQUBO) -> Double {
    (0..<(1 << q.count)).map { mask in
      q.energy((0..<q.count).map { Int8((mask >> $0) & 1) })
    }.min()!
  }

  @Test(arguments: ["sqa", "sa", "tabu"])
  func annealerFindsTheOptimalRounding(sampler: String) throws {
    var fields: [String: JSONValue] = ["sampler": .string(sampler), "reads": .int(8)]
    if sampler != "tabu" { fields["sweeps"] = .int(200) }
    let config = try SamplerConfiguration(json: .object(fields))
    let solver = RoundingSolver(annealer: config)
    let grid = try QuantizationGrid(bits: 2)
    for seed in 0..<5 as Range<UInt64> {
      let (w, _, h) = try Self.layer(rows: 2, d: 15, n: 30, seed: 100 + seed)
      for j in 0..<2 {
        let row = w[(j * 15)..<((j + 1) * 15)]
        let q = try RoundingQUBO(
          weights: row, scale: grid.scale(row, rule: .mse), grid: grid, gram: h)
        let best = Self.optimum(q)
        let bits = try solver.anneal(q, weights: row, seed: seed)
        #expect(abs(q.energy(bits) - best) <= 1e-9 * max(1, abs(best)))
        let rtn = RoundingSolver.nearest(q, weights: row)
        let greedy = RoundingSolver.descend(q, from: rtn)
        #expect(q.energy(greedy) <= q.energy(rtn) + 1e-12)
        #expect(q.energy(greedy) >= best - 1e-12)
      }
    }
  }

  @Test func greedyDescentEndsInALocalMinimum() throws {
    let grid = try QuantizationGrid(bits: 3)
    let (w, _, h) = try Self.layer(rows: 1, d: 12, n: 25, seed: 9)
    let q = try RoundingQUBO(
      weights: w[0..<12], scale: grid.scale(w[0..<12], rule: .maxabs), grid: grid, gram: h)
    let x = RoundingSolver.descend(q, from: RoundingSolver.nearest(q, weights: w[0..<12]))
    for a in 0..<q.count {
      var y = x
      y[a] = 1 - y[a]
      #expect(q.energy(y) >= q.energy(x) - 1e-12)
    }
  }

  @Test func gptqBeatsNearestOnAverage() throws {
    let grid = try QuantizationGrid(bits: 2)
    var gptqTotal = 0.0
    var rtnTotal = 0.0
    for seed in 0..<10 as Range<UInt64> {
      let (w, _, h) = try Self.layer(rows: 4, d: 10, n: 40, seed: 500 + seed)
      let scales = (0..<4).map { grid.scale(w[($0 * 10)..<(($0 + 1) * 10)], rule: .maxabs) }
      let codes = try GPTQ.codes(
        weights: w, rows: 4, columns: 10, scales: scales, grid: grid, gram: h)
      for j in 0..<4 {
        let eg = (0..<10).map { w[j * 10 + $0] - scales[j] * Double(codes[j * 10 + $0]) }
        let er = (0..<10).map {
          w[j * 10 + $0] - scales[j] * Double(grid.nearest(w[j * 10 + $0], scale: scales[j]))
        }
        gptqTotal += quadraticForm(h, eg)
        rtnTotal += quadraticForm(h, er)
      }
    }
    #expect(gptqTotal < rtnTotal)
  }

  @Test func choleskyInverse() throws {
    let a = [4.0, 2, 0.5, 2, 3, 0.2, 0.5, 0.2, 1]
    let inv = try #require(GPTQ.invertSPD(a, 3))
    for i in 0..<3 {
      for j in 0..<3 {
        let p = (0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * inv[$1 * 3 + j] }
        #expect(abs(p - (i == j ? 1 : 0)) < 1e-12)
      }
    }
    #expect(GPTQ.invertSPD([1, 2, 2, 1], 2) == nil)
  }
}
