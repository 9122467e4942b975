import Foundation
import GRDB

// Implementation goals, in order of priority:
// 1. Atomic across processes: a claim is one UPDATE … RETURNING inside a
//    `BEGIN IMMEDIATE` transaction, so the write lock is taken before the
//    item is chosen and two processes never choose the same item.
// 2. One clock: every timestamp is SQLite's `julianday('now')`, evaluated
//    inside the statement that stores or compares it (SQLite holds 'now'
//    constant for one statement), never a `Date()` passed in by the caller.
//    On one machine that is the machine's clock, the same for every process
//    that opens the file (SQLite files are not shared across machines).
// 3. Fenced writes: every write through a lease matches the row's state,
//    generation (`attempts`) and worker in its WHERE clause.

/// A work queue in an SQLite file (through GRDB, in WAL mode), shared by the
/// processes of one machine; a queue reopened after a crash resumes where
/// it stopped.
///
///     work_items(id INTEGER PRIMARY KEY, queue, key, payload, owner, state,
///                attempts, worker, result, error, enqueued, heartbeat,
///                UNIQUE (queue, key))
///
/// Times are seconds since 1970 on SQLite's clock. `PRAGMA synchronous =
/// NORMAL`: every commit survives a killed process; a power cut may lose the
/// last few.
public final class SQLiteWorkQueue: WorkQueue, Sendable {
  private let pool: DatabasePool
  private let path: String
  /// SQLite's clock in seconds since 1970 (plus the configured offset).
  private let nowSQL: String

