import Foundation
import PostgresSupport
import Synchronization
import Testing
import _PostgresTestSupport
import Tuning
import TuningPostgres

@Suite("Tuning storage in PostgreSQL", .enabled(if: TestServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct PostgresStorageTests {
  static func storage() throws -> PostgresStorage {
    try PostgresStorage(url: try TestServer.requireURL())
  }

  static func uniqueName(_ base: String) -> String { TestServer.uniqueName(base) }

  @Test func claimsFromSeveralConnectionsNeverCollide() throws {
    let name = Self.uniqueName("claims")
    try Self.storage().openStudy(name: name, direction: .minimize)
    let numbers = Numbers()
    let failures = WorkerFailures()
    DispatchQueue.concurrentPerform(iterations: 3) { worker in
      do {
        let store = try Self.storage()
        while let t = try store.claimTrial(study: name, limit: 60, owner: "w\(worker)") {
          numbers.add(t.number)
        }
      } catch {
        failures.add("worker \(worker): \(error)")
      }
    }
    #expect(failures.all.isEmpty, "\(failures.all)")
    let all = numbers.all
    #expect(all.count == 60 && Set(all) == Set(0..<60))
    #expect(try Self.storage().trials(study: name).count == 60)
  }

  @Test func aSavedTrialReadsBackTheSame() throws {
    let store = try Self.storage()
    let name = Self.uniqueName("roundtrip")
    try store.openStudy(name: name, direction: .maximize)
    guard var t = try store.claimTrial(study: name, limit: nil, owner: "me") else {
      Issue.record("no trial claimed")
      return
    }
    t.parameters = ["lr": .double(0.001), "act": .string("tanh"), "w": .int(3), "n": .bool(true)]
    t.parameterOrder = ["lr", "act", "w", "n"]
    t.intermediateValues = [1: 0.5, 2: 0.25]
    t.userAttributes = ["note": .string("it's \"quoted\"")]
    t.value = 0.1 + 0.2
    t.state = .complete
    t.finished = Date(timeIntervalSince1970: 1_800_000_000.125)
    try store.save(study: name, trial: t)
    let back = try store.trials(study: name)
    #expect(back.count == 1)
    #expect(back.first?.parameters == t.parameters && back.first?.value == t.value)
    #expect(back.first?.intermediateValues == t.intermediateValues)
    #expect(back.first?.userAttributes == t.userAttributes && back.first?.state == .complete)
    #expect(throws: TuningError.self) { try store.openStudy(name: name, direction: .minimize) }
  }

  @Test func aConfigurationIsReservedOnce() throws {
    let store = try Self.storage()
    let name = Self.uniqueName("reserve")
    try store.openStudy(name: name, direction: .minimize)
    #expect(try store.reserve(study: name, configuration: "x=1", number: 0))
    #expect(try !store.reserve(study: name, configuration: "x=1", number: 1))
    #expect(try store.reserve(study: name, configuration: "x=1", number: 0))
  }

  @Test func abandonedTrialsAreRequeuedAndReused() throws {
    let store = try Self.storage()
    let name = Self.uniqueName("requeue")
    try store.openStudy(name: name, direction: .minimize)
    _ = try store.claimTrial(study: name, limit: nil, owner: "dead")
    _ = try store.claimTrial(study: name, limit: nil, owner: "alive")
    #expect(try store.requeueAbandoned(study: name) { $0 == "alive" } == 1)
    let next = try store.claimTrial(study: name, limit: nil, owner: "new")
    #expect(next?.number == 0)
  }

  @Test func aNewerSchemaIsRefusedWithAMessage() throws {
    guard let base = TestServer.url else {
      Issue.record("CI=true but ANNEAL_POSTGRES_URL is unset")
      return
    }
    let admin = try TestServer.connect()
    let db = "schema_\(ProcessInfo.processInfo.processIdentifier)_\(UInt16.random(in: 0...9999))"
    try admin.execute("CREATE DATABASE \(db)")
    defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(db) WITH (FORCE)") }
    let slash = try #require(base.lastIndex(of: "/"), "no database name in \(base)")
    let url = try PostgresURL(String(base[...slash]) + db)
    _ = try PostgresStorage(url: url)
    let direct = try PostgresConnection(url)
    try direct.execute("INSERT INTO anneal_schema (version) VALUES (99)")
    do {
      _ = try PostgresStorage(url: url)
      Issue.record("a newer schema was accepted")
    } catch let error as TuningError {
      #expect("\(error)".contains("schema version 99"), "\(error)")
    }
  }
}

final class Numbers: Sendable {
  private let values = Mutex<[Int]>([])
  func add(_ v: Int) { values.withLock { $0.append(v) } }
  var all: [Int] { values.withLock { $0 } }
}

/// What went wrong in concurrent workers, so a failed worker fails the test
/// instead of leaving the others to make the count match.
final class WorkerFailures: Sendable {
  private let messages = Mutex<[String]>([])
  func add(_ message: String) { messages.withLock { $0.append(message) } }
  var all: [String] { messages.withLock { $0 } }
}
