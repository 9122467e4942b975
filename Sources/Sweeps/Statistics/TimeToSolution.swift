// Time to solution at 99% confidence, TTS99, and its bootstrap interval.
//
// With R independent reads of duration t_read each succeeding with
// probability p, the chance that none of R reads succeeds is (1 − p)^R.
// Setting it to 1 − 0.99 gives R = ln(0.01)/ln(1 − p), so
//
//   TTS99 = t_read · ln(0.01) / ln(1 − p)      (Rønnow et al., Science 2014)
//
// Rules at the edges, in this order:
//   • p = 0: no number of reads is known to suffice, TTS99 = ∞. The reads
//     still bound it from below: p is at most the Wilson upper end p⁺, so
//     TTS99 ≥ t_read · ln(0.01)/ln(1 − p⁺).
//   • At least one read is always needed: TTS99 = t_read · max(1, R). So
//     p ≥ 0.99, and p = 1 in particular, give TTS99 = t_read.
//
// The interval is a percentile bootstrap over reads: resample the reads'
// success flags with replacement B times (seeded), recompute p and TTS99,
// and take the α/2 and 1 − α/2 quantiles. A resample with no success has
// TTS99 = ∞, so the upper end is ∞ when such resamples pass 1 − α/2 of them.
// When p̂ is 0 or 1 every resample equals p̂ and the bootstrap cannot bound
// the open side; that side comes from the Wilson interval instead.

import Annealing
import Foundation

/// TTS99 of a cell: the expected time to see the target at least once with
/// 99% probability, with an interval.
public struct TimeToSolution: Sendable, Hashable {
  /// The point estimate (∞ when no read succeeded).
  public var value: Double
  /// The lower end of the interval.
  public var lower: Double
  /// The upper end of the interval (may be ∞).
  public var upper: Double

  /// The number of reads needed for 99% success at success probability `p`,
  /// at least 1 (∞ at p = 0).
  public static func readsFor99(p: Double) -> Double {
    if p <= 0 { return .infinity }
    if p >= 1 { return 1 }
    return max(1, log(0.01) / log1p(-p))
  }

  /// TTS99 for a read time `tRead` and success probability `p`.
  public static func tts99(tRead: Double, p: Double) -> Double {
    let r = readsFor99(p: p)
    return r.isInfinite ? .infinity : tRead * r
  }

  /// TTS99 of `successes` out of `reads` reads of `tRead` each, with a
  /// percentile bootstrap interval over the reads.
  ///
  /// - Parameters:
  ///   - resamples: bootstrap resamples B.
  ///   - confidence: the interval's coverage (0.95).
  ///   - rng: the generator the resamples draw from.
  /// - Complexity: O(B · reads).
  public init<G: RandomNumberGenerator>(
    successes: Int, reads: Int, tRead: Double, resamples: Int = 1000,
    confidence: Double = 0.95, using rng: inout G
  ) {
    let p = SuccessProbability(successes: successes, reads: reads)
    value = Self.tts99(tRead: tRead, p: p.estimate)
    guard reads > 0 else {
      lower = tRead
      upper = .infinity
      return
    }
    if successes == 0 {
      lower = Self.tts99(tRead: tRead, p: p.upper)
      upper = .infinity
      return
    }
    if successes == reads {
      lower = tRead
      upper = Self.tts99(tRead: tRead, p: p.lower)
      return
    }
    var values = [Double]()
    values.reserveCapacity(resamples)
    for _ in 0..<max(1, resamples) {
      let s = Self.binomialResample(successes: successes, reads: reads, using: &rng)
      values.append(Self.tts99(tRead: tRead, p: Double(s) / Double(reads)))
    }
    values.sort()
    let alpha = (1 - confidence) / 2
    lower = Quantile.sorted(values, alpha)
    upper = Quantile.sorted(values, 1 - alpha)
  }

  /// Successes among `reads` reads drawn with replacement from reads of
  /// which `successes` succeeded.
  static func binomialResample<G: RandomNumberGenerator>(
    successes: Int, reads: Int, using rng: inout G
  ) -> Int {
    var s = 0
    for _ in 0..<reads where Int.random(in: 0..<reads, using: &rng) < successes {
      s += 1
    }
    return s
  }
}
