import Annealing
import Foundation
import Testing

@testable import Tuning

/// `model: hamming-ei` (issue 17, twelfth round): a Hamming-kernel GP's
/// expected improvement over the annealed reads of its mean and the unseen
/// one-parameter neighbours of every evaluated configuration.
@Suite struct NeighbourhoodEITests {
  /// `n` random configurations of booleans, a categorical of 3 and an
  /// integer of 4 values, with the losses of a rugged function.
  static func observed(n: Int, seed: UInt64) -> (
    radices: [Int], observed: [(configuration: [Int], loss: Double)]
  ) {
    let radices = [2, 2, 2, 2, 2, 2, 2, 3, 4]
    var rng = Xoshiro256PlusPlus(seed: seed)
    var out: [(configuration: [Int], loss: Double)] = []
    for _ in 0..<n {
      let x = radices.map { Int.random(in: 0..<$0, using: &rng) }
      let s = x.enumerated().map { Double($0.element) * (1 + 0.37 * Double($0.offset)) }
      let loss = s.reduce(0, +) - 1.3 * s[0] * s[1] * s[7] + 0.4 * (s[8] - 2) * (s[8] - 2)
      out.append((x, loss))
    }
    return (radices, out)
  }

  /// Every candidate's log EI scored from scratch with `posterior`, and
  /// the candidates' indices by it, highest first (ties by index).
  static func reference(
    _ search: NeighbourhoodEI, _ candidates: [NeighbourhoodEI.Candidate]
  ) -> (logEI: [Double], order: [Int]) {
    let logEI = candidates.map { c -> Double in
      let (mean, variance) = posterior(search, c.configuration)
      return NeighbourhoodEI.logExpectedImprovement(
        mean: mean, sd: max(variance, 1e-12).squareRoot(), best: search.target)
    }
    return (logEI, logEI.indices.sorted { (logEI[$0], $1) > (logEI[$1], $0) })
  }

