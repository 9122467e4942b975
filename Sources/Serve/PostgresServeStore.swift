import Foundation
import PostgresSupport
import Synchronization

/// The serve store in a PostgreSQL database, shared by every server that
/// names the same `--storage` URL.
public final class PostgresServeStore: ServeStore {
  /// The connection: touched only while `lock` is held, which makes
  /// callers take turns.
  nonisolated(unsafe) private let connection: PostgresConnection
  private let lock = Mutex<Void>(())

  /// Connects to `url` and creates the store's tables if needed.
  public init(url: PostgresURL) throws {
    let db = try PostgresConnection(url)
    try AnnealSchema.prepare(db) {
      try db.execute(
        """
        CREATE TABLE IF NOT EXISTS serve_tokens (
          token_hash text PRIMARY KEY,
          account text NOT NULL,
          created timestamptz NOT NULL DEFAULT now())
        """)
      try db.execute(
        """
        CREATE TABLE IF NOT EXISTS serve_jobs (
          id text PRIMARY KEY,
          owner text NOT NULL,
          open boolean NOT NULL,
          cancel_requested boolean NOT NULL DEFAULT false)
        """)
      try db.execute("CREATE INDEX IF NOT EXISTS serve_jobs_open ON serve_jobs (owner, open)")
    }
    connection = db
  }

  public func addToken(account name: String, tokenHash: String) throws {
    try run { db in
      try db.execute(
        "INSERT INTO serve_tokens (token_hash, account) VALUES ($1, $2)", [tokenHash, name])
    }
  }

  public func account(tokenHash: String) throws -> String? {
    try run { db in
      try db.execute("SELECT account FROM serve_tokens WHERE token_hash = $1", [tokenHash])
        .rows.first?[0] ?? nil
    }
  }

  public func reserveJob(id: String, owner: String, limit: Int) throws -> Bool {
    try run { db in
      try db.transaction {
        // One owner's reservations queue behind each other, so two servers
        // cannot both see room for the last job.
        try db.execute("SELECT pg_advisory_xact_lock(7036418, hashtext($1))", [owner])
        let open =
          try db.execute(
            "SELECT count(*) FROM serve_jobs WHERE owner = $1 AND open", [owner]
          ).rows.first?[0] ?? nil
        guard let open, let count = Int(open), count < limit else { return false }
        try db.execute(
          "INSERT INTO serve_jobs (id, owner, open) VALUES ($1, $2, true)", [id, owner])
        return true
      }
    }
  }

  public func openJobs(owner: String) throws -> [String] {
    try run { db in
      try db.execute("SELECT id FROM serve_jobs WHERE owner = $1 AND open", [owner])
        .rows.compactMap { $0[0] }
    }
  }

  public func closeJob(id: String) throws {
    try run { db in try db.execute("UPDATE serve_jobs SET open = false WHERE id = $1", [id]) }
  }

  public func requestCancel(id: String) throws {
    try run { db in
      try db.execute("UPDATE serve_jobs SET cancel_requested = true WHERE id = $1", [id])
    }
  }

  public func cancelRequested(id: String) throws -> Bool {
    try run { db in
      try db.execute("SELECT cancel_requested FROM serve_jobs WHERE id = $1", [id])
        .rows.first?[0] == "t"
    }
  }

  @discardableResult
  private func run<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
    try lock.withLock { _ throws -> T in
      let db = connection
      do {
        return try db.retrying { try body(db) }
      } catch let error as PostgresError {
        throw ServeStoreError("serve store: \(error.description)")
      }
    }
  }
}
