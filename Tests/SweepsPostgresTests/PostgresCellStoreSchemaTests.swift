import Foundation
import PostgresSupport
import Sweeps
import SweepsPostgres
import Testing
import _PostgresTestSupport
import TuningPostgres

/// The sweep table's schema: created on first use in an empty database,
/// refused when the database is newer than this binary.
@Suite(
  "sweep cells schema in PostgreSQL",
  .enabled(if: TestServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct PostgresCellStoreSchemaTests {
  @Test func aNewerSchemaIsRefusedWithAMessage() throws {
    let base = try #require(TestServer.url, "CI=true but ANNEAL_POSTGRES_URL is unset")
    let admin = try PostgresConnection(try PostgresURL(base))
    let db =
      "sweep_schema_\(ProcessInfo.processInfo.processIdentifier)_\(UInt16.random(in: 0...9999))"
    try admin.execute("CREATE DATABASE \(db)")
    defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(db) WITH (FORCE)") }
    let slash = try #require(base.lastIndex(of: "/"))
    let url = try PostgresURL(String(base[...slash]) + db)

    let first = try PostgresCellQueue.open(url: url, sweep: "s")
    first.close()
    let direct = try PostgresConnection(url)
    let version = try direct.execute("SELECT max(version) FROM anneal_schema").rows
    #expect(version == [[String(AnnealSchema.version)]])
    try direct.execute("INSERT INTO anneal_schema (version) VALUES (99)")
    do {
      let cells = try PostgresCellQueue.open(url: url, sweep: "s")
      cells.close()
      Issue.record("a newer schema was accepted")
    } catch let error as CellStoreError {
      #expect("\(error)".contains("schema version 99"), "\(error)")
    }
  }

  @Test(arguments: [true, false])
  func sweepsAndStudiesShareOneDatabaseInEitherOrder(sweepsFirst: Bool) throws {
    let base = try #require(TestServer.url, "CI=true but ANNEAL_POSTGRES_URL is unset")
    let admin = try PostgresConnection(try PostgresURL(base))
    let db =
      "shared_schema_\(ProcessInfo.processInfo.processIdentifier)_\(UInt16.random(in: 0...9999))"
    try admin.execute("CREATE DATABASE \(db)")
    defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(db) WITH (FORCE)") }
    let slash = try #require(base.lastIndex(of: "/"))
    let url = try PostgresURL(String(base[...slash]) + db)
    func sweeps() throws { try PostgresCellQueue.open(url: url, sweep: "s").close() }
    func studies() throws { _ = try PostgresStorage(url: url) }
    if sweepsFirst {
      try sweeps()
      try studies()
    } else {
      try studies()
      try sweeps()
    }
    try sweeps()
    try studies()
    let direct = try PostgresConnection(url)
    #expect(
      try direct.execute("SELECT max(version) FROM anneal_schema").rows
        == [[String(AnnealSchema.version)]])
  }
}
