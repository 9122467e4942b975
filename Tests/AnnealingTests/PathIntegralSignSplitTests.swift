import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// SQA's neighbour updates for models whose couplings are all ±c: rows hold
/// their positive couplings first, and ±c·d is added without a multiply.
/// The samples must be the ones the multiply gives, bit for bit.
@Suite struct PathIntegralSignSplitTests {
  /// A dense model on `0..<n` with couplings ±`c` (random signs) and
  /// integer fields.
  static func plusMinus(n: Int, c: Double, seed: UInt64) -> IsingProblem {
    var rng = SplitMix64(seed: seed)
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for i in 0..<n { model.addLinear(index: i, Double(Int(rng.next() % 5) - 2)) }
    for i in 0..<n {
      for j in (i + 1)..<n where rng.next() % 3 != 0 {
        model.addQuadratic(index: i, j, rng.next() & 1 == 0 ? -c : c)
      }
    }
    return IsingProblem(model)
  }

  @Test func magnitudeDetected() {
    #expect(PathIntegralSystem(Self.plusMinus(n: 12, c: 1, seed: 1), trotter: 4)
      .couplingMagnitude == 1)
    #expect(PathIntegralSystem(Self.plusMinus(n: 12, c: 0.75, seed: 1), trotter: 4)
      .couplingMagnitude == 0.75)
    let mixed = IsingProblem(RandomInstances.ising(n: 12, integer: true, seed: 3))
    #expect(PathIntegralSystem(mixed, trotter: 4).couplingMagnitude == 0)
    let uncoupled = IsingProblem(RandomInstances.ising(n: 5, density: 0, seed: 3))
    #expect(PathIntegralSystem(uncoupled, trotter: 4).couplingMagnitude == 0)
    #expect(
      PathIntegralSystem(Self.plusMinus(n: 12, c: 1, seed: 1), trotter: 4, splitBySign: false)
        .couplingMagnitude == 0)
  }

  /// Each row is the problem's row, positive couplings before negative ones.
  @Test func rowsPartitionedBySign() {
    let problem = IsingProblem(RandomInstances.ising(n: 20, density: 0.5, seed: 9))
    let system = PathIntegralSystem(problem, trotter: 3)
    for i in 0..<problem.numSpins {
      let row = Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1])
      let split = Int(system.negativeStart[i])
      #expect(row.contains(split) || split == row.upperBound)
      var kernel: [String] = []
      for e in row {
        let edge = system.edges[e]
        #expect((edge.coupling >= 0) == (e < split), "row \(i) edge \(e)")
        kernel.append("\(edge.offset) \(edge.coupling)")
      }
      let original = row.map {
        "\(Int(problem.neighbor[$0]) * 3) \(SliceFloat(problem.coupling[$0]))"
      }
      #expect(kernel.sorted() == original.sorted(), "row \(i)")
    }
  }

  /// Same spins, fields and slice energies as the multiply after sweeps from
  /// hot (neighbours updated over all slices) to cold (slice by slice), for
  /// every form of the slice moves and of the dense update.
  @Test(arguments: [1, 3, 4, 5, 8, 12, 16, 32], [1.0, 0.75])
  func sameStatesAsMultiply(_ trotter: Int, c: Double) {
    let problem = Self.plusMinus(n: 40, c: c, seed: UInt64(trotter))
    let split = PathIntegralSystem(problem, trotter: trotter)
    let multiply = PathIntegralSystem(problem, trotter: trotter, splitBySign: false)
    #expect(split.couplingMagnitude == SliceFloat(c))
    var rngSplit = Xoshiro256PlusPlus(seed: 5)
    var rngMultiply = Xoshiro256PlusPlus(seed: 5)
    split.randomize(using: &rngSplit)
    multiply.randomize(using: &rngMultiply)
    let count = problem.numSpins * trotter
    let log = AuditLog(problem, tolerance: 0)
    for (scale, jPerp) in [(0.02, 0.05), (0.2, 0.4), (1.0, 1.2), (4.0, 3.0)] {
      for sweep in 0..<3 {
        split.sweep(
          scale: SliceFloat(scale), jPerp: trotter == 1 ? 0 : SliceFloat(jPerp),
          worldline: true, rng: &rngSplit)
        multiply.sweep(
          scale: SliceFloat(scale), jPerp: trotter == 1 ? 0 : SliceFloat(jPerp),
          worldline: true, rng: &rngMultiply)
        let context = "P \(trotter) c \(c) scale \(scale) sweep \(sweep)"
        #expect(
          (0..<count).allSatisfy { split.spins[$0] == multiply.spins[$0] }, "spins, \(context)")
        #expect(
          (0..<count).allSatisfy {
            split.fields[$0].bitPattern == multiply.fields[$0].bitPattern
          }, "fields, \(context)")
        #expect(
          (0..<trotter).allSatisfy { split.sliceEnergy[$0] == multiply.sliceEnergy[$0] },
          "slice energies, \(context)")
        log.audit(split, context)
      }
    }
    #expect(split.acceptedFlips > 100)
    #expect(log.failures.isEmpty, "\(log.failures)")
  }
}
