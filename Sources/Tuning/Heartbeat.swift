import Foundation

/// Calls `beat` every `interval` seconds on a background thread until
/// `stop`.
final class Heartbeat: Sendable {
  private let stopped = DispatchSemaphore(value: 0)

  init(every interval: Double, _ beat: @escaping @Sendable () -> Void) {
    let stopped = stopped
    Thread {
      while stopped.wait(timeout: .now() + interval) == .timedOut { beat() }
    }.start()
  }

  /// Ends the beats (one in progress may still finish; it only touches a
  /// running trial).
  func stop() { stopped.signal() }
}
