import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// SQA with Int8 fields for integer models with ±c couplings and |f| ≤ 127
/// (P = 12, 16, 32): the samples must be the ones the Float fields give,
/// bit for bit, and models the Int8 fields cannot hold must fall back.
@Suite struct PathIntegralByteFieldsTests {
  /// The complete ferromagnet on `n` spins, J_ij = −1: ordered, every
  /// field is ±(n − 1).
  static func ferromagnet(n: Int) -> IsingProblem {
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for i in 0..<n {
      for j in (i + 1)..<n { model.addQuadratic(index: i, j, -1) }
    }
    return IsingProblem(model)
  }

  @Test func whenUsed() {
    let plusMinus = PathIntegralSignSplitTests.plusMinus(n: 40, c: 1, seed: 1)
    for trotter in [12, 16, 32] {
      let system = PathIntegralSystem(plusMinus, trotter: trotter, narrowFields: true)
      #expect(system.usesByteFields, "P \(trotter)")
      #expect(!system.usesNarrowFields, "P \(trotter)")
    }
    // P = 8 keeps Int16 (no fewer instructions in Int8); other P keep Float.
    #expect(!PathIntegralSystem(plusMinus, trotter: 8, narrowFields: true).usesByteFields)
    #expect(PathIntegralSystem(plusMinus, trotter: 8, narrowFields: true).usesNarrowFields)
    for trotter in [1, 3, 4, 20, 24, 64] {
      #expect(
        !PathIntegralSystem(plusMinus, trotter: trotter, narrowFields: true).usesByteFields,
        "P \(trotter)")
    }
    // Off unless narrow fields are asked for, and when turned off.
    #expect(!PathIntegralSystem(plusMinus, trotter: 16).usesByteFields)
    #expect(
      !PathIntegralSystem(plusMinus, trotter: 16, narrowFields: true, byteFields: false)
        .usesByteFields)
    #expect(
      !PathIntegralSystem(plusMinus, trotter: 16, splitBySign: false, narrowFields: true)
        .usesByteFields)
    // Couplings of several magnitudes, c above 63, half-integers: Int16 or Float.
    let mixed = PathIntegralNarrowFieldsTests.scaledInteger(n: 12, factor: 1, seed: 3)
    #expect(!PathIntegralSystem(mixed, trotter: 16, narrowFields: true).usesByteFields)
    #expect(PathIntegralSystem(mixed, trotter: 16, narrowFields: true).usesNarrowFields)
    let wide = PathIntegralSignSplitTests.plusMinus(n: 2, c: 64, seed: 1)
    #expect(PathIntegralNarrowFieldsTests.bound(wide) <= 127)
    #expect(!PathIntegralSystem(wide, trotter: 16, narrowFields: true).usesByteFields)
    let halves = PathIntegralSignSplitTests.plusMinus(n: 30, c: 0.5, seed: 1)
    #expect(!PathIntegralSystem(halves, trotter: 16, narrowFields: true).usesByteFields)
    // The bound 127, on both sides (degree about 2n/3).
    let inside = PathIntegralSignSplitTests.plusMinus(n: 150, c: 1, seed: 5)
    let outside = PathIntegralSignSplitTests.plusMinus(n: 220, c: 1, seed: 5)
    #expect(PathIntegralNarrowFieldsTests.bound(inside) <= 127)
    #expect(PathIntegralNarrowFieldsTests.bound(outside) > 127)
    #expect(PathIntegralSystem(inside, trotter: 32, narrowFields: true).usesByteFields)
    #expect(!PathIntegralSystem(outside, trotter: 32, narrowFields: true).usesByteFields)
    #expect(PathIntegralSystem(outside, trotter: 32, narrowFields: true).usesNarrowFields)
  }

  /// Same spins, fields, slice energies and accepted moves as the Float
  /// fields over scales from hot (most slices change: the update over all
  /// slices) to cold (few change: slice by slice), on ±1 and ±3 models and
  /// on a ferromagnet whose fields reach 119 once it orders.
  @Test(arguments: [12, 16, 32], 0..<3)
  func sameStatesAsFloat(_ trotter: Int, model: Int) {
    let seed = UInt64(trotter &* 5 &+ model)
    let problem =
      model == 0
      ? PathIntegralSignSplitTests.plusMinus(n: 40, c: 1, seed: seed)
      : model == 1
        ? PathIntegralSignSplitTests.plusMinus(n: 40, c: 3, seed: seed)
        : Self.ferromagnet(n: 120)
    // The −ln u decisions at P = 16 too (the acceptance table draws other
    // random bits: PathIntegralAcceptanceTableTests).
    let bytes = PathIntegralSystem(
      problem, trotter: trotter, narrowFields: true, acceptanceTable: false)
    let float = PathIntegralSystem(problem, trotter: trotter)
    #expect(bytes.usesByteFields)
    #expect(!float.usesByteFields && !float.usesNarrowFields)
    var rngBytes = Xoshiro256PlusPlus(seed: 9)
    var rngFloat = Xoshiro256PlusPlus(seed: 9)
    bytes.randomize(using: &rngBytes)
    float.randomize(using: &rngFloat)
    let count = problem.numSpins * trotter
    let scales: [(Double, Double)] =
      model == 1
      ? [(0.0007, 0.05), (0.007, 0.4), (0.03, 1.2), (0.1, 3.0), (0.3, 3.0)]
      : [(0.002, 0.05), (0.02, 0.4), (0.1, 1.2), (0.3, 3.0), (1.0, 3.0)]
    var largest: SliceFloat = 0
    for (scale, jPerp) in scales {
      for sweep in 0..<3 {
        bytes.sweep(
          scale: SliceFloat(scale), jPerp: SliceFloat(jPerp), worldline: true, rng: &rngBytes)
        float.sweep(
          scale: SliceFloat(scale), jPerp: SliceFloat(jPerp), worldline: true, rng: &rngFloat)
        let context = "P \(trotter) model \(model) scale \(scale) sweep \(sweep)"
        #expect(
          (0..<count).allSatisfy { bytes.spins[$0] == float.spins[$0] }, "spins, \(context)")
        let fields = bytes.currentFields()
        #expect(
          (0..<count).allSatisfy { fields[$0].bitPattern == float.fields[$0].bitPattern },
          "fields, \(context)")
        largest = max(largest, fields.map { abs($0) }.max() ?? 0)
        #expect(
          (0..<trotter).allSatisfy { bytes.sliceEnergy[$0] == float.sliceEnergy[$0] },
          "slice energies, \(context)")
        #expect(bytes.acceptedFlips == float.acceptedFlips, "\(context)")
        #expect(bytes.acceptedWorldlines == float.acceptedWorldlines, "\(context)")
      }
    }
    // The run moved: slices flipped, and not all of them at every visit.
    #expect(bytes.acceptedFlips > 0)
    #expect(bytes.acceptedFlips < UInt64(15 * count))
    if model == 2 { #expect(largest >= 100, "largest |f| \(largest)") }
  }

  /// The sampler on a ±1 model (Int8 fields at P = 12, 16, 32): the same
  /// samples and energies at 1, 2 and 3 threads, and the energies it
  /// reports equal the samples' recomputed energies.
  @Test(arguments: [12, 16, 32])
  func samplerThreadsAgree(_ trotter: Int) throws {
    let problem = PathIntegralSignSplitTests.plusMinus(n: 60, c: 1, seed: 21)
    #expect(PathIntegralSystem(problem, trotter: trotter, narrowFields: true).usesByteFields)
    var p = PathIntegralAnnealingTests.parameters(reads: 5, sweeps: 60, trotter: trotter)
    let one = try PathIntegralAnnealingTests.run(problem, p)
    for threads in [2, 3] {
      p.threads = threads
      let many = try PathIntegralAnnealingTests.run(problem, p)
      #expect(many.samples == one.samples && many.energies == one.energies, "\(threads)")
    }
    let n = problem.numSpins
    for r in 0..<one.energies.count {
      let row = one.samples[(r * n)..<((r + 1) * n)]
      #expect(abs(problem.energy(row) - one.energies[r]) < 1e-9, "read \(r)")
    }
  }
}
