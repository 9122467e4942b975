import Annealing
import QUBOModel

/// Seeded random models for tests: small dense ones for oracles, big sparse
/// ones for time limits, string-labelled binary ones for round trips.
public enum RandomInstances {
  /// An Ising model on `0..<n` with each pair coupled with probability
  /// `density`; biases uniform in `[-1, 1)` (or integers in `-3...3` when
  /// `integer`), fields likewise unless `fields` is false.
  public static func ising(
    n: Int, density: Double = 1, integer: Bool = false, fields: Bool = true,
    seed: UInt64
  ) -> BinaryQuadraticModel {
    var rng = SplitMix64(seed: seed)
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    func value() -> Double {
      integer
        ? Double(Int(rng.next() % 7) - 3)
        : Double(rng.next() >> 11) * 0x1.0p-52 - 1
    }
    for i in 0..<n where fields { model.addLinear(index: i, value()) }
    for i in 0..<n {
      for j in (i + 1)..<max(i + 1, n) {
        if Double(rng.next() >> 11) * 0x1.0p-53 < density {
          model.addQuadratic(index: i, j, value())
        }
      }
    }
    model.offset = integer ? 2 : 0.25
    return model
  }

  /// A sparse ±1 spin glass on `0..<n` with about `degree` neighbours per
  /// spin and no fields (the shape of `compare_peers.py --random`).
  public static func sparseSpinGlass(n: Int, degree: Int, seed: UInt64) -> BinaryQuadraticModel {
    var rng = SplitMix64(seed: seed)
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    let edges = n * degree / 2
    for _ in 0..<edges {
      let i = Int(rng.next() % UInt64(n))
      let j = Int(rng.next() % UInt64(n))
      if i != j { model.addQuadratic(index: i, j, rng.next() & 1 == 0 ? -1 : 1) }
    }
    return model
  }

  /// A QUBO over string labels `"x0"`, `"x1"`, …, with real biases: checks
  /// that labels and the binary vartype survive sampling.
  public static func labelledQUBO(n: Int, seed: UInt64) -> BinaryQuadraticModel {
    var rng = SplitMix64(seed: seed)
    var model = BinaryQuadraticModel(vartype: .binary)
    func value() -> Double { Double(rng.next() >> 11) * 0x1.0p-51 - 2 }
    // Labels are added in a scrambled order so that index order differs
    // from sorted label order.
    for k in 0..<n { model.addLinear(.string("x\((k * 7) % n)"), value()) }
    for i in 0..<n {
      for j in (i + 1)..<max(i + 1, n) where rng.next() % 3 == 0 {
        model.addQuadratic(.string("x\(i)"), .string("x\(j)"), value())
      }
    }
    model.offset = 1.5
    return model
  }
}
