import Annealing
import Foundation
import Testing

@testable import Tuning

/// Running trials and a batch's chosen members as pseudo-observations at
/// their posterior mean (kriging believer; issue 17, thirteenth round,
/// NeighbourhoodEI+Fantasies.swift).
@Suite struct FantasiesTests {
  /// `count` unseen configurations of `NeighbourhoodEITests.observed`'s
  /// space, drawn with `seed`.
  static func unseen(
    _ count: Int, radices: [Int], excluding seen: Set<[Int]>, seed: UInt64
  ) -> [[Int]] {
    var rng = Xoshiro256PlusPlus(seed: seed)
    var taken = seen
    var out: [[Int]] = []
    while out.count < count {
      let x = radices.map { Int.random(in: 0..<$0, using: &rng) }
      if taken.insert(x).inserted { out.append(x) }
    }
    return out
  }

  @Test func theUpdatedProcessIsTheProcessFittedFromScratch() throws {
    for seed: UInt64 in [1, 4] {
      let (radices, observed) = NeighbourhoodEITests.observed(n: 30, seed: seed)
      let search = try #require(NeighbourhoodEI(observed: observed))
      let seen = Set(observed.map(\.configuration))
      let fantasies = Self.unseen(3, radices: radices, excluding: seen, seed: seed + 10)
      // Two believed, one told a value (a liar's): both kinds of update.
      var process = search
      var values: [Double] = []
      for (k, x) in fantasies.enumerated() {
        let told: Double? = k == 2 ? search.gp.bestLoss : nil
        let believed = search.gp.predict(x)
        process = try #require(process.believing(x, value: told))
        values.append(told ?? believed)
      }
      // From scratch: the kernel matrix of every point with the noise, its
      // factor, and α for the losses standardised as the base process did.
      let xs = observed.map(\.configuration) + fantasies
      let ys = (observed.map(\.loss) + values).map { ($0 - search.gp.mean) / search.gp.scale }
      let n = xs.count
      let p = Double(radices.count)
      var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
      for i in 0..<n {
        for j in 0...i {
          let d = Double(TrustRegionSampler.distance(xs[i], xs[j]))
          var s = exp(-NeighbourhoodEI.decay * d / p) + (i == j ? NeighbourhoodEI.noise : 0)
          for m in 0..<j { s -= l[i][m] * l[j][m] }
          l[i][j] = i == j ? s.squareRoot() : s / l[j][j]
        }
      }
      var alpha = ys
      for i in 0..<n {
        for m in 0..<i { alpha[i] -= l[i][m] * alpha[m] }
        alpha[i] /= l[i][i]
      }
      for i in stride(from: n - 1, through: 0, by: -1) {
        for m in (i + 1)..<n { alpha[i] -= l[m][i] * alpha[m] }
        alpha[i] /= l[i][i]
      }
      #expect(process.gp.configurations == xs)
      #expect(process.gp.alpha.count == n)
      for i in 0..<n {
        #expect(abs(process.gp.alpha[i] - alpha[i]) < 1e-8 * max(1, abs(alpha[i])), "α[\(i)]")
        for j in 0...i {
          #expect(abs(process.gp.factor[i * n + j] - l[i][j]) < 1e-10, "L[\(i)][\(j)]")
        }
      }
      // Scoring: the candidates' appended distances are their distances to
      // every point, and the bounded ranking equals the reference's.
      let base = search.neighbours(radices: radices, excluding: seen, limit: 1 << 20)
        .filter { c in !fantasies.contains(c.configuration) }
      var candidates = base
      for x in fantasies { candidates = candidates.map { process.appending(x, to: $0) } }
      for c in candidates { #expect(c.distances == process.candidate(c.configuration).distances) }
      let order = NeighbourhoodEITests.reference(process, candidates).order
      let top = process.best(candidates, top: 5)
      #expect(top.map(\.index) == Array(order.prefix(5)), "seed \(seed)")
    }
  }

  @Test func aBelievedPointLeavesTheMeanAndShrinksTheVarianceNearIt() throws {
    let (radices, observed) = NeighbourhoodEITests.observed(n: 30, seed: 7)
    let search = try #require(NeighbourhoodEI(observed: observed))
    let seen = Set(observed.map(\.configuration))
    let x = Self.unseen(1, radices: radices, excluding: seen, seed: 3)[0]
    let process = try #require(search.believing(x))
    var near: [[Int]] = [x]
    for k in radices.indices {
      for v in 0..<radices[k] where v != x[k] {
        var z = x
        z[k] = v
        near.append(z)
      }
    }
    for z in near {
      let before = NeighbourhoodEITests.posterior(search, z)
      let after = NeighbourhoodEITests.posterior(process, z)
      #expect(abs(after.mean - before.mean) < 1e-8, "the believer keeps the mean")
      #expect(after.variance < before.variance - 1e-6, "\(z): \(after.variance)")
    }
    // At x itself the variance is the noise's share.
    #expect(NeighbourhoodEITests.posterior(process, x).variance < 2 * NeighbourhoodEI.noise)
  }

  /// The neighbourhood sampler's trials of `TrustRegionTests.bitStudy`, and
  /// the first of its proposals there marked running.
  static func studyWithARunningTrial() throws -> (
    space: SearchSpace, finished: [FrozenTrial], running: FrozenTrial, x: [Int]
  ) {
    let study = try TrustRegionTests.bitStudy(NeighbourhoodEITests.sampler, trials: 24)
    let space = try #require(study.searchSpace)
    let finished = try study.trials
    let x = try #require(
      try NeighbourhoodEITests.sampler.propose(
        space: space, trials: finished, direction: .minimize, count: 1, seed: 5
      ).first)
    var running = FrozenTrial(number: finished.count)
    running.parameters = space.parameters(of: x)
    return (space, finished, running, x)
  }

