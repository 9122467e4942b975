// The interval of a quantile of TTS99 over instances, resampling both levels
// of the data: the instances, and the reads within each instance.
//
// Resampling instances alone treats each instance's TTS99 as exact. When
// every instance has p̂ = 1 all resamples repeat the same values and the
// interval collapses to [x, x], although 20 successes in 20 reads do not
// prove p = 1. So each bootstrap replicate (Davison & Hinkley 1997, §3.8,
// the two-stage bootstrap) first draws the instances with replacement, then
// for each drawn instance a success probability from its reads, and takes
// the q-quantile of the resulting TTS99 values.
//
// Drawing p from the reads: a plain resample of the reads repeats p̂ when
// p̂ is 0 or 1, which is exactly the degenerate case. The draw is instead
// from the Jeffreys posterior Beta(s + ½, n − s + ½) (a smoothed resample of
// the n reads with s successes; mean (s + ½)/(n + 1)), which is not a point
// at p̂ = 1. An instance that was never solved (s = 0) keeps p = 0 and
// TTS99 = ∞ in every replicate: its reads give no finite upper bound, as in
// `TimeToSolution`.
//
// Beta draws come from two Gamma draws (Marsaglia & Tsang, ACM TOMS 26,
// 2000; shape a < 1 through Gamma(a + 1)·U^(1/a)).

import Annealing
import Foundation

/// Quantiles of TTS99 over instances with a two-level bootstrap interval.
public enum TwoLevelBootstrap {
  /// One instance's reads at one grid point.
  public struct Reads: Sendable, Hashable {
    /// Reads that reached the target.
    public var successes: Int
    /// Reads in all.
    public var reads: Int
    /// The cost of one read.
    public var tRead: Double

    /// Reads from their counts and cost.
    public init(successes: Int, reads: Int, tRead: Double) {
      self.successes = successes
      self.reads = reads
      self.tRead = tRead
    }
  }

  /// The q-quantile over `instances` of TTS99 at p̂, with a percentile
  /// interval from `resamples` two-level replicates.
  ///
  /// - Complexity: O(B · m log m) for m instances.
  public static func quantile<G: RandomNumberGenerator>(
    _ instances: [Reads], _ q: Double, resamples: Int = 1000, confidence: Double = 0.95,
    using rng: inout G
  ) -> Estimate {
    let point = Quantile.of(
      instances.map {
        TimeToSolution.tts99(
          tRead: $0.tRead, p: $0.reads == 0 ? 0 : Double($0.successes) / Double($0.reads))
      }, q)
    guard !instances.isEmpty else { return Estimate(value: point, lower: point, upper: point) }
    var boot: [Double] = []
    boot.reserveCapacity(resamples)
    var sample = [Double](repeating: 0, count: instances.count)
    for _ in 0..<max(1, resamples) {
      for k in sample.indices {
        let r = instances[Int.random(in: 0..<instances.count, using: &rng)]
        let p =
          r.successes == 0
          ? 0 : beta(Double(r.successes) + 0.5, Double(r.reads - r.successes) + 0.5, using: &rng)
        sample[k] = TimeToSolution.tts99(tRead: r.tRead, p: p)
      }
      boot.append(Quantile.of(sample, q))
    }
    boot.sort()
    let alpha = (1 - confidence) / 2
    return Estimate(value: point, lower: Quantile.sorted(boot, alpha), upper: Quantile.sorted(boot, 1 - alpha))
  }

  /// A Beta(a, b) draw.
  static func beta<G: RandomNumberGenerator>(_ a: Double, _ b: Double, using rng: inout G)
    -> Double
  {
    let x = gamma(a, using: &rng)
    let y = gamma(b, using: &rng)
    return x + y > 0 ? x / (x + y) : 0.5
  }

  /// A Gamma(shape, 1) draw.
  static func gamma<G: RandomNumberGenerator>(_ shape: Double, using rng: inout G) -> Double {
    if shape < 1 {
      let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &rng)
      return gamma(shape + 1, using: &rng) * pow(u, 1 / shape)
    }
    let d = shape - 1.0 / 3
    let c = 1 / (9 * d).squareRoot()
    while true {
      var x = 0.0
      var v = 0.0
      repeat {
        x = normal(using: &rng)
        v = 1 + c * x
      } while v <= 0
      v = v * v * v
      let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &rng)
      if u < 1 - 0.0331 * x * x * x * x { return d * v }
      if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
    }
  }

  /// A standard normal draw (Box–Muller).
  static func normal<G: RandomNumberGenerator>(using rng: inout G) -> Double {
    let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &rng)
    let v = Double.random(in: 0..<1, using: &rng)
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
}
