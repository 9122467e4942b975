import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

@Suite("PathIntegralAnnealing sampler")
struct PathIntegralAnnealingTests {
  static func parameters(
    reads: Int = 4, sweeps: Int = 50, trotter: Int = 8, threads: Int = 1
  ) -> PathIntegralAnnealing.Parameters {
    var p = PathIntegralAnnealing.Parameters()
    p.reads = reads
    p.sweeps = sweeps
    p.trotter = trotter
    p.threads = threads
    return p
  }

  static func run(
    _ problem: IsingProblem, _ p: PathIntegralAnnealing.Parameters, seed: UInt64 = 1
  ) throws -> SampleSet {
    var rng = SplitMix64(seed: seed)
    return try PathIntegralAnnealing(p).sample(problem, using: &rng)
  }

  @Test("Reported energies equal a fresh recomputation", arguments: [1, 5, 8, 16])
  func energiesRecomputed(trotter: Int) throws {
    let model = randomIsingModel(n: 40, density: 0.2, seed: 5)
    let problem = IsingProblem(model)
    var p = Self.parameters(trotter: trotter)
    let ss = try Self.run(problem, p)
    #expect(ss.count == 4)
    for r in 0..<ss.count {
      let oracle = EnergyOracle.energy(of: ss, row: r, in: model)
      #expect(
        EnergyOracle.agrees(ss.energies[r], oracle), "read \(r): \(ss.energies[r]) vs \(oracle)")
    }
    p.returnAllSlices = true
    let all = try Self.run(problem, p)
    #expect(all.count == 4 * trotter)
    for r in 0..<all.count {
      let oracle = EnergyOracle.energy(of: all, row: r, in: model)
      #expect(
        EnergyOracle.agrees(all.energies[r], oracle), "row \(r): \(all.energies[r]) vs \(oracle)")
    }
  }

  @Test("The same seed reproduces the samples; another seed differs")
  func seeds() throws {
    let problem = randomIsing(n: 30, density: 0.3, seed: 6)
    let p = Self.parameters()
    let a = try Self.run(problem, p, seed: 42)
    let b = try Self.run(problem, p, seed: 42)
    let c = try Self.run(problem, p, seed: 43)
    #expect(a.samples == b.samples && a.energies == b.energies)
    #expect(a.samples != c.samples)
  }

  @Test("The thread count does not change the results")
  func threads() throws {
    let problem = randomIsing(n: 30, density: 0.3, seed: 7)
    let one = try Self.run(problem, Self.parameters(reads: 5, threads: 1))
    for t in [2, 3, 8] {
      let many = try Self.run(problem, Self.parameters(reads: 5, threads: t))
      #expect(many.samples == one.samples && many.energies == one.energies)
    }
  }

  @Test("spin_updates counts n·P proposals a sweep; worldline moves are counted apart")
  func updateCounts() throws {
    let problem = randomIsing(n: 20, density: 0.3, seed: 8)
    var p = Self.parameters(reads: 3, sweeps: 40, trotter: 6)
    let ss = try Self.run(problem, p)
    #expect(ss.info["spin_updates"] == .int(3 * 40 * 20 * 6))
    #expect(ss.info["worldline_updates"] == .int(3 * 40 * 20))
    #expect(ss.info["sampler"] == .string("sqa"))
    #expect(ss.info["trotter"] == .int(6))
    p.worldlineMoves = false
    let noWorldlines = try Self.run(problem, p)
    #expect(noWorldlines.info["worldline_updates"] == .int(0))
    #expect(noWorldlines.info["accepted_worldline_updates"] == .int(0))
  }

  @Test("Finds the ground state of small frustrated problems")
  func groundState() throws {
    for seed in UInt64(30)..<UInt64(33) {
      let problem = randomIsing(n: 14, density: 0.5, seed: seed)
      var exactRNG = SplitMix64(seed: 0)
      let exact = try ExactSolver(keepLowest: 1).sample(problem, using: &exactRNG)
      let ground = try #require(exact.lowestEnergy)
      let ss = try Self.run(problem, Self.parameters(reads: 4, sweeps: 300, trotter: 8))
      let best = try #require(ss.lowestEnergy)
      #expect(abs(best - ground) < 1e-9, "seed \(seed): \(best) vs ground \(ground)")
    }
  }

  @Test("A model-level run maps back to labels and the QUBO vartype")
  func modelLevel() throws {
    var bqm = BinaryQuadraticModel(vartype: .binary)
    bqm.addQuadratic("a", "b", 2)
    bqm.addLinear("a", -1)
    bqm.addLinear("b", -1)
    bqm.addQuadratic("b", "c", -1)
    let ss = try PathIntegralAnnealing(Self.parameters(sweeps: 100)).sample(bqm, seed: 3)
    #expect(ss.vartype == .binary)
    #expect(ss.variables == bqm.variables)
    for r in 0..<ss.count {
      let oracle = EnergyOracle.energy(of: ss, row: r, in: bqm)
      #expect(
        EnergyOracle.agrees(ss.energies[r], oracle), "read \(r): \(ss.energies[r]) vs \(oracle)")
    }
    #expect(ss.lowestEnergy == -2)
  }

  @Test("Initial states are copied into every slice; zero sweeps return them")
  func initialStates() throws {
    let problem = randomIsing(n: 6, seed: 9)
    var p = Self.parameters(reads: 3, sweeps: 0, trotter: 4)
    let rows: [Int8] = [1, -1, 1, -1, 1, -1, -1, -1, -1, 1, 1, 1]
    p.initialStates = rows
    let ss = try Self.run(problem, p)
    #expect(Array(ss.sample(0)) == Array(rows[0..<6]))
    #expect(Array(ss.sample(1)) == Array(rows[6..<12]))
    #expect(Array(ss.sample(2)) == Array(rows[0..<6]))
    #expect(ss.info["spin_updates"] == .int(0))
  }

  @Test("A time limit or a cancelled token stops early and returns read 0")
  func stopping() throws {
    let problem = randomIsing(n: 30, density: 0.3, seed: 10)
    var p = Self.parameters(reads: 6, sweeps: 1_000_000, trotter: 8)
    p.control = SamplingControl(timeLimit: 0.05)
    let limited = try Self.run(problem, p)
    #expect(limited.count >= 1)
    for r in 0..<limited.count {
      #expect(limited.energies[r] == problem.energy(Array(limited.sample(r))))
    }
    let token = CancellationToken()
    token.cancel()
    p.control = SamplingControl(cancellation: token)
    let cancelled = try Self.run(problem, p)
    #expect(cancelled.count == 1)
    // Read 0 was cut before its first sweep: its state is polished by
    // descent (a local minimum), flagged as cut.
    #expect(cancelled.info["cut_reads"] == .int(1))
    let s = Array(cancelled.sample(0))
    for i in 0..<problem.numSpins {
      #expect(Double(s[i]) * problem.localField(i, in: s) <= 0, "spin \(i) could still flip down")
    }
  }

  @Test("Bad parameters throw instead of trapping")
  func validation() throws {
    let problem = randomIsing(n: 4, seed: 12)
    var bad: [PathIntegralAnnealing.Parameters] = []
    var p = Self.parameters()
    p.trotter = 0
    bad.append(p)
    p = Self.parameters()
    p.beta = -1
    bad.append(p)
    p = Self.parameters()
    p.beta = .nan
    bad.append(p)
    p = Self.parameters()
    p.gammaRange = GammaRange(high: -1, low: 0.1)
    bad.append(p)
    p = Self.parameters()
    p.schedule = TransverseFieldSchedule(gammas: [(gamma: .infinity, sweeps: 3)])
    bad.append(p)
    p = Self.parameters()
    p.initialStates = [1, 1, 1]
    bad.append(p)
    p = Self.parameters()
    p.initialStates = [1, 0, 1, 1]
    bad.append(p)
    p = Self.parameters()
    p.reads = -1
    bad.append(p)
    p = Self.parameters()
    p.threads = 0
    bad.append(p)
    for params in bad {
      #expect(throws: SamplerError.self) { _ = try Self.run(problem, params) }
    }
  }

  @Test("Empty and all-zero models do not crash")
  func degenerate() throws {
    let empty = IsingProblem(BinaryQuadraticModel(vartype: .spin))
    let e = try Self.run(empty, Self.parameters(reads: 2))
    #expect(e.count == 2)
    let zero = IsingProblem(BinaryQuadraticModel(vartype: .spin, count: 5))
    #expect(PathIntegralAnnealing.defaultBeta(for: zero).isDegenerate)
    let z = try Self.run(zero, Self.parameters(reads: 2))
    #expect(z.energies == [0, 0])
  }
}

