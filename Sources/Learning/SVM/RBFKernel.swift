#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The radial basis function kernel `k(x, z) = exp(−γ ‖x − z‖²)`.
public struct RBFKernel: Sendable, Equatable {
  /// The width parameter γ > 0.
  public var gamma: Double

  /// A kernel of width `gamma`.
  public init(gamma: Double) {
    self.gamma = gamma
  }

  /// `k(x, z)` for two feature vectors of equal length.
  public func callAsFunction(_ x: ArraySlice<Double>, _ z: ArraySlice<Double>) -> Double {
    var s = 0.0
    var i = x.startIndex
    var j = z.startIndex
    while i < x.endIndex {
      let d = x[i] - z[j]
      s += d * d
      i += 1
      j += 1
    }
    return exp(-gamma * s)
  }

  /// The `a.count × b.count` matrix `k(a_i, b_j)`, row-major.
  ///
  /// - Complexity: O(a.count · b.count · featureCount).
  public func matrix(_ a: Dataset, _ b: Dataset) throws -> [Double] {
    guard a.featureCount == b.featureCount else { throw ShapeError("kernel over different feature counts") }
    var out = [Double](repeating: 0, count: a.count * b.count)
    for i in 0..<a.count {
      let x = a.row(i)
      for j in 0..<b.count { out[i * b.count + j] = self(x, b.row(j)) }
    }
    return out
  }
}
