import Dispatch
import Synchronization

/// What every sampler honours besides its own parameters: a time limit,
/// cancellation, a progress counter, and an observer of stored reads.
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
  /// Hears of every row stored and of best-so-far energies reported from
  /// inside long reads, for best-so-far traces; it never changes results.
  public var observer: ReadObserver?

  public init(
    timeLimit: Double? = nil, cancellation: CancellationToken? = nil,
    progress: ProgressCounter? = nil, observer: ReadObserver? = nil
  ) {
    self.timeLimit = timeLimit
    self.cancellation = cancellation
    self.progress = progress
    self.observer = observer
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
    return StopCondition(deadline: deadline, cancellation: cancellation, observer: observer)
  }
}

/// The running form of `SamplingControl`: cheap to ask once per sweep.
public struct StopCondition: Sendable {
  /// The uptime in nanoseconds at which to stop, `nil` for none.
  public let deadline: UInt64?
  @usableFromInline let cancellation: CancellationToken?
  /// The run's observer, if any.
  public let observer: ReadObserver?

  init(
    deadline: UInt64?, cancellation: CancellationToken?, observer: ReadObserver? = nil
  ) {
    self.deadline = deadline
    self.cancellation = cancellation
    self.observer = observer
  }

  /// Whether the run should stop now.
  @inlinable
  public var shouldStop: Bool {
    if let cancellation, cancellation.isCancelled { return true }
    if let deadline { return DispatchTime.now().uptimeNanoseconds >= deadline }
    return false
  }

  /// Tells the observer, if any, that read `r` has found a state of
  /// `energy` and is still running.
  ///
  /// Samplers whose reads are long (tabu, parallel tempering) call it at
  /// their stop-condition polls when their best improved since the last
  /// report, never from the inner loop.
  @inlinable
  public func improved(read r: Int, energy: Double) {
    observer?.notify(ReadEvent(read: r, energy: energy, stored: false))
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

/// One thing a run tells its observer: a row stored, or a best-so-far
/// energy found inside a read that is still running.
public struct ReadEvent: Sendable, Equatable {
  /// The result row (the read index; for samplers that return several rows
  /// per read, the row index).
  public var read: Int
  /// The energy of the row stored, or the read's best so far.
  public var energy: Double
  /// `true` for a row stored (its energy recomputed from the spins; a row
  /// cut short by the time limit may be stored again once polished),
  /// `false` for a report from inside a running read (the kernel's running
  /// energy).
  public var stored: Bool

  public init(read: Int, energy: Double, stored: Bool) {
    self.read = read
    self.energy = energy
    self.stored = stored
  }
}

/// Receives `ReadEvent`s from the worker threads as a run goes, for
/// best-so-far traces (`anneal solve --trace`).
///
/// The handler is called on whichever thread stored the row, once per
/// stored row and at most once per stop-condition poll of a long read, so it
/// must be thread-safe and cheap; it cannot change the samples.
public final class ReadObserver: Sendable {
  @usableFromInline let handler: @Sendable (ReadEvent) -> Void

  /// An observer that passes every event to `handler`.
  public init(_ handler: @escaping @Sendable (ReadEvent) -> Void) {
    self.handler = handler
  }

  /// Passes `event` to the handler.
  @inlinable
  public func notify(_ event: ReadEvent) { handler(event) }
}
