import Foundation
import QUBOModel
@testable import Annealing
import Testing
import _TestSupport

/// Parallel tempering's time budget (issue 22, item 1): under a time limit
/// the length of its reads comes from the limit.
@Suite("Parallel tempering's time budget")
struct TemperingBudgetTests {
  @Test("Three reads a thread fill the budget, within 1000...100000 sweeps")
  func budgetSweeps() {
    // 12 s at 1 ms a sweep: three reads of 4000 sweeps.
    #expect(ParallelTempering.budgetSweeps(seconds: 12, secondsPerSweep: 1e-3) == 4000)
    #expect(ParallelTempering.budgetSweeps(seconds: 0.5, secondsPerSweep: 1e-3) == 1000)
    #expect(ParallelTempering.budgetSweeps(seconds: 1e6, secondsPerSweep: 1e-9) == 100_000)
    #expect(ParallelTempering.budgetSweeps(seconds: 1, secondsPerSweep: 0) == 1000)
    #expect(ParallelTempering.budgetSweeps(seconds: 0, secondsPerSweep: 1e-3) == 1000)
    // SA's rule through the same arithmetic: 48 single reads a thread.
    // (2⁻¹⁰ s a sweep, exact in binary: 96 s / (48 · 2⁻¹⁰ s) = 2048.)
    #expect(
      SimulatedAnnealing.budgetSweeps(seconds: 96, secondsPerSweep: 0x1p-10, readsPerItem: 1)
        == 2048)
  }

  @Test("With sweepsFillTimeLimit, a few long reads fill the limit")
  func budgetFillsTheLimit() throws {
    let problem = IsingProblem(RandomInstances.sparseSpinGlass(n: 300, degree: 4, seed: 3))
    var p = ParallelTempering.Parameters()
    p.threads = 2
    p.reads = ReadOptions.budgetReads(numSpins: problem.numSpins)
    p.control.timeLimit = 1
    p.sweepsFillTimeLimit = true
    // A length the budget must replace: it never gives fewer than 1000.
    p.sweeps = 1
    var rng = SplitMix64(seed: 5)
    let t0 = Date()
    let set = try ParallelTempering(p).sample(problem, using: &rng)
    let seconds = Date().timeIntervalSince(t0)
    guard case .int(let sweeps)? = set.info["sweeps"] else {
      Issue.record("no sweeps in info")
      return
    }
    #expect(ParallelTempering.budgetSweepRange.contains(sweeps))
    // About three reads a thread, not the cap's thousands, and the limit
    // held (plus the polishing grace of a quarter of it).
    #expect(set.count >= 1 && set.count <= 4 * p.threads * ParallelTempering.budgetReadsPerThread)
    #expect(seconds < 1.25 + 0.5)
    for r in 0..<set.count {
      #expect(abs(set.energies[r] - problem.energy(Array(set.sample(r)))) < 1e-9)
    }
  }

  @Test("Without it, or without a limit, reads keep the sweeps they were given")
  func fixedSweepsStay() throws {
    let problem = IsingProblem(RandomInstances.sparseSpinGlass(n: 60, degree: 3, seed: 4))
    var p = ParallelTempering.Parameters()
    p.reads = 2
    p.sweeps = 300
    p.control.timeLimit = 30
    var rng = SplitMix64(seed: 6)
    let limited = try ParallelTempering(p).sample(problem, using: &rng)
    #expect(limited.info["sweeps"] == .int(300))
    p.control.timeLimit = nil
    p.sweepsFillTimeLimit = true
    rng = SplitMix64(seed: 6)
    let unlimited = try ParallelTempering(p).sample(problem, using: &rng)
    #expect(unlimited.info["sweeps"] == .int(300))
    // The same seed gives the same samples whether or not a (generous)
    // limit was set: the limit's clock does not touch the random numbers.
    #expect(limited.energies == unlimited.energies)
  }
}
