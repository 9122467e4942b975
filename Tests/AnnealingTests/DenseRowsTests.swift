import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// The dense-row field update (DenseRows.swift) against CSR and physics.
///
/// Forced on with `couplings = .dense` on small models: the conformance
/// suite, Boltzmann frequencies at fixed β, the kernel caches after sweeps,
/// and the same samples as CSR for the same seed (bit for bit, for real and
/// integer biases, on the Double, integer and packed kernels).
@Suite struct DenseRowsTests {
  static func couplings(_ set: SampleSet) -> String? {
    if case .string(let s)? = set.info["couplings"] { return s }
    return nil
  }

  @Test(arguments: Acceptance.allCases, UpdateOrder.allCases)
  func conformance(_ acceptance: Acceptance, _ order: UpdateOrder) {
    let failures = SamplerConformance.check { o in
      var s = SimulatedAnnealingTests.make(o)
      s.parameters.acceptance = acceptance
      s.parameters.order = order
      s.parameters.couplings = .dense
      return s
    }
    #expect(failures.isEmpty, "\(failures)")
  }

  /// Dense rows and CSR give the same samples and energies for the same
  /// seed: real biases read by read (Double kernel, Double rows; packed
  /// real-valued reads run in Float packs on CSR only, tested in
  /// FloatPackedAnnealingTests), integer biases read by
  /// read (integer kernel) and packed (10 reads: a pack of 8 and two single
  /// reads), integer biases too large for the integer kernel (Double
  /// kernel, Int16 rows), at 1 and 2 threads.
  @Test(arguments: Acceptance.allCases, UpdateOrder.allCases)
  func sameSamplesAsSparse(_ acceptance: Acceptance, _ order: UpdateOrder) throws {
    let cases = [(false, false, 1.0), (true, false, 1), (true, true, 1), (true, true, 100)]
    for (integer, pack, scale) in cases {
      var model = RandomInstances.ising(n: 61, density: 0.7, integer: integer, seed: 12)
      model.scale(by: scale)
      var sets: [SampleSet] = []
      for (couplings, threads) in [(CouplingLayout.sparse, 1), (.dense, 1), (.dense, 2)] {
        var p = SimulatedAnnealing.Parameters()
        p.reads = 10
        p.threads = threads
        p.sweeps = 300
        p.acceptance = acceptance
        p.order = order
        p.packReads = pack
        p.couplings = couplings
        let set = try SimulatedAnnealing(p).sample(model, seed: 77)
        #expect(Self.couplings(set) == couplings.rawValue)
        sets.append(set)
      }
      let context = "integer \(integer), pack \(pack), scale \(scale)"
      let packs = integer && pack && scale == 1 && order == .sequential
      #expect((sets[0].info["lanes"] != nil) == packs, "\(context)")
      #expect(sets[0].energies == sets[1].energies, "\(context)")
      #expect(sets[0].samples == sets[1].samples, "\(context)")
      #expect(sets[1].samples == sets[2].samples, "\(context)")
    }
  }

