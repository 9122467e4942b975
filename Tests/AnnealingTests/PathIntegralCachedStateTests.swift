import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// SQA's cached state after sweeps with slice and worldline moves: the
/// fields and slice energies the kernel keeps up to date must equal the
/// ones recomputed from the spins (`refresh()`), exactly on integer models,
/// for every form of the slice moves, the worldline flip (vector and
/// scalar) and the Float and Int16 fields.
@Suite struct PathIntegralCachedStateTests {
  @Test(arguments: [1, 3, 4, 5, 8, 12, 16, 20, 32], [false, true])
  func cachesMatchRecomputed(_ trotter: Int, narrow: Bool) {
    let problem = PathIntegralSignSplitTests.plusMinus(n: 40, c: 1, seed: UInt64(trotter))
    let system = PathIntegralSystem(problem, trotter: trotter, narrowFields: narrow)
    #expect(system.usesNarrowFields == (narrow && [8, 12, 16, 32].contains(trotter)))
    var rng = Xoshiro256PlusPlus(seed: 11)
    system.randomize(using: &rng)
    let count = problem.numSpins * trotter
    var worldlines: UInt64 = 0
    for (scale, jPerp) in [(0.002, 0.05), (0.02, 0.4), (0.1, 1.2), (0.3, 3.0), (1.0, 3.0)] {
      for sweep in 0..<3 {
        system.sweep(
          scale: SliceFloat(scale), jPerp: trotter == 1 ? 0 : SliceFloat(jPerp),
          worldline: true, rng: &rng)
        let context = "P \(trotter) narrow \(narrow) scale \(scale) sweep \(sweep)"
        let fields = system.currentFields()
        let energies = (0..<trotter).map { system.sliceEnergy[$0] }
        system.refresh()
        let recomputed = system.currentFields()
        #expect(
          (0..<count).allSatisfy { fields[$0] == recomputed[$0] }, "fields, \(context)")
        #expect(
          (0..<trotter).allSatisfy { energies[$0] == system.sliceEnergy[$0] },
          "slice energies, \(context)")
      }
      // Worldline moves were accepted at some scale (their flip is tested).
      worldlines = system.acceptedWorldlines
    }
    #expect(worldlines > 0)
  }
}
