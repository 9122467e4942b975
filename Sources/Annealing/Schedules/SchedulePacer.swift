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

  /// Whether there is a deadline to keep.
  var isPacing: Bool { deadline != nil }

  /// The number of steps.
  var stepCount: Int { starts.count - 1 }

  /// The sweeps of step `k`.
  func sweeps(ofStep k: Int) -> Int { starts[k + 1] - starts[k] }

  /// Where a read that has done `done` sweeps should be now: `nil` if on
  /// time, otherwise the step index and the sweeps left in that step.
  @inline(never)
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

/// A read's walk through its schedule, step by step, in batches of sweeps
/// between two polls of the stop condition and the pacer:
///
/// ```swift
/// var walk = ScheduleWalk(pacer, interval: 8)
/// while let k = walk.nextStep() {
///   system.prepare(beta: steps[k].beta)
///   while let count = walk.nextBatch(stop) {
///     for _ in 0..<count { system.sweep(…) }
///   }
/// }
/// ```
///
/// The sweep loop stays a plain counted loop in the kernel, as fast as one
/// without pacing; polls happen at the start of each step and every
/// `interval` sweeps within it.
struct ScheduleWalk {
  private let pacer: SchedulePacer
  private let interval: Int
  private var step = -1
  private var left = 0
  private var done = 0
  private var stopped = false
  private var jumped = false
  /// Set by a jump until the next batch runs: every jump is followed by at
  /// least one batch of sweeps (the clock may run ahead of any sweep rate).
  private var owesBatch = false

  init(_ pacer: SchedulePacer, interval: Int) {
    self.pacer = pacer
    self.interval = max(1, interval)
  }

  /// The next step to enter; `nil` at the end of the schedule or once the
  /// stop condition fired.
  mutating func nextStep() -> Int? {
    if stopped { return nil }
    if jumped {
      jumped = false
      return step
    }
    step += 1
    guard step < pacer.stepCount else { return nil }
    left = pacer.sweeps(ofStep: step)
    return step
  }

  /// How many sweeps to run next in the current step; `nil` when the step
  /// is over, the run must stop, or the pacer moved the walk ahead (then
  /// `nextStep()` returns the step to enter).
  @inline(__always)
  mutating func nextBatch(_ stop: StopCondition) -> Int? {
    guard left > 0 else { return nil }
    if stop.shouldStop {
      stopped = true
      return nil
    }
    if pacer.isPacing && !owesBatch, let jump = pacer.catchUp(done: done) {
      (step, left, done) = jump
      jumped = true
      owesBatch = true
      return nil
    }
    owesBatch = false
    let count = min(left, interval)
    left -= count
    done += count
    return count
  }
}
