import Dispatch
import Synchronization

/// What every sampler honours besides its own parameters: a time limit,
/// cancellation, and a progress counter.
///
/// When the time limit passes or the token is cancelled, a sampler stops at
/// the next sweep boundary and returns what it has found so far (reads not
/// yet started are not returned).
public struct SamplingControl: Sendable {
  /// Wall-clock seconds after which sampling stops, `nil` for no limit.
  public var timeLimit: Double?
  /// A token another thread may cancel.
  public var cancellation: CancellationToken?
  /// Counts finished reads, for progress displays.
  public var progress: ProgressCounter?

  public init(
    timeLimit: Double? = nil, cancellation: CancellationToken? = nil,
    progress: ProgressCounter? = nil
  ) {
    self.timeLimit = timeLimit
    self.cancellation = cancellation
    self.progress = progress
  }

  /// Starts the clock: the returned value answers "should I stop?".
  ///
  /// A limit too long to represent (beyond about 584 years, or infinite)
  /// means no limit; a negative or NaN limit means stop at once.
  public func start() -> StopCondition {
    let now = DispatchTime.now().uptimeNanoseconds
    var deadline: UInt64?
    if let t = timeLimit {
      let nanos = t * 1e9
      if !(nanos > 0) {
        deadline = now
      } else if nanos < Double(UInt64.max - now) / 2 {
        deadline = now &+ UInt64(nanos)
      }
    }
    return StopCondition(deadline: deadline, cancellation: cancellation)
  }
}

/// The running form of `SamplingControl`: cheap to ask once per sweep.
public struct StopCondition: Sendable {
  /// The uptime in nanoseconds at which to stop, `nil` for none.
  public let deadline: UInt64?
  @usableFromInline let cancellation: CancellationToken?

  /// Whether the run should stop now.
  @inlinable
  public var shouldStop: Bool {
    if let cancellation, cancellation.isCancelled { return true }
    if let deadline { return DispatchTime.now().uptimeNanoseconds >= deadline }
    return false
  }

  /// A condition that never fires.
  public static let never = StopCondition(deadline: nil, cancellation: nil)
}

/// A flag that one thread sets and samplers poll.
public final class CancellationToken: Sendable {
  private let flag = Atomic<Bool>(false)
  public init() {}
  /// Asks every sampler holding this token to stop.
  public func cancel() { flag.store(true, ordering: .relaxed) }
  /// Whether `cancel()` was called.
  public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// A counter of finished work units (reads), safe to bump from any thread.
public final class ProgressCounter: Sendable {
  private let done = Atomic<Int>(0)
  private let totalValue = Atomic<Int>(0)
  public init() {}
  /// Sets how many units the run will do.
  public func setTotal(_ n: Int) { totalValue.store(n, ordering: .relaxed) }
  /// Records one finished unit.
  public func increment() { done.add(1, ordering: .relaxed) }
  /// Finished units so far.
  public var completed: Int { done.load(ordering: .relaxed) }
  /// Units planned.
  public var total: Int { totalValue.load(ordering: .relaxed) }
}
