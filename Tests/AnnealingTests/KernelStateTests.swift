import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// Kernel caches against recomputation after sweeps and swaps.
///
/// The state each kernel updates incrementally (local fields, running and
/// slice energies) is checked against a recomputation from the spins after
/// real sweeps and replica swaps, with no refresh in between. Sampler
/// results cannot show a drifting cache: every sampler recomputes the
/// energies it reports. The packed SA kernel has the same check in
/// PackedSystemTests.
@Suite struct KernelStateTests {
  /// Hot to cold: early sweeps accept most flips, late ones few.
  static let betas = [0.02, 0.1, 0.3, 1, 3, 10]

  /// Sweeps `system` five times at each β of `betas`, auditing after each
  /// sweep; returns the accepted flips.
  static func anneal<S: AnnealingSystem & KernelStateAudit, O: SweepOrder>(
    _ system: inout S, _ order: O.Type, log: AuditLog, rng: inout Xoshiro256PlusPlus,
    beforeSweep: (S) -> Void = { _ in }
  ) -> Int {
    var accepted = 0
    for beta in betas {
      system.prepare(beta: beta)
      for sweep in 0..<5 {
        beforeSweep(system)
        accepted += system.sweep(O.self, rng: &rng)
        log.audit(system, "β \(beta) sweep \(sweep)")
      }
    }
    return accepted
  }

  static func randomSpins(
    _ n: Int, _ rng: inout Xoshiro256PlusPlus
  ) -> (UnsafeMutablePointer<Double>) -> Void {
    let row = (0..<n).map { _ in rng.next() & 1 == 0 ? -1.0 : 1.0 }
    return { s in for i in 0..<n { s[i] = row[i] } }
  }

  @Test(arguments: Acceptance.allCases, UpdateOrder.allCases)
  func spinSystemAfterSweeps(_ acceptance: Acceptance, _ order: UpdateOrder) {
    let problem = IsingProblem(RandomInstances.ising(n: 40, density: 0.15, seed: 21))
    let buffers = ProblemBuffers(problem)
    #expect(buffers.quantum == nil)
    let log = AuditLog(problem, tolerance: 1e-9)
    var rng = Xoshiro256PlusPlus(seed: 4)
    func run<R: AcceptanceRule>(_ rule: R) -> Int {
      var system = SpinSystem(buffers, rule: rule, fill: Self.randomSpins(buffers.n, &rng))
      defer { system.deallocate() }
      log.audit(system, "initial state")
      switch order {
      case .sequential: return Self.anneal(&system, SequentialOrder.self, log: log, rng: &rng)
      case .random: return Self.anneal(&system, RandomOrder.self, log: log, rng: &rng)
      }
    }
    let accepted: Int
    switch acceptance {
    case .metropolis: accepted = run(MetropolisRule())
    case .gibbs: accepted = run(GibbsRule())
    }
    #expect(accepted > 100)
    #expect(log.checks == 1 + 5 * Self.betas.count)
    #expect(log.failures.isEmpty, "\(log.failures)")
  }

  /// The integer kernel, on quanta 1 and ¼: both sweep variants (branch-free
  /// while more than 20% of a sweep's flips are accepted, branching after)
  /// must keep the integer fields and the energy exact.
  @Test(arguments: Acceptance.allCases, [1.0, 0.25])
  func quantizedSystemAfterSweeps(_ acceptance: Acceptance, quantum: Double) throws {
    var model = RandomInstances.ising(n: 40, density: 0.15, integer: true, seed: 22)
    model.scale(by: quantum)
    let problem = IsingProblem(model)
    let buffers = ProblemBuffers(problem)
    let biases = try #require(buffers.quantized)
    let log = AuditLog(problem, tolerance: 1e-9)
    var rng = Xoshiro256PlusPlus(seed: 5)
    for order in UpdateOrder.allCases {
      var system = QuantizedSystem(
        buffers, biases, acceptance: acceptance, fill: Self.randomSpins(buffers.n, &rng))
      defer { system.deallocate() }
      #expect(system.sparse)
      log.audit(system, "initial state")
      var branchFree = 0
      var branching = 0
      let count = { (s: QuantizedSystem) in
        if Double(s.lastAccepted) / Double(s.n) > 0.2 { branchFree += 1 } else { branching += 1 }
      }
      let accepted: Int
      switch order {
      case .sequential:
        accepted = Self.anneal(
          &system, SequentialOrder.self, log: log, rng: &rng, beforeSweep: count)
      case .random:
        accepted = Self.anneal(&system, RandomOrder.self, log: log, rng: &rng, beforeSweep: count)
      }
      #expect(accepted > 100)
      #expect(branchFree > 0 && branching > 0, "branch-free \(branchFree), branching \(branching)")
    }
    #expect(log.failures.isEmpty, "\(log.failures)")
  }

