import Foundation
import Testing
import _PostgresTestSupport

/// The PostgreSQL server the CLI tests use: `ANNEAL_POSTGRES_URL` (`.ci/run`
/// starts one). Suites needing it are enabled when it is set, and in CI,
/// where its absence must fail rather than skip.
enum PostgresServer {
  /// Whether the PostgreSQL suites run.
  static var available: Bool { TestServer.available }

  /// The server's URL; a test fails when it is missing (in CI).
  static func url() throws -> String {
    try #require(
      ProcessInfo.processInfo.environment["ANNEAL_POSTGRES_URL"],
      "CI=true but ANNEAL_POSTGRES_URL is unset: .ci/run must start PostgreSQL")
  }
}
