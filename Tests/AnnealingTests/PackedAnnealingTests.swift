import Annealing
import QUBOModel
import Testing
import _TestSupport

/// The packed kernel (eight reads in SIMD lanes): forced on with integer
/// biases, sequential order and at least four reads; compared with the
/// read-by-read kernel (`packReads = false`).
@Suite struct PackedAnnealingTests {
  static func parameters(reads: Int, packed: Bool = true) -> SimulatedAnnealing.Parameters {
    var p = SimulatedAnnealing.Parameters()
    p.reads = reads
    p.packReads = packed
    p.threads = 2
    return p
  }

  static func lanes(_ set: SampleSet) -> Int? {
    if case .int(let l)? = set.info["lanes"] { return l }
    return nil
  }

  /// Final states at one fixed β are Boltzmann distributed (χ² at
  /// α = 0.001), with read counts that are not multiples of the pack width:
  /// 8003 reads in one run (16-lane packs) and 276 runs of 29 reads
  /// (8-lane packs).
  @Test(arguments: Acceptance.allCases)
  func boltzmannAtFixedBeta(_ acceptance: Acceptance) throws {
    for (n, seed) in [(5, UInt64(3)), (6, 4)] {
      let problem = IsingProblem(
        RandomInstances.ising(n: n, density: 0.8, integer: true, seed: seed))
      let beta = 0.3
      for (reads, runs, lanes) in [(8003, 1, 16), (29, 276, 8)] {
        var p = Self.parameters(reads: reads)
        p.schedule = .constant(beta: beta, sweeps: 100)
        p.returnBest = false
        p.acceptance = acceptance
        var rng = SplitMix64(seed: 7 + seed)
        var counts = [Int](repeating: 0, count: 1 << n)
        for _ in 0..<runs {
          let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
          #expect(Self.lanes(set) == lanes)
          #expect(set.count == reads)
          for r in 0..<set.count { counts[BruteForce.index(set.sample(r))] += 1 }
        }
        let test = ChiSquare(
          observed: counts, probabilities: BruteForce.boltzmann(problem, beta: beta))
        #expect(test.passes, "n=\(n) \(acceptance) lanes=\(lanes): \(test)")
      }
    }
  }

  /// The χ² test above has power on packed samples: a wrong β is rejected.
  @Test func boltzmannRejectsWrongTemperature() throws {
    let problem = IsingProblem(RandomInstances.ising(n: 5, density: 1, integer: true, seed: 5))
    var p = Self.parameters(reads: 8003)
    p.schedule = .constant(beta: 0.4, sweeps: 20)
    p.returnBest = false
    var rng = SplitMix64(seed: 1)
    let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
    var counts = [Int](repeating: 0, count: 32)
    for r in 0..<set.count { counts[BruteForce.index(set.sample(r))] += 1 }
    let test = ChiSquare(observed: counts, probabilities: BruteForce.boltzmann(problem, beta: 0.3))
    #expect(!test.passes)
  }

  /// At a fixed β on a 64-spin glass, packed and read-by-read runs agree on
  /// the mean energy and its spread (within five standard errors).
  @Test(arguments: Acceptance.allCases)
  func agreesWithScalarKernel(_ acceptance: Acceptance) throws {
    let model = RandomInstances.sparseSpinGlass(n: 64, degree: 5, seed: 9)
    var stats: [EnergyMoments] = []
    for packed in [true, false] {
      var p = Self.parameters(reads: 1501, packed: packed)
      p.schedule = .constant(beta: 0.7, sweeps: 30)
      p.returnBest = false
      p.acceptance = acceptance
      let set = try SimulatedAnnealing(p).sample(model, seed: 11)
      #expect(Self.lanes(set) == (packed ? 16 : nil))
      stats.append(EnergyMoments(set.energies))
    }
    #expect(stats[0].meanDifferenceInStandardErrors(stats[1]) < 5, "\(stats)")
    #expect(stats[0].varianceMismatch(stats[1]) < 0.25, "\(stats)")
  }

