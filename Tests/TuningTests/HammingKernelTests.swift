import Annealing
import Testing

@testable import Tuning

/// `model: hamming-gp` (issue 17, seventh round): a Gaussian process with
/// a Hamming kernel whose mean, expanded to second order around the
/// incumbent, is the acquisition QUBO.
@Suite struct HammingKernelTests {
  /// A space of booleans, a categorical and a short integer range (all
  /// shown whole), observations of a quartic-like objective, and the grid
  /// around `center`.
  static func fitted(center: [Int]) throws -> (
    SearchSpace, HammingKernel, LocalGrid, BitEncoding, [Double]
  ) {
    let space = try SearchSpace(
      (0..<6).map { ("b\($0)", Distribution.bool) } + [
        ("c", .categorical(["a", "b", "c"])), ("n", .integer(low: 0, high: 3, step: 1)),
      ])
    var rng = Xoshiro256PlusPlus(seed: 9)
    var configurations: [[Int]] = []
    var losses: [Double] = []
    for _ in 0..<30 {
      let x = space.randomConfiguration(using: &rng)
      configurations.append(x)
      var s: [Double] = []
      for (k, v) in x.enumerated() { s.append(Double(v) * (1 + 0.3 * Double(k))) }
      let sum: Double = s.reduce(0, +)
      let cubic: Double = 0.2 * s[0] * s[1] * s[6]
      let bowl: Double = 0.5 * (s[7] - 1) * (s[7] - 1)
      losses.append(sum - cubic + bowl)
    }
    let kernel = try #require(HammingKernel(configurations: configurations, losses: losses))
    let grid = try LocalGrid(full: space, center: center, resolution: 1)
    let encoded = try BitEncoding(space: grid.space, encodings: grid.encodings)
    return (space, kernel, grid, encoded, losses)
  }

  @Test func theQUBOEqualsTheMeanAtTheIncumbentAndOneOrTwoChangesAway() throws {
    let center = [1, 0, 1, 1, 0, 0, 2, 1]
    let (space, kernel, grid, encoded, _) = try Self.fitted(center: center)
    let q = try #require(kernel.surrogate(grid: grid, encoded: encoded, full: space))
    var checked = 0
    var far = 0.0
    for x in LocalFeaturesTests.everyLocal(grid.space.radices) {
      let full = grid.full(x)
      let d = TrustRegionSampler.distance(full, center)
      let energy = q.predict(encoded.bits(of: x))
      let mean = kernel.predict(full)
      if d <= 2 {
        #expect(abs(energy - mean) < 1e-9, "\(full) at distance \(d): \(energy) vs \(mean)")
        checked += 1
      } else {
        far = max(far, abs(energy - mean))
      }
    }
    // The incumbent, 6 + 2 + 3 one-change and 15 + 12 + 18 + 6 two-change
    // configurations.
    #expect(checked == 1 + (6 + 2 + 3) + (15 + 6 * 2 + 6 * 3 + 2 * 3))
    // Farther away it is an approximation, not the mean.
    #expect(far > 1e-6)
  }

  @Test func theEIQUBOEqualsMinusLogEIUpToTwoChanges() throws {
    let center = [0, 1, 1, 0, 0, 1, 1, 3]
    let (space, kernel, grid, encoded, losses) = try Self.fitted(center: center)
    let q = try #require(kernel.expectedImprovement(grid: grid, encoded: encoded, full: space))
    var checked = 0
    for x in LocalFeaturesTests.everyLocal(grid.space.radices) {
      let full = grid.full(x)
      guard TrustRegionSampler.distance(full, center) <= 2 else { continue }
      let energy = q.predict(encoded.bits(of: x))
      let exact = kernel.negativeLogEI(at: full)
      #expect(abs(energy - exact) < 1e-7 * max(1, abs(exact)), "\(full): \(energy) vs \(exact)")
      checked += 1
    }
    #expect(checked == 63)
    // An observed configuration offers (almost) no improvement; the best
    // unobserved neighbour of the best one offers some.
    let bestIndex = try #require(losses.indices.min { losses[$0] < losses[$1] })
    #expect(kernel.negativeLogEI(at: kernel.configurations[bestIndex]) > 5)
  }

  @Test func theMeanExplainsTheObservations() throws {
    let (_, kernel, _, _, losses) = try Self.fitted(center: [0, 0, 0, 0, 0, 0, 0, 0])
    let mean = losses.reduce(0, +) / Double(losses.count)
    let total = losses.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    let residual = zip(kernel.configurations, losses).reduce(0.0) {
      let e = kernel.predict($1.0) - $1.1
      return $0 + e * e
    }
    #expect(residual < 0.25 * total, "residual \(residual) of \(total)")
    #expect(HammingKernel.decays.contains(kernel.decay))
    #expect(HammingKernel.noises.contains(kernel.noise))
  }

  @Test func windowedSpacesKeepTheRegression() throws {
    let (space, features) = try LocalFeaturesTests.mixed()
    let configurations = [features.center, features.center.map { max(0, $0 - 1) }]
    let kernel = try #require(HammingKernel(configurations: configurations, losses: [1, 2]))
    #expect(kernel.surrogate(grid: features.grid, encoded: features.encoded, full: space) == nil)
  }

  @Test func proposalsStayInTheRegionAndDifferFromTheRegression() throws {
    var gp = TrustRegionTests.fast
    gp.hammingKernel = true
    let study = try TrustRegionTests.bitStudy(gp, trials: 16)
    let space = try #require(study.searchSpace)
    let trials = try study.trials
    let region = try #require(gp.region(space: space, trials: trials, direction: .minimize))
    var differ = false
    for seed in UInt64(0)..<4 {
      let proposed = try gp.proposeWithNotes(
        space: space, trials: trials, direction: .minimize, count: 3, seed: seed)
      for p in proposed {
        #expect(TrustRegionSampler.distance(p.configuration, region.center) <= region.ball)
      }
      let plain = try TrustRegionTests.fast.propose(
        space: space, trials: trials, direction: .minimize, count: 3, seed: seed)
      if proposed.map(\.configuration) != plain { differ = true }
    }
    #expect(differ, "the kernel must change some proposal for this test to mean anything")
  }

  @Test func theSpecNamesTheModel() throws {
    let plain = try #require(try TrustRegionSpecTests.sampler("") as? TrustRegionSampler)
    #expect(!plain.hammingKernel)
    let gp = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {model: hamming-gp}") as? TrustRegionSampler)
    #expect(gp.hammingKernel)
    do {
      _ = try TrustRegionSpecTests.sampler("surrogate: {model: gp}")
      Issue.record("model: gp was accepted")
    } catch let e as TuningError {
      #expect("\(e)".contains("hamming-gp"), "\(e)")
    }
  }
}
