// Success probability of a cell and its Wilson score interval.
//
// Implementation goals, in order of priority: an interval that stays inside
// [0, 1] and is informative at p̂ = 0 and p̂ = 1 (where the Wald interval
// collapses to a point), then simplicity. The Wilson score interval
// (Wilson 1927; Brown, Cai & DasGupta, Statist. Sci. 16, 2001) inverts the
// score test:
//
//   centre = (p̂ + z²/2n) / (1 + z²/n)
//   half   = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²)
//
// At p̂ = 0 its upper end is z²/(n + z²) > 0, which is what bounds TTS99 from
// below when no read succeeded.

/// How often the reads of a cell reached the target, with a Wilson interval.
public struct SuccessProbability: Sendable, Hashable {
  /// Reads that reached the target.
  public var successes: Int
  /// Reads in all.
  public var reads: Int
  /// The lower end of the interval.
  public var lower: Double
  /// The upper end of the interval.
  public var upper: Double

  /// The point estimate `p̂ = successes / reads` (0 when there are no reads).
  public var estimate: Double {
    reads == 0 ? 0 : Double(successes) / Double(reads)
  }

  /// The Wilson score interval for `successes` out of `reads` at the normal
  /// quantile `z` (1.96 for 95%).
  ///
  /// - Precondition: `0 ≤ successes ≤ reads`.
  public init(successes: Int, reads: Int, z: Double = 1.96) {
    precondition(successes >= 0 && successes <= reads, "successes must be in 0...reads")
    self.successes = successes
    self.reads = reads
    guard reads > 0 else {
      lower = 0
      upper = 1
      return
    }
    let n = Double(reads)
    let p = Double(successes) / n
    let z2 = z * z
    let denominator = 1 + z2 / n
    let centre = (p + z2 / (2 * n)) / denominator
    let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
    lower = successes == 0 ? 0 : max(0, centre - half)
    upper = successes == reads ? 1 : min(1, centre + half)
  }
}
