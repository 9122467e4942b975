import Foundation
import PostgresSupport
import QUBOModel
import Synchronization
import Sweeps

/// A sweep's cells in a PostgreSQL database, shared by workers on many
/// processes or machines (`postgresql://user@host:port/db`).
///
///     sweep_cells(sweep, key, state, owner, result, heartbeat,
///                 PRIMARY KEY (sweep, key))
///
/// A claim inserts the cell's row as `running` (the primary key makes the
/// insert atomic: of two workers only one inserts a row, the other moves on
/// to the next cell); recording it sets `finished` and the result. A worker
/// refreshes the heartbeat of its running cells every `heartbeatInterval`
/// seconds; a running cell whose heartbeat is older than `staleAfter`
/// belongs to a dead worker and is claimed again. Heartbeats are stamped and
/// aged on the server's clock (`clock_timestamp()`), so workers whose clocks
/// disagree never hand a live cell to one another. The table lives beside the
/// study storage's, under the same schema version row (created on first use
/// under the same advisory lock; a newer schema is refused).
public final class PostgresCellStore: CellClaims, Sendable {
  /// The schema version this binary reads and writes.
  public static let schemaVersion = AnnealSchema.version
  /// The sweep's name: cells of different sweeps never mix.
  public let sweep: String
  /// This worker's name in the `owner` column.
  public let owner: String
  /// Seconds without a heartbeat after which a running cell is claimed again.
  public let staleAfter: Double
  /// The connection: touched only while `beating` is locked, which makes
  /// callers take turns.
  nonisolated(unsafe) private let connection: PostgresConnection
  /// Whether the heartbeat thread should go on; its lock guards `connection`.
  private let beating = Mutex(true)

  /// Connects to `url` and creates or checks the schema; while the store
  /// lives, a thread refreshes the heartbeat of this worker's cells.
  public init(
    url: PostgresURL, sweep: String, owner: String? = nil, heartbeatInterval: Double = 10,
    staleAfter: Double = 60
  ) throws {
    self.sweep = sweep
    self.owner = owner ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString)"
    self.staleAfter = staleAfter
    do {
      let db = try PostgresConnection(url)
      try db.retrying { try Self.prepareSchema(db) }
      connection = db
    } catch let error as PostgresError {
      throw CellStoreError(error.description)
    }
    Thread { [weak self] in
      // The store is held only while beating, so it can go away in the sleep.
      while Self.beat(self) { Thread.sleep(forTimeInterval: heartbeatInterval) }
    }.start()
  }

  /// Stops the heartbeat thread (the store stays usable).
  public func close() { beating.withLock { $0 = false } }

  /// Opens the store a `postgresql://` (or `postgres://`) URL names; `nil`
  /// for other URLs.
  public static func open(url: String, sweep: String) throws -> PostgresCellStore? {
    guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else { return nil }
    do {
      return try PostgresCellStore(url: try PostgresURL(url), sweep: sweep)
    } catch let error as PostgresError {
      throw CellStoreError(error.description)
    }
  }

  static func prepareSchema(_ db: PostgresConnection) throws {
    try AnnealSchema.prepare(db) {
      try db.execute(
        """
        CREATE TABLE IF NOT EXISTS sweep_cells (
          sweep text NOT NULL, key text NOT NULL, state text NOT NULL, owner text,
          result text, heartbeat double precision, PRIMARY KEY (sweep, key))
        """)
    }
  }

  /// Runs `body` in a transaction, one caller at a time, retrying on a
  /// dropped connection or a serialization failure.
  @discardableResult
  private func run<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
    try beating.withLock { _ throws -> T in
      let db = connection
      do {
        return try db.retrying { try db.transaction { try body(db) } }
      } catch let error as PostgresError {
        throw CellStoreError(error.description)
      }
    }
  }

  /// The server's clock in seconds since 1970, as SQL.
  private static let now = "extract(epoch FROM clock_timestamp())"

  /// Beats for `store` unless it is gone or closed; whether it was there.
  private static func beat(_ store: PostgresCellStore?) -> Bool {
    guard let store, store.beating.withLock({ $0 }) else { return false }
    try? store.beat()
    return true
  }

  /// Refreshes the heartbeat of this worker's running cells.
  func beat() throws {
    try run { db in
      try db.execute(
        """
        UPDATE sweep_cells SET heartbeat = \(Self.now)
        WHERE sweep = $1 AND owner = $2 AND state = 'running'
        """, [sweep, owner])
    }
  }

  public func claim(among keys: [String]) throws -> String? {
    guard !keys.isEmpty else { return nil }
    let array = PostgresArray.text(keys)
    return try run { db in
      // A cell nobody has touched: the insert that wins the primary key
      // claims it; a loser's insert does nothing and it tries again.
      while true {
        let inserted = try db.execute(
          """
          INSERT INTO sweep_cells (sweep, key, state, owner, heartbeat)
          SELECT $1, t.k, 'running', $3, \(Self.now)
          FROM unnest($2::text[]) WITH ORDINALITY AS t(k, i)
          WHERE NOT EXISTS (SELECT 1 FROM sweep_cells c WHERE c.sweep = $1 AND c.key = t.k)
          ORDER BY t.i LIMIT 1
          ON CONFLICT (sweep, key) DO NOTHING RETURNING key
          """, [sweep, array, owner])
        if let key = inserted.rows.first?[0] ?? nil { return key }
        let untouched = try db.execute(
          """
          SELECT count(*) FROM unnest($2::text[]) AS t(k)
          WHERE NOT EXISTS (SELECT 1 FROM sweep_cells c WHERE c.sweep = $1 AND c.key = t.k)
          """, [sweep, array])
        if (untouched.rows.first?[0] ?? nil) == "0" { break }
      }
      // Else a running cell of a dead worker (its heartbeat stopped).
      let stale = try db.execute(
        """
        UPDATE sweep_cells SET owner = $3, heartbeat = \(Self.now)
        WHERE sweep = $1 AND key = (
          SELECT key FROM sweep_cells
          WHERE sweep = $1 AND state = 'running'
            AND heartbeat < \(Self.now) - $4::double precision AND key = ANY($2::text[])
          ORDER BY key LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING key
        """,
        [sweep, array, owner, "\(staleAfter)"])
      return stale.rows.first?[0] ?? nil
    }
  }

  public func record(_ result: CellResult) throws {
    try run { db in
      // The first record wins, as in the JSON-lines store.
      try db.execute(
        """
        INSERT INTO sweep_cells (sweep, key, state, owner, result, heartbeat)
        VALUES ($1, $2, 'finished', $3, $4, \(Self.now))
        ON CONFLICT (sweep, key) DO UPDATE SET
          state = 'finished', owner = EXCLUDED.owner, result = EXCLUDED.result,
          heartbeat = EXCLUDED.heartbeat
        WHERE sweep_cells.state <> 'finished'
        """, [sweep, result.key, owner, result.json.serialized()])
    }
  }

  public func finished() throws -> [CellResult] {
    let rows = try run { db in
      try db.execute(
        "SELECT result FROM sweep_cells WHERE sweep = $1 AND state = 'finished' ORDER BY key",
        [sweep]
      ).rows
    }
    return try rows.map { row in
      guard let text = row.first ?? nil else {
        throw CellStoreError("a finished cell without its result in sweep \(sweep)")
      }
      return try CellResult(json: try JSONValue(parsing: text))
    }
  }

  /// Deletes every cell of the sweep (`anneal sweep --fresh`).
  public func removeAll() throws {
    try run { db in try db.execute("DELETE FROM sweep_cells WHERE sweep = $1", [sweep]) }
  }
}
