import QUBOModel

/// A fitted model of the loss that is a quadratic function of the bits,
/// `f(x) = c + Σ_i a_i x_i + Σ_{i<j} b_ij x_i x_j`, so that minimising it
/// over bits is a QUBO.
public struct QuadraticSurrogate: Sendable {
  /// The constant `c`.
  public var offset: Double
  /// The linear coefficients `a_i`.
  public var linear: [Double]
  /// The pairwise coefficients `b_ij` (`i < j`), row-major upper triangle:
  /// `pairs[i][j - i - 1]`.
  public var pairs: [[Double]]

  /// A surrogate of `n` bits with all coefficients zero.
  public init(bits n: Int) {
    offset = 0
    linear = [Double](repeating: 0, count: n)
    pairs = (0..<n).map { [Double](repeating: 0, count: n - $0 - 1) }
  }

  /// The number of bits.
  public var bitCount: Int { linear.count }

  /// The pairwise coefficient of bits `i < j`.
  public func pair(_ i: Int, _ j: Int) -> Double { pairs[i][j - i - 1] }

  /// The prediction at `x` (entries 0 or 1).
  public func predict(_ x: [Int8]) -> Double {
    var s = offset
    x.withUnsafeBufferPointer { xs in
      for i in 0..<xs.count where xs[i] != 0 {
        s += linear[i]
        // Row i of the upper triangle, read without per-element checks
        // (the same terms in the same order).
        pairs[i].withUnsafeBufferPointer { row in
          for j in (i + 1)..<xs.count where xs[j] != 0 { s += row[j - i - 1] }
        }
      }
    }
    return s
  }

  /// Adds `other`'s coefficients (same bit count) to these.
  public mutating func add(_ other: QuadraticSurrogate) {
    offset += other.offset
    for i in 0..<min(bitCount, other.bitCount) {
      linear[i] += other.linear[i]
      for j in pairs[i].indices where j < other.pairs[i].count { pairs[i][j] += other.pairs[i][j] }
    }
  }

  /// Multiplies every coefficient by `factor`.
  public mutating func scale(by factor: Double) {
    offset *= factor
    for i in 0..<bitCount {
      linear[i] *= factor
      for j in pairs[i].indices { pairs[i][j] *= factor }
    }
  }

  /// The change of the prediction when bit `i` of `x` flips:
  /// `(1 − 2xᵢ)(aᵢ + Σ_{j≠i} b_ij x_j)`, in O(n).
  public func flipDelta(_ x: [Int8], _ i: Int) -> Double {
    var field = linear[i]
    for j in 0..<i where x[j] != 0 { field += pairs[j][i - j - 1] }
    for j in (i + 1)..<x.count where x[j] != 0 { field += pairs[i][j - i - 1] }
    return x[i] != 0 ? -field : field
  }

  /// The largest total |coefficient| touching one bit: the most that
  /// flipping one bit can change the prediction.
  public var maxFlipChange: Double {
    var t = linear.map(abs)
    for i in 0..<bitCount {
      for j in (i + 1)..<bitCount {
        let b = abs(pairs[i][j - i - 1])
        t[i] += b
        t[j] += b
      }
    }
    return t.max() ?? 0
  }

  /// The surrogate as a binary quadratic model over `labels` (in order):
  /// its energy equals `predict` at every bit pattern.
  public func quadraticModel(labels: [String]) -> BinaryQuadraticModel {
    var bqm = BinaryQuadraticModel(vartype: .binary)
    for l in labels { _ = bqm.addVariable(.string(l)) }
    bqm.offset = offset
    for i in 0..<bitCount {
      bqm.addLinear(index: i, linear[i])
      for j in (i + 1)..<bitCount where pairs[i][j - i - 1] != 0 {
        bqm.addQuadratic(index: i, j, pairs[i][j - i - 1])
      }
    }
    return bqm
  }
}
