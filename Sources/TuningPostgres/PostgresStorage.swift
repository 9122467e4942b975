import Foundation
import PostgresSupport
import QUBOModel
import Synchronization
import Tuning
import WorkQueue
import WorkQueuePostgres

/// A study's storage in a PostgreSQL database, for workers on many machines
/// (`postgresql://user@host:port/db`).
///
/// The schema is the SQLite storage's, plus a version row:
///
///     anneal_schema(version)
///     studies(name PRIMARY KEY, direction)
///     trials(study, number, state, value, payload, owner, started, finished,
///            heartbeat, lost, PRIMARY KEY (study, number))
///     reservations(study, configuration, number, PRIMARY KEY (study, configuration))
///
/// It is created on first use (under an advisory lock, so concurrent first
/// users do not race); a database whose schema is newer than this binary's
/// is refused with a message; a version-1 database (before heartbeats)
/// gains the `heartbeat` and `lost` columns and becomes version 2. A claim locks the study's row
/// (`SELECT … FOR UPDATE`), so claims of one study are serialised across
/// machines and no number is handed out twice. Running trials are leased on
/// the PostgreSQL work queue (`TrialLeases`, table `work_items`), whose
/// heartbeats and staleness are on the server's clock. Every call retries with
/// backoff when the connection drops (the server restarted) or the
/// transaction hits a serialization failure.
public final class PostgresStorage: TrialStorage, Sendable {
  /// The schema version this binary writes and reads.
  public static let schemaVersion = AnnealSchema.version
  /// The connection: touched only while `lock` is held.
  nonisolated(unsafe) private let connection: PostgresConnection
  /// Makes callers of the connection take turns.
  private let lock = Mutex(())
  private let leases: TrialLeases

  /// Connects to `url` and creates or checks the schema.
  public init(url: PostgresURL) throws {
    do {
      let db = try PostgresConnection(url)
      try db.retrying { try Self.prepareSchema(db) }
      connection = db
      leases = TrialLeases(queue: try PostgresWorkQueue(url: url))
    } catch let error as PostgresError {
      throw TuningError.storage(error.description)
    } catch let error as WorkQueueError {
      throw TuningError.storage(error.description)
    }
  }

  static func prepareSchema(_ db: PostgresConnection) throws {
    try AnnealSchema.prepare(db) {
      try db.execute(
        """
        CREATE TABLE IF NOT EXISTS studies (
          name text PRIMARY KEY, direction text NOT NULL)
        """)
      try db.execute(
        """
        CREATE TABLE IF NOT EXISTS trials (
          study text NOT NULL REFERENCES studies(name), number integer NOT NULL,
          state text NOT NULL, value double precision, payload text NOT NULL, owner text,
          started double precision, finished double precision,
          PRIMARY KEY (study, number))
        """)
      try db.execute(
        """
        CREATE TABLE IF NOT EXISTS reservations (
          study text NOT NULL, configuration text NOT NULL, number integer NOT NULL,
          PRIMARY KEY (study, configuration))
        """)
      // Version 2: heartbeats (server time, seconds since 1970) and the
      // worker-lost flag. Idempotent, so a version-1 database migrates here.
      try db.execute("ALTER TABLE trials ADD COLUMN IF NOT EXISTS heartbeat double precision")
      try db.execute(
        "ALTER TABLE trials ADD COLUMN IF NOT EXISTS lost boolean NOT NULL DEFAULT false")
      // Version 3: running trials are leased on the work queue.
      try PostgresWorkQueue.createTable(db)
    }
  }

