import Annealing
import QUBOEncoding
import QUBOModel
import Testing

@testable import Examples

@Suite("QUBOEncoding examples")
struct ExampleTests {
  static let instances = (try? Manifest.load().instances) ?? []

  @Test func manifestLoads() throws {
    let m = try Manifest.load()
    #expect(m.instances.count >= 10)
    let kinds = Set(m.instances.map(\.kind))
    #expect(kinds == ["knapsack", "coloring", "partition", "maxcut", "tsp"])
  }

  /// The problem's value of a decoded solution, in the manifest's sense.
  func problemValue(_ i: ManifestInstance, _ s: Solution) -> Double {
    s.objective
  }

  @Test(arguments: instances.filter { $0.solver == "exact" }.map(\.name))
  func exactOptimum(_ name: String) throws {
    let i = try #require(Self.instances.first { $0.name == name })
    let ex = try #require(Examples.make(i))
    #expect(ex.oracle() == i.optimum)
    let compiled = try ex.model.compile()
    #expect(compiled.numVariables <= ExactSolver.maxAllStates)
    let bqm = try compiled.instantiate()
    let samples = try ExactSolver().sample(bqm, seed: 1)
    let best = try #require(try samples.lowestFeasible(compiled))
    #expect(best.isFeasible)
    #expect(ex.score(best) == i.optimum)
    #expect(abs(problemValue(i, best) - Double(i.optimum)) < 1e-9)
  }

  @Test(arguments: instances.filter { $0.solver == "sa" }.map(\.name))
  func annealedOptimum(_ name: String) throws {
    let i = try #require(Self.instances.first { $0.name == name })
    let ex = try #require(Examples.make(i))
    #expect(ex.oracle() == i.optimum)
    let compiled = try ex.model.compile()
    #expect(compiled.numVariables > ExactSolver.maxAllStates)
    var p = SimulatedAnnealing.Parameters()
    // Knapsack's slack bits make its landscape the roughest: longer runs.
    p.reads = i.kind == "knapsack" ? 100 : 64
    p.sweeps = i.kind == "knapsack" ? 10_000 : 2000
    let report = try compiled.solve { bqm in try SimulatedAnnealing(p).sample(bqm, seed: 2026) }
    let best = try #require(report.solution)
    #expect(best.isFeasible)
    #expect(ex.score(best) == i.optimum)
    #expect(abs(problemValue(i, best) - Double(i.optimum)) < 1e-9)
  }
}
