import Annealing
import QUBOModel
import Testing
import _TestSupport

@Suite struct ParallelTemperingTests {
  static func make(_ o: ConformanceOptions) -> ParallelTempering {
    var p = ParallelTempering.Parameters()
    p.readOptions = o.readOptions
    p.sweeps = 100
    p.replicas = 6
    switch o.work {
    case .normal: break
    case .none: p.sweeps = 0
    case .unbounded: p.sweeps = 1 << 40
    }
    return ParallelTempering(p)
  }

  @Test func conformance() {
    let failures = SamplerConformance.check(Self.make)
    #expect(failures.isEmpty, "\(failures)")
  }

  /// The coldest replica at its β samples the Boltzmann distribution
  /// (χ² at α = 0.001), for integer and real biases and both rules.
  @Test(arguments: Acceptance.allCases, [false, true])
  func coldestReplicaIsBoltzmann(_ acceptance: Acceptance, integer: Bool) throws {
    let model = RandomInstances.ising(n: 5, density: 0.8, integer: integer, seed: 12)
    let problem = IsingProblem(model)
    let beta = integer ? 0.4 : 1.2
    var p = ParallelTempering.Parameters()
    p.reads = 6000
    p.sweeps = 60
    p.ladder = [beta / 8, beta / 4, beta / 2, beta]
    p.returnBest = false
    p.acceptance = acceptance
    var rng = SplitMix64(seed: 31)
    let set = try ParallelTempering(p).sample(problem, using: &rng)
    var counts = [Int](repeating: 0, count: 32)
    for r in 0..<set.count { counts[BruteForce.index(set.sample(r))] += 1 }
    let test = ChiSquare(observed: counts, probabilities: BruteForce.boltzmann(problem, beta: beta))
    #expect(test.passes, "\(acceptance) integer=\(integer): \(test)")
  }

  @Test func reportsStatistics() throws {
    let model = RandomInstances.sparseSpinGlass(n: 200, degree: 4, seed: 3)
    var p = ParallelTempering.Parameters()
    p.reads = 2
    p.sweeps = 50
    p.replicas = 8
    let set = try ParallelTempering(p).sample(model, seed: 1)
    guard case .array(let acc)? = set.info["acceptance_rates"],
      case .array(let swaps)? = set.info["swap_rates"],
      case .array(let ladder)? = set.info["ladder"]
    else {
      Issue.record("missing statistics: \(set.info)")
      return
    }
    #expect(acc.count == 8 && swaps.count == 7 && ladder.count == 8)
    let rates = acc.compactMap { v -> Double? in if case .double(let d) = v { d } else { nil } }
    #expect(rates.count == 8)
    // Hotter levels accept more flips.
    #expect(rates.first ?? 0 > rates.last ?? 1)
    #expect(rates.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(set.info["spin_updates"] == .int(2 * 50 * 8 * 200))
  }

  @Test func rejectsBadLadders() {
    let model = RandomInstances.ising(n: 5, seed: 1)
    var p = ParallelTempering.Parameters()
    p.ladder = [1, 0.5]
    #expect(throws: SamplerError.self) { try ParallelTempering(p).sample(model, seed: 1) }
    p.ladder = []
    #expect(throws: SamplerError.self) { try ParallelTempering(p).sample(model, seed: 1) }
    p.ladder = [0.1, .infinity]
    #expect(throws: SamplerError.self) { try ParallelTempering(p).sample(model, seed: 1) }
  }

  @Test func findsGroundStates() throws {
    for seed in UInt64(1)...3 {
      let model = RandomInstances.ising(n: 16, density: 0.5, seed: seed)
      var p = ParallelTempering.Parameters()
      p.reads = 2
      p.sweeps = 300
      p.replicas = 8
      let set = try ParallelTempering(p).sample(model, seed: seed)
      let ground = BruteForce.groundEnergy(IsingProblem(model))
      #expect(abs((set.lowestEnergy ?? .infinity) - ground) < 1e-9)
    }
  }
}
