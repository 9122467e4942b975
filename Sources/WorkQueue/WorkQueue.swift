// One work queue for everything that hands work to workers on many processes
// or machines: the cells of a sweep, the trials of a study, the jobs of
// `anneal serve`.
//
// Implementation goals, in order of priority:
// 1. Nothing runs twice and nothing is lost. A claim hands an item to one
//    worker under a lease; every write of that worker is fenced by the
//    lease's generation, so a worker that lost its item (stale heartbeat,
//    cancellation) cannot overwrite the result of the worker that took over.
//    A result is stored before the item reads as done.
// 2. One clock. Heartbeats and staleness are measured on the storage's own
//    clock (the database server's, or this process's for the in-memory
//    queue), never on the worker's, so skew between machines cannot hand a
//    live item to a second worker.
// 3. The same contract in every backend (in memory, SQLite, PostgreSQL),
//    checked by one conformance suite.

import Foundation

/// Where an item of a work queue stands.
public enum WorkState: String, Sendable, Hashable, Codable, CaseIterable {
  /// Waiting for a worker.
  case queued
  /// Claimed by a worker whose lease is live.
  case running
  /// Finished; its result is stored.
  case done
  /// Finished with an error.
  case failed
  /// Cancelled before it finished.
  case cancelled

  /// Whether the item will not change any more.
  public var isFinished: Bool { self == .done || self == .failed || self == .cancelled }
}

/// An item to add to a queue.
public struct NewWorkItem: Sendable, Hashable {
  /// The item's key, unique within its queue (a cell key, a trial number, a
  /// job id).
  public var key: String
  /// What the worker needs to run it (opaque to the queue).
  public var payload: Data
  /// Who submitted it (an account, a study); `nil` when nobody in particular.
  public var owner: String?

  /// An item with `key`, `payload` and `owner`.
  public init(key: String, payload: Data, owner: String? = nil) {
    self.key = key
    self.payload = payload
    self.owner = owner
  }
}

/// An item of a work queue as the storage holds it.
public struct WorkItem: Sendable, Hashable {
  /// The queue it belongs to.
  public var queue: String
  /// Its key, unique within the queue.
  public var key: String
  /// What the worker needs to run it.
  public var payload: Data
  /// Who submitted it.
  public var owner: String?
  /// Where it stands.
  public var state: WorkState
  /// How many times it has been claimed (the generation of its last lease).
  public var attempts: Int
  /// The worker that holds (or last held) it.
  public var worker: String?
  /// The result the worker stored (when done).
  public var result: Data?
  /// Why it failed or was cancelled.
  public var error: String?
  /// When it was added, on the storage's clock.
  public var enqueued: Date
  /// Its last heartbeat (or claim), on the storage's clock.
  public var heartbeat: Date?

  /// An item with every field given.
  public init(
    queue: String, key: String, payload: Data, owner: String?, state: WorkState,
    attempts: Int, worker: String?, result: Data?, error: String?, enqueued: Date,
    heartbeat: Date?
  ) {
    self.queue = queue
    self.key = key
    self.payload = payload
    self.owner = owner
    self.state = state
    self.attempts = attempts
    self.worker = worker
    self.result = result
    self.error = error
    self.enqueued = enqueued
    self.heartbeat = heartbeat
  }
}

/// A worker's hold on one claimed item. Every write through a lease succeeds
/// only while the item is still running under this lease's generation.
public struct WorkLease: Sendable, Hashable {
  /// The queue of the item.
  public var queue: String
  /// The item's key.
  public var key: String
  /// The worker that holds it.
  public var worker: String
  /// The claim's generation (the item's `attempts` when claimed).
  public var generation: Int

  /// A lease on `key` in `queue` for `worker` at `generation`.
  public init(queue: String, key: String, worker: String, generation: Int) {
    self.queue = queue
    self.key = key
    self.worker = worker
    self.generation = generation
  }
}

