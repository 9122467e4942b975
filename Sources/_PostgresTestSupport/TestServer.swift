import Foundation
import PostgresSupport

/// The PostgreSQL server every test target uses: `ANNEAL_POSTGRES_URL`
/// (`scripts/postgres.sh start DIR PORT` prints one; `.ci/run` starts two).
/// Suites that need it are enabled when it is set, and in CI, where its
/// absence must fail rather than skip.
public enum TestServer {
  /// The server's URL, if one is given.
  public static let url = ProcessInfo.processInfo.environment["ANNEAL_POSTGRES_URL"]
  /// Whether this is a CI run (`CI=true`).
  public static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
  /// Whether the PostgreSQL suites run.
  public static var available: Bool { url != nil || inCI }

  /// The server's URL; throws when it is missing (in CI).
  public static func requireURL() throws -> PostgresURL {
    guard let url else {
      throw PostgresError(
        message: "CI=true but ANNEAL_POSTGRES_URL is unset: .ci/run must start the server")
    }
    return try PostgresURL(url)
  }

  /// A new connection to the server.
  public static func connect() throws -> PostgresConnection {
    try PostgresConnection(try requireURL())
  }

  /// A name no earlier run used (studies, sweeps, tables).
  public static func uniqueName(_ base: String) -> String {
    "\(base)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
  }
}
