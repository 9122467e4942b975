import Foundation
import Synchronization
import WorkQueue

// One conformance suite for every `WorkQueue` backend (after Optuna's
// `tests/storages_tests`, one suite over every storage): each check opens a
// fresh storage through a `WorkQueueBackend` and returns the contract
// violations it saw, so a test target runs
//
//     @Test(arguments: WorkQueueConformance.checks)
//     func sqlite(_ check: WorkQueueConformance.Check) throws {
//       let failures = try check.run(.sqlite)
//       #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
//     }
//
// Timing: staleness checks use real time with leases of about a second, so
// a check never depends on a clock it does not control; the skewed-clock
// check puts the storage's clock hours away from the caller's.

/// The shared work-queue conformance suite.
public enum WorkQueueConformance {
  /// One check of the contract.
  public struct Check: Sendable, CustomStringConvertible {
    /// Its name.
    public var name: String
    /// Whether it needs a persistent backend (it is a pass otherwise).
    public var needsPersistence: Bool
    let body: @Sendable (WorkQueueBackend, Findings) throws -> Void

    public var description: String { name }

    /// Runs the check against `backend`; the contract violations it saw
    /// (empty when it passed).
    public func run(_ backend: WorkQueueBackend) throws -> [String] {
      if needsPersistence && !backend.persistent { return [] }
      let findings = Findings(backend: backend.name, check: name)
      try body(backend, findings)
      return findings.list
    }
  }

  /// Every check.
  public static let checks: [Check] = [
    Check(name: "idempotent enqueue", needsPersistence: false, body: idempotentEnqueue),
    Check(name: "claim order and fields", needsPersistence: false, body: claimOrder),
    Check(name: "atomic claim under contention", needsPersistence: false, body: contention),
    Check(name: "fenced writes after a stale reclaim", needsPersistence: false, body: staleReclaim),
    Check(name: "fenced writes after cancel", needsPersistence: false, body: cancel),
    Check(name: "result stored with done", needsPersistence: false, body: resultWithDone),
    Check(name: "release and requeue", needsPersistence: false, body: releaseAndRequeue),
    Check(name: "resume after reopen", needsPersistence: true, body: resume),
    Check(name: "skewed-clock worker", needsPersistence: false, body: skewedClock),
    Check(name: "skewed-clock worker process", needsPersistence: true, body: skewedProcess),
  ]

  /// Seconds a lease lives without a heartbeat in the staleness checks.
  static let lease = 1.2

  static func payload(_ s: String) -> Data { Data(s.utf8) }
}

/// The violations one check saw.
public final class Findings: Sendable {
  private let prefix: String
  private let found = Mutex([String]())

  init(backend: String, check: String) { prefix = "\(backend), \(check): " }

  /// The violations, in the order seen.
  public var list: [String] { found.withLock { $0 } }

  func fail(_ message: String) { found.withLock { $0.append(prefix + message) } }

  func expect(_ condition: @autoclosure () throws -> Bool, _ message: String) rethrows {
    if try !condition() { fail(message) }
  }
}