@Suite("SQA schedules and defaults")
struct PathIntegralScheduleTests {
  @Test("A Γ range runs from high to low, geometric or linear")
  func gammaRange() {
    let range = GammaRange(high: 8, low: 0.5)
    let geometric = TransverseFieldSchedule(gammaRange: range, sweeps: 100)
    #expect(geometric.steps.count == 100)
    #expect(geometric.totalSweeps == 100)
    #expect(geometric.steps.first?.transverseField == 8)
    #expect(abs((geometric.steps.last?.transverseField ?? 0) - 0.5) < 1e-12)
    #expect(geometric.steps.allSatisfy { $0.problemScale == 1 })
    let mid = geometric.steps[33].transverseField
    #expect(abs(mid - 8 * pow(0.5 / 8, 33.0 / 99)) < 1e-12)
    let linear = TransverseFieldSchedule(
      gammaRange: range, sweeps: 10, shape: .linear, points: 4)
    #expect(linear.steps.map(\.sweeps) == [3, 3, 2, 2])
    #expect(linear.steps.map(\.transverseField) == [8, 5.5, 3, 0.5])
  }

  @Test("OpenJij's form s·H_p + Γ(1 − s)(−Σσˣ) and its quartic default")
  func openJij() {
    let s = TransverseFieldSchedule.openJij(gamma: 2, s: [(0, 5), (0.25, 5), (1, 5)])
    #expect(s.steps.map(\.transverseField) == [2, 1.5, 0])
    #expect(s.steps.map(\.problemScale) == [0, 0.25, 1])
    let q = TransverseFieldSchedule.openJijQuartic(gamma: 1, sweeps: 11)
    #expect(q.steps.count == 11)
    #expect(q.steps.first?.problemScale == 0)
    #expect(abs((q.steps.last?.problemScale ?? 0) - 1) < 1e-12)
    #expect(abs(q.steps[5].problemScale - 0.5) < 1e-12)
  }

