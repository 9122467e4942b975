import Foundation
import PostgresSupport
import Synchronization
import WorkQueue

// Implementation goals, in order of priority:
// 1. Atomic across machines: a claim is one UPDATE whose row is chosen by a
//    subquery `FOR UPDATE SKIP LOCKED`, so concurrent claimers each lock a
//    different row and none waits on another's.
// 2. One clock: every timestamp is the server's `clock_timestamp()`,
//    evaluated in the statement that stores or compares it, never a time
//    sent by a worker, so workers whose clocks disagree never hand a live
//    item to one another.
// 3. Fenced writes: every write through a lease matches the row's state,
//    generation (`attempts`) and worker in its WHERE clause.
// 4. Survives the server restarting: every call retries with backoff when
//    the connection drops or a transaction hits a serialization failure.

/// A work queue in a PostgreSQL database, for workers on many machines
/// (`postgresql://user@host:port/db`).
///
///     work_items(id bigserial, queue, key, payload bytea, owner, state,
///                attempts, worker, result bytea, error, enqueued, heartbeat,
///                UNIQUE (queue, key))
///
/// Times are seconds since 1970 on the server's clock. The table lives
/// beside the study and sweep tables under `AnnealSchema`'s version row.
public final class PostgresWorkQueue: WorkQueue, Sendable {
  /// The connection: touched only while `lock` is held.
  nonisolated(unsafe) private let connection: PostgresConnection
  /// Makes callers of the connection take turns.
  private let lock = Mutex(())
  /// The server's clock in seconds since 1970 (plus the offset), as SQL.
  private let nowSQL: String

  /// Connects to `url` and creates or checks the schema.
  ///
  /// - Parameter clockOffset: seconds added to the server's clock, for
  ///   tests that put the storage's clock hours away from the caller's; 0
  ///   otherwise.
  public init(url: PostgresURL, clockOffset: Double = 0) throws {
    guard clockOffset.isFinite else {
      throw WorkQueueError("\(url): the clock offset must be finite (got \(clockOffset))")
    }
    nowSQL = "(extract(epoch FROM clock_timestamp())::double precision + \(clockOffset))"
    do {
      let db = try PostgresConnection(url)
      try db.retrying { try Self.prepareSchema(db) }
      connection = db
    } catch let error as PostgresError {
      throw WorkQueueError(error.description)
    }
  }

  /// Opens the queue a `postgresql://` (or `postgres://`) URL names; `nil`
  /// for other URLs.
  public static func open(url: String) throws -> PostgresWorkQueue? {
    guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else { return nil }
    do {
      return try PostgresWorkQueue(url: try PostgresURL(url))
    } catch let error as PostgresError {
      throw WorkQueueError(error.description)
    }
  }

  /// Creates the work-queue table (idempotent) under the schema lock.
  public static func prepareSchema(_ db: PostgresConnection) throws {
    try AnnealSchema.prepare(db) { try createTable(db) }
  }

  /// The work-queue table's statements, for a storage that prepares the
  /// schema with tables of its own.
  public static func createTable(_ db: PostgresConnection) throws {
    try db.execute(
      """
      CREATE TABLE IF NOT EXISTS work_items (
        id bigserial PRIMARY KEY, queue text NOT NULL, key text NOT NULL,
        payload bytea NOT NULL, owner text, state text NOT NULL,
        attempts integer NOT NULL DEFAULT 0, worker text, result bytea, error text,
        enqueued double precision NOT NULL, heartbeat double precision,
        UNIQUE (queue, key))
      """)
    try db.execute(
      "CREATE INDEX IF NOT EXISTS work_items_by_state ON work_items (queue, state, id)")
  }

