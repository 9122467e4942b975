// The running trials of a study as items of a work queue (module WorkQueue):
// a storage keeps a trial's parameters, values and state in its own table,
// and hands the trial's liveness to the queue — the claim under a fenced
// lease, the heartbeat stamped on the storage's clock, the staleness judged
// on the same clock. One implementation for every storage (in memory,
// SQLite, PostgreSQL), so their heartbeats cannot drift apart again.
//
// Queue `study:NAME`, one item per trial number (key: the number). A claim
// enqueues the number (idempotent) and claims that key; a finished trial
// finishes its item; a trial whose worker stopped beating is failed in the
// queue through its current lease (fenced: a trial claimed again meanwhile
// is left alone) and then in the storage; a trial of a dead local worker is
// released (fenced too) and goes back to waiting.

import Foundation
import Synchronization
import WorkQueue

/// The leases of a study's running trials on a work queue.
public final class TrialLeases: Sendable {
  /// The queue.
  public let queue: any WorkQueue
  /// The leases this process holds, by queue and key.
  private let held = Mutex([String: WorkLease]())

  /// Leases on `queue`.
  public init(queue: any WorkQueue) { self.queue = queue }

  /// The queue name of study `study`.
  public static func queueName(_ study: String) -> String { "study:\(study)" }

  private func id(_ study: String, _ number: Int) -> String {
    "\(Self.queueName(study))\u{1}\(number)"
  }

  private func wrap<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as WorkQueueError {
      throw TuningError.storage(error.description)
    }
  }

  /// Takes the lease of trial `number` for `owner`; `false` when another
  /// worker holds it.
  public func start(study: String, number: Int, owner: String) throws -> Bool {
    try wrap {
      let name = Self.queueName(study)
      try queue.enqueue([NewWorkItem(key: String(number), payload: Data(), owner: owner)], in: name)
      guard
        let (_, lease) = try queue.claim(
          key: String(number), in: name, worker: owner, staleAfter: .greatestFiniteMagnitude)
      else { return false }
      held.withLock { $0[id(study, number)] = lease }
      return true
    }
  }

  /// Refreshes the heartbeat of `owner`'s trial `number`, on the storage's
  /// clock; `false` when this process holds no current lease of `owner` on
  /// it.
  @discardableResult
  public func beat(study: String, number: Int, owner: String) throws -> Bool {
    guard let lease = held.withLock({ $0[id(study, number)] }), lease.worker == owner else {
      return false
    }
    return try wrap { try queue.heartbeat(lease) }
  }

  /// After a save of `trial`: ends its lease when it has finished.
  public func saved(study: String, trial: FrozenTrial) throws {
    if trial.state.isFinished { try end(study: study, number: trial.number, state: trial.state) }
  }

  /// Ends the lease of trial `number` with the trial's final state.
  public func end(study: String, number: Int, state: TrialState) throws {
    guard let lease = held.withLock({ $0.removeValue(forKey: id(study, number)) }) else { return }
    _ = try wrap {
      switch state {
      case .complete, .pruned: try queue.finish(lease, result: Data(state.rawValue.utf8))
      case .failed: try queue.fail(lease, error: "failed")
      case .running, .waiting: try queue.release(lease)
      }
    }
  }

  /// Whether the queue knows trial `number` (a trial written before the
  /// queue has no item).
  public func isKnown(study: String, number: Int) throws -> Bool {
    try wrap { try queue.item(key: String(number), in: Self.queueName(study)) != nil }
  }

  /// The storage's clock.
  public func now() throws -> Date { try wrap { try queue.now() } }

  /// Fails in the queue the running trials whose heartbeat is more than
  /// `timeout` seconds old on the storage's clock; returns their numbers
  /// (each reported to one caller only: the fail is fenced).
  public func failStale(study: String, timeout: Double, reason: String) throws -> [Int] {
    try wrap {
      let name = Self.queueName(study)
      let now = try queue.now()
      var failed: [Int] = []
      for item in try queue.items(in: name, state: .running) {
        guard let beat = item.heartbeat, now.timeIntervalSince(beat) > timeout,
          let worker = item.worker, let number = Int(item.key)
        else { continue }
        let lease = item.lease(for: worker)
        if try queue.fail(lease, error: reason) { failed.append(number) }
      }
      return failed
    }
  }

  /// Releases the running trials whose worker `isAlive` says is gone;
  /// returns their numbers.
  public func releaseAbandoned(study: String, isAlive: (String) -> Bool) throws -> [Int] {
    try wrap {
      let name = Self.queueName(study)
      var released: [Int] = []
      for item in try queue.items(in: name, state: .running) {
        guard let worker = item.worker, !isAlive(worker), let number = Int(item.key) else {
          continue
        }
        let lease = item.lease(for: worker)
        if try queue.release(lease) { released.append(number) }
      }
      return released
    }
  }
}