  @Test("The quartic OpenJij schedule anneals a problem to its ground state")
  func openJijRun() throws {
    let problem = randomIsing(n: 12, density: 0.5, seed: 41)
    var exactRNG = SplitMix64(seed: 0)
    let ground = try #require(
      try ExactSolver(keepLowest: 1).sample(problem, using: &exactRNG).lowestEnergy)
    var p = PathIntegralAnnealing.Parameters()
    p.reads = 4
    p.trotter = 8
    p.beta = 5
    p.threads = 1
    p.schedule = .openJijQuartic(gamma: 1, sweeps: 300)
    var rng = SplitMix64(seed: 2)
    let ss = try PathIntegralAnnealing(p).sample(problem, using: &rng)
    #expect(abs((ss.lowestEnergy ?? 0) - ground) < 1e-9)
  }

  @Test("Defaults come from the spin-form bias scale, the same for QUBO and Ising")
  func defaults() {
    var ising = BinaryQuadraticModel(vartype: .spin)
    ising.addQuadratic(0, 1, -1)
    ising.addQuadratic(1, 2, 0.5)
    ising.addLinear(0, 0.25)
    let qubo = ising.changingVartype(to: .binary)
    let a = IsingProblem(ising)
    let b = IsingProblem(qubo)
    let beta = PathIntegralAnnealing.defaultBeta(for: a).beta
    #expect(abs(beta - PathIntegralAnnealing.defaultBeta(for: b).beta) < 1e-12)
    // ln(N_min / 0.01) / (2 min m): spin 0's field 0.25 is the smallest bias.
    #expect(abs(beta - 9.210340371976184) < 1e-12)
    let g = PathIntegralAnnealing.defaultGammaRange(for: a, beta: beta, trotter: 16)
    // max_i S_i: spin 1 feels |−1| + |0.5|, spin 0 feels 0.25 + 1.
    #expect(g.high == 1.5)
    #expect(abs(g.low - 0.16 / beta) < 1e-12)
    let sqa = PathIntegralAnnealing()
    #expect(sqa.schedule(for: a).steps.first?.transverseField == 1.5)
    #expect(sqa.schedule(for: a).totalSweeps == 1000)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite("SQA kernel numerics")
struct PathIntegralKernelNumericsTests {
  @Test("The lane-wise logarithm is accurate on the uniforms' range")
  func logarithm() {
    var values: [Float] = [0x1.0p-24, 0x1.0p-23, 0.5, 0.70710677, 0.7071068, 1 - 0x1.0p-24]
    var rng = SplitMix64(seed: 4)
    for _ in 0..<4000 { values.append((Float(rng.next() >> 40) + 0.5) * 0x1.0p-24) }
    while values.count % 4 != 0 { values.append(0.25) }
    var worst: Float = 0
    for c in stride(from: 0, to: values.count, by: 4) {
      let v = SIMD4<Float>(values[c..<(c + 4)])
      let l = laneLogarithm(v)
      for lane in 0..<4 {
        let exact = Float(log(Double(v[lane])))
        worst = max(worst, abs(l[lane] - exact) / max(1, abs(exact)))
      }
    }
    #expect(worst < 4e-7, "worst relative error \(worst)")
  }

  @Test("−ln u from the random words equals −laneLogarithm(u) bit for bit")
  func negativeLogUniform() {
    // Every 61st 24-bit value, the first and last 4096, and each power of
    // two with its neighbours (the exponent's steps).
    var values = Array(stride(from: UInt32(0), to: 1 << 24, by: 61))
    values += (0..<4096).flatMap { [UInt32($0), UInt32((1 << 24) - 1 - $0)] }
    for k in 0..<24 { values += [UInt32(1 << k) - 1, UInt32(1 << k), UInt32(1 << k) + 1] }
    // Random low 8 bits, which the uniforms drop.
    var rng = SplitMix64(seed: 8)
    while values.count % 4 != 0 { values.append(7) }
    var mismatches = 0
    for c in stride(from: 0, to: values.count, by: 4) {
      let words = SIMD4<UInt32>(values[c..<(c + 4)]) &<< 8
        | SIMD4<UInt32>(truncatingIfNeeded: SIMD4<UInt64>(repeating: rng.next() & 0xFF))
      let fused = Annealing.negativeLogUniform(fromWords: words)
      let reference = -laneLogarithm(SliceVector.uniform(fromWords: words))
      for lane in 0..<4 where fused[lane].bitPattern != reference[lane].bitPattern {
        mismatches += 1
      }
    }
    #expect(mismatches == 0)
  }
}
