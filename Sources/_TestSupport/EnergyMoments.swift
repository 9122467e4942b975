// The first two moments of a sample's energies, for the tests that check two
// kernels (packed lanes against one read at a time, Float against Double)
// sample the same distribution at a fixed β: their means must agree within a
// few standard errors of the difference and their variances within a ratio.

/// The mean and the unbiased variance of a set of energies.
public struct EnergyMoments: CustomStringConvertible, Sendable {
  /// The sample mean.
  public let mean: Double
  /// The unbiased sample variance.
  public let variance: Double
  /// The number of energies.
  public let count: Int

  /// The moments of `energies` (at least two).
  public init(_ energies: [Double]) {
    count = energies.count
    mean = energies.reduce(0, +) / Double(count)
    let m = mean
    variance = energies.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)
  }

  /// `|mean − other.mean|` in standard errors of the difference.
  public func meanDifferenceInStandardErrors(_ other: EnergyMoments) -> Double {
    let se = (variance / Double(count) + other.variance / Double(other.count)).squareRoot()
    return abs(mean - other.mean) / se
  }

  /// `|variance / other.variance − 1|`.
  public func varianceMismatch(_ other: EnergyMoments) -> Double {
    abs(variance / other.variance - 1)
  }

  public var description: String { "(mean \(mean), variance \(variance), n \(count))" }
}