  /// Runs `body` in a transaction on the connection, one caller at a time,
  /// retrying on a dropped connection or a serialization failure.
  private func run<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
    try lock.withLock { _ throws -> T in
      let db = connection
      do {
        return try db.retrying { try db.transaction { try body(db) } }
      } catch let error as PostgresError {
        throw TuningError.storage(error.description)
      }
    }
  }

  /// Opens the storage a `postgresql://` (or `postgres://`) URL names;
  /// `nil` for other URLs.
  public static func open(url: String) throws -> PostgresStorage? {
    guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else { return nil }
    do {
      return try PostgresStorage(url: try PostgresURL(url))
    } catch let error as PostgresError {
      throw TuningError.storage(error.description)
    }
  }

  public func openStudy(name: String, direction: Direction) throws {
    try run { db in
      try db.execute(
        "INSERT INTO studies (name, direction) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        [name, direction.rawValue])
      let stored = try db.execute("SELECT direction FROM studies WHERE name = $1", [name])
      if let d = stored.rows.first?[0] ?? nil, d != direction.rawValue {
        throw TuningError.directionMismatch(study: name, stored: d)
      }
    }
  }

  public func claimTrial(study: String, limit: Int?, owner: String) throws -> FrozenTrial? {
    let claimed = try run { db -> FrozenTrial? in
      // The study's row lock serialises claims of this study everywhere.
      try db.execute("SELECT name FROM studies WHERE name = $1 FOR UPDATE", [study])
      let now = Date()
      let waiting = try db.execute(
        "SELECT min(number) FROM trials WHERE study = $1 AND state = 'waiting'", [study])
      if let text = waiting.rows.first?[0] ?? nil, let n = Int(text) {
        let t = FrozenTrial(number: n, owner: owner, started: now)
        try write(db, study: study, trial: t)
        return t
      }
      let counts = try db.execute(
        """
        SELECT count(*) FILTER (WHERE NOT lost), coalesce(max(number) + 1, 0)
        FROM trials WHERE study = $1
        """, [study])
      let count = Int(counts.rows.first?[0] ?? "0") ?? 0
      let next = Int(counts.rows.first?[1] ?? "0") ?? 0
      if let limit, count >= limit { return nil }
      let t = FrozenTrial(number: next, owner: owner, started: now)
      try write(db, study: study, trial: t)
      return t
    }
    guard let claimed else { return nil }
    guard try leases.start(study: study, number: claimed.number, owner: owner) else {
      throw TuningError.storage("trial \(claimed.number) of '\(study)' is leased to another worker")
    }
    return claimed
  }

  private func write(_ db: PostgresConnection, study: String, trial t: FrozenTrial) throws {
    // A finished trial never changes: a late save of a trial that another
    // worker failed as stale is dropped. (Heartbeats are the queue's.)
    try db.execute(
      """
      INSERT INTO trials
        (study, number, state, value, payload, owner, started, finished)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (study, number) DO UPDATE SET
        state = EXCLUDED.state, value = EXCLUDED.value, payload = EXCLUDED.payload,
        owner = EXCLUDED.owner, started = EXCLUDED.started, finished = EXCLUDED.finished
      WHERE trials.state IN ('running', 'waiting')
      """,
      [
        study, String(t.number), t.state.rawValue, t.value.map(Self.text),
        t.payload.serialized(), t.owner, t.started.map { Self.text($0.timeIntervalSince1970) },
        t.finished.map { Self.text($0.timeIntervalSince1970) },
      ])
  }

  /// A Double as text that reads back exactly.
  private static func text(_ x: Double) -> String { "\(x)" }

  public func save(study: String, trial: FrozenTrial) throws {
    try run { db in try write(db, study: study, trial: trial) }
    try leases.saved(study: study, trial: trial)
  }

  public func trials(study: String, from: Int) throws -> [FrozenTrial] {
    try run { db in
      let result = try db.execute(
        """
        SELECT number, state, value, payload, owner, started, finished
        FROM trials WHERE study = $1 AND number >= $2 ORDER BY number
        """, [study, String(from)])
      return try result.rows.map(Self.trial)
    }
  }

  private static func trial(_ row: [String?]) throws -> FrozenTrial {
    guard row.count == 7, let number = row[0].flatMap({ Int($0) }),
      let state = row[1].flatMap({ TrialState(rawValue: $0) }), let payload = row[3]
    else {
      throw TuningError.storage("a trial row that this binary cannot read: \(row)")
    }
    var t = FrozenTrial(
      number: number, owner: row[4],
      started: row[5].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) })
    t.state = state
    t.value = row[2].flatMap(Double.init)
    t.finished = row[6].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
    try t.restore(payload: try JSONValue(parsing: payload))
    return t
  }

  public func requeueAbandoned(study: String, isAlive: (String) -> Bool) throws -> Int {
    _ = try leases.releaseAbandoned(study: study, isAlive: isAlive)
    return try run { db in
      let running = try db.execute(
        "SELECT number, owner FROM trials WHERE study = $1 AND state = 'running' FOR UPDATE",
        [study])
      var n = 0
      for row in running.rows {
        guard let owner = row[1] ?? nil, !isAlive(owner), let number = row[0].flatMap({ Int($0) })
        else { continue }
        var w = FrozenTrial(number: number, owner: nil, started: nil)
        w.state = .waiting
        try write(db, study: study, trial: w)
        try db.execute(
          "DELETE FROM reservations WHERE study = $1 AND number = $2", [study, String(number)])
        n += 1
      }
      return n
    }
  }

  public func reserve(study: String, configuration: String, number: Int) throws -> Bool {
    try run { db in
      try db.execute(
        """
        INSERT INTO reservations (study, configuration, number) VALUES ($1, $2, $3)
        ON CONFLICT (study, configuration) DO NOTHING
        """, [study, configuration, String(number)])
      let holder = try db.execute(
        "SELECT number FROM reservations WHERE study = $1 AND configuration = $2",
        [study, configuration])
      return holder.rows.first?[0] == String(number)
    }
  }

  public func heartbeat(study: String, number: Int, owner: String) throws {
    try leases.beat(study: study, number: number, owner: owner)
  }

  /// Ages are the queue's, on the server's clock. Running trials the queue
  /// does not know (written before version 3) age by their last stored
  /// heartbeat or start, against the same clock.
  public func failStale(study: String, timeout: Double, reason: String) throws -> Int {
    let stale = try leases.failStale(study: study, timeout: timeout, reason: reason)
    let now = try leases.now()
    // Running trials the queue does not know, silent for `timeout`.
    let quiet = try run { db in
      try db.execute(
        """
        SELECT number FROM trials WHERE study = $1 AND state = 'running'
          AND coalesce(heartbeat, started, 0) < $2::double precision
        """, [study, Self.text(now.timeIntervalSince1970 - timeout)]
      ).rows.compactMap { $0.first.flatMap { $0 }.flatMap { Int($0) } }
    }
    let legacy = try quiet.filter { try !leases.isKnown(study: study, number: $0) }
    return try run { db in
      let rows = try db.execute(
        """
        SELECT number, state, value, payload, owner, started, finished FROM trials
        WHERE study = $1 AND state = 'running' AND number = ANY($2::integer[])
        FOR UPDATE
        """, [study, PostgresArray.text((stale + legacy).map(String.init))]
      ).rows
      for row in rows {
        var t = try Self.trial(row)
        t.userAttributes["error"] = .string(reason)
        t.userAttributes[lostTrialAttribute] = .bool(true)
        try db.execute(
          """
          UPDATE trials SET state = 'failed', finished = $3, payload = $4, lost = true
          WHERE study = $1 AND number = $2
          """,
          [study, String(t.number), Self.text(now.timeIntervalSince1970), t.payload.serialized()])
      }
      return rows.count
    }
  }
}
