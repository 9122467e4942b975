import Annealing
import Foundation
import QUBOModel
import Testing

@testable import Tuning

/// The regression's flat-buffer fit (issue 17, sixth round) does the old
/// nested-array arithmetic in the same order: factors, solves, the chosen
/// setting and every coefficient are equal, not just close.
@Suite struct FlatCholeskyTests {
  /// A random 256-bit fit problem: `n` rows of about half ones, losses of
  /// a random quadratic plus noise.
  static func problem(n: Int, bits f: Int, seed: UInt64) -> (rows: [[(Int, Double)]], y: [Double]) {
    var rng = SplitMix64(seed: seed)
    let w = (0..<f).map { _ in Double.random(in: -1...1, using: &rng) }
    var rows: [[(Int, Double)]] = []
    var y: [Double] = []
    for _ in 0..<n {
      let on = (0..<f).filter { _ in Bool.random(using: &rng) }
      rows.append(on.map { ($0, 1.0) })
      var v = Double.random(in: -0.5...0.5, using: &rng)
      for (a, i) in on.enumerated() {
        v += w[i]
        if a > 0 { v += 0.1 * w[i] * w[on[a - 1]] }
      }
      y.append(v)
    }
    return (rows, y)
  }

  @Test func flatFactorAndSolveEqualTheNestedOnes() throws {
    let (k, y) = HeldOutFitTests.problem(n: 64, seed: 11)
    let nested = try #require(cholesky(k))
    var flat = k.flatMap { $0 }
    #expect(choleskyInPlace(&flat, 64))
    #expect(nestedLower(flat, 64) == nested)
    #expect(solveFlat(flat, 64, y) == solve(nested, y))
    var singular = [1.0, 1, 1, 1]
    #expect(!choleskyInPlace(&singular, 2))
  }

  @Test func fitEqualsTheNestedArrayFitOnARandom256BitCase() throws {
    let (rows, y) = Self.problem(n: 300, bits: 256, seed: 5)
    let noise = (0..<300).map { 1 + Double($0 % 7) / 3 }
    for (fine, scale) in [(false, nil), (true, noise)] as [(Bool, [Double]?)] {
      let new = try #require(
        QuadraticRegression(thompson: false).fitRanked(
          rows: rows, features: 256, losses: y, seed: 1, noiseScale: scale, fine: fine,
          heldOut: true))
      let old = try #require(
        ReferenceRegression.fit(
          rows: rows, features: 256, losses: y, noiseScale: scale, fine: fine))
      #expect(new.heldOut == old.heldOut)
      #expect(abs(new.quadratic.offset - old.quadratic.offset) <= 1e-9)
      var worst = 0.0
      for i in 0..<256 {
        worst = max(worst, abs(new.quadratic.linear[i] - old.quadratic.linear[i]))
        for j in new.quadratic.pairs[i].indices {
          worst = max(worst, abs(new.quadratic.pairs[i][j] - old.quadratic.pairs[i][j]))
        }
      }
      #expect(worst <= 1e-9, "largest coefficient difference \(worst)")
      #expect(new.quadratic.linear == old.quadratic.linear)
      #expect(new.quadratic.pairs == old.quadratic.pairs)
    }
  }
}

/// The posterior-mean fit as it was before the flat buffers (issue 17,
/// fifth round's `fitRanked` with `thompson` off), on nested arrays.
enum ReferenceRegression {
  static func fit(
    rows: [[(Int, Double)]], features f: Int, losses: [Double], noiseScale: [Double]?,
    fine: Bool
  ) -> (quadratic: FeatureQuadratic, heldOut: Double?)? {
    let n = rows.count
    let (mean, scale) = standardization(losses)
    let y = losses.map { ($0 - mean) / scale }
    let dense: [[Double]] = rows.map { r in
      var x = [Double](repeating: 0, count: f)
      for (i, v) in r { x[i] += v }
      return x
    }
    var g1 = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    var g2 = g1
    for r in 0..<n {
      for q in r..<n {
        var s = 0.0
        var d = 0.0
        for (i, v) in rows[r] {
          let w = dense[q][i]
          s += v * w
          d += v * v * w * w
        }
        g1[r][q] = s
        g1[q][r] = s
        g2[r][q] = (s * s - d) / 2
        g2[q][r] = g2[r][q]
      }
    }
    let c2 = 1.0
    var best: (evidence: Double, a: Double, b: Double, chol: [[Double]])?
    for (a, b, noise) in fine ? QuadraticRegression.fineGrid : QuadraticRegression.grid {
      var k = g1
      for r in 0..<n {
        for q in 0..<n { k[r][q] = c2 + a * g1[r][q] + b * g2[r][q] }
        k[r][r] += noise * (noiseScale?[r] ?? 1)
      }
      guard let l = cholesky(k) else { continue }
      let alpha = solve(l, y)
      var fitTerm = 0.0
      var logDet = 0.0
      for r in 0..<n {
        fitTerm += y[r] * alpha[r]
        logDet += log(l[r][r])
      }
      let evidence = -0.5 * fitTerm - logDet
      if best.map({ evidence > $0.evidence }) ?? true { best = (evidence, a, b, l) }
    }
    guard let h = best else { return nil }
    var out = FeatureQuadratic(
      offset: 0, linear: [Double](repeating: 0, count: f),
      pairs: (0..<f).map { [Double](repeating: 0, count: f - $0 - 1) })
    let correlation = rankCorrelation(leaveOneOutMeans(h.chol, y), y)
    let alpha = solve(h.chol, y)
    for r in 0..<n {
      let w = alpha[r]
      out.offset += c2 * w
      for (i, v) in rows[r] { out.linear[i] += h.a * w * v }
      for (s, (i, v)) in rows[r].enumerated() {
        for (j, u) in rows[r][(s + 1)...] where i != j {
          let (lo, hi) = i < j ? (i, j) : (j, i)
          out.pairs[lo][hi - lo - 1] += h.b * w * v * u
        }
      }
    }
    out.offset = mean + scale * out.offset
    for i in 0..<f {
      out.linear[i] *= scale
      for j in out.pairs[i].indices { out.pairs[i][j] *= scale }
    }
    return (out, correlation)
  }
}
