import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// Rows split by sign (SignedRows.swift) for couplings of one magnitude:
/// detection, the integer and packed kernels against the multiply-per-edge
/// update bit for bit, cached state against recomputation, and Boltzmann
/// frequencies at fixed β through the sampler.
@Suite struct SignedRowsTests {
  /// A ±`c` glass on `0..<n` with about `degree` neighbours per spin and,
  /// when `field` is non-zero, fields ±`field` on every third spin.
  static func glass(
    n: Int, degree: Int, c: Double = 1, field: Double = 0, seed: UInt64
  ) -> BinaryQuadraticModel {
    var rng = SplitMix64(seed: seed)
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for _ in 0..<(n * degree / 2) {
      let i = Int(rng.next() % UInt64(n))
      let j = Int(rng.next() % UInt64(n))
      if i != j { model.addQuadratic(index: i, j, rng.next() & 1 == 0 ? -c : c) }
    }
    for i in stride(from: 0, to: n, by: 3) where field != 0 {
      model.addLinear(index: i, rng.next() & 1 == 0 ? -field : field)
    }
    // Pairs drawn twice add up to 0 or ±2c: make every coupling ±c again.
    var clean = BinaryQuadraticModel(vartype: .spin, count: n)
    let problem = IsingProblem(model)
    for i in 0..<n {
      if problem.h[i] != 0 { clean.addLinear(index: i, problem.h[i]) }
      for k in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        let j = Int(problem.neighbor[k])
        if j > i, problem.coupling[k] != 0 {
          clean.addQuadratic(index: i, j, problem.coupling[k] > 0 ? c : -c)
        }
      }
    }
    return clean
  }

  /// Split rows exist exactly when the integer couplings share one
  /// magnitude; each row holds its neighbours, positive couplings first.
  @Test func detection() throws {
    let unit = ProblemBuffers(IsingProblem(Self.glass(n: 60, degree: 6, seed: 1)))
    let rows = try #require(unit.signedRows)
    #expect(rows.magnitude == 1)
    let couplings = try #require(unit.couplingUnits)
    for i in 0..<unit.n {
      let lo = Int(unit.start[i])
      let hi = Int(unit.start[i + 1])
      let middle = Int(rows.negativeStart[i])
      #expect(lo <= middle && middle <= hi)
      var positive = Set<Int32>()
      var negative = Set<Int32>()
      for k in lo..<hi {
        if couplings[k] > 0 { positive.insert(unit.neighbor[k]) } else { negative.insert(unit.neighbor[k]) }
      }
      #expect(Set((lo..<middle).map { rows.index[$0] }) == positive)
      #expect(Set((middle..<hi).map { rows.index[$0] }) == negative)
    }
    // Fields of ±0.5 make q = 0.5: couplings ±2 in units.
    let halves = ProblemBuffers(IsingProblem(Self.glass(n: 60, degree: 6, field: 0.5, seed: 2)))
    #expect(halves.quantum == 0.5)
    #expect(halves.signedRows?.magnitude == 2)
    // Integer couplings in −3...3: several magnitudes, no split rows.
    let mixed = ProblemBuffers(
      IsingProblem(RandomInstances.ising(n: 30, density: 0.5, integer: true, seed: 3)))
    #expect(mixed.quantum != nil)
    #expect(mixed.signedRows == nil)
    // Real couplings: no quantum, no split rows.
    let real = ProblemBuffers(IsingProblem(RandomInstances.ising(n: 30, density: 0.5, seed: 4)))
    #expect(real.signedRows == nil)
  }

  /// The Double-only local searches (tabu, steepest descent, polishing)
  /// build neither the integer layouts nor the split rows; their own arrays
  /// are the same copies.
  @Test func localSearchBuffersSkipTheIntegerLayouts() throws {
    let problem = IsingProblem(Self.glass(n: 60, degree: 6, seed: 1))
    let full = ProblemBuffers(problem)
    let plain = ProblemBuffers(problem, integerKernels: false)
    #expect(full.signedRows != nil && full.quantum == 1)
    #expect(plain.signedRows == nil && plain.quantum == nil && plain.quantized == nil)
    #expect(plain.hUnits == nil && plain.couplingUnits == nil && plain.packedEdges == nil)
    #expect(!plain.floatPacks)
    #expect(plain.maxAbsField == full.maxAbsField && plain.maxDegree == full.maxDegree)
    for k in 0..<problem.neighbor.count {
      #expect(plain.neighbor[k] == full.neighbor[k] && plain.coupling[k] == full.coupling[k])
    }
  }

  /// The integer kernel on split rows makes the same decisions, holds the
  /// same spins, fields and energy as with the multiply per edge after
  /// every sweep (sparse models take the branch-free sweeps while many
  /// flips are accepted, dense ones the branching sweeps), and its caches
  /// equal their recomputation.
  @Test(arguments: Acceptance.allCases, UpdateOrder.allCases)
  func quantizedSameAsMultiply(_ acceptance: Acceptance, _ order: UpdateOrder) throws {
    for (degree, field) in [(4, 0.0), (20, 0.0), (12, 0.5)] {
      let problem = IsingProblem(Self.glass(n: 150, degree: degree, field: field, seed: 5))
      let buffers = ProblemBuffers(problem)
      let biases = try #require(buffers.quantized)
      #expect(biases.signed != nil)
      var seeds = Xoshiro256PlusPlus(seed: 17)
      let fill = KernelStateTests.randomSpins(buffers.n, &seeds)
      var split = QuantizedSystem(buffers, biases, acceptance: acceptance, fill: fill)
      var plain = QuantizedSystem(
        buffers, biases, acceptance: acceptance, splitSigns: false, fill: fill)
      defer {
        split.deallocate()
        plain.deallocate()
      }
      #expect(split.signed != nil && plain.signed == nil)
      let log = AuditLog(problem, tolerance: 0)
      var a = Xoshiro256PlusPlus(seed: 3)
      var b = a
      var differences = 0
      var accepted = 0
      for beta in KernelStateTests.betas {
        split.prepare(beta: beta)
        plain.prepare(beta: beta)
        for _ in 0..<4 {
          switch order {
          case .sequential:
            accepted += split.sweep(SequentialOrder.self, rng: &a)
            _ = plain.sweep(SequentialOrder.self, rng: &b)
          case .random:
            accepted += split.sweep(RandomOrder.self, rng: &a)
            _ = plain.sweep(RandomOrder.self, rng: &b)
          }
          if split.units != plain.units { differences += 1 }
          for i in 0..<buffers.n where split.s[i] != plain.s[i] || split.f[i] != plain.f[i] {
            differences += 1
          }
          log.audit(split, "β \(beta)")
        }
      }
      #expect(accepted > 500)
      #expect(differences == 0, "degree \(degree)")
      #expect(log.failures.isEmpty, "degree \(degree): \(log.failures)")
    }
  }

  /// The packed kernel on split rows equals the multiply per edge bit for
  /// bit (spins, fields, energies), 8 and 16 lanes, both sweep variants,
  /// and every lane's energy equals its recomputation.
  @Test(arguments: [1, 2])
  func packedSameAsMultiply(_ halves: Int) throws {
    for (degree, field) in [(6, 0.0), (24, 0.5)] {
      let problem = IsingProblem(Self.glass(n: 130, degree: degree, field: field, seed: 6))
      let buffers = ProblemBuffers(problem)
      let biases = try #require(buffers.quantized)
      let n = buffers.n
      var seeds = Xoshiro256PlusPlus(seed: 8)
      let initial = (0..<(16 * n)).map { _ in seeds.next() & 1 == 0 ? -1.0 : 1.0 }
      let fill: (Int, UnsafeMutablePointer<Double>) -> Void = { lane, s in
        for i in 0..<n { s[i] = initial[lane * n + i] }
      }
      let split = PackedSystem(
        buffers, biases, halves: halves, acceptance: .metropolis, fill: fill)
      let plain = PackedSystem(
        buffers, biases, halves: halves, acceptance: .metropolis, splitSigns: false, fill: fill)
      defer {
        split.deallocate()
        plain.deallocate()
      }
      #expect(split.signed != nil && plain.signed == nil)
      var a = Xoshiro256PlusPlus(seed: 9)
      var b = a
      var differences = 0
      var mismatches = 0
      let row = UnsafeMutablePointer<Int8>.allocate(capacity: n)
      defer { row.deallocate() }
      for beta in [0.05, 0.3, 2.0] {
        split.prepare(beta: beta)
        plain.prepare(beta: beta)
        for sweep in 0..<4 {
          for (system, g) in [(split, 0), (plain, 1)] {
            var rng = g == 0 ? a : b
            switch (halves, sweep % 2 == 0) {
            case (2, true): system.sweep(SixteenLanes.self, PackedSkipping.self, rng: &rng)
            case (2, false): system.sweep(SixteenLanes.self, PackedBranchFree.self, rng: &rng)
            case (_, true): system.sweep(EightLanes.self, PackedBranchFree.self, rng: &rng)
            case (_, false): system.sweep(EightLanes.self, PackedSkipping.self, rng: &rng)
            }
            if g == 0 { a = rng } else { b = rng }
          }
          for v in 0..<(n * halves) where split.s[v] != plain.s[v] || split.f[v] != plain.f[v] {
            differences += 1
          }
          for h in 0..<halves where split.units[h] != plain.units[h] { differences += 1 }
        }
        for lane in 0..<split.width {
          split.extract(split.s, lane: lane, to: row)
          let l = lane % PackedSystem.lanes
          let tracked = buffers.offset + split.q * Double(split.units[lane / PackedSystem.lanes][l])
          if tracked != buffers.energy(row) { mismatches += 1 }
        }
      }
      #expect(differences == 0, "degree \(degree)")
      #expect(mismatches == 0, "degree \(degree)")
    }
  }

  /// Final states at one fixed β through the sampler are Boltzmann
  /// distributed (χ² at α = 0.001) on ±1 and ±2 models with fields ±1,
  /// for packs (16 lanes), sequential and random reads one by one.
  @Test(arguments: Acceptance.allCases)
  func boltzmannAtFixedBeta(_ acceptance: Acceptance) throws {
    let configurations: [(UpdateOrder, Bool)] = [(.sequential, true), (.sequential, false), (.random, false)]
    for (n, c, seed) in [(5, 1.0, UInt64(1)), (6, 2.0, 2)] {
      let problem = IsingProblem(Self.glass(n: n, degree: 4, c: c, field: 1, seed: seed))
      #expect(ProblemBuffers(problem).signedRows != nil)
      let beta = 0.35
      for (order, pack) in configurations {
        var p = SimulatedAnnealing.Parameters()
        p.reads = 8000
        p.schedule = .constant(beta: beta, sweeps: 60)
        p.returnBest = false
        p.acceptance = acceptance
        p.order = order
        p.packReads = pack
        p.threads = 2
        var rng = SplitMix64(seed: 40 + seed)
        let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
        #expect((set.info["lanes"] != nil) == pack)
        var counts = [Int](repeating: 0, count: 1 << n)
        for r in 0..<set.count { counts[BruteForce.index(set.sample(r))] += 1 }
        let test = ChiSquare(
          observed: counts, probabilities: BruteForce.boltzmann(problem, beta: beta))
        #expect(test.passes, "n=\(n) c=\(c) \(acceptance) \(order) pack \(pack): \(test)")
      }
    }
  }
}
