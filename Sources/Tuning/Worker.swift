import Annealing
import Foundation

/// Names this process as a worker and tells whether another is alive.
enum Worker {
  static let host = ProcessInfo.processInfo.hostName

  /// `host/pid` of this process.
  static var current: String { "\(host)/\(getpid())" }

  /// Whether the worker `owner` may still run: another host's workers are
  /// assumed alive; on this host, whether its process exists.
  @Sendable static func isAlive(_ owner: String) -> Bool {
    guard let slash = owner.lastIndex(of: "/"),
      String(owner[..<slash]) == host,
      let pid = Int32(owner[owner.index(after: slash)...])
    else { return true }
    if pid == getpid() { return true }
    return kill(pid, 0) == 0 || errno == EPERM
  }

  /// A seed for stream `k` of `seed` (SplitMix64 of both).
  static func mix(_ seed: UInt64, _ k: UInt64) -> UInt64 {
    var g = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* (k &+ 1))
    return g.next()
  }
}