  /// Runs `body` in a transaction, one caller at a time, retrying on a
  /// dropped connection or a serialization failure.
  private func run<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
    try lock.withLock { _ throws -> T in
      let db = connection
      do {
        return try db.retrying { try db.transaction { try body(db) } }
      } catch let error as PostgresError {
        throw WorkQueueError(error.description)
      }
    }
  }

  private static let columns = """
    queue, key, encode(payload, 'base64'), owner, state, attempts, worker,
    encode(result, 'base64'), error, enqueued, heartbeat
    """

  @discardableResult
  public func enqueue(_ items: [NewWorkItem], in queue: String) throws -> Int {
    guard !items.isEmpty else { return 0 }
    let keys = PostgresArray.text(items.map(\.key))
    let payloads = PostgresArray.text(items.map { $0.payload.base64EncodedString() })
    let owners = PostgresArray.text(items.map(\.owner))
    return try run { db in
      try db.execute(
        """
        INSERT INTO work_items (queue, key, payload, owner, state, enqueued)
        SELECT $1, t.k, decode(t.p, 'base64'), t.o, 'queued', \(nowSQL)
        FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(k, p, o, i)
        ORDER BY t.i
        ON CONFLICT (queue, key) DO NOTHING
        """, [queue, keys, payloads, owners]
      ).affected
    }
  }

  public func claim(
    in queue: String, worker: String, staleAfter: Double
  ) throws -> (WorkItem, WorkLease)? {
    try run { db -> (WorkItem, WorkLease)? in
      let rows = try db.execute(
        """
        UPDATE work_items
        SET state = 'running', attempts = attempts + 1, worker = $2, heartbeat = \(nowSQL)
        WHERE id = (
          SELECT id FROM work_items
          WHERE queue = $1 AND (state = 'queued'
            OR (state = 'running' AND heartbeat < \(nowSQL) - $3::double precision))
          ORDER BY state = 'running',
            CASE state WHEN 'queued' THEN id::double precision ELSE heartbeat END
          LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING \(Self.columns)
        """, [queue, worker, "\(staleAfter)"]
      ).rows
      guard let row = rows.first else { return nil }
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
    try run { db -> (WorkItem, WorkLease)? in
      let rows = try db.execute(
        """
        UPDATE work_items
        SET state = 'running', attempts = attempts + 1, worker = $3, heartbeat = \(nowSQL)
        WHERE queue = $1 AND key = $2 AND (state = 'queued'
          OR (state = 'running' AND heartbeat < \(nowSQL) - $4::double precision))
        RETURNING \(Self.columns)
        """, [queue, key, worker, "\(staleAfter)"]
      ).rows
      guard let row = rows.first else { return nil }
      let item = try Self.item(row)
      return (
        item,
        item.lease(for: worker)
      )
    }
  }

  /// Runs `assignments` (parameters from `$5`) on the lease's row when the
  /// lease is current.
  private func fenced(
    _ lease: WorkLease, set assignments: String, _ parameters: [String?] = []
  ) throws -> Bool {
    try run { db in
      try db.execute(
        """
        UPDATE work_items SET \(assignments)
        WHERE queue = $1 AND key = $2 AND state = 'running' AND attempts = $3::integer
          AND worker = $4
        """, [lease.queue, lease.key, String(lease.generation), lease.worker] + parameters
      ).affected == 1
    }
  }

  public func heartbeat(_ lease: WorkLease) throws -> Bool {
    try fenced(lease, set: "heartbeat = \(nowSQL)")
  }

  public func finish(_ lease: WorkLease, result: Data) throws -> Bool {
    try fenced(
      lease, set: "state = 'done', result = decode($5, 'base64'), heartbeat = \(nowSQL)",
      [result.base64EncodedString()])
  }

  public func fail(_ lease: WorkLease, error: String) throws -> Bool {
    try fenced(lease, set: "state = 'failed', error = $5, heartbeat = \(nowSQL)", [error])
  }

  public func release(_ lease: WorkLease) throws -> Bool {
    try fenced(lease, set: "state = 'queued'")
  }

  public func cancel(key: String, in queue: String, reason: String) throws -> Bool {
    try run { db in
      try db.execute(
        """
        UPDATE work_items SET state = 'cancelled', error = $3
        WHERE queue = $1 AND key = $2 AND state IN ('queued', 'running')
        """, [queue, key, reason]
      ).affected == 1
    }
  }

  public func requeue(key: String, in queue: String) throws -> Bool {
    try run { db in
      try db.execute(
        """
        UPDATE work_items SET state = 'queued', error = NULL
        WHERE queue = $1 AND key = $2 AND state IN ('failed', 'cancelled')
        """, [queue, key]
      ).affected == 1
    }
  }

  @discardableResult
  public func removeAll(in queue: String) throws -> Int {
    try run { db in
      try db.execute("DELETE FROM work_items WHERE queue = $1", [queue]).affected
    }
  }

  public func item(key: String, in queue: String) throws -> WorkItem? {
    let rows = try run { db in
      try db.execute(
        "SELECT \(Self.columns) FROM work_items WHERE queue = $1 AND key = $2", [queue, key]
      ).rows
    }
    return try rows.first.map(Self.item)
  }

  public func items(in queue: String) throws -> [WorkItem] {
    let rows = try run { db in
      try db.execute(
        "SELECT \(Self.columns) FROM work_items WHERE queue = $1 ORDER BY id", [queue]
      ).rows
    }
    return try rows.map(Self.item)
  }

  public func items(in queue: String, state: WorkState) throws -> [WorkItem] {
    let rows = try run { db in
      try db.execute(
        "SELECT \(Self.columns) FROM work_items WHERE queue = $1 AND state = $2 ORDER BY id",
        [queue, state.rawValue]
      ).rows
    }
    return try rows.map(Self.item)
  }

  public func now() throws -> Date {
    let text = try run { db in try db.execute("SELECT \(nowSQL)").rows.first?.first ?? nil }
    guard let text, let seconds = Double(text) else {
      throw WorkQueueError("the server returned no time")
    }
    return Date(timeIntervalSince1970: seconds)
  }

  /// A row of `columns` as an item.
  private static func item(_ row: [String?]) throws -> WorkItem {
    guard row.count == 11, let queue = row[0], let key = row[1], let stateText = row[4],
      let state = WorkState(rawValue: stateText), let attempts = row[5].flatMap({ Int($0) }),
      let enqueued = row[9].flatMap({ Double($0) })
    else { throw WorkQueueError("a malformed work_items row: \(row)") }
    return WorkItem(
      queue: queue, key: key, payload: try bytes(row[2]) ?? Data(), owner: row[3],
      state: state, attempts: attempts, worker: row[6], result: try bytes(row[7]),
      error: row[8], enqueued: Date(timeIntervalSince1970: enqueued),
      heartbeat: row[10].flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0) })
  }

  /// Bytes from `encode(…, 'base64')`, which breaks lines every 76
  /// characters.
  private static func bytes(_ text: String?) throws -> Data? {
    guard let text else { return nil }
    guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
      throw WorkQueueError("malformed base64 from the server")
    }
    return data
  }
}
