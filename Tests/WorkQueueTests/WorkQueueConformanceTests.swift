import Testing
import WorkQueue
import _WorkQueueConformance

/// The work-queue conformance suite over the in-memory and SQLite backends
/// (PostgreSQL's run in WorkQueuePostgresTests).
@Suite("work queue conformance")
struct WorkQueueConformanceTests {
  @Test(arguments: WorkQueueConformance.checks)
  func memory(_ check: WorkQueueConformance.Check) throws {
    let failures = try check.run(.memory)
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  @Test(arguments: WorkQueueConformance.checks)
  func sqlite(_ check: WorkQueueConformance.Check) throws {
    let failures = try check.run(.sqlite)
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }
}