  /// Opens (or creates) the queue database at `path`.
  ///
  /// - Parameters:
  ///   - busyTimeout: how long a writer waits for another's lock.
  ///   - clockOffset: seconds added to SQLite's clock, for tests that put
  ///     the storage's clock hours away from the caller's; 0 otherwise.
  public init(path: String, busyTimeout: TimeInterval = 60, clockOffset: Double = 0) throws {
    guard clockOffset.isFinite else {
      throw WorkQueueError("\(path): the clock offset must be finite (got \(clockOffset))")
    }
    self.path = path
    nowSQL = "((julianday('now') - 2440587.5) * 86400.0 + \(clockOffset))"
    var config = Configuration()
    config.busyMode = .timeout(busyTimeout)
    config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
    // Several processes may open a new file at once: switching it to WAL
    // takes a lock that SQLite's busy handler does not wait for, so a busy
    // open is retried (randomised pauses of 5–50 ms) until the timeout.
    let deadline = Date().addingTimeInterval(busyTimeout)
    while true {
      do {
        pool = try Self.openPool(path: path, config: config)
        return
      } catch let e as DatabaseError
        where (e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED)
        && Date() < deadline
      {
        Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.05))
      } catch {
        throw WorkQueueError("\(path): \(error)")
      }
    }
  }

  private static func openPool(path: String, config: Configuration) throws -> DatabasePool {
    let pool = try DatabasePool(path: path, configuration: config)
    try pool.writeWithoutTransaction { db in
      try db.inTransaction(.immediate) {
        try db.execute(
          sql: """
            CREATE TABLE IF NOT EXISTS work_items (
              id INTEGER PRIMARY KEY, queue TEXT NOT NULL, key TEXT NOT NULL,
              payload BLOB NOT NULL, owner TEXT, state TEXT NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0, worker TEXT, result BLOB, error TEXT,
              enqueued REAL NOT NULL, heartbeat REAL, UNIQUE (queue, key));
            CREATE INDEX IF NOT EXISTS work_items_by_state ON work_items (queue, state, id);
            """)
        return .commit
      }
    }
    return pool
  }

  /// Runs `body` in one `BEGIN IMMEDIATE` transaction.
  private func write<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.writeWithoutTransaction { db in
        var out: T?
        try db.inTransaction(.immediate) {
          out = try body(db)
          return .commit
        }
        guard let out else { throw WorkQueueError("transaction returned nothing") }
        return out
      }
    } catch let e as WorkQueueError {
      throw WorkQueueError("\(path): \(e.description)")
    } catch {
      throw WorkQueueError("\(path): \(error)")
    }
  }

  private func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.read(body)
    } catch {
      throw WorkQueueError("\(path): \(error)")
    }
  }

  private static let columns =
    "queue, key, payload, owner, state, attempts, worker, result, error, enqueued, heartbeat"

  @discardableResult
  public func enqueue(_ items: [NewWorkItem], in queue: String) throws -> Int {
    try write { db in
      var added = 0
      for new in items {
        try db.execute(
          sql: """
            INSERT INTO work_items (queue, key, payload, owner, state, enqueued)
            VALUES (?, ?, ?, ?, 'queued', \(nowSQL)) ON CONFLICT (queue, key) DO NOTHING
            """,
          arguments: [queue, new.key, new.payload, new.owner])
        added += db.changesCount
      }
      return added
    }
  }

  public func claim(
    in queue: String, worker: String, staleAfter: Double
  ) throws -> (WorkItem, WorkLease)? {
    try write { db -> (WorkItem, WorkLease)? in
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            UPDATE work_items
            SET state = 'running', attempts = attempts + 1, worker = ?, heartbeat = \(nowSQL)
            WHERE id = (
              SELECT id FROM work_items
              WHERE queue = ? AND (state = 'queued'
                OR (state = 'running' AND heartbeat < \(nowSQL) - ?))
              ORDER BY state = 'running', CASE state WHEN 'queued' THEN id ELSE heartbeat END
              LIMIT 1)
            RETURNING \(Self.columns)
            """,
          arguments: [worker, queue, staleAfter])
      else { return nil }
      let item = try Self.item(row)
      return (
        item,
        item.lease(for: worker)
      )
    }
  }

  public func claim(
    key: String, in queue: String, worker: String, staleAfter: Double
  ) throws -> (WorkItem, WorkLease)? {
    try write { db -> (WorkItem, WorkLease)? in
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            UPDATE work_items
            SET state = 'running', attempts = attempts + 1, worker = ?, heartbeat = \(nowSQL)
            WHERE queue = ? AND key = ? AND (state = 'queued'
              OR (state = 'running' AND heartbeat < \(nowSQL) - ?))
            RETURNING \(Self.columns)
            """,
          arguments: [worker, queue, key, staleAfter])
      else { return nil }
      let item = try Self.item(row)
      return (
        item,
        item.lease(for: worker)
      )
    }
  }

  /// Runs `assignments` on the lease's row when the lease is current.
  private func fenced(
    _ lease: WorkLease, set assignments: String, _ arguments: StatementArguments = []
  ) throws -> Bool {
    try write { db in
      try db.execute(
        sql: """
          UPDATE work_items SET \(assignments)
          WHERE queue = ? AND key = ? AND state = 'running' AND attempts = ? AND worker = ?
          """,
        arguments: arguments + [lease.queue, lease.key, lease.generation, lease.worker])
      return db.changesCount == 1
    }
  }

  public func heartbeat(_ lease: WorkLease) throws -> Bool {
    try fenced(lease, set: "heartbeat = \(nowSQL)")
  }

  public func finish(_ lease: WorkLease, result: Data) throws -> Bool {
    try fenced(lease, set: "state = 'done', result = ?, heartbeat = \(nowSQL)", [result])
  }

  public func fail(_ lease: WorkLease, error: String) throws -> Bool {
    try fenced(lease, set: "state = 'failed', error = ?, heartbeat = \(nowSQL)", [error])
  }

  public func release(_ lease: WorkLease) throws -> Bool {
    try fenced(lease, set: "state = 'queued'")
  }

  public func cancel(key: String, in queue: String, reason: String) throws -> Bool {
    try write { db in
      try db.execute(
        sql: """
          UPDATE work_items SET state = 'cancelled', error = ?
          WHERE queue = ? AND key = ? AND state IN ('queued', 'running')
          """,
        arguments: [reason, queue, key])
      return db.changesCount == 1
    }
  }

  public func requeue(key: String, in queue: String) throws -> Bool {
    try write { db in
      try db.execute(
        sql: """
          UPDATE work_items SET state = 'queued', error = NULL
          WHERE queue = ? AND key = ? AND state IN ('failed', 'cancelled')
          """,
        arguments: [queue, key])
      return db.changesCount == 1
    }
  }

  @discardableResult
  public func removeAll(in queue: String) throws -> Int {
    try write { db in
      try db.execute(sql: "DELETE FROM work_items WHERE queue = ?", arguments: [queue])
      return db.changesCount
    }
  }

  public func item(key: String, in queue: String) throws -> WorkItem? {
    try read { db in
      try Row.fetchOne(
        db, sql: "SELECT \(Self.columns) FROM work_items WHERE queue = ? AND key = ?",
        arguments: [queue, key]
      ).map(Self.item)
    }
  }

  public func items(in queue: String) throws -> [WorkItem] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT \(Self.columns) FROM work_items WHERE queue = ? ORDER BY id",
        arguments: [queue]
      ).map(Self.item)
    }
  }

  public func items(in queue: String, state: WorkState) throws -> [WorkItem] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: "SELECT \(Self.columns) FROM work_items WHERE queue = ? AND state = ? ORDER BY id",
        arguments: [queue, state.rawValue]
      ).map(Self.item)
    }
  }

  public func now() throws -> Date {
    try read { db in
      guard let seconds = try Double.fetchOne(db, sql: "SELECT \(nowSQL)") else {
        throw WorkQueueError("SQLite returned no time")
      }
      return Date(timeIntervalSince1970: seconds)
    }
  }

  private static func item(_ row: Row) throws -> WorkItem {
    let state: String = row["state"]
    guard let s = WorkState(rawValue: state) else {
      throw WorkQueueError("unknown work item state '\(state)'")
    }
    let enqueued: Double = row["enqueued"]
    let heartbeat: Double? = row["heartbeat"]
    return WorkItem(
      queue: row["queue"], key: row["key"], payload: row["payload"], owner: row["owner"],
      state: s, attempts: row["attempts"], worker: row["worker"], result: row["result"],
      error: row["error"], enqueued: Date(timeIntervalSince1970: enqueued),
      heartbeat: heartbeat.map { Date(timeIntervalSince1970: $0) })
  }
}
