import Dispatch

// A time limit as a budget (issue 22): how long reads should be so that
// every thread finishes a given number of work items (single reads, or
// packs of reads in SIMD lanes) in the time left. A probe measures what one
// sweep of a work item costs with every thread busy at once (so a loaded
// machine or a shared memory bus shows in the figure); simulated annealing
// (SimulatedAnnealing+Budget.swift) and parallel tempering
// (ParallelTempering+Budget.swift) choose their own item counts and probes.

enum TimeBudget {
  /// Sweeps per read when each thread runs `items` work items one after
  /// another within `seconds`, one sweep of an item costing
  /// `secondsPerSweep`, clamped to `range`; the range's lower end when
  /// nothing was measured.
  static func sweeps(
    seconds: Double, secondsPerSweep: Double, items: Int, range: ClosedRange<Int>
  ) -> Int {
    guard secondsPerSweep > 0, seconds > 0 else { return range.lowerBound }
    let raw = seconds / (Double(max(1, items)) * secondsPerSweep)
    guard raw.isFinite else { return range.upperBound }
    return min(range.upperBound, max(range.lowerBound, Int(raw)))
  }

  /// The seconds per sweep of `probe(sweeps)`, which runs one work item of
  /// `sweeps` sweeps on every thread at once: starting at 16 sweeps and
  /// doubling until a round takes 20 ms or 1 % of `limit`, or reaches 1024
  /// sweeps. The probe's samples are the caller's to throw away.
  static func secondsPerSweep(limit: Double, probe: (Int) -> Void) -> Double {
    var sweeps = 16
    while true {
      let t0 = DispatchTime.now().uptimeNanoseconds
      probe(sweeps)
      let seconds = Self.seconds(since: t0)
      if seconds >= max(0.02, 0.01 * limit) || sweeps >= 1024 {
        return seconds / Double(sweeps)
      }
      sweeps *= 2
    }
  }

  /// Seconds since `start` (`DispatchTime.now().uptimeNanoseconds`).
  static func seconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e9
  }

  /// What is left of `limit` seconds since `start`, at least 0: the limit
  /// a run's reads get once its set-up (buffers, a probe, a renumbering)
  /// has taken its share.
  static func left(of limit: Double, since start: UInt64) -> Double {
    max(0, limit - seconds(since: start))
  }
}