  /// Parallel tempering's driver with every replica audited after each sweep
  /// and after each swap: a swap must move spins, fields and energy
  /// together and leave each slot's β (acceptance table) in place.
  @Test(arguments: [false, true])
  func temperingReplicasAfterSwaps(_ integer: Bool) throws {
    let model = RandomInstances.ising(n: 30, density: 0.2, integer: integer, seed: 23)
    let problem = IsingProblem(model)
    let buffers = ProblemBuffers(problem)
    let ladder = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6]
    let stats = TemperingStatistics(reads: 1, levels: ladder.count)
    let kernel = TemperingKernel(
      buffers: buffers, ladder: ladder, sweeps: 60, swapInterval: 1, initial: nil,
      returnBest: true, stop: .never, stats: stats)
    let results = ReadResults(numSpins: buffers.n, reads: 1)
    let log = AuditLog(problem, tolerance: 1e-9)
    var rng = Xoshiro256PlusPlus(seed: 7)
    if integer {
      let biases = try #require(buffers.quantized)
      #expect(QuantizedSystem.fits(buffers, sweepsPerStep: 60))
      kernel.temper(read: 0, rng: &rng, into: results) { fill in
        AuditedSystem(
          base: QuantizedSystem(buffers, biases, acceptance: .metropolis, fill: fill), log: log
        ) { system, beta in
          var fresh = QuantizedSystem(buffers, biases, acceptance: .metropolis) { _ in }
          defer { fresh.deallocate() }
          fresh.prepare(beta: beta)
          return (0...(2 * system.bound)).allSatisfy { system.threshold[$0] == fresh.threshold[$0] }
        }
      }
    } else {
      #expect(buffers.quantum == nil)
      kernel.temper(read: 0, rng: &rng, into: results) { fill in
        AuditedSystem(
          base: SpinSystem(buffers, rule: MetropolisRule(), fill: fill), log: log
        ) { system, beta in system.rule.cutoff.beta == beta }
      }
    }
    let swaps = (0..<(ladder.count - 1)).reduce(0) { $0 + Int(stats.swaps[$1]) }
    #expect(swaps > 50, "too few swaps to test them: \(swaps)")
    #expect(log.checks >= 60 * ladder.count + 2 * swaps)
    #expect(log.failures.isEmpty, "\(log.failures)")
  }

  /// SQA's per-slice Float fields and Double slice energies after sweeps.
  ///
  /// Covers the scalar path (P odd or 2 mod 4), the masked four-lane path (P
  /// = 4 mod 8) and the colour-split vector path (P a multiple of 8), with
  /// and without worldline moves, hot (most
  /// slices flip: neighbours updated over all slices) and cold (few flip:
  /// slice by slice). Integer biases keep Float arithmetic exact, so the
  /// check there is exact; real biases allow Float rounding.
  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32], [true, false])
  func pathIntegralSlicesAfterSweeps(_ trotter: Int, integer: Bool) {
    let model = RandomInstances.ising(n: 30, density: 0.2, integer: integer, seed: 24)
    let problem = IsingProblem(model)
    let system = PathIntegralSystem(problem, trotter: trotter)
    #expect(system.colourSplit == (trotter % 8 == 0))
    var rng = Xoshiro256PlusPlus(seed: 8)
    system.randomize(using: &rng)
    let log = AuditLog(problem, tolerance: integer ? 0 : 1e-4)
    log.audit(system, "initial state")
    let start = (flips: system.acceptedFlips, worldlines: system.acceptedWorldlines)
    // (βB/P, J⊥) from hot and weakly coupled to cold and strongly coupled.
    for (scale, jPerp) in [(0.02, 0.05), (0.2, 0.4), (1.0, 1.2), (4.0, 3.0)] {
      for worldline in [true, false] {
        for sweep in 0..<4 {
          system.sweep(
            scale: SliceFloat(scale), jPerp: trotter == 1 ? 0 : SliceFloat(jPerp),
            worldline: worldline, rng: &rng)
          log.audit(system, "P \(trotter) scale \(scale) worldline \(worldline) sweep \(sweep)")
        }
      }
    }
    #expect(system.acceptedFlips - start.flips > 100)
    #expect(system.acceptedWorldlines - start.worldlines > 0)
    #expect(log.failures.isEmpty, "\(log.failures)")
  }
}