  /// Same seed, same samples at 1, 2 and 7 threads; every read is counted.
  ///
  /// 21 reads: three packs of 8; 9, 10 and 18: packs of 8 and one or two
  /// single reads; 11 and 13: a full pack and one holding three or five
  /// reads; 33: two packs of 16 and one single read; 37: three packs of 16.
  @Test(arguments: [
    (21, 8, 21), (9, 8, 8), (10, 8, 8), (11, 8, 11), (13, 8, 13), (18, 8, 16), (33, 16, 32),
    (37, 16, 37),
  ])
  func sameSamplesAtAnyThreadCount(_ reads: Int, _ lanes: Int, _ packed: Int) throws {
    let model = RandomInstances.sparseSpinGlass(n: 300, degree: 6, seed: 2)
    var sets: [SampleSet] = []
    for t in [1, 2, 7] {
      var p = Self.parameters(reads: reads)
      p.sweeps = 50
      p.threads = t
      sets.append(try SimulatedAnnealing(p).sample(model, seed: 77))
    }
    #expect(Self.lanes(sets[0]) == lanes)
    #expect(sets[0].info["packed_reads"] == .int(packed))
    #expect(sets[0].samples == sets[1].samples && sets[0].samples == sets[2].samples)
    #expect(sets[0].energies == sets[1].energies && sets[0].energies == sets[2].energies)
    #expect(sets[0].count == reads)
    #expect(sets[0].info["spin_updates"] == .int(300 * 50 * reads))
    // Reads are independent: no two lanes of a pack return the same state.
    let rows = (0..<reads).map { Array(sets[0].sample($0)) }
    #expect(Set(rows).count == reads)
  }

  /// The best state a lane saw is no worse than its final state (same
  /// trajectory, since the stream does not depend on `returnBest`), and the
  /// reported energies are those of the returned states.
  @Test func bestSeenIsNoWorseThanFinal() throws {
    let model = RandomInstances.sparseSpinGlass(n: 200, degree: 4, seed: 8)
    var p = Self.parameters(reads: 12)
    p.schedule = .constant(beta: 0.6, sweeps: 60)
    p.returnBest = false
    let final = try SimulatedAnnealing(p).sample(model, seed: 3)
    p.returnBest = true
    let best = try SimulatedAnnealing(p).sample(model, seed: 3)
    for r in 0..<12 {
      #expect(best.energies[r] <= final.energies[r])
      let oracle = EnergyOracle.energy(of: best, row: r, in: model)
      #expect(
        EnergyOracle.agrees(best.energies[r], oracle),
        "read \(r): \(best.energies[r]) vs \(oracle)")
    }
    #expect(best.energies != final.energies)
  }

  /// Packs find ground states of small frustrated models, and reads below
  /// the threshold (or in random order) run read by read.
  @Test func groundStatesAndFallback() throws {
    for seed in UInt64(1)...4 {
      let problem = IsingProblem(
        RandomInstances.ising(n: 14, density: 0.6, integer: true, seed: seed))
      var p = Self.parameters(reads: 5)
      p.sweeps = 400
      var rng = SplitMix64(seed: seed)
      let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
      #expect(Self.lanes(set) == 8)
      #expect(set.count == 5)
      #expect(abs((set.lowestEnergy ?? .infinity) - BruteForce.groundEnergy(problem)) < 1e-9)
    }
    let model = RandomInstances.sparseSpinGlass(n: 50, degree: 4, seed: 1)
    var p = Self.parameters(reads: 2)
    #expect(Self.lanes(try SimulatedAnnealing(p).sample(model, seed: 1)) == nil)
    p.reads = 16
    p.order = .random
    #expect(Self.lanes(try SimulatedAnnealing(p).sample(model, seed: 1)) == nil)
    p.order = .sequential
    #expect(Self.lanes(try SimulatedAnnealing(p).sample(model, seed: 1)) == 8)
  }

  /// Initial states are honoured lane by lane: with zero sweeps, read r
  /// returns row r % rows.
  @Test(arguments: [(10, 8), (35, 16)])
  func initialStatesPerLane(_ reads: Int, _ lanes: Int) throws {
    let model = RandomInstances.sparseSpinGlass(n: 20, degree: 3, seed: 4)
    var rng = SplitMix64(seed: 5)
    let rows: [[Int8]] = (0..<3).map { _ in (0..<20).map { _ in rng.next() & 1 == 0 ? -1 : 1 } }
    var p = Self.parameters(reads: reads)
    p.sweeps = 0
    p.initialStates = rows.flatMap { $0 }
    let set = try SimulatedAnnealing(p).sample(model, seed: 1)
    #expect(Self.lanes(set) == lanes)
    for r in 0..<reads { #expect(Array(set.sample(r)) == rows[r % 3]) }
  }
}
