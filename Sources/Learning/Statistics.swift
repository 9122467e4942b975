#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Mean, standard deviation and a 95% Student-t interval of a sample.
public struct Summary: Sendable, Equatable {
  /// The number of values.
  public var count: Int
  /// The mean.
  public var mean: Double
  /// The sample standard deviation (n − 1), 0 for one value.
  public var sd: Double
  /// Half the width of the 95% t interval of the mean (∞ for one value).
  public var halfWidth: Double

  /// The summary of `values`; with none, the mean is NaN and the interval
  /// infinite.
  public init(_ values: [Double]) {
    count = values.count
    mean = count > 0 ? values.reduce(0, +) / Double(count) : .nan
    let m = mean
    let ss = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
    sd = count > 1 ? (ss / Double(count - 1)).squareRoot() : 0
    halfWidth = count > 1 ? Self.t975(count - 1) * sd / Double(count).squareRoot() : .infinity
  }

  /// The summary of the paired differences `a[i] − b[i]` (over the pairs
  /// both have, when their lengths differ).
  public init(paired a: [Double], minus b: [Double]) {
    self.init(zip(a, b).map { $0 - $1 })
  }

  /// The 97.5% quantile of Student's t with `df` degrees of freedom.
  static func t975(_ df: Int) -> Double {
    let table: [Double] = [
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
      2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
      2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]
    if df <= 0 { return .infinity }
    if df <= table.count { return table[df - 1] }
    return 1.96 + 2.4 / Double(df)  // within 0.003 of the true value for df > 30
  }
}
