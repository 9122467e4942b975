import Annealing
import Foundation
import Testing

@testable import Sweeps

/// The interval of a quantile over instances resamples reads within the
/// instances too, so it is informative when every instance has p̂ = 1.
@Suite struct BootstrapTests {
  @Test func allSolvedInstancesGiveAnOpenInterval() {
    let reads = (0..<5).map { _ in TwoLevelBootstrap.Reads(successes: 20, reads: 20, tRead: 2) }
    var rng = SplitMix64(seed: 3)
    let e = TwoLevelBootstrap.quantile(reads, 0.5, resamples: 2000, using: &rng)
    #expect(e.value == 2)
    #expect(e.lower == 2)
    // 20 of 20 bounds p only to about 0.9 or more: TTS99 up to ~2 reads.
    #expect(e.upper > 2.5 && e.upper < 8, "\(e)")
    // Resampling instances alone would give [2, 2].
    var r2 = SplitMix64(seed: 3)
    let flat = Quantile.withInterval(reads.map { _ in 2.0 }, 0.5, using: &r2)
    #expect(flat.lower == flat.upper)
  }

  @Test func seededAndBracketsThePoint() {
    let reads = [(3, 20), (10, 20), (17, 20), (6, 20), (12, 20)].map {
      TwoLevelBootstrap.Reads(successes: $0.0, reads: $0.1, tRead: 1)
    }
    var a = SplitMix64(seed: 8)
    var b = SplitMix64(seed: 8)
    let x = TwoLevelBootstrap.quantile(reads, 0.5, using: &a)
    let y = TwoLevelBootstrap.quantile(reads, 0.5, using: &b)
    #expect(x == y)
    #expect(x.lower < x.value && x.value < x.upper)
  }

  @Test func unsolvedInstancesStayUnbounded() {
    let reads = (0..<3).map { _ in TwoLevelBootstrap.Reads(successes: 0, reads: 20, tRead: 1) }
    var rng = SplitMix64(seed: 1)
    let e = TwoLevelBootstrap.quantile(reads, 0.5, using: &rng)
    #expect(e.value.isInfinite && e.upper.isInfinite)
  }

  @Test func betaDrawsHaveTheirMean() {
    var rng = SplitMix64(seed: 5)
    for (a, b) in [(20.5, 0.5), (3.5, 7.5), (0.5, 0.5)] {
      var sum = 0.0
      let n = 20000
      for _ in 0..<n { sum += TwoLevelBootstrap.beta(a, b, using: &rng) }
      #expect(abs(sum / Double(n) - a / (a + b)) < 0.01, "Beta(\(a), \(b))")
    }
  }
}

/// Optima at an end of a grid axis are flagged in the summary, the table and
/// the optimal-TTS plot.
@Suite struct GridEdgeTests {
  @Test func edgesOfAGridPoint() throws {
    let spec = try SweepSpec(json: try SpecText.parse(SpecTests.valid))
    let sa = spec.samplers[0]
    // sweeps: [10, 100]: both ends; pt's sweeps has one value and never counts.
    #expect(SweepSummary.edges(of: 0, in: sa).map(\.low) == [true])
    #expect(SweepSummary.edges(of: 1, in: sa).map(\.low) == [false])
    let pt = spec.samplers[1]
    #expect(SweepSummary.edges(of: 0, in: pt).map(\.key) == ["replicas"])
    let three = try SweepSpec(
      json: try SpecText.parse(
        SpecTests.valid.replacingOccurrences(of: "sweeps: [10, 100]", with: "sweeps: [100, 10, 1000]")))
    #expect(SweepSummary.edges(of: 0, in: three.samplers[0]).isEmpty, "100 is inside the grid")
  }

  @Test func summaryTableAndPlotSayWhenTheOptimumIsAtAnEdge() throws {
    let plan = try SweepPlan(spec: try SweepSpec(json: try SpecText.parse(SpecTests.valid)))
    let results = try plan.cells.map { try plan.run($0) }
    let summary = SweepSummary(plan: plan, results: results)
    let flagged = summary.curves.filter { !$0.optimalAtEdge.isEmpty }
    #expect(!flagged.isEmpty)
    #expect(summary.table.contains("† the best point lies at an end of the grid"))
    guard case .object(let o) = summary.json, case .array(let curves)? = o["curves"] else {
      Issue.record("summary.json has no curves")
      return
    }
    let edges = curves.compactMap { c -> Int? in
      guard case .object(let f) = c, case .array(let e)? = f["optimal_at_grid_edge"] else {
        return nil
      }
      return e.count
    }
    #expect(edges.count == curves.count && edges.contains { $0 > 0 })
    let svg = SweepPlots.optimalTTS(summary)
    #expect(svg.contains("optimum at an end of the") && svg.contains("fill=\"#fff\""))
  }
}
