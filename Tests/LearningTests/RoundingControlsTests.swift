import Annealing
import Foundation
import QUBOModel
import Testing

@testable import Learning

@Suite("Rounding controls: AdaRound, GPTQ + greedy passes, multi-start tabu, McNemar")
struct RoundingControlsTests {
  static func optimum(_ q: RoundingQUBO) -> Double {
    (0..<(1 << q.count)).map { mask in
      q.energy((0..<q.count).map { Int8((mask >> $0) & 1) })
    }.min() ?? q.offset
  }

  /// With a diagonal Gram matrix the QUBO is separable and its optimum is
  /// round-to-nearest; AdaRound's relaxation must find exactly that.
  @Test(arguments: [1, 2, 3])
  func adaRoundSolvesSeparableQUBOsExactly(bits: Int) throws {
    let grid = try QuantizationGrid(bits: bits)
    var rng = Xoshiro256PlusPlus(seed: 5)
    let d = 12
    for _ in 0..<5 {
      let w = (0..<d).map { _ in Double.random(in: -1...1, using: &rng) }
      var h = [Double](repeating: 0, count: d * d)
      for i in 0..<d { h[i * d + i] = Double.random(in: 0.5...2, using: &rng) }
      let q = try RoundingQUBO(
        weights: w[...], scale: grid.scale(w[...], rule: .mse), grid: grid, gram: h)
      let bits = AdaRound().solve(q, weights: w[...])
      #expect(abs(q.energy(bits) - Self.optimum(q)) <= 1e-9 * max(1, q.offset))
      #expect(bits == RoundingSolver.nearest(q, weights: w[...]))
    }
  }

  /// On coupled QUBOs AdaRound is deterministic and lands between the
  /// optimum and round-to-nearest on average.
  @Test func adaRoundImprovesOnNearestOnCoupledQUBOs() throws {
    let grid = try QuantizationGrid(bits: 2)
    var (ada, rtn, best) = (0.0, 0.0, 0.0)
    for seed in 0..<6 as Range<UInt64> {
      let (w, _, h) = try RoundingQUBOTests.layer(rows: 2, d: 13, n: 30, seed: 300 + seed)
      for j in 0..<2 {
        let row = w[(j * 13)..<((j + 1) * 13)]
        let q = try RoundingQUBO(
          weights: row, scale: grid.scale(row, rule: .mse), grid: grid, gram: h)
        let bits = AdaRound().solve(q, weights: row)
        #expect(bits == AdaRound().solve(q, weights: row))
        ada += q.energy(bits)
        rtn += q.energy(RoundingSolver.nearest(q, weights: row))
        best += Self.optimum(q)
      }
    }
    #expect(ada < rtn)
    #expect(ada >= best - 1e-9)
  }

  /// Greedy passes after GPTQ (or after round-to-nearest) never raise the
  /// error, and end where no single weight can move to another code and
  /// lower it.
  @Test(arguments: [1, 2, 3])
  func greedyPassesEndInACoordinateMinimum(bits: Int) throws {
    let grid = try QuantizationGrid(bits: bits)
    let d = 10
    let (w, _, h) = try RoundingQUBOTests.layer(rows: 3, d: d, n: 25, seed: UInt64(40 + bits))
    let scales = (0..<3).map { grid.scale(w[($0 * d)..<(($0 + 1) * d)], rule: .maxabs) }
    let gptq = try GPTQ.codes(
      weights: w, rows: 3, columns: d, scales: scales, grid: grid, gram: h)
    let nearest = (0..<(3 * d)).map { grid.nearest(w[$0], scale: scales[$0 / d]) }
    func error(_ c: [Int], _ j: Int) -> Double {
      quadraticForm(h, (0..<d).map { w[j * d + $0] - scales[j] * Double(c[$0]) })
    }
    let levels = grid.isBinary ? [-1, 1] : Array(-grid.qmax...grid.qmax)
    for (codes, j) in [gptq, nearest].flatMap({ c in (0..<3).map { (c, $0) } }) {
      var row = Array(codes[(j * d)..<((j + 1) * d)])
      let before = error(row, j)
      GreedyPasses.refine(
        codes: &row, weights: w[(j * d)..<((j + 1) * d)], scale: scales[j], grid: grid, gram: h)
      let after = error(row, j)
      #expect(after <= before + 1e-12)
      for i in 0..<d where h[i * d + i] > 0 {
        for level in levels {
          var moved = row
          moved[i] = level
          #expect(error(moved, j) >= after - 1e-9 * max(1, after), "weight \(i) → \(level)")
        }
      }
    }
  }

