import Foundation
import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// The Float packs' thinned decision (ThinnedLanes.swift): the bound against
/// the probabilities, each lane's acceptance frequency and the lanes'
/// independence against the exact law, one draw for a quiet group, and
/// through the sampler Boltzmann frequencies, the Double kernel's mean
/// energy at a cold β and the same samples at any thread count.
@Suite struct ThinnedLanesTests {
  /// Exact acceptance probabilities of lanes `x` (Float x, Double maths).
  static func exact(_ acceptance: Acceptance, _ x: FloatLanes) -> [Double] {
    (0..<8).map { k in
      let v = Double(x[k])
      switch acceptance {
      case .metropolis: return v <= 0 ? 1 : (v >= 40 ? 0 : exp(-v))
      case .gibbs: return v <= -40 ? 1 : (v >= 40 ? 0 : 1 / (1 + exp(v)))
      }
    }
  }

  static func decide(
    _ acceptance: Acceptance, _ x: FloatLanes, _ rng: inout Xoshiro256PlusPlus
  ) -> SIMDMask<SIMD8<Int32>>? {
    switch acceptance {
    case .metropolis: return ThinnedLanes.accepts(MetropolisLanes.self, x, &rng)
    case .gibbs: return ThinnedLanes.accepts(GibbsLanes.self, x, &rng)
    }
  }

  static func bound(_ acceptance: Acceptance, _ x: FloatLanes) -> FloatLanes {
    switch acceptance {
    case .metropolis: return MetropolisLanes.bound(x)
    case .gibbs: return GibbsLanes.bound(x)
    }
  }

