import QUBOModel

// The worldline move's acceptance threshold e^{−ΔS} without a call to exp
// for integer models.
//
// ΔS = −2 (βB/P) Σ_k s^k f^k (PathIntegralSystem.swift). When every h_i and
// J_ij is an integer and P·max_i(|h_i| + Σ_j |J_ij|) < 2²⁰, every field and
// the sum m = −Σ_k s^k f^k are integers that Float holds exactly, so ΔS
// takes one value per m at a given scale. The sweep keeps e^{−ΔS} per m in
// a table that is emptied whenever the scale changes and filled on first
// use with the very value the call would return (the same Float
// expression), so samples are the same bit for bit; it saves the call
// (about a quarter of the spins at P = 4 on the dense ±1 instance reach it).

extension PathIntegralSystem {
  /// The number of worldline thresholds to keep for `problem` at P slices:
  /// P·max_i(|h_i| + Σ_j |J_ij|) + 1 capped at 4096 (larger m call exp),
  /// or 0 when the model is not integer or its sums could leave Float's
  /// exact integers.
  static func worldlineThresholdCount(
    for problem: IsingProblem, trotter: Int
  ) -> Int {
    guard problem.h.allSatisfy({ $0 == $0.rounded() }),
      problem.coupling.allSatisfy({ $0 == $0.rounded() })
    else { return 0 }
    let total = problem.maxAbsField * Double(trotter)
    guard total < Double(1 << 20) else { return 0 }
    return min(Int(total) + 1, 4096)
  }

  /// Empties the threshold table if the scale changed since it was filled.
  @inline(__always)
  func prepareWorldlineThresholds(twoScale: SliceFloat) {
    guard worldlineThresholdCount > 0, twoScale != worldlineThresholdScale else { return }
    worldlineThresholds.update(repeating: -1, count: worldlineThresholdCount)
    worldlineThresholdScale = twoScale
  }

  /// e^{−ΔS} for a worldline move with ΔS = `actionChange` (> 0) =
  /// −2·scale·`dot`: from the table when m = −`dot` is within it, else
  /// (and to fill it) the call itself.
  ///
  /// With a table (`count` > 0) the model is integer and |dot| < 2²⁰, so
  /// dot is an integer held exactly and m is read from the bits of
  /// 1.5·2²³ − dot (`PathIntegralSystem.magicBits`), without the range
  /// checks of a conversion; one unsigned comparison sends m < 0 and
  /// m ≥ `count` to the call.
  @inline(__always)
  static func worldlineThreshold(
    _ actionChange: SliceFloat, dot: SliceFloat, table: UnsafeMutablePointer<SliceFloat>,
    count: Int
  ) -> SliceFloat {
    let m = Int(Int32(bitPattern: (0x1.8p23 - dot).bitPattern) &- magicBits)
    guard UInt(bitPattern: m) < UInt(bitPattern: count) else { return exp(-actionChange) }
    let cached = table[m]
    if cached >= 0 { return cached }
    let threshold = exp(-actionChange)
    table[m] = threshold
    return threshold
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
