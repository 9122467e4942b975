import Annealing
import QUBOModel
import Testing

@testable import Sweeps

/// The planted state of a weak-strong cluster network is its ground state,
/// checked against exhaustive enumeration, and the first excitation is a
/// weak cluster flipped whole.
@Suite struct WeakStrongClustersTests {
  @Test(arguments: [(side: 2, pairs: 2), (side: 1, pairs: 4), (side: 1, pairs: 5)])
  func exhaustiveEnumerationFindsThePlantedState(side: Int, pairs: Int) throws {
    for seed: UInt64 in 1...3 {
      var rng = SplitMix64(seed: seed)
      var clusters = WeakStrongClusters()
      clusters.side = side
      let planted = try clusters.generate(pairs: pairs, using: &rng)
      #expect(planted.model.numVariables == 4 * side * pairs)
      #expect(abs(planted.model.energy(planted.plantedState) - planted.groundEnergy) < 1e-9)
      let exact = try ExactSolver(keepLowest: 2).sample(planted.model, seed: 0)
      let energies = exact.energies.sorted()
      #expect(abs(energies[0] - planted.groundEnergy) < 1e-9, "seed \(seed): \(energies)")
      // Unique, and the gap is a weak cluster flipped: 2k(1 − 2h_w).
      let gap = 2 * Double(side) * (1 - 2 * clusters.weakField)
      #expect(abs(energies[1] - energies[0] - gap) < 1e-9, "seed \(seed): \(energies)")
    }
  }

  @Test func thePapersClustersHaveTheirGap() throws {
    var rng = SplitMix64(seed: 9)
    let planted = try WeakStrongClusters().generate(pairs: 8, using: &rng)
    #expect(planted.model.numVariables == 128)
    // Flip the weak cluster of pair 0 (spins 8…15) in the planted state.
    var state = planted.plantedState
    for i in 8..<16 { state[i] = -state[i] }
    #expect(abs(planted.model.energy(state) - planted.groundEnergy - 0.96) < 1e-9)
  }

  @Test func badParametersThrow() {
    var rng = SplitMix64(seed: 1)
    var c = WeakStrongClusters()
    #expect(throws: PlantingError.self) { try c.generate(pairs: 1, using: &rng) }
    c.weakField = 0.5
    #expect(throws: PlantingError.self) { try c.generate(pairs: 2, using: &rng) }
  }
}
