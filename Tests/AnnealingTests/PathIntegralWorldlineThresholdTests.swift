import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// SQA's worldline acceptance for integer models from a table of e^{−ΔS}
/// by Σ_k s^k f^k instead of a call to exp: the samples must be the ones
/// the call gives, bit for bit.
@Suite struct PathIntegralWorldlineThresholdTests {
  @Test func countDetected() {
    let integer = IsingProblem(RandomInstances.ising(n: 12, integer: true, seed: 3))
    var bound = 0.0
    for i in 0..<integer.numSpins {
      let row = Int(integer.rowStart[i])..<Int(integer.rowStart[i + 1])
      bound = max(bound, abs(integer.h[i]) + row.reduce(0) { $0 + abs(integer.coupling[$1]) })
    }
    #expect(bound > 0)
    #expect(
      PathIntegralSystem(integer, trotter: 4).worldlineThresholdCount == Int(bound) * 4 + 1)
    let real = IsingProblem(RandomInstances.ising(n: 12, seed: 3))
    #expect(PathIntegralSystem(real, trotter: 4).worldlineThresholdCount == 0)
    let halves = PathIntegralSignSplitTests.plusMinus(n: 12, c: 0.5, seed: 1)
    #expect(PathIntegralSystem(halves, trotter: 4).worldlineThresholdCount == 0)
    let off = PathIntegralSystem(integer, trotter: 4, worldlineTable: false)
    #expect(off.worldlineThresholdCount == 0)
    // Large P·bound: capped (larger sums call exp).
    #expect(PathIntegralSystem(integer, trotter: 4096).worldlineThresholdCount == 4096)
  }

  /// Same spins, fields, slice energies and accepted moves as the call to
  /// exp over scales from hot to cold (the table emptied at each change),
  /// for every form of the slice moves, on a ±1 model and on an integer
  /// model with larger couplings.
  @Test(arguments: [1, 3, 4, 5, 8, 12, 16, 32], [false, true])
  func sameStatesAsExp(_ trotter: Int, plusMinus: Bool) {
    let problem =
      plusMinus
      ? PathIntegralSignSplitTests.plusMinus(n: 40, c: 1, seed: UInt64(trotter))
      : IsingProblem(RandomInstances.ising(n: 40, integer: true, seed: UInt64(trotter)))
    let table = PathIntegralSystem(problem, trotter: trotter)
    let call = PathIntegralSystem(problem, trotter: trotter, worldlineTable: false)
    #expect(table.worldlineThresholdCount > 1)
    var rngTable = Xoshiro256PlusPlus(seed: 5)
    var rngCall = Xoshiro256PlusPlus(seed: 5)
    table.randomize(using: &rngTable)
    call.randomize(using: &rngCall)
    let count = problem.numSpins * trotter
    var filled = 0
    for (scale, jPerp) in [(0.002, 0.05), (0.02, 0.4), (0.1, 1.2), (0.3, 3.0), (1.0, 3.0)] {
      for sweep in 0..<3 {
        table.sweep(
          scale: SliceFloat(scale), jPerp: trotter == 1 ? 0 : SliceFloat(jPerp),
          worldline: true, rng: &rngTable)
        call.sweep(
          scale: SliceFloat(scale), jPerp: trotter == 1 ? 0 : SliceFloat(jPerp),
          worldline: true, rng: &rngCall)
        let context = "P \(trotter) ±1 \(plusMinus) scale \(scale) sweep \(sweep)"
        #expect(
          (0..<count).allSatisfy { table.spins[$0] == call.spins[$0] }, "spins, \(context)")
        #expect(
          (0..<count).allSatisfy { table.fields[$0].bitPattern == call.fields[$0].bitPattern },
          "fields, \(context)")
        #expect(
          (0..<trotter).allSatisfy { table.sliceEnergy[$0] == call.sliceEnergy[$0] },
          "slice energies, \(context)")
        #expect(table.acceptedWorldlines == call.acceptedWorldlines, "\(context)")
        filled = max(
          filled, (0..<table.worldlineThresholdCount).count { table.worldlineThresholds[$0] >= 0 })
      }
    }
    // The table was used, and worldline moves were both accepted and refused.
    #expect(filled > 0)
    #expect(table.acceptedWorldlines > 0)
    #expect(table.acceptedWorldlines < UInt64(15 * problem.numSpins))
  }
}
