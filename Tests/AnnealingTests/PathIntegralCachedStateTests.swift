import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// SQA's cached state after sweeps with slice and worldline moves: the
/// fields and slice energies the kernel keeps up to date must equal the
/// ones recomputed from the spins (`refresh()`), exactly on integer models,
/// for every form of the slice moves, the worldline flip (vector and
/// scalar) and the Float, Int16 and Int8 fields.
@Suite struct PathIntegralCachedStateTests {
  /// `fields`: 0 Float, 1 Int16 (where it applies), 2 Int8 (where it
  /// applies, else Int16 where that does).
  @Test(arguments: [1, 3, 4, 5, 8, 12, 16, 20, 32], 0..<3)
  func cachesMatchRecomputed(_ trotter: Int, fields kind: Int) {
    let problem = PathIntegralSignSplitTests.plusMinus(n: 40, c: 1, seed: UInt64(trotter))
    let narrow = kind > 0
    let system = PathIntegralSystem(
      problem, trotter: trotter, narrowFields: narrow, byteFields: kind == 2)
    let bytes = kind == 2 && [12, 16, 32].contains(trotter)
    #expect(system.usesByteFields == bytes)
    #expect(system.usesNarrowFields == (narrow && !bytes && [8, 12, 16, 32].contains(trotter)))
    var rng = Xoshiro256PlusPlus(seed: 11)
    system.randomize(using: &rng)
    let count = problem.numSpins * trotter
    var worldlines: UInt64 = 0
    for (scale, jPerp) in [(0.002, 0.05), (0.02, 0.4), (0.1, 1.2), (0.3, 3.0), (1.0, 3.0)] {
      for sweep in 0..<3 {
        system.sweep(
          scale: SliceFloat(scale), jPerp: trotter == 1 ? 0 : SliceFloat(jPerp),
          worldline: true, rng: &rng)
        let context = "P \(trotter) fields \(kind) scale \(scale) sweep \(sweep)"
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
