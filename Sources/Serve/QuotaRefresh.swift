import Foundation
import Synchronization

/// When each account's open jobs were last checked against the queue: at
/// most once a second per account, so that a flood of refused submissions
/// does not turn into a flood of queue reads.
final class QuotaRefresh: Sendable {
  private let last = Mutex<[String: Date]>([:])

  /// Whether `account`'s open jobs should be checked now (and notes that
  /// they are).
  func refreshDue(_ account: String, every seconds: Double = 1) -> Bool {
    let now = Date()
    return last.withLock { times in
      if let t = times[account], now.timeIntervalSince(t) < seconds { return false }
      times[account] = now
      return true
    }
  }
}
