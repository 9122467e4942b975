// A sweep's cells as the items of a work queue (module WorkQueue): a sweep
// is a grid study over cells, and its workers — threads, processes, or
// machines sharing a PostgreSQL database — claim the next free cell under
// a fenced lease, heartbeat it on the storage's clock, and store its result
// through the lease. Nothing here claims, ages or fences on its own.
//
// Where results live:
// - with a log (the JSON-lines `cells.jsonl` of a local sweep), a finished
//   cell is appended to the log under its lock while the lease is still
//   current, then finished in the queue with the same record; the log is
//   what `finished()` reads. A claim of a cell the log already holds (its
//   worker died between the two writes, or the log predates the queue)
//   finishes it from the log without running it.
// - without a log (PostgreSQL), the result is stored in the queue in the
//   same step that marks the cell done.
//
// A cell whose worker died goes back to the queue when its heartbeat is
// older than `staleAfter` on the storage's clock; and at once when that
// worker ran on this machine and its process is gone (the worker name holds
// host, pid and process start time), so a rerun right after `kill -9`
// does not wait a lease out.

import Foundation
import QUBOModel
import Synchronization
import WorkQueue

/// A sweep's cells on a work queue, claimed by its workers.
public final class CellQueue: Sendable {
  /// The queue the cells are items of.
  public let queue: any WorkQueue
  /// The queue's name for this sweep.
  public let name: String
  /// This worker's name (`host pid start`, see `WorkerIdentity`).
  public let worker: String
  /// Seconds without a heartbeat after which another worker takes a cell.
  public let staleAfter: Double
  /// Where finished cells are written, when not in the queue.
  public let log: JSONLinesCellStore?
  /// The leases this worker holds, beaten by the heartbeat thread; `nil`
  /// once closed.
  private let held = Mutex<Set<WorkLease>?>([])

  /// Cells of sweep queue `name` in `queue`.
  ///
  /// - Parameters:
  ///   - log: where finished cells are appended (`nil`: in the queue).
  ///   - heartbeatInterval: seconds between heartbeats of the cells this
  ///     worker runs (a thread beats while the object lives and is not
  ///     closed); `nil` for no thread (a queue in this process only).
  public init(
    queue: any WorkQueue, name: String, log: JSONLinesCellStore?,
    worker: String = WorkerIdentity.current, staleAfter: Double = 60,
    heartbeatInterval: Double? = 10
  ) {
    self.queue = queue
    self.name = name
    self.log = log
    self.worker = worker
    self.staleAfter = staleAfter
    guard let heartbeatInterval else { return }
    Thread { [weak self] in
      // Held only while beating, so the queue can go away in the sleep.
      while Self.beat(self) { Thread.sleep(forTimeInterval: heartbeatInterval) }
    }.start()
  }

  /// Stops the heartbeat thread (the queue stays usable).
  public func close() { held.withLock { $0 = nil } }

  /// Beats `cells`' leases unless it is gone or closed; whether it was there.
  private static func beat(_ cells: CellQueue?) -> Bool {
    guard let cells, let leases = cells.held.withLock({ $0 }) else { return false }
    for lease in leases { _ = try? cells.queue.heartbeat(lease) }
    return true
  }

  private func wrap<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as WorkQueueError {
      throw CellStoreError(error.description)
    }
  }

  /// Puts the plan's cells on the queue (each once, in plan order), sends
  /// failed or cancelled ones among them back to the queue, and cancels
  /// queued cells of an older spec that the plan no longer has. Every
  /// worker of a sweep calls it; it is idempotent.
  public func submit(_ cells: [SweepCell]) throws {
    try submit(cells.map { NewWorkItem(key: $0.key, payload: Data($0.identity.utf8)) })
  }

  /// `submit` for cells given as queue items (key, and the cell's identity
  /// as payload).
  public func submit(_ items: [NewWorkItem]) throws {
    try wrap {
      try queue.enqueue(items, in: name)
      let keys = Set(items.map(\.key))
      for item in try queue.items(in: name) {
        switch item.state {
        case .failed, .cancelled:
          if keys.contains(item.key) { _ = try queue.requeue(key: item.key, in: name) }
        case .queued:
          if !keys.contains(item.key) {
            _ = try queue.cancel(key: item.key, in: name, reason: "not in the current spec")
          }
        case .running, .done:
          break
        }
      }
    }
  }

  /// Claims the next cell to run: its key and lease; `nil` when no cell is
  /// free (all done, or the rest held by live workers). Cells the log
  /// already holds are finished from it on the way.
  public func claim() throws -> (key: String, lease: WorkLease)? {
    try wrap {
      var releasedDead = false
      while true {
        guard let (item, lease) = try queue.claim(in: name, worker: worker, staleAfter: staleAfter)
        else {
          // Before waiting a lease out, free the cells of dead local workers.
          guard !releasedDead, try releaseDeadWorkers() > 0 else { return nil }
          releasedDead = true
          continue
        }
        if let log, let stored = try log.finished().first(where: { $0.key == item.key }) {
          _ = try queue.finish(lease, result: Data(stored.json.serialized().utf8))
          continue
        }
        _ = held.withLock { $0?.insert(lease) }
        return (item.key, lease)
      }
    }
  }

  /// Stores `result` through `lease`: in the log and the queue, or in the
  /// queue alone. `false` (nothing stored) when the lease is no longer
  /// current: another worker took the cell over, or it was cancelled.
  @discardableResult
  public func record(_ result: CellResult, under lease: WorkLease) throws -> Bool {
    defer { held.withLock { _ = $0?.remove(lease) } }
    let bytes = Data(result.json.serialized().utf8)
    return try wrap {
      guard let log else { return try queue.finish(lease, result: bytes) }
      return try log.record(result, if: { try self.queue.heartbeat(lease) }) {
        _ = try self.queue.finish(lease, result: bytes)
      }
    }
  }

  /// Marks the lease's cell failed with `error` (a rerun tries it again).
  public func fail(_ lease: WorkLease, error: String) throws {
    defer { held.withLock { _ = $0?.remove(lease) } }
    _ = try wrap { try queue.fail(lease, error: error) }
  }

  /// The finished cells, each key once.
  public func finished() throws -> [CellResult] {
    if let log { return try log.finished() }
    return try wrap {
      try queue.items(in: name, state: .done).map { item in
        guard let bytes = item.result else {
          throw CellStoreError("a finished cell without its result in \(name): \(item.key)")
        }
        return try CellResult(json: try JSONValue(parsing: String(decoding: bytes, as: UTF8.self)))
      }
    }
  }

  /// How many of `keys` are not finished.
  public func unfinished(among keys: Set<String>) throws -> Int {
    let done = Set(try finished().map(\.key))
    return keys.subtracting(done).count
  }

  /// Sends back to the queue the running cells of workers of this machine
  /// whose process is gone; returns how many.
  @discardableResult
  public func releaseDeadWorkers() throws -> Int {
    try wrap {
      var n = 0
      for item in try queue.items(in: name, state: .running) {
        guard let owner = item.worker, WorkerIdentity.isGone(owner) else { continue }
        let lease = item.lease(for: owner)
        if try queue.release(lease) { n += 1 }
      }
      return n
    }
  }

  /// Removes every cell of the sweep (`anneal sweep --fresh`); the log is
  /// the caller's to remove.
  public func removeAll() throws {
    _ = try wrap { try queue.removeAll(in: name) }
  }
}
