import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// SQA with Int16 fields for integer models (P = 8, 12, 16, 32): the samples
/// must be the ones the Float fields give, bit for bit, and models the
/// Int16 fields cannot hold must fall back to Float.
@Suite struct PathIntegralNarrowFieldsTests {
  /// A dense model with h_i and J_ij drawn from {−3, …, 3}·`factor`.
  static func scaledInteger(n: Int, factor: Double, seed: UInt64) -> IsingProblem {
    var rng = SplitMix64(seed: seed)
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for i in 0..<n { model.addLinear(index: i, Double(Int(rng.next() % 7) - 3) * factor) }
    for i in 0..<n {
      for j in (i + 1)..<n {
        model.addQuadratic(index: i, j, Double(Int(rng.next() % 7) - 3) * factor)
      }
    }
    return IsingProblem(model)
  }

  /// The largest max_i(|h_i| + Σ_j |J_ij|) of `problem`.
  static func bound(_ problem: IsingProblem) -> Double {
    (0..<problem.numSpins).map { i in
      let row = Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1])
      return abs(problem.h[i]) + row.reduce(0) { $0 + abs(problem.coupling[$1]) }
    }.max() ?? 0
  }

  @Test func whenUsed() {
    let plusMinus = PathIntegralSignSplitTests.plusMinus(n: 30, c: 1, seed: 1)
    for trotter in [8, 12, 16, 32] {
      #expect(
        PathIntegralSystem(plusMinus, trotter: trotter, narrowFields: true, byteFields: false)
          .usesNarrowFields)
    }
    for trotter in [1, 3, 4, 20, 24, 64] {
      #expect(
        !PathIntegralSystem(plusMinus, trotter: trotter, narrowFields: true).usesNarrowFields,
        "P \(trotter)")
    }
    #expect(!PathIntegralSystem(plusMinus, trotter: 16).usesNarrowFields)
    let halves = PathIntegralSignSplitTests.plusMinus(n: 30, c: 0.5, seed: 1)
    #expect(!PathIntegralSystem(halves, trotter: 16, narrowFields: true).usesNarrowFields)
    let real = IsingProblem(RandomInstances.ising(n: 30, seed: 2))
    #expect(!PathIntegralSystem(real, trotter: 16, narrowFields: true).usesNarrowFields)
    // The bound against QuantizedSystem.maxBound (4096), on both sides.
    let inside = Self.scaledInteger(n: 40, factor: 30, seed: 4)
    let outside = Self.scaledInteger(n: 40, factor: 400, seed: 4)
    #expect(Self.bound(inside) <= 4096)
    #expect(Self.bound(outside) > 4096)
    #expect(PathIntegralSystem(inside, trotter: 16, narrowFields: true).usesNarrowFields)
    #expect(!PathIntegralSystem(outside, trotter: 16, narrowFields: true).usesNarrowFields)
  }

  @Test func conversions() {
    for x in [-70000, -32769, -32768, -4096, -3, -2, -1, 0, 1, 2, 3, 4096, 32767, 65537] {
      #expect(PathIntegralSystem.lowBits(SliceFloat(x)) == Int16(truncatingIfNeeded: x))
    }
    let lanes = SIMD8<Int32>(-4096, -100, -2, -1, 0, 1, 77, 4096)
    let wide = PathIntegralSystem.float(fromIntegers: lanes)
    #expect(wide == SIMD8<SliceFloat>(-4096, -100, -2, -1, 0, 1, 77, 4096))
    #expect(PathIntegralSystem.integers(fromFloat: wide) == lanes)
  }

  /// Same spins, fields, slice energies and accepted moves as the Float
  /// fields over scales from hot (most slices change: the update over all
  /// slices) to cold (few change: slice by slice), on ±1 and ±3 models (the
  /// ±c loops) and on an integer model with couplings up to ±90 and fields
  /// near the bound (the multiply loops); at P = 4 both fall back.
  @Test(arguments: [4, 8, 12, 16, 32], 0..<3)
  func sameStatesAsFloat(_ trotter: Int, model: Int) {
    let seed = UInt64(trotter &* 3 &+ model)
    let problem =
      model == 0
      ? PathIntegralSignSplitTests.plusMinus(n: 40, c: 1, seed: seed)
      : model == 1
        ? PathIntegralSignSplitTests.plusMinus(n: 40, c: 3, seed: seed)
        : Self.scaledInteger(n: 40, factor: 30, seed: seed)
    let narrow = PathIntegralSystem(
      problem, trotter: trotter, narrowFields: true, byteFields: false)
    let float = PathIntegralSystem(problem, trotter: trotter)
    #expect(narrow.usesNarrowFields == [8, 12, 16, 32].contains(trotter))
    #expect(!float.usesNarrowFields)
    var rngNarrow = Xoshiro256PlusPlus(seed: 9)
    var rngFloat = Xoshiro256PlusPlus(seed: 9)
    narrow.randomize(using: &rngNarrow)
    float.randomize(using: &rngFloat)
    let count = problem.numSpins * trotter
    let scales: [(Double, Double)] =
      model == 2
      ? [(0.00005, 0.05), (0.0005, 0.4), (0.003, 1.2), (0.01, 3.0), (0.03, 3.0)]
      : [(0.002, 0.05), (0.02, 0.4), (0.1, 1.2), (0.3, 3.0), (1.0, 3.0)]
    for (scale, jPerp) in scales {
      for sweep in 0..<3 {
        narrow.sweep(
          scale: SliceFloat(scale), jPerp: SliceFloat(jPerp), worldline: true, rng: &rngNarrow)
        float.sweep(
          scale: SliceFloat(scale), jPerp: SliceFloat(jPerp), worldline: true, rng: &rngFloat)
        let context = "P \(trotter) model \(model) scale \(scale) sweep \(sweep)"
        #expect(
          (0..<count).allSatisfy { narrow.spins[$0] == float.spins[$0] }, "spins, \(context)")
        let fields = narrow.currentFields()
        #expect(
          (0..<count).allSatisfy { fields[$0].bitPattern == float.fields[$0].bitPattern },
          "fields, \(context)")
        #expect(
          (0..<trotter).allSatisfy { narrow.sliceEnergy[$0] == float.sliceEnergy[$0] },
          "slice energies, \(context)")
        #expect(narrow.acceptedFlips == float.acceptedFlips, "\(context)")
        #expect(narrow.acceptedWorldlines == float.acceptedWorldlines, "\(context)")
      }
    }
    // The run moved: slices flipped, and not all of them at every visit.
    #expect(narrow.acceptedFlips > 0)
    #expect(narrow.acceptedFlips < UInt64(15 * count))
  }
}
