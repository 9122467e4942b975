import Foundation
import PostgresSupport
import Testing
import _PostgresTestSupport
import Tuning
import TuningPostgres

@Suite(
  "Heartbeats in PostgreSQL", .enabled(if: TestServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct PostgresHeartbeatTests {
  /// The same checks as the other storages' (`HeartbeatTests`).
  @Test func staleTrialsAreFailedAndReplaced() throws {
    let store = try PostgresStorageTests.storage()
    let study = PostgresStorageTests.uniqueName("heartbeat")
    try store.openStudy(name: study, direction: .minimize)
    let a = try #require(try store.claimTrial(study: study, limit: 2, owner: "a"))
    let b = try #require(try store.claimTrial(study: study, limit: 2, owner: "b"))
    #expect(try store.claimTrial(study: study, limit: 2, owner: "c") == nil)
    Thread.sleep(forTimeInterval: 0.8)
    try store.heartbeat(study: study, number: b.number, owner: "b")
    try store.heartbeat(study: study, number: a.number, owner: "not-a")
    #expect(try store.failStale(study: study, timeout: 0.5, reason: "lost") == 1)
    var all = try store.trials(study: study)
    #expect(all[a.number].state == .failed && all[a.number].finished != nil)
    #expect(all[a.number].userAttributes["error"] == .string("lost"))
    #expect(all[a.number].userAttributes[lostTrialAttribute] == .bool(true))
    #expect(all[b.number].state == .running)
    let c = try #require(try store.claimTrial(study: study, limit: 2, owner: "c"))
    #expect(c.number == 2)
    #expect(try store.claimTrial(study: study, limit: 2, owner: "d") == nil)
    var late = a
    late.state = .complete
    late.value = 1
    try store.save(study: study, trial: late)
    all = try store.trials(study: study)
    #expect(all[a.number].state == .failed && all[a.number].value == nil)
  }

  /// A version-1 database (no heartbeat columns) is migrated to the current
  /// version on open, twice without harm, and its running trials can go stale.
  @Test func aVersionOneDatabaseIsMigrated() throws {
    let base = try #require(TestServer.url, "CI=true but ANNEAL_POSTGRES_URL is unset")
    let admin = try TestServer.connect()
    let db = "v1_\(ProcessInfo.processInfo.processIdentifier)_\(UInt16.random(in: 0...9999))"
    try admin.execute("CREATE DATABASE \(db)")
    defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(db) WITH (FORCE)") }
    let slash = try #require(base.lastIndex(of: "/"))
    let url = try PostgresURL(String(base[...slash]) + db)
    let direct = try PostgresConnection(url)
    try direct.execute("CREATE TABLE anneal_schema (version integer NOT NULL)")
    try direct.execute("INSERT INTO anneal_schema (version) VALUES (1)")
    try direct.execute("CREATE TABLE studies (name text PRIMARY KEY, direction text NOT NULL)")
    try direct.execute(
      """
      CREATE TABLE trials (
        study text NOT NULL REFERENCES studies(name), number integer NOT NULL,
        state text NOT NULL, value double precision, payload text NOT NULL, owner text,
        started double precision, finished double precision, PRIMARY KEY (study, number))
      """)
    try direct.execute("INSERT INTO studies VALUES ('old', 'minimize')")
    try direct.execute(
      """
      INSERT INTO trials (study, number, state, payload, owner, started)
      VALUES ('old', 0, 'running', '{}', 'gone/1', 1000)
      """)
    let store = try PostgresStorage(url: url)
    _ = try PostgresStorage(url: url)
    let version = try direct.execute("SELECT version FROM anneal_schema").rows
    #expect(version == [[String(AnnealSchema.version)]])
    #expect(try store.failStale(study: "old", timeout: 30, reason: "lost") == 1)
    #expect(try store.trials(study: "old").first?.state == .failed)
    try direct.execute("UPDATE anneal_schema SET version = \(AnnealSchema.version + 1)")
    #expect(throws: TuningError.self) { _ = try PostgresStorage(url: url) }
  }
}
