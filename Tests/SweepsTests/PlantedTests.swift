import Annealing
import QUBOModel
import Testing

@testable import Sweeps

@Suite struct PlantedTests {
  @Test func graphsAreRegular() throws {
    let cube = try PlantingGraph.cubicLattice(side: 3)
    #expect(cube.count == 27)
    #expect(cube.neighbours.allSatisfy { $0.count == 6 })
    #expect(try PlantingGraph.cubicLattice(side: 2).neighbours.allSatisfy { $0.count == 3 })
    var rng = SplitMix64(seed: 5)
    let g = try PlantingGraph.randomRegular3(vertices: 40, using: &rng)
    #expect(g.neighbours.allSatisfy { $0.count == 3 && !$0.isEmpty })
    for (u, list) in g.neighbours.enumerated() {
      #expect(!list.contains(u))
      for v in list { #expect(g.neighbours[v].contains(u)) }
    }
  }

  @Test func plantedStateHasThePlantedEnergy() throws {
    var rng = SplitMix64(seed: 11)
    let graph = try PlantingGraph.cubicLattice(side: 4)
    let planted = try FrustratedLoops().generate(on: graph, using: &rng)
    #expect(planted.loops == 32)
    let energy = planted.model.energy(planted.plantedState.map { Int8($0) })
    #expect(energy == planted.groundEnergy)
    #expect(planted.groundEnergy < 0)
  }

  @Test func seededGeneratorRepeats() throws {
    var a = SplitMix64(seed: 2)
    var b = SplitMix64(seed: 2)
    let graph = try PlantingGraph.cubicLattice(side: 3)
    let x = try FrustratedLoops().generate(on: graph, using: &a)
    let y = try FrustratedLoops().generate(on: graph, using: &b)
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
        ? try PlantingGraph.cubicLattice(side: 2)
        : try PlantingGraph.randomRegular3(vertices: size, using: &rng)
      var loops = FrustratedLoops()
      loops.density = 0.5
      loops.minLength = 3
      let planted = try loops.generate(on: g, using: &rng)
      #expect(planted.loops > 0)
      let exact = try ExactSolver(keepLowest: 1).sample(planted.model, seed: 0)
      let lowest = try #require(exact.lowestEnergy)
      #expect(abs(lowest - planted.groundEnergy) < 1e-9, "seed \(seed): \(lowest)")
    }
  }
}

/// The generator plants exactly the loops asked for, or fails naming the
/// shortfall.
@Suite struct PlantedCountTests {
  @Test(arguments: [128, 256, 512])
  func randomRegularGraphsGetEveryLoop(size: Int) throws {
    var rng = SplitMix64(seed: 3)
    let graph = try PlantingGraph.randomRegular3(vertices: size, using: &rng)
    var loops = FrustratedLoops()
    loops.density = 0.25
    let planted = try loops.generate(on: graph, using: &rng)
    #expect(planted.loops == size / 4)
    #expect(planted.model.energy(planted.plantedState) == planted.groundEnergy)
  }

  @Test func cubicLatticesGetEveryLoopAtTheDefaults() throws {
    for side in [4, 6, 8] {
      var rng = SplitMix64(seed: UInt64(side))
      let planted = try FrustratedLoops().generate(
        on: try PlantingGraph.cubicLattice(side: side), using: &rng)
      #expect(planted.loops == side * side * side / 2)
    }
  }

  @Test func tooDenseFailsNamingTheShortfall() throws {
    var rng = SplitMix64(seed: 1)
    let graph = try PlantingGraph.randomRegular3(vertices: 128, using: &rng)
    var loops = FrustratedLoops()
    loops.density = 2
    loops.maxCoupling = 1
    do {
      _ = try loops.generate(on: graph, using: &rng)
      Issue.record("planted 256 loops where R = 1 leaves room for far fewer")
    } catch let error as PlantingError {
      let planted = try #require(error.planted)
      #expect(error.requested == 256 && planted < 256)
      #expect(error.description.contains("planted \(planted) of 256 loops"), "\(error)")
    }
  }

  @Test func badGraphSizesThrow() {
    var rng = SplitMix64(seed: 1)
    #expect(throws: PlantingError.self) { try PlantingGraph.cubicLattice(side: 1) }
    #expect(throws: PlantingError.self) { try PlantingGraph.randomRegular3(vertices: 7, using: &rng) }
  }
}
