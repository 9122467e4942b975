import Foundation
import PostgresSupport
import Testing
import WorkQueue
import WorkQueuePostgres
import _PostgresTestSupport
import _WorkQueueConformance

/// The work-queue conformance suite over PostgreSQL (memory and SQLite run
/// it in WorkQueueTests). Every storage is a namespace of queue names in the
/// test server's database; every handle is a connection of its own.
@Suite(
  "work queue conformance, PostgreSQL",
  .enabled(if: TestServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct WorkQueuePostgresConformanceTests {
  static let backend = WorkQueueBackend(
    name: "postgresql", persistent: true, serverClock: true
  ) { offset in
    let url = try TestServer.requireURL()
    return WorkQueueBackend.Storage(
      url: url.connectionString, namespace: TestServer.uniqueName("wq") + "/"
    ) { try PostgresWorkQueue(url: url, clockOffset: offset) }
  }

  @Test(arguments: WorkQueueConformance.checks)
  func postgres(_ check: WorkQueueConformance.Check) throws {
    let failures = try check.run(Self.backend)
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }
}
