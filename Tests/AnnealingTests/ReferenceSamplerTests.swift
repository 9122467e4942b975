import Annealing
import QUBOModel
import Testing
import _TestSupport

@Suite struct ReferenceSamplerTests {
  @Test func exactSolverMatchesBruteForce() throws {
    for seed in UInt64(1)...4 {
      let model = RandomInstances.ising(n: 8, density: 0.6, seed: seed)
      let problem = IsingProblem(model)
      var rng = SplitMix64(seed: 0)
      let set = try ExactSolver().sample(problem, using: &rng)
      #expect(set.count == 256)
      let brute = BruteForce.energies(problem)
      for r in 0..<set.count {
        #expect(abs(set.energies[r] - brute[BruteForce.index(set.sample(r))]) < 1e-9)
      }
      #expect(Set(set.aggregated().samples.chunked(8)).count == 256)
      let lowest = try ExactSolver(keepLowest: 3).sample(problem, using: &rng)
      #expect(lowest.energies == Array(brute.sorted().prefix(3)))
    }
  }

  @Test func exactSolverRefusesLargeModels() {
    let model = RandomInstances.sparseSpinGlass(n: 40, degree: 3, seed: 1)
    #expect(throws: SamplerError.self) { try ExactSolver(keepLowest: 1).sample(model, seed: 1) }
  }

  @Test func exactConformance() {
    var caps = SamplerConformance.Capabilities()
    caps.initialStates = false
    caps.timeLimit = false
    caps.threads = false
    caps.rowsEqualReads = false
    let failures = SamplerConformance.check(capabilities: caps) { _ in ExactSolver(keepLowest: 5) }
    #expect(failures.isEmpty, "\(failures)")
  }

  @Test func randomSamplerIsUniform() throws {
    let model = RandomInstances.ising(n: 3, seed: 5)
    let problem = IsingProblem(model)
    var rng = SplitMix64(seed: 8)
    let set = try RandomSampler(reads: 8000).sample(problem, using: &rng)
    var counts = [Int](repeating: 0, count: 8)
    for r in 0..<set.count { counts[BruteForce.index(set.sample(r))] += 1 }
    let test = ChiSquare(observed: counts, probabilities: Array(repeating: 1.0 / 8, count: 8))
    #expect(test.passes, "\(test)")
  }

  @Test func randomConformance() {
    var caps = SamplerConformance.Capabilities()
    caps.initialStates = false
    caps.timeLimit = false
    caps.threads = false
    let failures = SamplerConformance.check(capabilities: caps) { o in RandomSampler(reads: o.reads)
    }
    #expect(failures.isEmpty, "\(failures)")
  }

  static func descent(_ o: ConformanceOptions) -> SteepestDescent {
    var p = SteepestDescent.Parameters()
    p.readOptions = o.readOptions
    return SteepestDescent(p)
  }

  @Test func descentConformance() {
    let failures = SamplerConformance.check(Self.descent)
    #expect(failures.isEmpty, "\(failures)")
  }

  @Test func descentEndsInLocalMinima() throws {
    let model = RandomInstances.ising(n: 60, density: 0.2, seed: 4)
    let problem = IsingProblem(model)
    var rng = SplitMix64(seed: 4)
    var p = SteepestDescent.Parameters()
    p.reads = 20
    let set = try SteepestDescent(p).sample(problem, using: &rng)
    for r in 0..<set.count {
      let row = Array(set.sample(r))
      for i in 0..<problem.numSpins {
        var flipped = row
        flipped[i] = -flipped[i]
        #expect(problem.energy(flipped) >= set.energies[r] - 1e-9)
      }
    }
  }

  @Test func compositeConformance() {
    let failures = SamplerConformance.check { o in
      SteepestDescentComposite(child: SimulatedAnnealingTests.make(o), threads: o.threads)
    }
    #expect(failures.isEmpty, "\(failures)")
  }

  @Test func compositePolishesToLocalMinimaNoWorse() throws {
    let model = RandomInstances.ising(n: 80, density: 0.1, seed: 6)
    let problem = IsingProblem(model)
    let child = RandomSampler(reads: 12)
    var a = SplitMix64(seed: 1)
    var b = SplitMix64(seed: 1)
    let raw = try child.sample(problem, using: &a)
    let polished = try SteepestDescentComposite(child: child).sample(problem, using: &b)
    #expect(polished.count == raw.count)
    for r in 0..<raw.count { #expect(polished.energies[r] <= raw.energies[r]) }
    #expect(polished.info["polished_rows"] == .int(12))
  }
}

extension Array {
  func chunked(_ size: Int) -> [ArraySlice<Element>] {
    stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
  }
}
