import Synchronization

/// The first error any worker hit.
final class ErrorBox: Sendable {
  private let stored = Mutex<(any Error)?>(nil)
  var error: (any Error)? { stored.withLock { $0 } }
  func set(_ e: any Error) { stored.withLock { if $0 == nil { $0 = e } } }
}
