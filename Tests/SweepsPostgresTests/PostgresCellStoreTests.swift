import Foundation
import PostgresSupport
import QUBOModel
import Sweeps
import SweepsPostgres
import Testing
import _PostgresTestSupport

/// Sweep stores on the shared test server (`_PostgresTestSupport`).
extension TestServer {
  static func store(_ sweep: String, owner: String? = nil, staleAfter: Double = 60) throws
    -> PostgresCellStore
  {
    try PostgresCellStore(url: try requireURL(), sweep: sweep, owner: owner, staleAfter: staleAfter)
  }

  /// A sweep name no earlier run used.
  static func sweep(_ label: String) -> String { uniqueName(label) }
}

@Suite(
  "sweep cells in PostgreSQL", .enabled(if: TestServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct PostgresCellStoreTests {
  func result(_ key: String, _ energies: [Double] = [-1, 2]) -> CellResult {
    CellResult(
      key: key, instance: "i", sampler: "sa", parameters: ["sweeps": .int(10)], seed: 1,
      energies: energies, spinUpdates: 100, seconds: 0.25, threads: 1)
  }

  /// Keys shaped like real ones: JSON with quotes, commas and braces.
  let keys = (0..<40).map { "g|sa|{\"sweeps\":\($0),\"beta\":\"a\\\\b\"}|reads=2|seed=\($0)" }

  @Test func claimsFromSeveralConnectionsNeverCollide() async throws {
    let sweep = TestServer.sweep("claims")
    let stores = try (0..<6).map { try TestServer.store(sweep, owner: "w\($0)") }
    defer { for s in stores { s.close() } }
    // Many small claims, so the connections race for the same cells often.
    let keys = (0..<300).map { "\(self.keys[0])|\($0)" }
    let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
      for store in stores {
        group.addTask {
          var mine: [String] = []
          while let key = try store.claim(among: keys) { mine.append(key) }
          return mine
        }
      }
      var all: [[String]] = []
      for try await mine in group { all.append(mine) }
      return all
    }
    let flat = claimed.flatMap { $0 }
    #expect(flat.count == keys.count, "a cell was claimed twice or lost: \(claimed)")
    #expect(Set(flat) == Set(keys))
  }

  @Test func aFinishedCellIsNeverClaimedAgain() throws {
    let sweep = TestServer.sweep("finished")
    let a = try TestServer.store(sweep, owner: "a", staleAfter: 0)
    let b = try TestServer.store(sweep, owner: "b", staleAfter: 0)
    defer { a.close(); b.close() }
    let first = try #require(try a.claim(among: keys))
    #expect(first == keys[0])
    try a.record(result(first))
    // Even with every running cell counted stale at once, the finished
    // one is not handed out again; a record of it again does not replace it.
    try b.record(result(first, [99]))
    #expect(try b.finished() == [result(first)])
    #expect(try b.claim(among: [first]) == nil)
    #expect(try b.claim(among: keys) == keys[1])
  }

  @Test func resumeSkipsFinishedAndReclaimsADeadWorkersCell() throws {
    let sweep = TestServer.sweep("resume")
    let dead = try TestServer.store(sweep, owner: "dead")
    let two = Array(keys.prefix(3))
    #expect(try dead.claim(among: two) == two[0])
    try dead.record(result(two[0]))
    #expect(try dead.claim(among: two) == two[1])
    dead.close()  // its heartbeat stops, as when the process is killed

    // A live worker leaves the dead one's cell alone while it may be
    // running, and takes it once its heartbeat is older than staleAfter.
    let patient = try TestServer.store(sweep, owner: "patient", staleAfter: 3600)
    defer { patient.close() }
    #expect(try patient.finished().map(\.key) == [two[0]])
    #expect(try patient.claim(among: two) == two[2])
    #expect(try patient.claim(among: two) == nil)
    try patient.record(result(two[2]))
    Thread.sleep(forTimeInterval: 0.2)
    let eager = try TestServer.store(sweep, owner: "eager", staleAfter: 0.1)
    defer { eager.close() }
    #expect(try eager.claim(among: two) == two[1])
    #expect(try eager.claim(among: two) == nil)
    try eager.record(result(two[1]))
    #expect(Set(try eager.finished().map(\.key)) == Set(two))
  }

  @Test func sweepsDoNotMixAndFreshEmptiesOne() throws {
    let x = try TestServer.store(TestServer.sweep("x"))
    let y = try TestServer.store(TestServer.sweep("y"))
    defer { x.close(); y.close() }
    try x.record(result("k"))
    #expect(try y.finished().isEmpty)
    #expect(try y.claim(among: ["k"]) == "k")
    try x.removeAll()
    #expect(try x.finished().isEmpty)
    #expect(try x.claim(among: ["k"]) == "k")
  }
}
