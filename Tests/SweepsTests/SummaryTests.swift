import Foundation
import QUBOModel
import Testing

@testable import Sweeps

/// The summary of synthetic cells against values worked out by hand.
@Suite struct SummaryTests {
  static let spec = """
    name: synthetic
    reads: 2
    seeds: 2
    tts_unit: spin_updates
    instances:
      - generator: frustrated_loops
        graph: regular3
        sizes: [12]
        seeds: [1, 2]
        target: best_found
    samplers:
      - sampler: sa
        grid:
          sweeps: [10, 100]
      - sampler: tabu
    """

  /// Instance 1 (best found −10) and instance 2 (best found −6); at sweeps
  /// 10 each cell costs 100 spin updates, at sweeps 100 1000; tabu matches
  /// the best found on every read at 20 spin updates a cell.
  static func energies(instance: Int, sampler: Int, point: Int, seed: UInt64) -> [Double] {
    if sampler == 1 { return instance == 0 ? [-10, -10] : [-6, -6] }
    switch (instance, point, seed) {
    case (0, 0, 0): return [-10, -8]
    case (0, 0, _): return [-8, -8]
    case (0, 1, 0): return [-10, -10]
    case (0, 1, _): return [-10, -8]
    case (1, 0, _): return [-6, -6]
    case (1, 1, 0): return [-6, -4]
    default: return [-4, -4]
    }
  }

  func summary() throws -> SweepSummary {
    let plan = try SweepPlan(spec: try SweepSpec(json: try SpecText.parse(Self.spec)))
    let results = plan.cells.map { cell in
      CellResult(
        key: cell.key, instance: plan.instances[cell.instance].name,
        sampler: plan.spec.samplers[cell.sampler].label,
        parameters: plan.spec.samplers[cell.sampler].points[cell.point], seed: cell.seed,
        energies: Self.energies(
          instance: cell.instance, sampler: cell.sampler, point: cell.point, seed: cell.seed),
        spinUpdates: cell.sampler == 1 ? 20 : cell.point == 0 ? 100 : 1000, seconds: 0.5,
        threads: 1)
    }
    return SweepSummary(plan: plan, results: results)
  }

  func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(b)) }

  @Test func groupsPoolSeedsAgainstTheBestFound() throws {
    let s = try summary()
    #expect(s.isComplete)
    #expect(s.targets == [-10, -6])
    #expect(s.targetsNote.contains("best energy found across this sweep"))
    let a0 = try #require(s.groups.first { $0.instance == 0 && $0.sampler == 0 && $0.point == 0 })
    #expect(a0.cells == 2)
    #expect(a0.statistics.success.successes == 1 && a0.statistics.success.reads == 4)
    #expect(a0.statistics.tRead == 50)
    #expect(close(a0.statistics.tts99.value, 50 * log(0.01) / log(0.75)))
    #expect(close(a0.statistics.residualMean, 1.5))
    #expect(a0.statistics.residualBest == 0)
    let b0 = try #require(s.groups.first { $0.instance == 1 && $0.sampler == 0 && $0.point == 0 })
    #expect(b0.statistics.tts99.value == 50)
  }

  @Test func optimalTTSAndSpeedUps() throws {
    let s = try summary()
    let sa = try #require(s.curves.first { $0.sampler == 0 })
    // Medians over the two instances: sweeps 10 → (800.4 + 50)/2,
    // sweeps 100 → (1660.9 + 8004.2)/2; the optimum is sweeps 10.
    let r = log(0.01) / log(0.75)
    let at10 = (50 * r + 50) / 2
    let at100 = (500 * log(0.01) / log(0.25) + 500 * r) / 2
    #expect(close(sa.points[0].tts.value, at10))
    #expect(close(sa.points[1].tts.value, at100))
    #expect(sa.optimal?.point == 0)
    // Tabu: p = 1 on both, t_read = 10 spin updates.
    let tabu = try #require(s.curves.first { $0.sampler == 1 })
    #expect(tabu.optimal?.tts.value == 10)
    let u = try #require(s.speedUps.first)
    #expect(u.slow == 0 && u.fast == 1)
    #expect(close(u.ratioOfQuantiles, at10 / 10))
    // Per-instance ratios 80.04 and 5; their median is the mean of the two.
    #expect(close(u.quantileOfRatios, (50 * r / 10 + 5) / 2))
  }

  @Test func summaryJSONSaysWhereTargetsComeFrom() throws {
    let s = try summary()
    guard case .object(let o) = s.json, case .array(let instances)? = o["instances"],
      case .object(let first)? = instances.first
    else {
      Issue.record("summary.json is not the expected shape")
      return
    }
    #expect(first["target_source"] == .string("best_found"))
    #expect(o["complete"] == .bool(true))
    #expect(s.table.contains("sweeps=10"))
  }
}
