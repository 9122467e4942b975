import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// SQA's slice moves held in registers (P = 4, 8, 12) or unrolled (P = 16,
/// 32) against the loops they replace, and every new path against exact
/// diagonalisation.
@Suite struct PathIntegralRegisterPathTests {
  /// Sweeps two systems of `problem` from the same seed, one with `Fast`
  /// moves and one with `Reference` moves, and expects the same spins,
  /// fields and slice energies bit for bit after every sweep.
  static func expectSameStates<Fast: SliceMoves, Reference: SliceMoves>(
    _ problem: IsingProblem, trotter: Int, _: Fast.Type, _: Reference.Type
  ) {
    let fast = PathIntegralSystem(problem, trotter: trotter)
    let reference = PathIntegralSystem(problem, trotter: trotter)
    var rngFast = Xoshiro256PlusPlus(seed: 3)
    var rngReference = Xoshiro256PlusPlus(seed: 3)
    fast.randomize(using: &rngFast)
    reference.randomize(using: &rngReference)
    let count = problem.numSpins * trotter
    for (scale, jPerp) in [(0.02, 0.05), (0.2, 0.4), (1.0, 1.2), (4.0, 3.0)] {
      for worldline in [true, false] {
        for sweep in 0..<3 {
          fast.sweepSites(
            Fast.self, scale: SliceFloat(scale), jPerp: SliceFloat(jPerp),
            worldline: worldline, rng: &rngFast)
          reference.sweepSites(
            Reference.self, scale: SliceFloat(scale), jPerp: SliceFloat(jPerp),
            worldline: worldline, rng: &rngReference)
          let context = "P \(trotter) scale \(scale) worldline \(worldline) sweep \(sweep)"
          #expect(
            (0..<count).allSatisfy { fast.spins[$0] == reference.spins[$0] },
            "spins, \(context)")
          #expect(
            (0..<count).allSatisfy {
              fast.fields[$0].bitPattern == reference.fields[$0].bitPattern
            }, "fields, \(context)")
          #expect(
            (0..<trotter).allSatisfy { fast.sliceEnergy[$0] == reference.sliceEnergy[$0] },
            "slice energies, \(context)")
        }
      }
    }
    #expect(fast.acceptedFlips == reference.acceptedFlips)
    #expect(fast.acceptedWorldlines > 0)
  }

  @Test(arguments: [true, false])
  func fourSlicesAsQuads(integer: Bool) {
    let problem = IsingProblem(
      RandomInstances.ising(n: 40, density: 0.3, integer: integer, seed: 4))
    Self.expectSameStates(problem, trotter: 4, FourSliceMoves.self, QuadSliceMoves.self)
  }

  @Test(arguments: [true, false])
  func eightSlicesAsColourSplit(integer: Bool) {
    let problem = IsingProblem(
      RandomInstances.ising(n: 40, density: 0.3, integer: integer, seed: 8))
    Self.expectSameStates(problem, trotter: 8, EightSliceMoves.self, ColourSplitSliceMoves.self)
  }

  @Test(arguments: [true, false])
  func sixteenSlicesAsColourSplit(integer: Bool) {
    let problem = IsingProblem(
      RandomInstances.ising(n: 40, density: 0.3, integer: integer, seed: 16))
    Self.expectSameStates(
      problem, trotter: 16, SixteenSliceMoves.self, ColourSplitSliceMoves.self)
  }

  @Test(arguments: [true, false])
  func thirtyTwoSlicesAsColourSplit(integer: Bool) {
    let problem = IsingProblem(
      RandomInstances.ising(n: 40, density: 0.3, integer: integer, seed: 32))
    Self.expectSameStates(
      problem, trotter: 32, ThirtyTwoSliceMoves.self, ColourSplitSliceMoves.self)
  }

  @Test(arguments: [true, false])
  func twelveSlicesAsQuads(integer: Bool) {
    let problem = IsingProblem(
      RandomInstances.ising(n: 40, density: 0.3, integer: integer, seed: 12))
    Self.expectSameStates(problem, trotter: 12, TwelveSliceMoves.self, QuadSliceMoves.self)
  }

  /// ±c couplings (the sign-split neighbour updates) with P = 4, 8, 12, 16,
  /// 32 (the register paths and the loops): ⟨H_p⟩, ⟨σˣ⟩ and ⟨σᶻσᶻ⟩ against
  /// exact diagonalisation at β = 0.5, Γ = 1 (a Trotter error below the
  /// allowance from P = 4 up).
  @Test(arguments: [4, 8, 12, 16, 32])
  func plusMinusCouplingsMatchExact(trotter: Int) throws {
    let problem = PathIntegralSignSplitTests.plusMinus(n: 5, c: 0.5, seed: UInt64(trotter))
    #expect(PathIntegralSystem(problem, trotter: trotter).couplingMagnitude == 0.5)
    let beta = 0.5
    let exact = try ExactTransverseIsing(problem, gamma: 1)
    let est = try PathIntegralPhysicsTests.estimate(
      problem, trotter: trotter, beta: beta, gamma: 1, sweeps: 4000, seed: UInt64(trotter))
    PathIntegralPhysicsTests.expectAgreement(
      est, exact, beta: beta, allowance: 0.01, "±c, P = \(trotter)")
  }
}
