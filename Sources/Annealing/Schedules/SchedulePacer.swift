import Dispatch

/// Keeps a read's schedule inside a time limit: when the clock runs ahead of
/// the schedule, the read skips forward so that it reaches the schedule's
/// cold end by the deadline instead of being cut off at a hot β (or a large
/// Γ) and returning a hot state.
///
/// The position in the schedule is measured in sweeps: a read that has used
/// a fraction `f` of its time (from its start to the deadline) moves on to
/// sweep `f · total` when it is behind. Without a deadline nothing changes,
/// so runs without a time limit stay bit-for-bit reproducible.
struct SchedulePacer {
  /// The sweep at which each step starts, and the total at the end.
  private let starts: [Int]
  private let start: UInt64
  private let deadline: UInt64?

  /// A pacer over steps of the given sweep counts, for a read starting now.
  init(sweeps: [Int], deadline: UInt64?) {
    var starts = [0]
    starts.reserveCapacity(sweeps.count + 1)
    for s in sweeps { starts.append(starts[starts.count - 1] &+ s) }
    self.starts = starts
    start = DispatchTime.now().uptimeNanoseconds
    self.deadline = deadline
  }

  /// The total number of sweeps.
  var total: Int { starts[starts.count - 1] }

  /// Runs the schedule sweep by sweep: `enter(k)` on entering step `k`,
  /// `sweep()` for each sweep. Every `interval` sweeps it polls `stop`
  /// (ending the walk) and the clock (skipping ahead when behind).
  @inline(__always)
  func walk(
    interval: Int, stop: StopCondition, enter: (Int) -> Void, sweep: () -> Void
  ) {
    let steps = starts.count - 1
    var k = 0
    var left = steps > 0 ? starts[1] : 0
    var done = 0
    var untilCheck = 0
    outer: while k < steps {
      enter(k)
      while left > 0 {
        if untilCheck == 0 {
          if stop.shouldStop { break outer }
          untilCheck = interval
          if let jump = catchUp(done: done) {
            (k, left, done) = jump
            continue outer
          }
        }
        untilCheck -= 1
        sweep()
        left -= 1
        done += 1
      }
      k += 1
      if k < steps { left = starts[k + 1] - starts[k] }
    }
  }

  /// Where a read that has done `done` sweeps should be now: `nil` if on
  /// time, otherwise the step index and the sweeps left in that step.
  func catchUp(done: Int) -> (step: Int, left: Int, done: Int)? {
    guard let deadline, total > 0 else { return nil }
    let now = DispatchTime.now().uptimeNanoseconds
    // A read that starts at or after the deadline is due at the end at once.
    let f = deadline > start ? min(1, Double(now &- start) / Double(deadline - start)) : 1
    let target = min(total - 1, Int(f * Double(total)))
    guard target > done else { return nil }
    // The last step starting at or before `target`.
    var lo = 0
    var hi = starts.count - 2
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if starts[mid] <= target { lo = mid } else { hi = mid - 1 }
    }
    return (lo, starts[lo + 1] - target, target)
  }
}
