#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// McNemar's exact test of two classifiers on the same rows.
///
/// Only the discordant rows count: `b` where the first is right and the
/// second wrong, `c` the reverse. Under the null hypothesis (equal error
/// rates) `b ~ Binomial(b + c, ½)`; the two-sided p-value is
/// `min(1, 2 Σ_{k ≤ min(b, c)} C(b + c, k) / 2^(b + c))`, summed in log
/// space so that thousands of rows do not overflow.
public struct McNemar: Sendable, Equatable {
  /// Rows where the first classifier is right and the second wrong.
  public var firstOnly: Int
  /// Rows where the second classifier is right and the first wrong.
  public var secondOnly: Int
  /// The exact two-sided p-value.
  public var pValue: Double

  /// The test on per-row correctness of two classifiers.
  ///
  /// - Throws: `ShapeError` when the two have different lengths.
  public init(_ first: [Bool], _ second: [Bool]) throws {
    guard first.count == second.count else {
      throw ShapeError("McNemar: \(first.count) rows against \(second.count)")
    }
    var (b, c) = (0, 0)
    for (x, y) in zip(first, second) where x != y {
      if x { b += 1 } else { c += 1 }
    }
    self.init(firstOnly: b, secondOnly: c)
  }

  /// The test from the discordant counts.
  public init(firstOnly b: Int, secondOnly c: Int) {
    firstOnly = b
    secondOnly = c
    let n = b + c
    guard n > 0 else {
      pValue = 1
      return
    }
    let lnHalf = Double(n) * log(0.5)
    var lnFactorial = [Double](repeating: 0, count: n + 1)
    for k in stride(from: 1, through: n, by: 1) {
      lnFactorial[k] = lnFactorial[k - 1] + log(Double(k))
    }
    var tail = 0.0
    for k in 0...min(b, c) {
      tail += exp(lnFactorial[n] - lnFactorial[k] - lnFactorial[n - k] + lnHalf)
    }
    pValue = min(1, 2 * tail)
  }
}
