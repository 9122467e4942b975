import Annealing
import Foundation

/// How one server runs: its limits, its workers, and how it watches the
/// queue.
public struct ServeConfiguration: Sendable {
  /// Request and per-account limits.
  public var limits = ServeLimits()
  /// Jobs this server runs at once.
  public var workers = 1
  /// Threads one job may use (a job asking for more gets this many).
  public var threadsPerJob = ParallelReads.defaultThreads
  /// Seconds without a heartbeat after which another server takes a
  /// running job over.
  public var staleAfter = 30.0
  /// Seconds between a running job's checks for cancellation, and an idle
  /// worker's polls of the queue.
  public var pollInterval = 0.25
  /// This server's name on the queue (workers are NAME/1, NAME/2, …).
  public var name = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"

  /// The defaults.
  public init() {}

  /// Seconds between heartbeats of a running job: a sixth of `staleAfter`.
  var heartbeatInterval: Double { staleAfter / 6 }
}
