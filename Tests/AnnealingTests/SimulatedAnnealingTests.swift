import Annealing
import QUBOModel
import Testing
import _TestSupport

@Suite struct SimulatedAnnealingTests {
  static func make(_ o: ConformanceOptions) -> SimulatedAnnealing {
    var p = SimulatedAnnealing.Parameters()
    p.readOptions = o.readOptions
    p.sweeps = 200
    switch o.work {
    case .normal: break
    case .none: p.sweeps = 0
    case .unbounded:
      p.sweeps = 1 << 40
      p.sweepsPerBeta = 1 << 30
    }
    return SimulatedAnnealing(p)
  }

  @Test func conformance() {
    let failures = SamplerConformance.check(Self.make)
    #expect(failures.isEmpty, "\(failures)")
  }

  @Test(arguments: Acceptance.allCases, UpdateOrder.allCases)
  func conformanceOfEveryKernel(_ acceptance: Acceptance, _ order: UpdateOrder) {
    let failures = SamplerConformance.check { o in
      var s = Self.make(o)
      s.parameters.acceptance = acceptance
      s.parameters.order = order
      return s
    }
    #expect(failures.isEmpty, "\(failures)")
  }

  /// At one fixed β, the final states of many reads are Boltzmann
  /// distributed (χ² at α = 0.001, seeded, so deterministic), for both
  /// rules, both orders, and both kernels (integer and real biases).
  @Test(arguments: Acceptance.allCases, UpdateOrder.allCases)
  func boltzmannAtFixedBeta(_ acceptance: Acceptance, _ order: UpdateOrder) throws {
    for integer in [false, true] {
      try Self.boltzmann(acceptance, order, integer: integer)
    }
  }

  /// The χ² check of `boltzmannAtFixedBeta` for one rule, order and kernel;
  /// `configure` adjusts the parameters (the dense-row tests force their
  /// layout and packing), `check` looks at each sample set as well.
  static func boltzmann(
    _ acceptance: Acceptance, _ order: UpdateOrder, integer: Bool, seedBase: UInt64 = 99,
    label: String = "", configure: (inout SimulatedAnnealing.Parameters) -> Void = { _ in },
    check: (SampleSet) -> Void = { _ in }
  ) throws {
    for (n, seed) in [(3, UInt64(1)), (6, 2)] {
      let model = RandomInstances.ising(n: n, density: 0.8, integer: integer, seed: seed)
      let problem = IsingProblem(model)
      let beta = integer ? 0.3 : 1.0
      var p = SimulatedAnnealing.Parameters()
      // 100 sweeps mix these models (8 sweeps did not: barriers up to
      // β·2·max_i S_i ≈ 11); 8000 final states give ≥ 5 expected counts in
      // most bins.
      p.reads = 8000
      p.schedule = .constant(beta: beta, sweeps: 100)
      p.returnBest = false
      p.acceptance = acceptance
      p.order = order
      p.threads = 2
      configure(&p)
      var rng = SplitMix64(seed: seedBase + seed)
      let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
      check(set)
      var counts = [Int](repeating: 0, count: 1 << n)
      for r in 0..<set.count { counts[BruteForce.index(set.sample(r))] += 1 }
      let test = ChiSquare(
        observed: counts, probabilities: BruteForce.boltzmann(problem, beta: beta))
      #expect(test.passes, "n=\(n) \(acceptance) \(order) integer=\(integer)\(label): \(test)")
    }
  }

  /// The χ² test has power: a wrong β is rejected.
  @Test func boltzmannTestRejectsWrongTemperature() throws {
    let model = RandomInstances.ising(n: 4, density: 1, seed: 4)
    let problem = IsingProblem(model)
    var p = SimulatedAnnealing.Parameters()
    p.reads = 20_000
    p.schedule = .constant(beta: 1.3, sweeps: 8)
    p.returnBest = false
    var rng = SplitMix64(seed: 1)
    let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
    var counts = [Int](repeating: 0, count: 16)
    for r in 0..<set.count { counts[BruteForce.index(set.sample(r))] += 1 }
    let test = ChiSquare(observed: counts, probabilities: BruteForce.boltzmann(problem, beta: 1.0))
    #expect(!test.passes)
  }

  @Test func findsGroundStateOfSmallModels() throws {
    for seed in UInt64(1)...5 {
      let model = RandomInstances.ising(n: 14, density: 0.6, seed: seed)
      let problem = IsingProblem(model)
      var p = SimulatedAnnealing.Parameters()
      p.reads = 8
      p.sweeps = 500
      var rng = SplitMix64(seed: seed)
      let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
      let ground = BruteForce.groundEnergy(problem)
      #expect(abs((set.lowestEnergy ?? .infinity) - ground) < 1e-9)
    }
  }