/// A failure of a work queue's storage.
public struct WorkQueueError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public var description: String
  /// An error that says `description`.
  public init(_ description: String) { self.description = description }
}

/// A work queue: claim, heartbeat, finish, fail, resume — in memory, SQLite
/// or PostgreSQL, with one contract.
///
/// The contract (checked by the conformance suite for every backend):
/// - `enqueue` is idempotent on keys: an existing key keeps its state.
/// - `claim` is atomic: two workers never hold the same item. It takes the
///   oldest queued item, or a running item whose last heartbeat is more than
///   `staleAfter` seconds old on the storage's clock (the old lease then
///   stops working).
/// - `heartbeat`, `finish`, `fail` and `release` through a lease that is no
///   longer current change nothing and return `false`.
/// - A result is stored in the same atomic step that marks the item done.
public protocol WorkQueue: Sendable {
  /// Adds `items` to `queue`; keys already present are left as they are.
  /// Returns how many were added.
  @discardableResult
  func enqueue(_ items: [NewWorkItem], in queue: String) throws -> Int

  /// Claims an item of `queue` for `worker`: the oldest queued one, else a
  /// running one whose heartbeat is more than `staleAfter` seconds old on
  /// the storage's clock; `nil` when there is none.
  func claim(in queue: String, worker: String, staleAfter: Double) throws -> (WorkItem, WorkLease)?

  /// Claims the item `key` of `queue` for `worker` when it is queued, or
  /// running with a heartbeat more than `staleAfter` seconds old on the
  /// storage's clock; `nil` otherwise (for a worker that must run one
  /// particular item, such as the trial number it was given).
  func claim(
    key: String, in queue: String, worker: String, staleAfter: Double
  ) throws -> (WorkItem, WorkLease)?

  /// Records that the lease's worker is still running its item. `false` when
  /// the lease is no longer current (the worker should stop).
  func heartbeat(_ lease: WorkLease) throws -> Bool

  /// Stores `result` and marks the item done, atomically. `false` (and
  /// nothing stored) when the lease is no longer current.
  func finish(_ lease: WorkLease, result: Data) throws -> Bool

  /// Marks the item failed with `error`. `false` when the lease is no
  /// longer current.
  func fail(_ lease: WorkLease, error: String) throws -> Bool

  /// Puts the item back to queued (a worker shutting down gracefully).
  /// `false` when the lease is no longer current.
  func release(_ lease: WorkLease) throws -> Bool

  /// Cancels the item unless it has finished; `false` when there is no such
  /// item or it had finished. A running item's lease stops working.
  func cancel(key: String, in queue: String, reason: String) throws -> Bool

  /// Puts a failed or cancelled item back to queued, to run again (its
  /// attempts count on). `false` when there is no such item or it is
  /// queued, running or done. (A running item of a worker known to be gone
  /// goes back through `release` with its current lease, which is fenced.)
  func requeue(key: String, in queue: String) throws -> Bool

  /// Removes every item of `queue` (a sweep started over); returns how
  /// many. Leases on them stop working.
  @discardableResult
  func removeAll(in queue: String) throws -> Int

  /// The item with `key` in `queue`, if any.
  func item(key: String, in queue: String) throws -> WorkItem?

  /// Every item of `queue`, oldest first.
  func items(in queue: String) throws -> [WorkItem]

  /// The items of `queue` in `state`, oldest first (running ones, to find
  /// the stale among them, without reading a long history of finished ones).
  func items(in queue: String, state: WorkState) throws -> [WorkItem]

  /// The storage's clock.
  func now() throws -> Date
}

extension WorkItem {
  /// The lease under which `worker` holds this item at its current
  /// generation (what a claim hands out, and what a sweeper uses to release
  /// or fail the item of a dead worker).
  public func lease(for worker: String) -> WorkLease {
    WorkLease(queue: queue, key: key, worker: worker, generation: attempts)
  }
}
