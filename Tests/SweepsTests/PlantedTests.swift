import Annealing
import QUBOModel
import Testing

@testable import Sweeps

@Suite struct PlantedTests {
  @Test func graphsAreRegular() {
    let cube = PlantingGraph.cubicLattice(side: 3)
    #expect(cube.count == 27)
    #expect(cube.neighbours.allSatisfy { $0.count == 6 })
    #expect(PlantingGraph.cubicLattice(side: 2).neighbours.allSatisfy { $0.count == 3 })
    var rng = SplitMix64(seed: 5)
    let g = PlantingGraph.randomRegular3(vertices: 40, using: &rng)
    #expect(g.neighbours.allSatisfy { $0.count == 3 && !$0.isEmpty })
    for (u, list) in g.neighbours.enumerated() {
      #expect(!list.contains(u))
      for v in list { #expect(g.neighbours[v].contains(u)) }
    }
  }

  @Test func plantedStateHasThePlantedEnergy() throws {
    var rng = SplitMix64(seed: 11)
    let graph = PlantingGraph.cubicLattice(side: 4)
    let planted = FrustratedLoops().generate(on: graph, using: &rng)
    #expect(planted.loops == 32)
    let energy = planted.model.energy(planted.plantedState.map { Int8($0) })
    #expect(energy == planted.groundEnergy)
    #expect(planted.groundEnergy < 0)
  }

  @Test func seededGeneratorRepeats() {
    var a = SplitMix64(seed: 2)
    var b = SplitMix64(seed: 2)
    let graph = PlantingGraph.cubicLattice(side: 3)
    let x = FrustratedLoops().generate(on: graph, using: &a)
    let y = FrustratedLoops().generate(on: graph, using: &b)
    #expect(x.model == y.model)
    #expect(x.groundEnergy == y.groundEnergy)
  }

  /// The exact solver confirms the planted ground energy on small graphs.
  @Test(arguments: [
    (graph: "cube2", size: 8), (graph: "r3", size: 12), (graph: "r3", size: 16),
    (graph: "r3", size: 20),
  ])
  func exactSolverConfirmsGroundEnergy(graph: String, size: Int) throws {
    for seed: UInt64 in 1...3 {
      var rng = SplitMix64(seed: seed)
      let g =
        graph == "cube2"
        ? PlantingGraph.cubicLattice(side: 2)
        : PlantingGraph.randomRegular3(vertices: size, using: &rng)
      var loops = FrustratedLoops()
      loops.density = 1
      loops.minLength = 3
      let planted = loops.generate(on: g, using: &rng)
      #expect(planted.loops > 0)
      let exact = try ExactSolver(keepLowest: 1).sample(planted.model, seed: 0)
      let lowest = try #require(exact.lowestEnergy)
      #expect(abs(lowest - planted.groundEnergy) < 1e-9, "seed \(seed): \(lowest)")
    }
  }
}