  @Test func bestSeenIsNoWorseThanFinal() throws {
    let model = RandomInstances.sparseSpinGlass(n: 300, degree: 4, seed: 8)
    var p = SimulatedAnnealing.Parameters()
    p.reads = 4
    p.schedule = .constant(beta: 0.5, sweeps: 50)
    p.returnBest = false
    let final = try SimulatedAnnealing(p).sample(model, seed: 3)
    p.returnBest = true
    let best = try SimulatedAnnealing(p).sample(model, seed: 3)
    for r in 0..<4 { #expect(best.energies[r] <= final.energies[r]) }
    #expect(best.energies != final.energies)
  }

  @Test func schedulesFromRangeAndLists() throws {
    let model = RandomInstances.ising(n: 10, seed: 3)
    let problem = IsingProblem(model)
    var p = SimulatedAnnealing.Parameters()
    p.sweeps = 100
    p.sweepsPerBeta = 10
    let s = SimulatedAnnealing(p).schedule(for: problem)
    #expect(s.steps.count == 10 && s.totalSweeps == 100)
    #expect(s.steps.allSatisfy { $0.sweeps == 10 })
    let range = BetaRange.default(for: problem).range
    #expect(abs(s.steps[0].beta - range.hot) < 1e-12)
    #expect(abs(s.steps[9].beta - range.cold) < 1e-9 * range.cold)
    p.shape = .linear
    let lin = SimulatedAnnealing(p).schedule(for: problem)
    #expect(
      abs(lin.steps[5].beta - lin.steps[4].beta - (lin.steps[1].beta - lin.steps[0].beta)) < 1e-9)
    #expect(Schedule(betas: [0.1, 1], sweepsPerBeta: 3).totalSweeps == 6)
    #expect(Schedule(pairs: [(0.1, 2), (1, 5)]).steps[1] == .init(beta: 1, sweeps: 5))
    p.schedule = Schedule(betas: [0.1, .nan])
    #expect(throws: SamplerError.self) { try SimulatedAnnealing(p).sample(model, seed: 1) }
    p.schedule = nil
    p.sweepsPerBeta = 0
    #expect(throws: SamplerError.self) { try SimulatedAnnealing(p).sample(model, seed: 1) }
  }

  @Test func cancellationReturnsWhatWasFound() throws {
    let model = RandomInstances.sparseSpinGlass(n: 2000, degree: 4, seed: 1)
    let token = CancellationToken()
    token.cancel()
    var p = SimulatedAnnealing.Parameters()
    p.reads = 4
    p.sweeps = 1 << 40
    p.sweepsPerBeta = 1 << 30
    p.control.cancellation = token
    let set = try SimulatedAnnealing(p).sample(model, seed: 1)
    // The first pack (4 reads) always runs, is cut before any sweep, and its
    // rows are polished by descent into local minima.
    #expect(set.count == 4)
    #expect(set.info["cut_reads"] == .int(4))
    let problem = IsingProblem(model)
    for r in 0..<set.count {
      let s = Array(set.sample(r))
      let downhill = (0..<problem.numSpins).filter { Double(s[$0]) * problem.localField($0, in: s) > 0 }
      #expect(downhill.isEmpty, "read \(r): \(downhill.count) spins could still flip down")
    }
  }

  @Test func sameSeedSameSamplesAtAnyThreadCount() throws {
    let model = RandomInstances.sparseSpinGlass(n: 500, degree: 6, seed: 2)
    var sets: [SampleSet] = []
    for t in [1, 2, 7] {
      var p = SimulatedAnnealing.Parameters()
      p.reads = 11
      p.sweeps = 100
      p.threads = t
      sets.append(try SimulatedAnnealing(p).sample(model, seed: 2024))
    }
    #expect(sets[0].samples == sets[1].samples && sets[0].samples == sets[2].samples)
    #expect(sets[0].energies == sets[1].energies && sets[0].energies == sets[2].energies)
  }
}

@Suite struct DegenerateModelTests {
  @Test func emptyAndZeroModelsDoNotCrash() throws {
    let empty = BinaryQuadraticModel(vartype: .spin)
    var zero = BinaryQuadraticModel(vartype: .binary, count: 4)
    zero.offset = 3
    for model in [empty, zero] {
      let samplers: [any Sampler] = [
        SimulatedAnnealing(), ParallelTempering(), TabuSearch(), SteepestDescent(),
        SteepestDescentComposite(child: SimulatedAnnealing()),
      ]
      for sampler in samplers {
        let set = try sampler.sample(model, seed: 1)
        #expect(set.energies.allSatisfy { $0 == model.offset })
      }
    }
    let set = try SimulatedAnnealing().sample(zero, seed: 1)
    #expect(set.info["warnings"] == .array([.string(BetaRange.degenerateWarning)]))
  }
}