  /// The standardised posterior mean and latent variance at `x`, from
  /// scratch: the kernel matrix built again (the fixed kernel, or the
  /// fitted weights, scale and noise), its Cholesky factor and two solves
  /// (the reference the fast scoring is checked against).
  static func posterior(_ search: NeighbourhoodEI, _ x: [Int]) -> (mean: Double, variance: Double) {
    let xs = search.configurations
    let n = xs.count
    let p = Double(x.count)
    let signal = search.fit?.signal ?? 1
    let noise = search.fit?.noise ?? NeighbourhoodEI.noise
    func k(_ a: [Int], _ b: [Int]) -> Double {
      guard let fit = search.fit else {
        return exp(-NeighbourhoodEI.decay * Double(TrustRegionSampler.distance(a, b)) / p)
      }
      var d = 0.0
      for j in a.indices where a[j] != b[j] { d += fit.weights[j] }
      return fit.signal * exp(-d)
    }
    var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in 0...i {
        var s = k(xs[i], xs[j]) + (i == j ? noise : 0)
        for m in 0..<j { s -= l[i][m] * l[j][m] }
        l[i][j] = i == j ? s.squareRoot() : s / l[j][j]
      }
    }
    let ks = xs.map { k(x, $0) }
    var v = ks
    for i in 0..<n {
      for m in 0..<i { v[i] -= l[i][m] * v[m] }
      v[i] /= l[i][i]
    }
    let mean = zip(ks, search.alpha).reduce(0) { $0 + $1.0 * $1.1 }
    return (mean, signal - v.reduce(0) { $0 + $1 * $1 })
  }

  @Test(arguments: [false, true])
  func neighboursAreOneChangeFromABaseWithTheirDistances(weighted: Bool) throws {
    let (radices, observed) = Self.observed(n: 25, seed: 3)
    let search = try #require(NeighbourhoodEI(observed: observed, kernel: weighted ? .weighted : .fixed))
    let seen = Set(observed.map(\.configuration))
    let all = search.neighbours(radices: radices, excluding: seen, limit: 1 << 20)
    #expect(Set(all.map(\.configuration)).count == all.count, "listed twice")
    for c in all {
      #expect(!seen.contains(c.configuration))
      #expect(
        observed.contains { TrustRegionSampler.distance($0.configuration, c.configuration) == 1 })
      // Updated from the base's (by ±1, or ±w_k): a fresh sum.
      let fresh = search.candidate(c.configuration).distances
      #expect(zip(c.distances, fresh).allSatisfy { abs($0 - $1) < 1e-9 })
      if !weighted { #expect(c.distances == fresh) }
    }
    // Every unseen configuration one change from an observation is listed.
    var expected = Set<[Int]>()
    for o in observed {
      for k in radices.indices {
        for v in 0..<radices[k] where v != o.configuration[k] {
          var z = o.configuration
          z[k] = v
          if !seen.contains(z) { expected.insert(z) }
        }
      }
    }
    #expect(Set(all.map(\.configuration)) == expected)
    // A limit keeps the best bases' neighbours: the first listed are the
    // incumbent's.
    let best = try #require(observed.min { $0.loss < $1.loss })
    let few = search.neighbours(radices: radices, excluding: seen, limit: 5)
    #expect(few.count == 5)
    for c in few {
      #expect(TrustRegionSampler.distance(c.configuration, best.configuration) == 1)
    }
  }

  @Test(arguments: [false, true])
  func theBoundedRankingIsTheFullRankingWithExactValues(weighted: Bool) throws {
    for seed: UInt64 in [1, 2, 5] {
      let (radices, observed) = Self.observed(n: 40, seed: seed)
      let search = try #require(NeighbourhoodEI(observed: observed, kernel: weighted ? .weighted : .fixed))
      if weighted {
        // The fitted kernel is not the fixed one.
        let fit = try #require(search.fit)
        #expect(fit.weights.contains { abs($0 - NeighbourhoodEI.decay / 9) > 1e-3 })
      }
      let candidates = search.neighbours(
        radices: radices, excluding: Set(observed.map(\.configuration)), limit: 1 << 20)
      let (reference, order) = Self.reference(search, candidates)
      let top = search.best(candidates, top: 6)
      #expect(top.count == 6)
      #expect(top.map(\.index) == Array(order.prefix(6)), "seed \(seed)")
      for s in top {
        #expect(abs(s.logEI - reference[s.index]) < 1e-7 * max(1, abs(s.logEI)))
        let mean = Self.posterior(search, candidates[s.index].configuration).mean
        #expect(abs(s.mean - (search.lossMean + search.lossScale * mean)) < 1e-9)
      }
    }
  }

  @Test func logEIIsTheIntegralOfTheNormalDistributionFunction() {
    // h(z) = z Φ(z) + φ(z) = ∫_{−∞}^{z} Φ(t) dt, by Simpson's rule on Φ
    // (erfc is accurate in the tail, the direct form cancels there).
    func reference(_ z: Double) -> Double {
      let a = z - 12.0
      let steps = 4000
      let h = (z - a) / Double(steps)
      var s = normalCDF(a) + normalCDF(z)
      for i in 1..<steps { s += normalCDF(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
      return log(s * h / 3)
    }
    for z in [-20.0, -12, -8, -6.5, -6.0001, -5.9999, -4, -1, 0, 1.5, 3] {
      let got = NeighbourhoodEI.logExpectedImprovement(mean: -z, sd: 1, best: 0)
      #expect(abs(got - reference(z)) < 2e-3, "z = \(z): \(got) vs \(reference(z))")
    }
    // σ scales EI: log σ is added.
    let a = NeighbourhoodEI.logExpectedImprovement(mean: 1, sd: 0.5, best: 0)
    #expect(abs(a - (log(0.5) + reference(-2))) < 2e-3)
  }

  static var sampler: TrustRegionSampler {
    var s = TrustRegionTests.fast
    s.neighbourhoods = true
    return s
  }

  @Test func aLinearObjectiveIsSolvedByTheNeighbourhoodSearch() throws {
    // 16 booleans, optimum all false: the start-up design's best is about
    // 5 flips away; the search needs one evaluation per neighbour it
    // tries. Random search reaches the optimum in 36 trials with
    // probability 36/65 536.
    for seed: UInt64 in [1, 2, 3] {
      let space = try SearchSpace((0..<16).map { ("b\($0)", Distribution.bool) })
      let study = try Study(sampler: Self.sampler, searchSpace: space, seed: seed)
      try study.optimize(trials: 60) { t in
        var e = 0.0
        for k in 0..<16 where try t.suggestBool("b\(k)") { e += 1 + 0.1 * Double(k) }
        return e
      }
      let best = try study.trials.compactMap(\.value).min()
      #expect(best == 0, "seed \(seed): best \(String(describing: best))")
    }
  }

  @Test func proposalsAreUnseenNotedAndTheSameForASeed() throws {
    let study = try TrustRegionTests.bitStudy(Self.sampler, trials: 24)
    let space = try #require(study.searchSpace)
    let trials = try study.trials
    let history = History(space: space, trials: trials, direction: .minimize)
    let a = try Self.sampler.proposeWithNotes(
      space: space, trials: trials, direction: .minimize, count: 4, seed: 11)
    let b = try Self.sampler.proposeWithNotes(
      space: space, trials: trials, direction: .minimize, count: 4, seed: 11)
    #expect(a.map(\.configuration) == b.map(\.configuration))
    #expect(Set(a.map(\.configuration)).count == 4)
    for p in a {
      #expect(!history.seen.contains(p.configuration))
      let source = p.notes["source"]
      #expect(source == .string("neighbour") || source == .string("anneal"))
      if source == .string("neighbour") {
        #expect(
          history.observed.contains {
            TrustRegionSampler.distance($0.configuration, p.configuration) == 1
          })
      }
      #expect(p.notes["log_expected_improvement"] != nil)
    }
    // Each member after the first believes those before it
    // (FantasiesTests).
    #expect(a.map { $0.notes["fantasies"] } == [nil, .int(1), .int(2), .int(3)])
    // The first proposal is the candidate with the highest EI (the
    // default's kernel: the one the evidence prefers).
    let search = try #require(NeighbourhoodEI(observed: history.observed, kernel: .byEvidence))
    let first = try #require(a.first)
    let top = search.best(
      search.neighbours(radices: space.radices, excluding: history.seen, limit: 1 << 20), top: 1)
    if first.notes["source"] == .string("neighbour"), let t = top.first {
      let value = try #require(first.notes["log_expected_improvement"]?.doubleValue)
      #expect(abs(value - t.logEI) < 1e-12)
    }
  }

  /// The neighbourhood sampler proposes what the regression alone does in
  /// `space` after `trials`, at three seeds, batches of two.
  static func expectTheRegressionsProposals(space: SearchSpace, trials: [FrozenTrial]) throws {
    for seed: UInt64 in 0..<3 {
      let plain = try TrustRegionTests.fast.propose(
        space: space, trials: trials, direction: .minimize, count: 2, seed: seed)
      let withEI = try Self.sampler.propose(
        space: space, trials: trials, direction: .minimize, count: 2, seed: seed)
      #expect(plain == withEI)
    }
  }

  @Test func spacesWithContinuousParametersKeepTheRegression() throws {
    let space = try SearchSpace([
      ("x", .continuous(low: 0, high: 1)), ("b0", .bool), ("b1", .bool), ("b2", .bool),
    ])
    let study = try Study(sampler: TrustRegionTests.fast, searchSpace: space, seed: 2)
    try study.optimize(trials: 16) { t in
      let x = try t.suggestFloat("x", low: 0, high: 1)
      let b = try [t.suggestBool("b0"), t.suggestBool("b1"), t.suggestBool("b2")]
      return (x - 0.3) * (x - 0.3) + (b[0] ? 1 : 0) - (b[2] ? 0.5 : 0)
    }
    try Self.expectTheRegressionsProposals(space: space, trials: try study.trials)
  }

  @Test func spacesWithOrderedParametersKeepTheRegression() throws {
    // Six 5-valued integers (the 30-bit example's shape): the Hamming
    // kernel would see no order, so the regression proposes. A 2-valued
    // integer next to booleans counts as a boolean.
    let ints = try SearchSpace(
      (0..<6).map { ("n\($0)", Distribution.integer(low: 0, high: 4, step: 1)) })
    let pairs = try SearchSpace(
      (0..<6).map { ("b\($0)", Distribution.bool) } + [("n", .integer(low: 0, high: 1, step: 1))])
    #expect(!TrustRegionSampler.unordered(ints))
    #expect(TrustRegionSampler.unordered(pairs))
    let study = try Study(sampler: TrustRegionTests.fast, searchSpace: ints, seed: 3)
    try study.optimize(trials: 16) { t in
      var e = 0.0
      for k in 0..<6 { e += Double((try t.suggestInt("n\(k)", low: 0, high: 4) - k % 5) * (k + 1)) }
      return abs(e)
    }
    try Self.expectTheRegressionsProposals(space: ints, trials: try study.trials)
  }

  @Test func withAFittedKernelABelievedPointKeepsTheMeanAndRanksLikeTheReference() throws {
    for seed: UInt64 in [4, 6] {
      let (radices, observed) = Self.observed(n: 30, seed: seed)
      let search = try #require(NeighbourhoodEI(observed: observed, kernel: .weighted))
      let seen = Set(observed.map(\.configuration))
      let base = search.neighbours(radices: radices, excluding: seen, limit: 1 << 20)
      let x = try #require(search.best(base, top: 1).first).index
      let believed = base[x].configuration
      let process = try #require(search.believing(believed))
      // The reads' model is untouched; the ranking process gained x.
      #expect(process.gp.configurations == search.gp.configurations)
      #expect(process.configurations == search.configurations + [believed])
      #expect(process.fit?.weights == search.fit?.weights)
      // Kriging believer: the mean stays everywhere, the variance at x
      // falls to about the noise.
      for c in base.prefix(40) {
        let before = Self.posterior(search, c.configuration).mean
        let after = Self.posterior(process, c.configuration).mean
        #expect(abs(before - after) < 1e-7 * max(1, abs(before)), "seed \(seed)")
      }
      let noise = try #require(process.fit?.noise)
      #expect(Self.posterior(process, believed).variance < 2 * noise)
      // The grown factor ranks as the reference built from scratch.
      let candidates = base.enumerated().filter { $0.offset != x }
        .map { process.appending(believed, to: $0.element) }
      for c in candidates.prefix(40) {
        let fresh = process.candidate(c.configuration).distances
        #expect(zip(c.distances, fresh).allSatisfy { abs($0 - $1) < 1e-9 })
      }
      let order = Self.reference(process, candidates).order
      #expect(process.best(candidates, top: 5).map(\.index) == Array(order.prefix(5)))
    }
  }

  @Test func theSpecNamesTheWeightedKernelAndTheEvidenceChoosesIt() throws {
    let ard = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {model: hamming-ard}") as? TrustRegionSampler)
    #expect(ard.weightedHamming && ard.neighbourhoods && ard.orderedSearch)
    let plain = try #require(try TrustRegionSpecTests.sampler("") as? TrustRegionSampler)
    #expect(plain.weightedHamming && TrustRegionSampler().weightedHamming, "the default")
    let previous = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {model: gp-ei}") as? TrustRegionSampler)
    #expect(!previous.weightedHamming, "the default of rounds 15–16")
    var weighted = Self.sampler
    weighted.weightedHamming = true
    var fixedKernel = Self.sampler
    fixedKernel.weightedHamming = false
    // Twelve booleans; the loss of `WeightedHammingTests.planted` depends on
    // three of them. After 12 random trials the evidence keeps the fixed
    // kernel: the proposals are the fixed kernel's, noted so. After 60 it
    // prefers a weight each: other proposals, the same for a seed.
    let space = try SearchSpace((0..<12).map { ("b\($0)", Distribution.bool) })
    for (trials, expected) in [(12, "fixed"), (60, "weighted")] {
      let study = try Study(sampler: RandomSearch(), searchSpace: space, seed: 9)
      try study.optimize(trials: trials) { t in
        let x = try (0..<12).map { try t.suggestBool("b\($0)") ? 1 : 0 }
        let s = [1, 4, 9].map { Double(2 * x[$0] - 1) }
        return s[0] + 2 * s[1] + 3 * s[2] + 2 * s[0] * s[1] - 1.5 * s[1] * s[2]
      }
      let history = try study.trials
      let a = try weighted.proposeWithNotes(
        space: space, trials: history, direction: .minimize, count: 3, seed: 5)
      let b = try weighted.proposeWithNotes(
        space: space, trials: history, direction: .minimize, count: 3, seed: 5)
      #expect(a.map(\.configuration) == b.map(\.configuration))
      for p in a {
        #expect(p.notes["kernel"] == .string(expected), "\(trials) trials")
        guard case .double(let gain) = p.notes["log_bayes_factor"] else {
          Issue.record("no log_bayes_factor")
          continue
        }
        #expect((gain > 0) == (expected == "weighted"), "\(trials) trials: \(gain)")
      }
      let fixed = try fixedKernel.propose(
        space: space, trials: history, direction: .minimize, count: 3, seed: 5)
      if expected == "fixed" {
        #expect(a.map(\.configuration) == fixed)
      } else {
        #expect(a.map(\.configuration) != fixed)
      }
    }
  }

  @Test func theSpecNamesTheModel() throws {
    let plain = try #require(try TrustRegionSpecTests.sampler("") as? TrustRegionSampler)
    #expect(plain.neighbourhoods, "the default")
    #expect(TrustRegionSampler().neighbourhoods)
    let ei = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {model: hamming-ei}") as? TrustRegionSampler)
    #expect(ei.neighbourhoods)
    let bqr = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {model: bqr}") as? TrustRegionSampler)
    #expect(!bqr.neighbourhoods)
  }
}
