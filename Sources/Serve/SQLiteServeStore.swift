import Foundation
import GRDB

/// The serve store in an SQLite file (through GRDB), the default storage of
/// one server.
public final class SQLiteServeStore: ServeStore {
  private let pool: DatabasePool

  /// Opens (creating if needed) the store's tables in the SQLite file at
  /// `path`.
  public init(path: String) throws {
    do {
      var configuration = Configuration()
      configuration.busyMode = .timeout(10)
      pool = try DatabasePool(path: path, configuration: configuration)
      try pool.write { db in
        try db.execute(
          sql: """
            CREATE TABLE IF NOT EXISTS serve_tokens (
              token_hash TEXT PRIMARY KEY NOT NULL,
              account TEXT NOT NULL,
              created REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS serve_jobs (
              id TEXT PRIMARY KEY NOT NULL,
              owner TEXT NOT NULL,
              open INTEGER NOT NULL,
              cancel_requested INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS serve_jobs_open ON serve_jobs (owner, open);
            """)
      }
    } catch let error as DatabaseError {
      throw ServeStoreError("\(path): \(error.message ?? error.description)")
    }
  }

  public func addToken(account name: String, tokenHash: String) throws {
    try write { db in
      try db.execute(
        sql: "INSERT INTO serve_tokens (token_hash, account, created) VALUES (?, ?, ?)",
        arguments: [tokenHash, name, Date().timeIntervalSince1970])
    }
  }

  public func account(tokenHash: String) throws -> String? {
    try read { db in
      try String.fetchOne(
        db, sql: "SELECT account FROM serve_tokens WHERE token_hash = ?", arguments: [tokenHash])
    }
  }

  public func reserveJob(id: String, owner: String, limit: Int) throws -> Bool {
    try write { db in
      try db.execute(
        sql: """
          INSERT INTO serve_jobs (id, owner, open)
          SELECT ?, ?, 1
          WHERE (SELECT count(*) FROM serve_jobs WHERE owner = ? AND open = 1) < ?
          """,
        arguments: [id, owner, owner, limit])
      return db.changesCount == 1
    }
  }

  public func openJobs(owner: String) throws -> [String] {
    try read { db in
      try String.fetchAll(
        db, sql: "SELECT id FROM serve_jobs WHERE owner = ? AND open = 1", arguments: [owner])
    }
  }

  public func closeJob(id: String) throws {
    try write { db in
      try db.execute(sql: "UPDATE serve_jobs SET open = 0 WHERE id = ?", arguments: [id])
    }
  }

  public func requestCancel(id: String) throws {
    try write { db in
      try db.execute(
        sql: "UPDATE serve_jobs SET cancel_requested = 1 WHERE id = ?", arguments: [id])
    }
  }

  public func cancelRequested(id: String) throws -> Bool {
    try read { db in
      try Bool.fetchOne(
        db, sql: "SELECT cancel_requested FROM serve_jobs WHERE id = ?", arguments: [id])
        ?? false
    }
  }

  private func read<T>(_ body: (Database) throws -> T) throws -> T {
    do { return try pool.read(body) } catch let error as DatabaseError {
      throw ServeStoreError("serve store: \(error.message ?? error.description)")
    }
  }

  private func write<T>(_ body: (Database) throws -> T) throws -> T {
    do { return try pool.write(body) } catch let error as DatabaseError {
      throw ServeStoreError("serve store: \(error.message ?? error.description)")
    }
  }
}
