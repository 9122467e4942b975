import Annealing
import Testing

@testable import Tuning

/// `caution` (issue 17, ninth round): candidates ranked by the
/// regression's posterior mean plus κ posterior standard deviations.
@Suite struct CautionTests {
  static func sampler(_ kappa: Double?) -> TrustRegionSampler {
    var s = TrustRegionTests.fast
    s.caution = kappa
    return s
  }

  /// Rows of random bits (0/1 features), and losses of a random quadratic.
  static func problem(n: Int, bits: Int, seed: UInt64) -> ([[(Int, Double)]], [Double]) {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let w = (0..<bits).map { _ in Double.random(in: -1...1, using: &rng) }
    var rows: [[(Int, Double)]] = []
    var y: [Double] = []
    for _ in 0..<n {
      let x = (0..<bits).map { _ in Bool.random(using: &rng) }
      rows.append(x.indices.filter { x[$0] }.map { ($0, 1.0) })
      var e = 0.0
      for i in 0..<bits where x[i] { e += w[i] }
      for i in 0..<(bits - 1) where x[i] && x[i + 1] { e -= 0.5 }
      y.append(e)
    }
    return (rows, y)
  }

  @Test func theSpreadIsTheKernelPosteriorsStandardDeviation() throws {
    let bits = 8
    let (rows, y) = Self.problem(n: 12, bits: bits, seed: 3)
    let fit = try #require(
      QuadraticRegression(thompson: false).fitRanked(
        rows: rows, features: bits, losses: y, seed: 1, heldOut: false, spread: true))
    let spread = try #require(fit.spread)
    // Reference: k(x, x) − k_xᵀ A⁻¹ k_x with A = L Lᵀ rebuilt from the
    // factor and solved by the nested-array Cholesky, and the kernel
    // written from dense 0/1 vectors.
    let n = rows.count
    let l = nestedLower(spread.chol, n)
    var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in 0..<n {
        for k in 0...min(i, j) { a[i][j] += l[i][k] * l[j][k] }
      }
    }
    let factor = try #require(cholesky(a))
    func dense(_ row: [(Int, Double)]) -> [Double] {
      var v = [Double](repeating: 0, count: bits)
      for (i, x) in row { v[i] = x }
      return v
    }
    func kernel(_ u: [Double], _ v: [Double]) -> Double {
      var s = 0.0
      var d = 0.0
      for i in 0..<bits {
        s += u[i] * v[i]
        d += u[i] * u[i] * v[i] * v[i]
      }
      return spread.c2 + spread.a * s + spread.b * (s * s - d) / 2
    }
    var rng = Xoshiro256PlusPlus(seed: 11)
    var unseen: [Double] = []
    for _ in 0..<20 {
      let x = (0..<bits).map { _ in Bool.random(using: &rng) ? 1.0 : 0.0 }
      let row = x.indices.filter { x[$0] != 0 }.map { ($0, 1.0) }
      let kx = rows.map { kernel(dense($0), x) }
      let z = solve(factor, kx)
      var v = kernel(x, x)
      for r in 0..<n { v -= kx[r] * z[r] }
      let reference = spread.scale * max(0, v).squareRoot()
      #expect(abs(spread.sd(row) - reference) <= 1e-8 * max(1, reference))
      unseen.append(spread.sd(row))
    }
    // An observed configuration is pinned down more than an unseen one.
    let seen = rows.map { spread.sd($0) }
    #expect(seen.max()! < unseen.max()!)
    #expect(unseen.contains { $0 > 0 })
  }

  @Test func noSpreadWithoutTheOptionOrForADraw() throws {
    let (rows, y) = Self.problem(n: 10, bits: 6, seed: 4)
    let plain = try #require(
      QuadraticRegression(thompson: false).fitRanked(
        rows: rows, features: 6, losses: y, seed: 1, heldOut: false))
    #expect(plain.spread == nil)
    let draw = try #require(
      QuadraticRegression(thompson: true).fitRanked(
        rows: rows, features: 6, losses: y, seed: 1, heldOut: false, spread: true))
    #expect(draw.spread == nil)
  }

  @Test func proposalsStayWithinTheRadiusOfTheIncumbent() throws {
    let cautious = Self.sampler(1)
    let study = try TrustRegionTests.bitStudy(cautious, trials: 14)
    let space = try #require(study.searchSpace)
    let trials = try study.trials
    let region = try #require(cautious.region(space: space, trials: trials, direction: .minimize))
    #expect(region.ball < space.count)
    for seed in UInt64(0)..<5 {
      let proposals = try cautious.propose(
        space: space, trials: trials, direction: .minimize, count: 30, seed: seed)
      #expect(proposals.count == 30)
      for p in proposals {
        #expect(TrustRegionSampler.distance(p, region.center) <= region.ball)
      }
    }
  }

  @Test func theRankingIsTheMeanPlusKappaSpreads() throws {
    // Proposals of one call come in rank order within the batch's first
    // pass; with one proposal a call, the noted mean + κ σ of the
    // proposal must not exceed that of the plain sampler's proposal, and
    // some proposals must differ (else the test shows nothing).
    let kappa = 2.0
    let cautious = Self.sampler(kappa)
    let study = try TrustRegionTests.bitStudy(TrustRegionTests.fast, trials: 16)
    let space = try #require(study.searchSpace)
    let trials = try study.trials
    var differ = 0
    var closer = 0
    var farther = 0
    let center = try #require(
      cautious.region(space: space, trials: trials, direction: .minimize)?.center)
    for seed in UInt64(0)..<8 {
      let c = try cautious.proposeWithNotes(
        space: space, trials: trials, direction: .minimize, count: 1, seed: seed)
      let p = try TrustRegionTests.fast.proposeWithNotes(
        space: space, trials: trials, direction: .minimize, count: 1, seed: seed)
      let notes = try #require(c.first?.notes)
      guard case .double(let sd)? = notes["spread"] else {
        Issue.record("no spread noted: \(notes)")
        continue
      }
      #expect(sd >= 0)
      #expect(p.first?.notes["spread"] == nil)
      if c.first?.configuration != p.first?.configuration {
        differ += 1
        let dc = TrustRegionSampler.distance(c[0].configuration, center)
        let dp = TrustRegionSampler.distance(p[0].configuration, center)
        if dc < dp { closer += 1 }
        if dc > dp { farther += 1 }
      }
    }
    #expect(differ > 0, "caution must change some proposal for this test to mean anything")
    // The first proposal of a batch is the top of the ranking: its
    // mean + κ σ is at most every other proposal's.
    for seed in UInt64(0)..<4 {
      let batch = try cautious.proposeWithNotes(
        space: space, trials: trials, direction: .minimize, count: 6, seed: seed)
      let keys = batch.compactMap { p -> Double? in
        guard case .double(let m)? = p.notes["predicted"], case .double(let sd)? = p.notes["spread"]
        else { return nil }
        return m + kappa * sd
      }
      #expect(keys.count == batch.count)
      if let first = keys.first { #expect(keys.allSatisfy { first <= $0 + 1e-12 }, "\(keys)") }
    }
    // The spread grows away from the data: caution moves proposals nearer
    // the incumbent, not farther.
    #expect(closer >= farther, "closer \(closer), farther \(farther)")
  }

  @Test func theSameSeedGivesTheSameStudy() throws {
    let a = try TrustRegionTests.bitStudy(Self.sampler(1), trials: 20).trials
    let b = try TrustRegionTests.bitStudy(Self.sampler(1), trials: 20).trials
    #expect(a.map(\.parameters) == b.map(\.parameters))
    #expect(a.map(\.value) == b.map(\.value))
  }

  @Test func theSpecTakesANumberOfStandardDeviations() throws {
    try TrustRegionSpecTests.expectOption(
      "caution", \.caution, absent: nil, accepted: [("1", 1), ("0", nil)],
      rejected: ["-1", "much"])
  }
}
