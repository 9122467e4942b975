import Foundation
import PostgresSupport
import _PostgresTestSupport
import Synchronization
import Testing

@Suite("PostgreSQL URLs and errors")
struct PostgresURLTests {
  @Test func passwordsNeverShow() throws {
    let url = try PostgresURL("postgresql://alice:s3cr%21t@db.example:5432/studies")
    #expect(url.description == "postgresql://alice:***@db.example:5432/studies")
    #expect(!PostgresURL.redact("host=x password=hunter2 user=y").contains("hunter2"))
    #expect(PostgresURL.redact("postgres://bob@h/db") == "postgres://bob@h/db")
  }

  @Test func otherSchemesAreRefused() {
    #expect(throws: PostgresError.self) { try PostgresURL("sqlite:///tmp/x.db") }
  }

  @Test func aFailedConnectionHidesThePassword() throws {
    // Port 1 on loopback: nothing listens there.
    let url = try PostgresURL("postgresql://alice:topsecret@127.0.0.1:1/studies?connect_timeout=2")
    do {
      _ = try PostgresConnection(url)
      Issue.record("connected to a port where nothing listens")
    } catch let error as PostgresError {
      #expect(!error.description.contains("topsecret"), "\(error)")
      #expect(error.connectionLost)
      #expect(error.description.contains("alice:***@127.0.0.1:1"))
    }
  }
}

@Suite("PostgreSQL connection", .enabled(if: TestServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct PostgresConnectionTests {
  @Test func parametersAreBoundNotSpliced() throws {
    let db = try TestServer.connect()
    let table = "t_params_\(ProcessInfo.processInfo.processIdentifier)"
    try db.execute("CREATE TEMP TABLE \(table) (k text PRIMARY KEY, v text)")
    let tricky = "x'); DROP TABLE \(table); --"
    try db.execute("INSERT INTO \(table) VALUES ($1, $2)", [tricky, nil])
    let rows = try db.execute("SELECT k, v FROM \(table)")
    #expect(rows.columns == ["k", "v"])
    #expect(rows.rows.count == 1 && rows.rows[0][0] == tricky && rows.rows[0][1] == nil)
  }

  @Test func errorsCarryTheirSQLState() throws {
    let db = try TestServer.connect()
    try db.execute("CREATE TEMP TABLE t_unique (k int PRIMARY KEY)")
    try db.execute("INSERT INTO t_unique VALUES (1)")
    do {
      try db.execute("INSERT INTO t_unique VALUES (1)")
      Issue.record("a duplicate key was accepted")
    } catch let error as PostgresError {
      #expect(error.sqlState == "23505" && !error.connectionLost)
    }
  }

  @Test func aThrowingTransactionRollsBack() throws {
    let db = try TestServer.connect()
    try db.execute("CREATE TEMP TABLE t_tx (k int)")
    struct Abort: Error {}
    #expect(throws: Abort.self) {
      try db.transaction {
        try db.execute("INSERT INTO t_tx VALUES (1)")
        throw Abort()
      }
    }
    #expect(try db.execute("SELECT count(*) FROM t_tx").rows[0][0] == "0")
    _ = try db.transaction { try db.execute("INSERT INTO t_tx VALUES (2)") }
    #expect(try db.execute("SELECT count(*) FROM t_tx").rows[0][0] == "1")
  }

  @Test func skipLockedClaimsAreDisjointAcrossConnections() throws {
    // The claim pattern workers on many machines use: each takes the next
    // unclaimed row inside a transaction; no row is taken twice.
    let setup = try TestServer.connect()
    let table = "claims_\(ProcessInfo.processInfo.processIdentifier)"
    try setup.execute("DROP TABLE IF EXISTS \(table)")
    try setup.execute("CREATE TABLE \(table) (id int PRIMARY KEY, owner int)")
    try setup.execute("INSERT INTO \(table) SELECT g, NULL FROM generate_series(1, 60) g")
    defer { _ = try? setup.execute("DROP TABLE IF EXISTS \(table)") }
    let claimed = ClaimLog()
    let failures = WorkerFailures()
    DispatchQueue.concurrentPerform(iterations: 3) { worker in
      do {
        let db = try TestServer.connect()
        while true {
          let id: String?? = try db.transaction {
            let row = try db.execute(
              "SELECT id FROM \(table) WHERE owner IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
            guard let id = row.rows.first?[0] else { return nil }
            try db.execute("UPDATE \(table) SET owner = $1 WHERE id = $2", [String(worker), id])
            return id
          }
          guard let id = id ?? nil else { break }
          claimed.add(id)
        }
      } catch {
        failures.add("worker \(worker): \(error)")
      }
    }
    #expect(failures.all.isEmpty, "\(failures.all)")
    let ids = claimed.all
    #expect(ids.count == 60 && Set(ids).count == 60)
  }
}

final class ClaimLog: Sendable {
  private let ids = Mutex<[String]>([])
  func add(_ id: String) { ids.withLock { $0.append(id) } }
  var all: [String] { ids.withLock { $0 } }
}
