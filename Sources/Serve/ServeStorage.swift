import Foundation
import PostgresSupport
import WorkQueue
import WorkQueuePostgres

/// The storage named by `--storage`: the work queue and the serve store,
/// side by side in one SQLite file or one PostgreSQL database.
///
/// URLs: `sqlite:///relative.db`, `sqlite:////absolute.db`, a plain path
/// (SQLite), or `postgresql://user@host:port/db` (`postgres://` too).
public struct ServeStorage: Sendable {
  /// The default: `sqlite:///anneal-serve.db` in the working directory.
  public static let defaultURL = "sqlite:///anneal-serve.db"

  /// The work queue that holds the jobs.
  public let queue: any WorkQueue
  /// Accounts and job bookkeeping.
  public let store: any ServeStore
  /// How to name the storage in messages (no password).
  public let description: String

  /// Opens (creating the tables if needed) the storage at `url`.
  ///
  /// - Throws: `ServeStorageError` for a URL of an unknown kind; the
  ///   backends' errors when the storage cannot be opened.
  public init(url: String) throws {
    if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
      let postgres = try PostgresURL(url)
      queue = try PostgresWorkQueue(url: postgres)
      store = try PostgresServeStore(url: postgres)
      description = postgres.description
      return
    }
    let path: String
    if url.hasPrefix("sqlite://") {
      path = String(url.dropFirst("sqlite://".count).dropFirst())
    } else if url.contains("://") {
      let scheme = url.components(separatedBy: "://")[0]
      throw ServeStorageError(
        "\(scheme):// is not supported; give sqlite:///relative.db, sqlite:////absolute.db, "
          + "a path, or postgresql://user@host:port/db")
    } else {
      path = url
    }
    guard !path.isEmpty else { throw ServeStorageError("the SQLite path is empty in '\(url)'") }
    queue = try SQLiteWorkQueue(path: path)
    store = try SQLiteServeStore(path: path)
    description = "sqlite:///" + path
  }
}

/// A `--storage` URL that names no storage this server can use.
public struct ServeStorageError: Error, Sendable, CustomStringConvertible {
  /// What was wrong.
  public var description: String
  init(_ description: String) { self.description = description }
}
