import Foundation

/// What `anneal serve` keeps beside the work queue: accounts (hashed
/// tokens) and, per job, its owner, whether it still counts against the
/// owner's concurrent-job quota, and whether its owner asked to cancel it.
///
/// The queue holds the jobs themselves; this store only answers "who is
/// this token", "may this account start another job" and "should this
/// running job stop". Backends: SQLite (`SQLiteServeStore`) and
/// PostgreSQL (`PostgresServeStore`), in the same storage as the queue.
public protocol ServeStore: Sendable {
  /// Adds a token (its SHA-256, hex) for the account `name`; an account
  /// may hold several tokens.
  func addToken(account name: String, tokenHash: String) throws

  /// The account whose token hashes to `tokenHash`, if any.
  func account(tokenHash: String) throws -> String?

  /// Records job `id` of `owner` as open, atomically, unless `owner`
  /// already has `limit` open jobs; `false` then.
  func reserveJob(id: String, owner: String, limit: Int) throws -> Bool

  /// The ids of `owner`'s open jobs.
  func openJobs(owner: String) throws -> [String]

  /// Marks job `id` as no longer counting against its owner's quota.
  func closeJob(id: String) throws

  /// Records that the owner asked to cancel the running job `id`.
  func requestCancel(id: String) throws

  /// Whether the owner asked to cancel job `id`.
  func cancelRequested(id: String) throws -> Bool
}

/// A failure of the serve store, with what went wrong.
public struct ServeStoreError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public var description: String
  /// An error that says `description`.
  public init(_ description: String) { self.description = description }
}