  /// p̄_k ∈ [p_k, 1] on [−45, 45] (1 on certain lanes, below 10⁻¹⁷ from
  /// x = 40, where p_k = 0), and
  /// at most 2^{1/16}·1.0615 ≈ 1.108 times e^{−x} where 0 < x < 40.
  @Test(arguments: Acceptance.allCases)
  func boundCoversProbability(_ acceptance: Acceptance) {
    var x = -45.0
    var worst = 0.0
    while x <= 45 {
      var lanes = FloatLanes(repeating: 0)
      for l in 0..<8 { lanes[l] = Float(x + Double(l) * 0.000_73) }
      let b = Self.bound(acceptance, lanes)
      let exact = Self.exact(acceptance, lanes)
      for l in 0..<8 {
        let v = Double(lanes[l])
        #expect(b[l] >= 0 && b[l] <= 1, "x = \(v): bound \(b[l])")
        #expect(Double(b[l]) >= exact[l] * (1 + 5e-7) || b[l] == 1, "x = \(v): \(b[l]) < \(exact[l])")
        if v >= 40 { #expect(b[l] < 1e-17) }
        if v > 0 && v < 40 && b[l] < 1 { worst = max(worst, Double(b[l]) / exp(-v)) }
      }
      x += 0.0071
    }
    #expect(worst < 1.109, "worst bound / e^{−x}: \(worst)")
  }

  /// Over 200 000 decisions of one group: each lane accepts with its own p_k
  /// (five binomial standard errors), the eight lanes' joint patterns follow
  /// the product law (χ², α = 0.001), and quiet groups occur as often as
  /// u ≥ Σ p̄_k says.
  @Test(arguments: [
    (Acceptance.metropolis, [0.3, 1.2, 2.0, -0.5, 0.7, 3.0, 45, 1.6]),
    (Acceptance.metropolis, [4, 5, 6, 3.5, 7, 4.5, 5.5, 2.5]),
    (Acceptance.metropolis, [0.01, 0.1, 0.2, 0.4, 0.8, 0.02, 0.3, 0.6]),
    (Acceptance.gibbs, [-1, 0.5, 2, -3, 1, 0, 2.5, -45]),
    (Acceptance.gibbs, [3, 4, 5, 6, 2.5, 3.5, 4.5, 41]),
    (Acceptance.gibbs, [0.01, 0.03, 3, 4, -0.02, 1, 2, 5]),
  ])
  func laneLawIsExact(_ acceptance: Acceptance, _ values: [Float]) {
    let x = FloatLanes(values)
    let p = Self.exact(acceptance, x)
    let runs = 200_000
    var rng = Xoshiro256PlusPlus(seed: 12)
    var accepted = [Int](repeating: 0, count: 8)
    var patterns = [Int](repeating: 0, count: 256)
    var quiet = 0
    for _ in 0..<runs {
      guard let mask = Self.decide(acceptance, x, &rng) else {
        quiet += 1
        patterns[0] += 1
        continue
      }
      var bits = 0
      for k in 0..<8 where mask[k] {
        accepted[k] += 1
        bits |= 1 << k
      }
      patterns[bits] += 1
    }
    for k in 0..<8 {
      let sd = (p[k] * (1 - p[k]) / Double(runs)).squareRoot()
      let f = Double(accepted[k]) / Double(runs)
      #expect(abs(f - p[k]) <= 5 * sd + 1e-6, "lane \(k): \(f) against \(p[k])")
    }
    var joint = [Double](repeating: 1, count: 256)
    for bits in 0..<256 {
      for k in 0..<8 {
        let on = (bits >> k) & 1 == 1
        joint[bits] *= on ? p[k] : 1 - p[k]
      }
    }
    let test = ChiSquare(observed: patterns, probabilities: joint)
    #expect(test.passes, "\(acceptance) \(values): \(test)")
    let b = Self.bound(acceptance, x)
    var sum = 0.0
    for k in 0..<8 { sum += Double(b[k]) }
    let q = max(0, 1 - sum)
    let sd = (q * (1 - q) / Double(runs)).squareRoot()
    #expect(abs(Double(quiet) / Double(runs) - q) <= 5 * sd + 1e-6, "quiet \(quiet) against \(q)")
  }

  /// A quiet group costs one draw; any other group five.
  @Test func quietGroupsUseOneDraw() {
    var rng = Xoshiro256PlusPlus(seed: 3)
    var reference = rng
    let rejected = FloatLanes(repeating: 45)
    #expect(ThinnedLanes.accepts(MetropolisLanes.self, rejected, &rng) == nil)
    _ = reference.next()
    #expect(rng.next() == reference.next())
    var withCertain = rejected
    withCertain[5] = -1
    let mask = ThinnedLanes.accepts(MetropolisLanes.self, withCertain, &rng)
    #expect(mask.map { m in (0..<8).filter { m[$0] } } == [5])
    for _ in 0..<5 { _ = reference.next() }
    #expect(rng.next() == reference.next())
  }

  /// Final states at one fixed β are Boltzmann distributed through Float
  /// packs (every read in a pack; the shared χ² helper, α = 0.001).
  @Test(arguments: Acceptance.allCases)
  func boltzmannAtFixedBeta(_ acceptance: Acceptance) throws {
    var p = SimulatedAnnealing.Parameters()
    p.reads = 16
    p.threads = 2
    p.couplings = .sparse
    p.acceptance = acceptance
    try expectBoltzmannAtFixedBeta(p) { set in
      #expect(set.info["packed_reads"] == .int(16))
    }
  }

  /// At a cold β, where most groups are quiet, Float packs and the Double
  /// kernel agree on the mean energy (five standard errors) and its spread.
  @Test(arguments: Acceptance.allCases)
  func agreesWithDoubleKernelWhenCold(_ acceptance: Acceptance) throws {
    let model = FloatPackedAnnealingTests.gaussian(n: 64, degree: 5, seed: 21)
    var stats: [EnergyMoments] = []
    for packed in [true, false] {
      var p = FloatPackedAnnealingTests.parameters(reads: 1504, packed: packed)
      p.schedule = .constant(beta: 2.5, sweeps: 40)
      p.returnBest = false
      p.acceptance = acceptance
      let set = try SimulatedAnnealing(p).sample(model, seed: 5)
      #expect(FloatPackedAnnealingTests.lanes(set) == (packed ? 8 : nil))
      stats.append(EnergyMoments(set.energies))
    }
    #expect(stats[0].meanDifferenceInStandardErrors(stats[1]) < 5, "\(stats)")
    #expect(stats[0].varianceMismatch(stats[1]) < 0.25, "\(stats)")
  }

  /// Same seed, same samples at 1, 2 and 7 threads for 1, 2, 5, 10 and 13
  /// reads (colour reads, a pack and colour reads).
  @Test(arguments: [1, 2, 5, 10, 13])
  func sameSamplesAtAnyThreadCount(_ reads: Int) throws {
    let model = FloatPackedAnnealingTests.gaussian(n: 200, degree: 6, seed: 8)
    var sets: [SampleSet] = []
    for t in [1, 2, 7] {
      var p = SimulatedAnnealing.Parameters()
      p.reads = reads
      p.sweeps = 100
      p.threads = t
      sets.append(try SimulatedAnnealing(p).sample(model, seed: 31))
    }
    #expect(sets[0].samples == sets[1].samples && sets[0].samples == sets[2].samples)
    #expect(sets[0].energies == sets[1].energies && sets[0].energies == sets[2].energies)
    for r in 0..<reads {
      let oracle = EnergyOracle.energy(of: sets[0], row: r, in: model)
      #expect(EnergyOracle.agrees(sets[0].energies[r], oracle), "read \(r)")
    }
  }
}
