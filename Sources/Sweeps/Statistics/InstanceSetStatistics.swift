// Statistics over an instance set: quantiles of TTS99 across instances,
// the optimal TTS of a sampler (Rønnow et al., Science 345, 420 (2014)), and
// speed-ups between two samplers.
//
// Optimal TTS: for each instance size N and each point θ of a sampler's grid
// (e.g. its number of sweeps), take the q-quantile over the instances of size
// N of TTS99(θ); the optimal TTS at N is the minimum over θ. Using too many
// sweeps on small instances would otherwise inflate the scaling.
//
// Speed-up of sampler A over sampler B (both at their own optimal θ per
// instance size):
//   • ratio of quantiles:      Q_q(TTS_B) / Q_q(TTS_A)
//   • quantiles of ratios:     Q_q({TTS_B,i / TTS_A,i} over instances i)
// The two differ when the samplers find different instances hard.

import Annealing

/// Quantiles over instances, optimal TTS and speed-ups.
public enum InstanceSetStatistics {
  /// The grid point with the smallest q-quantile of TTS99 over instances.
  ///
  /// - Parameter ttsByPoint: for each grid point (any key), the TTS99 of each
  ///   instance at that point.
  /// - Returns: the minimising point and its quantile with a bootstrap
  ///   interval over instances, or nil when there are no points.
  public static func optimal<Key: Hashable & Comparable, G: RandomNumberGenerator>(
    _ ttsByPoint: [Key: [Double]], quantile q: Double = 0.5, resamples: Int = 1000,
    using rng: inout G
  ) -> (point: Key, tts: Estimate)? {
    var best: (point: Key, value: Double)?
    for key in ttsByPoint.keys.sorted() {
      let v = Quantile.of(ttsByPoint[key] ?? [], q)
      if v.isNaN { continue }
      if let b = best, v >= b.value { continue }
      best = (key, v)
    }
    guard let best else { return nil }
    let estimate = Quantile.withInterval(
      ttsByPoint[best.point] ?? [], q, resamples: resamples, using: &rng)
    return (best.point, estimate)
  }

  /// The speed-up of `fast` over `slow` as a ratio of their q-quantiles:
  /// `Q_q(slow) / Q_q(fast)` (∞ when only `fast` is finite, NaN when both are
  /// infinite).
  public static func ratioOfQuantiles(slow: [Double], fast: [Double], quantile q: Double)
    -> Double
  {
    Quantile.of(slow, q) / Quantile.of(fast, q)
  }

  /// The q-quantile of the per-instance ratios `slow_i / fast_i`; instances
  /// where both are infinite are left out.
  ///
  /// - Precondition: `slow.count == fast.count` (the same instances, in the
  ///   same order).
  public static func quantileOfRatios(slow: [Double], fast: [Double], quantile q: Double)
    -> Double
  {
    precondition(slow.count == fast.count, "the two samplers need the same instances")
    let ratios = zip(slow, fast).compactMap { s, f -> Double? in
      let r = s / f
      return r.isNaN ? nil : r
    }
    return Quantile.of(ratios, q)
  }
}
