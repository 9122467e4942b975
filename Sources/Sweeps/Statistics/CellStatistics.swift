// The statistics of one cell: success probability, TTS99, residual energy
// and throughput, computed from the energies its reads reached.
//
// A read succeeds when its best energy is within `tolerance` of the target:
// E ≤ E_target + tol·max(1, |E_target|). The residual energy of a read is
// E − E_target (never below 0 when the target is the true ground energy; a
// negative residual says the target was not optimal and is reported as is).

import Annealing
import Foundation

/// Success, TTS99, residual energy and throughput of a group of reads.
public struct CellStatistics: Sendable, Hashable {
  /// Successes out of reads, with a Wilson interval.
  public var success: SuccessProbability
  /// TTS99 in the unit of `tRead`, with a bootstrap interval.
  public var tts99: TimeToSolution
  /// The cost of one read (seconds, or spin updates).
  public var tRead: Double
  /// The mean of `E − E_target` over reads.
  public var residualMean: Double
  /// The smallest `E − E_target` over reads.
  public var residualBest: Double
  /// Spin-update attempts per second of sampling (0 when no time passed).
  public var throughput: Double

  /// Whether `energy` reaches `target` within a relative `tolerance`.
  public static func reaches(_ energy: Double, target: Double, tolerance: Double = 1e-9) -> Bool {
    energy <= target + tolerance * max(1, abs(target))
  }

  /// Statistics of reads that reached `energies`.
  ///
  /// - Parameters:
  ///   - energies: each read's best energy.
  ///   - target: the energy that counts as solved.
  ///   - tRead: the cost of one read.
  ///   - spinUpdates: spin-update attempts of all reads.
  ///   - seconds: sampling seconds of all reads (for throughput).
  ///   - seed: seeds the bootstrap.
  public init(
    energies: [Double], target: Double, tRead: Double, spinUpdates: Double, seconds: Double,
    resamples: Int = 1000, seed: UInt64 = 0
  ) {
    let hits = energies.lazy.filter { Self.reaches($0, target: target) }.count
    success = SuccessProbability(successes: hits, reads: energies.count)
    var rng = SplitMix64(seed: seed)
    tts99 = TimeToSolution(
      successes: hits, reads: energies.count, tRead: tRead, resamples: resamples, using: &rng)
    self.tRead = tRead
    let residuals = energies.map { $0 - target }
    residualMean = residuals.isEmpty ? .nan : residuals.reduce(0, +) / Double(residuals.count)
    residualBest = residuals.min() ?? .nan
    throughput = seconds > 0 ? spinUpdates / seconds : 0
  }
}
