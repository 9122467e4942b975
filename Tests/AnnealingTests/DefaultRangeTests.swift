import Foundation
import QUBOModel
@testable import Annealing
import Testing
import _TestSupport

/// The default β range from local-field statistics, and SA's time budget
/// (issue 22).
@Suite("Default β range and time budget")
struct DefaultRangeTests {
  @Test("The hot end accepts a typical uphill flip a third of the time; the cold end the typical gap 1/400")
  func formula() throws {
    // A ±1 ring of 6 spins plus one field of 0.5 on spin 0: σ² = mean of
    // h_i² + Σ_j J_ij² = (6·2 + 0.25) / 6; gaps m_i = 0.5 on spin 0, 1 elsewhere.
    var model = BinaryQuadraticModel(vartype: .spin, count: 6)
    for i in 0..<6 { model.addQuadratic(index: i, (i + 1) % 6, i % 2 == 0 ? 1 : -1) }
    model.addLinear(index: 0, 0.5)
    let problem = IsingProblem(model)
    let (range, degenerate) = BetaRange.default(for: problem)
    #expect(!degenerate)
    let sigma = ((12 + 0.25) / 6).squareRoot()
    let typical = 2 * sigma * (2 / Double.pi).squareRoot()
    #expect(abs(range.hot - log(3) / typical) < 1e-12)
    #expect(abs(exp(-range.hot * typical) - 1.0 / 3) < 1e-12)
    // The median of the six gaps (0.5, 1, 1, 1, 1, 1) is 1.
    #expect(abs(range.cold - log(400) / 2) < 1e-12)
  }

  @Test("QUBO and Ising forms of one model get the same range")
  func vartypeInvariant() {
    let ising = RandomInstances.ising(n: 30, density: 0.3, seed: 4)
    let a = BetaRange.default(for: IsingProblem(ising)).range
    let b = BetaRange.default(for: IsingProblem(ising.changingVartype(to: .binary))).range
    #expect(abs(a.hot - b.hot) < 1e-9 * a.hot)
    #expect(abs(a.cold - b.cold) < 1e-9 * a.cold)
  }

  @Test("A few tiny biases do not move the cold end; scaling the model scales β by its inverse")
  func robustAndScaleFree() {
    var model = RandomInstances.sparseSpinGlass(n: 200, degree: 6, seed: 2)
    let base = BetaRange.default(for: IsingProblem(model)).range
    model.addQuadratic(index: 0, 1, 1e-6)
    model.addLinear(index: 5, 1e-7)
    let perturbed = BetaRange.default(for: IsingProblem(model)).range
    #expect(abs(perturbed.cold - base.cold) < 1e-12)
    var scaled = BinaryQuadraticModel(vartype: .spin, count: 200)
    for (key, b) in model.quadratic { scaled.addQuadratic(index: key.i, key.j, 8 * b) }
    for i in 0..<200 { scaled.addLinear(index: i, 8 * model.linear[i]) }
    let big = BetaRange.default(for: IsingProblem(scaled)).range
    #expect(abs(big.hot * 8 - perturbed.hot) < 1e-9 * perturbed.hot)
    #expect(abs(big.cold * 8 - perturbed.cold) < 1e-9 * perturbed.cold)
  }

  @Test("An all-zero model is degenerate, not a crash")
  func degenerate() {
    let zero = IsingProblem(BinaryQuadraticModel(vartype: .spin, count: 4))
    let (range, degenerate) = BetaRange.default(for: zero)
    #expect(degenerate && range == BetaRange(hot: 0.1, cold: 1))
  }

  @Test("Long default schedules take at most about 500 β values")
  func stepsOfLongSchedules() {
    let problem = IsingProblem(RandomInstances.sparseSpinGlass(n: 50, degree: 4, seed: 1))
    var p = SimulatedAnnealing.Parameters()
    p.sweeps = 10_000
    let s = SimulatedAnnealing(p).schedule(for: problem)
    #expect(s.steps.count == 500 && s.totalSweeps == 10_000)
    p.sweeps = 900
    #expect(SimulatedAnnealing(p).schedule(for: problem).steps.count == 900)
    p.sweepsPerBeta = 1
    p.sweeps = 10_000
    #expect(SimulatedAnnealing(p).schedule(for: problem).steps.count == 10_000)
  }

  @Test("Budget sweeps: a third of the time per pack, a 48th per single read, within bounds")
  func budgetRule() {
    #expect(SimulatedAnnealing.budgetSweeps(seconds: 30, secondsPerSweep: 1e-3, readsPerItem: 16) == 10_000)
    let single = SimulatedAnnealing.budgetSweeps(seconds: 48, secondsPerSweep: 1e-4, readsPerItem: 1)
    #expect((9999...10_000).contains(single))
    #expect(SimulatedAnnealing.budgetSweeps(seconds: 0.01, secondsPerSweep: 1e-3, readsPerItem: 16) == 1000)
    #expect(SimulatedAnnealing.budgetSweeps(seconds: 1e6, secondsPerSweep: 1e-9, readsPerItem: 1) == 100_000)
    #expect(SimulatedAnnealing.budgetSweeps(seconds: 1, secondsPerSweep: 0, readsPerItem: 1) == 1000)
    #expect(ReadOptions.budgetReads(numSpins: 2000) == (1 << 26) / 2000)
    #expect(ReadOptions.budgetReads(numSpins: 1) == 100_000)
    #expect(ReadOptions.budgetReads(numSpins: 1 << 30) == 1)
  }

  @Test("With sweepsFillTimeLimit, reads fill the limit and their length comes from it")
  func budgetFillsTheLimit() throws {
    let problem = IsingProblem(RandomInstances.sparseSpinGlass(n: 300, degree: 4, seed: 3))
    var p = SimulatedAnnealing.Parameters()
    p.threads = 2
    p.reads = ReadOptions.budgetReads(numSpins: problem.numSpins)
    p.control.timeLimit = 1
    p.sweepsFillTimeLimit = true
    var rng = SplitMix64(seed: 5)
    let t0 = Date()
    let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
    let seconds = Date().timeIntervalSince(t0)
    guard case .int(let sweeps)? = set.info["sweeps"] else {
      Issue.record("no sweeps in info")
      return
    }
    #expect(SimulatedAnnealing.budgetSweepRange.contains(sweeps))
    // Several reads ran, but far fewer than the cap, and the limit held
    // (plus the polishing grace of a quarter of it).
    #expect(set.count > 10 && set.count < p.reads)
    #expect(seconds < 1.25 + 0.5)
    for r in 0..<set.count {
      #expect(abs(set.energies[r] - problem.energy(Array(set.sample(r)))) < 1e-9)
    }
  }
}