  /// Final states at one fixed β are Boltzmann distributed (χ² at
  /// α = 0.001) on every kernel with dense rows.
  @Test(arguments: Acceptance.allCases, UpdateOrder.allCases)
  func boltzmannAtFixedBeta(_ acceptance: Acceptance, _ order: UpdateOrder) throws {
    for (integer, pack) in [(false, false), (true, false), (true, true)] {
      try SimulatedAnnealingTests.boltzmann(
        acceptance, order, integer: integer, seedBase: 199, label: " pack \(pack), dense rows",
        configure: {
          $0.packReads = pack
          $0.couplings = .dense
        },
        check: { #expect(Self.couplings($0) == "dense") })
    }
  }

  /// `.auto` picks dense rows on a complete graph and CSR on a sparse one;
  /// no layout builds rows past the size cap.
  @Test func automaticChoice() throws {
    let complete = RandomInstances.ising(n: 40, density: 1, seed: 3)
    let sparse = RandomInstances.sparseSpinGlass(n: 400, degree: 6, seed: 3)
    var p = SimulatedAnnealing.Parameters()
    p.reads = 2
    p.sweeps = 10
    #expect(Self.couplings(try SimulatedAnnealing(p).sample(complete, seed: 1)) == "dense")
    #expect(Self.couplings(try SimulatedAnnealing(p).sample(sparse, seed: 1)) == "sparse")
    p.couplings = .sparse
    #expect(Self.couplings(try SimulatedAnnealing(p).sample(complete, seed: 1)) == "sparse")
    var chain = BinaryQuadraticModel(vartype: .spin, count: 4097)
    for i in 0..<4096 { chain.addQuadratic(index: i, i + 1, 1) }
    let buffers = ProblemBuffers(IsingProblem(chain))
    #expect(!DenseRows.chosen(.dense, for: buffers, packed: false))
    let sparseBuffers = ProblemBuffers(IsingProblem(sparse))
    #expect(DenseRows.chosen(.dense, for: sparseBuffers, packed: true))
    // Half the pairs coupled: dense rows read by read, CSR for packs.
    let half = ProblemBuffers(
      IsingProblem(RandomInstances.ising(n: 200, density: 0.5, integer: true, seed: 4)))
    #expect(DenseRows.chosen(.auto, for: half, packed: false))
    #expect(!DenseRows.chosen(.auto, for: half, packed: true))
  }

  /// The local fields and running energy of the Double kernel (Double rows
  /// for real biases, Int16 rows for integer ones) and of the integer
  /// kernel on dense rows equal their recomputation after sweeps at every β
  /// (KernelStateAudit.swift), n = 41 so that the rows have a scalar tail.
  @Test(arguments: Acceptance.allCases, UpdateOrder.allCases)
  func kernelStateAfterSweeps(_ acceptance: Acceptance, _ order: UpdateOrder) throws {
    for (integer, quantized) in [(false, false), (true, false), (true, true)] {
      let problem = IsingProblem(
        RandomInstances.ising(n: 41, density: 0.6, integer: integer, seed: 31))
      let buffers = ProblemBuffers(problem)
      let dense = DenseRows(buffers)
      #expect((dense.units != nil) == integer)
      let log = AuditLog(problem, tolerance: 1e-9)
      var rng = Xoshiro256PlusPlus(seed: 6)
      func run<S: AnnealingSystem & KernelStateAudit>(_ system: S) -> Int {
        var system = system
        defer { system.deallocate() }
        log.audit(system, "initial state")
        switch order {
        case .sequential:
          return KernelStateTests.anneal(&system, SequentialOrder.self, log: log, rng: &rng)
        case .random:
          return KernelStateTests.anneal(&system, RandomOrder.self, log: log, rng: &rng)
        }
      }
      let fill = KernelStateTests.randomSpins(buffers.n, &rng)
      let accepted: Int
      if quantized {
        let biases = try #require(buffers.quantized)
        accepted = run(
          QuantizedSystem(buffers, biases, acceptance: acceptance, dense: dense, fill: fill))
      } else {
        switch acceptance {
        case .metropolis:
          accepted = run(SpinSystem(buffers, rule: MetropolisRule(), dense: dense, fill: fill))
        case .gibbs:
          accepted = run(SpinSystem(buffers, rule: GibbsRule(), dense: dense, fill: fill))
        }
      }
      #expect(accepted > 100)
      #expect(log.failures.isEmpty, "integer \(integer) \(quantized): \(log.failures)")
    }
  }

  /// The packed kernel on dense rows: every lane's tracked energy and
  /// fields equal a recomputation after sweeps, 8 and 16 lanes, both sweep
  /// variants.
  @Test(arguments: [1, 2])
  func packedStateAfterSweeps(_ halves: Int) throws {
    let problem = IsingProblem(RandomInstances.ising(n: 45, density: 0.6, integer: true, seed: 8))
    let buffers = ProblemBuffers(problem)
    let biases = try #require(buffers.quantized)
    let dense = DenseRows(buffers)
    let n = buffers.n
    var rng = Xoshiro256PlusPlus(seed: 9)
    let system = PackedSystem(
      buffers, biases, halves: halves, acceptance: .metropolis, dense: dense
    ) { _, s in for i in 0..<n { s[i] = rng.next() & 1 == 0 ? -1 : 1 } }
    defer { system.deallocate() }
    let row = UnsafeMutablePointer<Int8>.allocate(capacity: n)
    defer { row.deallocate() }
    var mismatches = 0
    for beta in [0.05, 0.3, 2.0] {
      system.prepare(beta: beta)
      for sweep in 0..<4 {
        switch (halves, sweep % 2 == 0) {
        case (2, true): system.sweep(SixteenLanes.self, PackedSkipping.self, rng: &rng)
        case (2, false): system.sweep(SixteenLanes.self, PackedBranchFree.self, rng: &rng)
        case (_, true): system.sweep(EightLanes.self, PackedBranchFree.self, rng: &rng)
        case (_, false): system.sweep(EightLanes.self, PackedSkipping.self, rng: &rng)
        }
      }
      for lane in 0..<system.width {
        system.extract(system.s, lane: lane, to: row)
        let l = lane % PackedSystem.lanes
        let tracked = buffers.offset + Double(system.units[lane / PackedSystem.lanes][l])
        if tracked != buffers.energy(row) { mismatches += 1 }
        let spins = (0..<n).map { row[$0] }
        for i in 0..<n {
          let stored = Double(system.f[i * halves + lane / PackedSystem.lanes][l])
          if stored != problem.localField(i, in: spins) { mismatches += 1 }
        }
      }
    }
    #expect(mismatches == 0)
  }
}
