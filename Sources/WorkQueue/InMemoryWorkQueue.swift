import Foundation
import Synchronization

/// A work queue kept in this process, behind one lock: for a study or sweep
/// run by threads of one process, and as the reference the other backends
/// are checked against.
///
/// Its clock is the storage's clock: `Date()` unless a test injects one.
/// Every timestamp it records and every staleness it judges is read from
/// that one clock, never from a caller.
public final class InMemoryWorkQueue: WorkQueue, Sendable {
  /// One queue's items in the order they were added, with an index by key.
  private struct Queue {
    var items: [WorkItem] = []
    var index: [String: Int] = [:]
  }

  private let queues = Mutex([String: Queue]())
  private let clock: @Sendable () -> Date

  /// An empty queue whose clock is `clock` (the system clock by default).
  public init(clock: @escaping @Sendable () -> Date = { Date() }) {
    self.clock = clock
  }

  @discardableResult
  public func enqueue(_ items: [NewWorkItem], in queue: String) throws -> Int {
    let now = clock()
    return queues.withLock { all in
      var q = all[queue, default: Queue()]
      defer { all[queue] = q }
      var added = 0
      for new in items where q.index[new.key] == nil {
        q.index[new.key] = q.items.count
        q.items.append(
          WorkItem(
            queue: queue, key: new.key, payload: new.payload, owner: new.owner, state: .queued,
            attempts: 0, worker: nil, result: nil, error: nil, enqueued: now, heartbeat: nil))
        added += 1
      }
      return added
    }
  }

  public func claim(
    in queue: String, worker: String, staleAfter: Double
  ) throws -> (WorkItem, WorkLease)? {
    let now = clock()
    return queues.withLock { all -> (WorkItem, WorkLease)? in
      guard var q = all[queue] else { return nil }
      defer { all[queue] = q }
      let k =
        q.items.firstIndex { $0.state == .queued }
        ?? q.items.indices.filter { q.items[$0].isStale(at: now, after: staleAfter) }
        .min { (q.items[$0].heartbeat ?? .distantPast) < (q.items[$1].heartbeat ?? .distantPast) }
      guard let k else { return nil }
      return Self.take(&q, at: k, worker: worker, now: now)
    }
  }

  public func claim(
    key: String, in queue: String, worker: String, staleAfter: Double
  ) throws -> (WorkItem, WorkLease)? {
    let now = clock()
    return queues.withLock { all -> (WorkItem, WorkLease)? in
      guard var q = all[queue], let k = q.index[key],
        q.items[k].state == .queued || q.items[k].isStale(at: now, after: staleAfter)
      else { return nil }
      defer { all[queue] = q }
      return Self.take(&q, at: k, worker: worker, now: now)
    }
  }

  /// Hands item `k` of `q` to `worker` under a new lease.
  private static func take(
    _ q: inout Queue, at k: Int, worker: String, now: Date
  ) -> (WorkItem, WorkLease) {
    q.items[k].state = .running
    q.items[k].attempts += 1
    q.items[k].worker = worker
    q.items[k].heartbeat = now
    return (q.items[k], q.items[k].lease(for: worker))
  }

  /// Applies `change` to the lease's item when the lease is current.
  private func fenced(_ lease: WorkLease, _ change: (inout WorkItem, Date) -> Void) -> Bool {
    let now = clock()
    return queues.withLock { all in
      guard let k = all[lease.queue]?.index[lease.key],
        let item = all[lease.queue]?.items[k], item.isHeld(by: lease)
      else { return false }
      change(&all[lease.queue, default: Queue()].items[k], now)
      return true
    }
  }

  public func heartbeat(_ lease: WorkLease) throws -> Bool {
    fenced(lease) { item, now in item.heartbeat = now }
  }

  public func finish(_ lease: WorkLease, result: Data) throws -> Bool {
    fenced(lease) { item, now in
      item.state = .done
      item.result = result
      item.heartbeat = now
    }
  }

  public func fail(_ lease: WorkLease, error: String) throws -> Bool {
    fenced(lease) { item, now in
      item.state = .failed
      item.error = error
      item.heartbeat = now
    }
  }

  public func release(_ lease: WorkLease) throws -> Bool {
    fenced(lease) { item, _ in item.state = .queued }
  }

  public func cancel(key: String, in queue: String, reason: String) throws -> Bool {
    queues.withLock { all in
      guard let k = all[queue]?.index[key], let item = all[queue]?.items[k],
        !item.state.isFinished
      else { return false }
      all[queue, default: Queue()].items[k].state = .cancelled
      all[queue, default: Queue()].items[k].error = reason
      return true
    }
  }

  public func requeue(key: String, in queue: String) throws -> Bool {
    queues.withLock { all in
      guard let k = all[queue]?.index[key], let item = all[queue]?.items[k],
        item.state == .failed || item.state == .cancelled
      else { return false }
      all[queue, default: Queue()].items[k].state = .queued
      all[queue, default: Queue()].items[k].error = nil
      return true
    }
  }

  @discardableResult
  public func removeAll(in queue: String) throws -> Int {
    queues.withLock { all in all.removeValue(forKey: queue)?.items.count ?? 0 }
  }

  public func item(key: String, in queue: String) throws -> WorkItem? {
    queues.withLock { all in all[queue]?.index[key].flatMap { all[queue]?.items[$0] } }
  }

  public func items(in queue: String) throws -> [WorkItem] {
    queues.withLock { all in all[queue]?.items ?? [] }
  }

  public func items(in queue: String, state: WorkState) throws -> [WorkItem] {
    queues.withLock { all in all[queue]?.items.filter { $0.state == state } ?? [] }
  }

  public func now() throws -> Date { clock() }
}

extension WorkItem {
  /// Whether `lease` is the item's current lease: it runs under that
  /// generation for that worker.
  func isHeld(by lease: WorkLease) -> Bool {
    state == .running && attempts == lease.generation && worker == lease.worker
  }

  /// Whether it runs under a lease whose last heartbeat is more than
  /// `seconds` old at `now` (both on the storage's clock).
  func isStale(at now: Date, after seconds: Double) -> Bool {
    guard state == .running, let beat = heartbeat else { return false }
    return now.timeIntervalSince(beat) > seconds
  }
}