  @Test func aRunningTrialLowersTheExpectedImprovementNextToIt() throws {
    let (space, finished, running, x) = try Self.studyWithARunningTrial()
    let sampler = NeighbourhoodEITests.sampler
    let history = History(space: space, trials: finished + [running], direction: .minimize)
    #expect(history.running == [x])
    let next = try sampler.proposeWithNotes(
      space: space, trials: finished + [running], direction: .minimize, count: 1, seed: 5)
    let first = try #require(next.first)
    #expect(first.configuration != x, "a running configuration is never proposed again")
    #expect(first.notes["fantasies"] == .int(1))
    // x's unseen neighbours: their EI given the running trial is lower than
    // without it, and the proposal's EI is the highest given it (the
    // default's kernel: the one the evidence prefers).
    let search = try #require(NeighbourhoodEI(observed: history.observed, kernel: .byEvidence))
    let process = try #require(search.believing(x))
    var neighbours: [[Int]] = []
    for k in x.indices {
      var z = x
      z[k] = 1 - z[k]
      if !history.seen.contains(z) { neighbours.append(z) }
    }
    #expect(!neighbours.isEmpty)
    let without = search.best(neighbours.map(search.candidate), top: neighbours.count)
    let with = process.best(neighbours.map(process.candidate), top: neighbours.count)
    for s in without {
      let w = try #require(with.first { $0.index == s.index })
      #expect(w.logEI < s.logEI - 1e-6, "\(neighbours[s.index])")
    }
    let value = try #require(first.notes["log_expected_improvement"]?.doubleValue)
    if let best = with.first { #expect(value >= best.logEI - 1e-12) }
    // A batch of two from the finished trials alone: x first (the same
    // seed), then what a worker asking while x runs gets.
    let plain = try sampler.proposeWithNotes(
      space: space, trials: finished, direction: .minimize, count: 2, seed: 5)
    #expect(plain.first?.configuration == x)
    #expect(plain.last?.notes["fantasies"] == .int(1), "a batch's second member believes the first")
    #expect(plain.last?.configuration == first.configuration, "a batch is its members in turn")
  }

  @Test func aBatchsMembersAreDistinctUnseenAndTheSameAtAnyThreadCount() throws {
    let (space, finished, running, _) = try Self.studyWithARunningTrial()
    let trials = finished + [running]
    let history = History(space: space, trials: trials, direction: .minimize)
    var results: [[[Int]]] = []
    for threads in [1, 2] {
      var sampler = NeighbourhoodEITests.sampler
      try sampler.annealer.update(with: ["threads": .int(threads)])
      let batch = try sampler.proposeWithNotes(
        space: space, trials: trials, direction: .minimize, count: 8, seed: 9)
      #expect(batch.count == 8)
      #expect(Set(batch.map(\.configuration)).count == 8, "distinct")
      for (k, p) in batch.enumerated() {
        #expect(!history.seen.contains(p.configuration), "unseen")
        #expect(p.notes["fantasies"] == .int(1 + k), "the running trial and \(k) members")
      }
      results.append(batch.map(\.configuration))
    }
    #expect(results[0] == results[1])
  }
}
