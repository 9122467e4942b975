// Sample quantiles and their bootstrap intervals.
//
// Quantiles interpolate linearly between order statistics (Hyndman & Fan
// 1996, type 7, R's default): h = (n − 1)q,
// Q = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋).
// Infinite values (TTS99 of instances never solved) sort last; a quantile
// that interpolates towards ∞ is ∞, one that lands exactly on a finite order
// statistic is finite.

import Annealing

/// Sample quantiles of values that may include +∞.
public enum Quantile {
  /// The `q`-quantile of ascending `sorted` values (NaN when empty).
  public static func sorted(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let h = Double(sorted.count - 1) * min(max(q, 0), 1)
    let lo = Int(h.rounded(.down))
    let hi = min(lo + 1, sorted.count - 1)
    let frac = h - Double(lo)
    if frac == 0 || sorted[lo] == sorted[hi] { return sorted[lo] }
    if sorted[hi].isInfinite { return .infinity }
    return sorted[lo] + frac * (sorted[hi] - sorted[lo])
  }

  /// The `q`-quantile of `values` in any order.
  public static func of(_ values: [Double], _ q: Double) -> Double {
    sorted(values.sorted(), q)
  }

  /// The `q`-quantile of `values` with a percentile bootstrap interval
  /// (resampling the values with replacement `resamples` times).
  public static func withInterval<G: RandomNumberGenerator>(
    _ values: [Double], _ q: Double, resamples: Int = 1000, confidence: Double = 0.95,
    using rng: inout G
  ) -> Estimate {
    let point = of(values, q)
    guard values.count > 1 else { return Estimate(value: point, lower: point, upper: point) }
    var boot = [Double]()
    boot.reserveCapacity(resamples)
    var sample = [Double](repeating: 0, count: values.count)
    for _ in 0..<max(1, resamples) {
      for k in sample.indices {
        sample[k] = values[Int.random(in: 0..<values.count, using: &rng)]
      }
      boot.append(of(sample, q))
    }
    boot.sort()
    let alpha = (1 - confidence) / 2
    return Estimate(
      value: point, lower: sorted(boot, alpha), upper: sorted(boot, 1 - alpha))
  }
}

/// A point estimate with an interval.
public struct Estimate: Sendable, Hashable {
  /// The point estimate.
  public var value: Double
  /// The lower end of the interval.
  public var lower: Double
  /// The upper end of the interval.
  public var upper: Double

  /// An estimate from its parts.
  public init(value: Double, lower: Double, upper: Double) {
    self.value = value
    self.lower = lower
    self.upper = upper
  }
}
