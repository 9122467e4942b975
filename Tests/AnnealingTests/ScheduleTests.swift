import Annealing
import Testing

@Suite("Schedules from ranges")
struct ScheduleTests {
  @Test func oneStepPerSweepUpToTheCap() {
    let s = Schedule(range: BetaRange(hot: 0.1, cold: 10), sweeps: 1000, shape: .geometric)
    #expect(s.steps.count == 1000)
    #expect(s.steps.allSatisfy { $0.sweeps == 1 })
    #expect(abs(s.steps[0].beta - 0.1) < 1e-12)
    #expect(abs(s.steps[999].beta - 10) < 1e-12)
    for k in 1..<1000 { #expect(s.steps[k].beta > s.steps[k - 1].beta) }
  }

  /// A huge run (a time limit ends it) must not store a step per sweep.
  @Test func hugeRunsShareEachPoint() {
    let sweeps = 1 << 40
    let s = Schedule(range: BetaRange(hot: 0.1, cold: 10), sweeps: sweeps, shape: .linear)
    #expect(s.steps.count == Schedule.maxPoints)
    #expect(s.totalSweeps == sweeps)
    let g = TransverseFieldSchedule(
      gammaRange: GammaRange(high: 3, low: 0.01), sweeps: sweeps, shape: .geometric)
    #expect(g.steps.count == Schedule.maxPoints)
    #expect(g.totalSweeps == sweeps)
  }
}
