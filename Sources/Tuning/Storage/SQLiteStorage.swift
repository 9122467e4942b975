import Foundation
import GRDB
import QUBOModel
import WorkQueue

/// A study's storage in an SQLite file (through GRDB, in WAL mode), so that
/// several worker processes on one machine share a study and a killed study
/// resumes where it stopped.
///
/// Two tables, plain SQL types, JSON text for the parameter maps, so a
/// server database can hold the same schema:
///
///     studies(name PRIMARY KEY, direction)
///     trials(study, number, state, value, payload, owner, started, finished,
///            PRIMARY KEY (study, number))
///
/// A claim runs in one `BEGIN IMMEDIATE` transaction (count, then insert),
/// so it is atomic across processes; writers wait up to `busyTimeout`.
/// Running trials are leased on an SQLite work queue in the same file
/// (`TrialLeases`, table `work_items`): heartbeats and staleness are on
/// SQLite's clock there.
/// `PRAGMA synchronous = NORMAL` (the WAL recommendation): every commit
/// survives a killed process; a power cut may lose the last few.
public final class SQLiteStorage: TrialStorage, Sendable {
  private let pool: DatabasePool
  private let leases: TrialLeases

  /// Opens (or creates) the database at `path`.
  ///
  /// Several processes may open a new file at once: switching it to WAL
  /// takes a lock that SQLite's busy handler does not wait for, so a
  /// locked or busy open is retried (randomised pauses of 5–50 ms) until
  /// `busyTimeout` has passed.
  public init(path: String, busyTimeout: TimeInterval = 60) throws {
    var config = Configuration()
    config.busyMode = .timeout(busyTimeout)
    // WAL with synchronous=NORMAL: a commit survives the crash of any
    // process (kill -9); only a power cut may lose the last few commits.
    config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
    let deadline = Date().addingTimeInterval(busyTimeout)
    var opened: DatabasePool?
    while opened == nil {
      do {
        opened = try Self.openPool(path: path, config: config)
      } catch let e as DatabaseError
        where (e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED)
        && Date() < deadline
      {
        Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.05))
      } catch {
        throw TuningError.storage("\(path): \(error)")
      }
    }
    guard let opened else { throw TuningError.storage("\(path): not opened") }
    pool = opened
    do {
      leases = TrialLeases(queue: try SQLiteWorkQueue(path: path, busyTimeout: busyTimeout))
    } catch {
      throw TuningError.storage("\(error)")
    }
  }

  private static func openPool(path: String, config: Configuration) throws -> DatabasePool {
    let pool = try DatabasePool(path: path, configuration: config)
    try pool.writeWithoutTransaction { db in
      try db.inTransaction(.immediate) {
        try db.execute(
          sql: """
            CREATE TABLE IF NOT EXISTS studies (
              name TEXT PRIMARY KEY NOT NULL, direction TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS trials (
              study TEXT NOT NULL REFERENCES studies(name), number INTEGER NOT NULL,
              state TEXT NOT NULL, value REAL, payload TEXT NOT NULL, owner TEXT,
              started REAL, finished REAL, PRIMARY KEY (study, number));
            CREATE TABLE IF NOT EXISTS reservations (
              study TEXT NOT NULL, configuration TEXT NOT NULL, number INTEGER NOT NULL,
              PRIMARY KEY (study, configuration));
            """)
        // Heartbeats (added after the first release: older files gain the
        // columns on open).
        let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(trials)")
          .map { $0["name"] as String }
        if !columns.contains("heartbeat") {
          try db.execute(sql: "ALTER TABLE trials ADD COLUMN heartbeat REAL")
        }
        if !columns.contains("lost") {
          try db.execute(sql: "ALTER TABLE trials ADD COLUMN lost INTEGER NOT NULL DEFAULT 0")
        }
        return .commit
      }
    }
    return pool
  }

  /// Opens the storage a URL names, in SQLAlchemy's (and so Optuna's)
  /// spelling: `sqlite:///relative/path.db` (three slashes, relative to the
  /// working directory) or `sqlite:////absolute/path.db` (four); `memory` or
  /// an empty string is an `InMemoryStorage`; any other URL gives `nil`.
  public static func open(url: String) throws -> (any TrialStorage)? {
    if url.isEmpty || url == "memory" || url == "memory://" { return InMemoryStorage() }
    guard url.hasPrefix("sqlite:///") else { return nil }
    let path = String(url.dropFirst("sqlite:///".count))
    guard !path.isEmpty else { throw TuningError.storage("\(url): no file path") }
    return try SQLiteStorage(path: path)
  }

  private func run<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.writeWithoutTransaction { db in
        var out: T?
        try db.inTransaction(.immediate) {
          out = try body(db)
          return .commit
        }
        guard let out else { throw TuningError.storage("transaction returned nothing") }
        return out
      }
    } catch let e as TuningError {
      throw e
    } catch {
      throw TuningError.storage("\(error)")
    }
  }

  public func openStudy(name: String, direction: Direction) throws {
    try run { db in
      if let d = try String.fetchOne(
        db, sql: "SELECT direction FROM studies WHERE name = ?", arguments: [name])
      {
        if d != direction.rawValue {
          throw TuningError.directionMismatch(study: name, stored: d)
        }
      } else {
        try db.execute(
          sql: "INSERT INTO studies (name, direction) VALUES (?, ?)",
          arguments: [name, direction.rawValue])
      }
    }
  }

  public func claimTrial(study: String, limit: Int?, owner: String) throws -> FrozenTrial? {
    let claimed = try run { db -> FrozenTrial? in
      let now = Date()
      if let n = try Int.fetchOne(
        db,
        sql: "SELECT MIN(number) FROM trials WHERE study = ? AND state = 'waiting'",
        arguments: [study])
      {
        let t = FrozenTrial(number: n, owner: owner, started: now)
        try write(db, study: study, trial: t)
        return t
      }
      let count =
        try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM trials WHERE study = ? AND lost = 0",
          arguments: [study]) ?? 0
      if let limit, count >= limit { return nil }
      let next =
        try Int.fetchOne(
          db, sql: "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study = ?",
          arguments: [study]) ?? 0
      let t = FrozenTrial(number: next, owner: owner, started: now)
      try write(db, study: study, trial: t)
      return t
    }
    // After the commit: the queue writes to the same file.
    guard let claimed else { return nil }
    guard try leases.start(study: study, number: claimed.number, owner: owner) else {
      throw TuningError.storage("trial \(claimed.number) of '\(study)' is leased to another worker")
    }
    return claimed
  }

  private func write(_ db: Database, study: String, trial t: FrozenTrial) throws {
    // A finished trial never changes: a late save of a trial that another
    // worker failed as stale is dropped. (Heartbeats are the queue's.)
    try db.execute(
      sql: """
        INSERT INTO trials
          (study, number, state, value, payload, owner, started, finished)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (study, number) DO UPDATE SET
          state = excluded.state, value = excluded.value, payload = excluded.payload,
          owner = excluded.owner, started = excluded.started, finished = excluded.finished
        WHERE trials.state IN ('running', 'waiting')
        """,
      arguments: [
        study, t.number, t.state.rawValue, t.value, t.payload.serialized(), t.owner,
        t.started?.timeIntervalSince1970, t.finished?.timeIntervalSince1970,
      ])
  }

  public func save(study: String, trial: FrozenTrial) throws {
    try run { db in try write(db, study: study, trial: trial) }
    try leases.saved(study: study, trial: trial)
  }

  public func trials(study: String, from: Int) throws -> [FrozenTrial] {
    do {
      return try pool.read { db in
        let rows = try Row.fetchAll(
          db,
          sql: """
            SELECT number, state, value, payload, owner, started, finished
            FROM trials WHERE study = ? AND number >= ? ORDER BY number
            """,
          arguments: [study, from])
        return try rows.map(Self.trial)
      }
    } catch let e as TuningError {
      throw e
    } catch {
      throw TuningError.storage("\(error)")
    }
  }

  private static func trial(_ row: Row) throws -> FrozenTrial {
    let started: Double? = row["started"]
    let finished: Double? = row["finished"]
    var t = FrozenTrial(
      number: row["number"], owner: row["owner"],
      started: started.map { Date(timeIntervalSince1970: $0) })
    let state: String = row["state"]
    guard let s = TrialState(rawValue: state) else {
      throw TuningError.storage("unknown trial state '\(state)'")
    }
    t.state = s
    t.value = row["value"]
    t.finished = finished.map { Date(timeIntervalSince1970: $0) }
    let payload: String = row["payload"]
    try t.restore(payload: try JSONValue(parsing: payload))
    return t
  }

  public func requeueAbandoned(study: String, isAlive: (String) -> Bool) throws -> Int {
    _ = try leases.releaseAbandoned(study: study, isAlive: isAlive)
    return try run { db in
      let rows = try Row.fetchAll(
        db, sql: "SELECT number, owner FROM trials WHERE study = ? AND state = 'running'",
        arguments: [study])
      var n = 0
      for row in rows {
        let owner: String? = row["owner"]
        guard let owner, !isAlive(owner) else { continue }
        var w = FrozenTrial(number: row["number"], owner: nil, started: nil)
        w.state = .waiting
        try write(db, study: study, trial: w)
        try db.execute(
          sql: "DELETE FROM reservations WHERE study = ? AND number = ?",
          arguments: [study, w.number])
        n += 1
      }
      return n
    }
  }

  public func reserve(study: String, configuration: String, number: Int) throws -> Bool {
    try run { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO reservations (study, configuration, number) VALUES (?, ?, ?)",
        arguments: [study, configuration, number])
      let holder = try Int.fetchOne(
        db, sql: "SELECT number FROM reservations WHERE study = ? AND configuration = ?",
        arguments: [study, configuration])
      return holder == number
    }
  }

  public func heartbeat(study: String, number: Int, owner: String) throws {
    try leases.beat(study: study, number: number, owner: owner)
  }

  /// Ages are the queue's, on SQLite's clock. Running trials the queue does
  /// not know (written before the queue) age by their last stored
  /// heartbeat or start, against the same clock.
  public func failStale(study: String, timeout: Double, reason: String) throws -> Int {
    let stale = Set(try leases.failStale(study: study, timeout: timeout, reason: reason))
    let now = try leases.now()
    // Running trials the queue does not know, silent for `timeout`.
    let quiet = try run { db in
      try Int.fetchAll(
        db,
        sql: """
          SELECT number FROM trials WHERE study = ? AND state = 'running'
            AND COALESCE(heartbeat, started, 0) < ?
          """,
        arguments: [study, now.timeIntervalSince1970 - timeout])
    }
    let legacy = try Set(quiet.filter { try !leases.isKnown(study: study, number: $0) })
    return try run { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT number, state, value, payload, owner, started, finished
          FROM trials WHERE study = ? AND state = 'running'
          """,
        arguments: [study])
      var n = 0
      for row in rows {
        let number: Int = row["number"]
        guard stale.contains(number) || legacy.contains(number) else { continue }
        var t = try Self.trial(row)
        t.state = .failed
        t.finished = now
        t.userAttributes["error"] = .string(reason)
        t.userAttributes[lostTrialAttribute] = .bool(true)
        try db.execute(
          sql: """
            UPDATE trials SET state = 'failed', finished = ?, payload = ?, lost = 1
            WHERE study = ? AND number = ?
            """,
          arguments: [now.timeIntervalSince1970, t.payload.serialized(), study, t.number])
        n += 1
      }
      return n
    }
  }
}
