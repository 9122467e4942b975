import Foundation
import PostgresSupport
import QUBOModel
import Sweeps
import SweepsPostgres
import Testing
import WorkQueue
import _PostgresTestSupport

/// Sweep cells on the shared test server (`_PostgresTestSupport`).
extension TestServer {
  static func cells(_ sweep: String, worker: String, staleAfter: Double = 60) throws -> CellQueue {
    try PostgresCellQueue.open(
      url: try requireURL(), sweep: sweep, worker: worker, staleAfter: staleAfter,
      heartbeatInterval: 0.05)
  }

  /// A sweep name no earlier run used.
  static func sweep(_ label: String) -> String { uniqueName(label) }
}

@Suite(
  "sweep cells on the PostgreSQL work queue",
  .enabled(if: TestServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct PostgresCellQueueTests {
  func result(_ key: String, _ energies: [Double] = [-1, 2]) -> CellResult {
    CellResult(
      key: key, instance: "i", sampler: "sa", parameters: ["sweeps": .int(10)], seed: 1,
      energies: energies, spinUpdates: 100, seconds: 0.25, threads: 1)
  }

  /// Keys shaped like real ones: JSON with quotes, commas and braces.
  let keys = (0..<40).map { "g|sa|{\"sweeps\":\($0),\"beta\":\"a\\\\b\"}|reads=2|seed=\($0)" }

  func items(_ keys: [String]) -> [NewWorkItem] {
    keys.map { NewWorkItem(key: $0, payload: Data($0.utf8)) }
  }

  @Test func claimsFromSeveralConnectionsNeverCollide() async throws {
    let sweep = TestServer.sweep("claims")
    let workers = try (0..<6).map { try TestServer.cells(sweep, worker: "w\($0)") }
    defer { for w in workers { w.close() } }
    // Many small claims, so the connections race for the same cells often.
    let keys = (0..<300).map { "\(self.keys[0])|\($0)" }
    try workers[0].submit(items(keys))
    let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
      for cells in workers {
        group.addTask {
          var mine: [String] = []
          while let (key, lease) = try cells.claim() {
            mine.append(key)
            try cells.record(self.result(key), under: lease)
          }
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
    #expect(try workers[1].finished().count == keys.count)
  }

  @Test func aFinishedCellIsNeverClaimedAgainNorOverwritten() throws {
    let sweep = TestServer.sweep("finished")
    let a = try TestServer.cells(sweep, worker: "a", staleAfter: 0)
    let b = try TestServer.cells(sweep, worker: "b", staleAfter: 0)
    defer { a.close(); b.close() }
    try a.submit(items(Array(keys.prefix(2))))
    let (first, lease) = try #require(try a.claim())
    #expect(first == keys[0])
    #expect(try a.record(result(first), under: lease))
    // Even with every running cell counted stale at once, the finished one
    // is not handed out again, and a late record through its lease is
    // refused.
    let (second, _) = try #require(try b.claim())
    #expect(second == keys[1])
    #expect(try !a.record(result(first, [99]), under: lease))
    #expect(try b.finished() == [result(first)])
  }

  @Test func resumeSkipsFinishedAndReclaimsADeadWorkersCell() throws {
    let sweep = TestServer.sweep("resume")
    // A worker of another machine: only its stopped heartbeat tells.
    let dead = try TestServer.cells(sweep, worker: "elsewhere 1 1")
    let three = Array(keys.prefix(3))
    try dead.submit(items(three))
    let (k0, l0) = try #require(try dead.claim())
    #expect(k0 == three[0])
    try dead.record(result(k0), under: l0)
    #expect(try dead.claim()?.key == three[1])
    dead.close()  // its heartbeat stops, as when the process is killed

    // A live worker leaves the dead one's cell alone while it may be
    // running, and takes it once its heartbeat is older than staleAfter.
    let patient = try TestServer.cells(sweep, worker: "patient", staleAfter: 3600)
    defer { patient.close() }
    #expect(try patient.finished().map(\.key) == [three[0]])
    let (k2, l2) = try #require(try patient.claim())
    #expect(k2 == three[2])
    #expect(try patient.claim() == nil)
    try patient.record(result(k2), under: l2)
    Thread.sleep(forTimeInterval: 0.3)
    let eager = try TestServer.cells(sweep, worker: "eager", staleAfter: 0.2)
    defer { eager.close() }
    let (k1, l1) = try #require(try eager.claim())
    #expect(k1 == three[1])
    #expect(try eager.claim() == nil)
    try eager.record(result(k1), under: l1)
    #expect(Set(try eager.finished().map(\.key)) == Set(three))
  }

  @Test func sweepsDoNotMixAndFreshEmptiesOne() throws {
    let x = try TestServer.cells(TestServer.sweep("x"), worker: "x")
    let y = try TestServer.cells(TestServer.sweep("y"), worker: "y")
    defer { x.close(); y.close() }
    try x.submit(items(["k"]))
    let (_, lease) = try #require(try x.claim())
    try x.record(result("k"), under: lease)
    #expect(try y.finished().isEmpty)
    try y.submit(items(["k"]))
    #expect(try y.claim()?.key == "k")
    try x.removeAll()
    #expect(try x.finished().isEmpty)
    try x.submit(items(["k"]))
    #expect(try x.claim()?.key == "k")
  }

  /// Cells a version-2 binary finished (in `sweep_cells`) are carried over.
  @Test func cellsOfTheOldTableAreCarriedOver() throws {
    let sweep = TestServer.sweep("legacy")
    let db = try TestServer.connect()
    try db.execute(
      """
      CREATE TABLE IF NOT EXISTS sweep_cells (
        sweep text NOT NULL, key text NOT NULL, state text NOT NULL, owner text,
        result text, heartbeat double precision, PRIMARY KEY (sweep, key))
      """)
    try db.execute(
      "INSERT INTO sweep_cells VALUES ($1, $2, 'finished', 'old', $3, 1000)",
      [sweep, keys[0], result(keys[0]).json.serialized()])
    try db.execute(
      "INSERT INTO sweep_cells VALUES ($1, $2, 'running', 'old', NULL, 1000)", [sweep, keys[1]])
    let cells = try TestServer.cells(sweep, worker: "new")
    defer { cells.close() }
    #expect(try cells.finished() == [result(keys[0])])
    try cells.submit(items(Array(keys.prefix(2))))
    #expect(try cells.claim()?.key == keys[1])
    #expect(try cells.claim() == nil)
  }
}