  /// Multi-start tabu finds the enumerated optimum of small rounding QUBOs.
  @Test func tabuFindsTheOptimum() throws {
    let grid = try QuantizationGrid(bits: 2)
    let solver = RoundingSolver(annealer: nil)
    for seed in 0..<4 as Range<UInt64> {
      let (w, _, h) = try RoundingQUBOTests.layer(rows: 2, d: 14, n: 30, seed: 500 + seed)
      for j in 0..<2 {
        let row = w[(j * 14)..<((j + 1) * 14)]
        let q = try RoundingQUBO(
          weights: row, scale: grid.scale(row, rule: .mse), grid: grid, gram: h)
        let bits = try solver.searchTabu(q, seed: seed)
        #expect(abs(q.energy(bits) - Self.optimum(q)) <= 1e-9 * max(1, q.offset))
      }
    }
  }

  /// Warm-started annealing of a coupled layer never ends above its start,
  /// is reproducible, and on an enumerable layer reaches the optimum.
  @Test func coupledRefinementImprovesItsStart() throws {
    var rng = Xoshiro256PlusPlus(seed: 11)
    let (fanIn, fanOut, nextWidth, n) = (4, 3, 2, 12)
    let w = (0..<(fanIn * fanOut)).map { _ in Double.random(in: -1...1, using: &rng) }
    let x = (0..<(n * fanIn)).map { _ in Double.random(in: -2...2, using: &rng) }
    let g = (0..<(n * fanOut)).map { _ in Double.random(in: 0...1, using: &rng) }
    let v = (0..<(nextWidth * fanOut)).map { _ in Double.random(in: -1...1, using: &rng) }
    let grid = try QuantizationGrid(bits: 2)
    let scales = (0..<fanOut).map {
      grid.scale(w[($0 * fanIn)..<(($0 + 1) * fanIn)], rule: .maxabs)
    }
    let q = try CoupledLayerQUBO(
      weights: w, fanIn: fanIn, fanOut: fanOut, scales: scales, grid: grid, inputs: x, rows: n,
      gains: g, next: v, nextWidth: nextWidth)
    let f = q.free.count
    let optimum = (0..<(1 << f)).map { mask in
      q.model.energy((0..<f).map { Int8((mask >> $0) & 1) })
    }.min() ?? 0
    let nearest = (0..<w.count).map { grid.nearest(w[$0], scale: scales[$0 / fanIn]) }
    let start = CoupledRefinement.assignment(q, codes: nearest)
    #expect(q.codes(start) == nearest)
    var refinement = CoupledRefinement()
    refinement.reads = 4
    let bits = try refinement.refine(q, start: start, seed: 3)
    #expect(bits == (try refinement.refine(q, start: start, seed: 3)))
    #expect(q.model.energy(bits) <= q.model.energy(start) + 1e-12)
    #expect(abs(q.model.energy(bits) - optimum) <= 1e-9 * max(1, abs(optimum)))
  }

  /// McNemar's exact p-values against hand-computed binomial tails.
  @Test func mcnemarExactPValues() throws {
    // b = 10, c = 2: 2 (C(12,0) + C(12,1) + C(12,2)) / 2¹² = 158 / 4096.
    #expect(abs(McNemar(firstOnly: 10, secondOnly: 2).pValue - 158.0 / 4096) < 1e-12)
    #expect(abs(McNemar(firstOnly: 0, secondOnly: 5).pValue - 2.0 / 32) < 1e-12)
    #expect(McNemar(firstOnly: 7, secondOnly: 7).pValue == 1)
    #expect(McNemar(firstOnly: 0, secondOnly: 0).pValue == 1)
    let t = try McNemar([true, true, false, true, false], [false, true, true, false, false])
    #expect(t.firstOnly == 2 && t.secondOnly == 1)
    #expect(throws: ShapeError.self) { try McNemar([true], [true, false]) }
    // Thousands of discordant rows stay finite.
    let big = McNemar(firstOnly: 2600, secondOnly: 2400)
    #expect(big.pValue > 0.004 && big.pValue < 0.006)
  }

  /// The generated 256-feature problem has its shape, and the same rows
  /// every time.
  @Test func classification256IsFixed() throws {
    let a = try #require(try Dataset.generated("classification256"))
    let b = try #require(try Dataset.generated("classification256"))
    #expect(a.count == 1500 && a.featureCount == 256 && a.classCount == 4)
    #expect(a.features == b.features && a.labels == b.labels)
    let counts = (0..<4).map { k in a.labels.filter { $0 == k }.count }
    #expect(counts.allSatisfy { $0 > 330 && $0 < 420 })
    #expect(try Dataset.generated("nope") == nil)
  }
}
