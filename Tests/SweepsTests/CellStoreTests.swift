import Foundation
import QUBOModel
import Testing
import WorkQueue

@testable import Sweeps

@Suite struct CellStoreTests {
  func result(_ key: String, _ energies: [Double]) -> CellResult {
    CellResult(
      key: key, instance: "i", sampler: "sa", parameters: ["sweeps": .int(10)], seed: 1,
      energies: energies, spinUpdates: 100, seconds: 0.25, threads: 1)
  }

  func tempPath() -> String {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("cells-\(UInt64.random(in: 0...UInt64.max)).jsonl").path
  }

  @Test func recordsRoundTrip() throws {
    let path = tempPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = JSONLinesCellStore(path: path)
    #expect(try store.finished().isEmpty)
    let a = result("a", [-1.5, -2, 0.1 + 0.2])
    try store.record(a)
    try store.record(result("b", [3]))
    try store.record(result("a", [99]))
    let back = try store.finished()
    #expect(back.map(\.key) == ["a", "b"])
    #expect(back[0] == a)
  }

  @Test func tornLastLineIsIgnoredThenCutOff() throws {
    let path = tempPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = JSONLinesCellStore(path: path)
    try store.record(result("a", [1]))
    // A kill -9 in the middle of a write leaves a line without its newline.
    let handle = try #require(FileHandle(forWritingAtPath: path))
    handle.seekToEndOfFile()
    handle.write(Data("{\"key\":\"b\",\"energ".utf8))
    handle.closeFile()
    #expect(try store.finished().map(\.key) == ["a"])
    try store.record(result("c", [2]))
    #expect(try store.finished().map(\.key) == ["a", "c"])
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.split(separator: "\n").count == 2)
    #expect(text.hasSuffix("\n"))
  }

  @Test func runnerNeverRepeatsAFinishedCell() throws {
    let path = tempPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let spec = try SweepSpec(json: try SpecText.parse(SpecTests.valid))
    let plan = try SweepPlan(spec: spec)
    let store = JSONLinesCellStore(path: path)
    // A run stopped after 8 cells; the rerun runs the other 8 and a third
    // run nothing.
    var started = 0
    let first = try SweepRunner(plan: plan, store: store).run(
      shouldStop: {
        defer { started += 1 }
        return started >= 8
      })
    #expect(first == 8)
    #expect(try SweepRunner(plan: plan, store: store).run() == 8)
    #expect(try SweepRunner(plan: plan, store: store).run() == 0)
    let keys = try store.finished().map(\.key)
    #expect(keys.count == plan.cells.count)
    #expect(Set(keys) == Set(plan.cells.map(\.key)))
  }

  @Test func summaryOfAReplayedSweepIsIdentical() throws {
    let spec = try SweepSpec(json: try SpecText.parse(SpecTests.valid))
    let plan = try SweepPlan(spec: spec)
    var summaries: [String] = []
    for order in [false, true] {
      let path = tempPath()
      defer { try? FileManager.default.removeItem(atPath: path) }
      let store = JSONLinesCellStore(path: path)
      if order {
        // A partial run first: the last cells, as another worker would.
        for cell in plan.cells.suffix(5) { try store.record(try plan.run(cell)) }
      }
      try SweepRunner(plan: plan, store: store).run()
      let summary = SweepSummary(plan: plan, results: try store.finished())
      #expect(summary.isComplete)
      guard case .object(var o) = summary.json else {
        Issue.record("summary.json is not an object")
        return
      }
      o["groups"] = .array(summary.groups.map { .double($0.statistics.tts99.value) })
      summaries.append(JSONValue.object(o).serialized())
    }
    #expect(summaries[0] == summaries[1])
  }
}

/// Claims of a local sweep: an SQLite work queue beside its JSON-lines log.
/// A live claim is never handed out again, a dead local process's claim is
/// at once, a finished cell never is, and a record through a lost lease
/// writes nothing.
@Suite struct LocalCellQueueTests {
  func result(_ key: String) -> CellResult {
    CellResult(
      key: key, instance: "i", sampler: "sa", parameters: [:], seed: 0, energies: [1],
      spinUpdates: 1, seconds: 0, threads: 1)
  }

  func items(_ keys: [String]) -> [NewWorkItem] {
    keys.map { NewWorkItem(key: $0, payload: Data()) }
  }

  @Test func liveClaimsHoldAndDeadOnesAreTakenOver() throws {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("claims-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("cells.jsonl").path
    func worker(_ name: String) throws -> CellQueue {
      CellQueue(
        queue: try SQLiteWorkQueue(path: path + ".queue"), name: "cells",
        log: JSONLinesCellStore(path: path), worker: name, staleAfter: 3600,
        heartbeatInterval: nil)
    }
    let me = try worker(WorkerIdentity.current)
    try me.submit(items(["a", "b"]))
    let (a, lease) = try #require(try me.claim())
    #expect(a == "a")
    // A second worker on the same files skips the live claim.
    let other = try worker("elsewhere 7 7")
    #expect(try other.claim()?.key == "b")
    #expect(try me.claim() == nil)
    #expect(try me.record(result("a"), under: lease))
    try me.submit(items(["a", "b", "c"]))
    #expect(try me.claim()?.key == "c")

    // A claim of a local process that has exited is taken over at once.
    let gone = Process()
    gone.executableURL = URL(fileURLWithPath: "/bin/true")
    try gone.run()
    gone.waitUntilExit()
    let host = WorkerIdentity.current.split(separator: " ")[0]
    let dead = try worker("\(host) \(gone.processIdentifier) 12345")
    try dead.submit(items(["a", "b", "c", "d"]))
    let (_, deadLease) = try #require(try dead.claim())
    #expect(try me.claim()?.key == "d")
    #expect(try !dead.record(result("d"), under: deadLease))
    // A live pid with another start time (a reused pid) holds nothing.
    let reused = try worker("\(host) \(getpid()) 1")
    try reused.submit(items(["a", "b", "c", "d", "e"]))
    #expect(try reused.claim()?.key == "e")
    #expect(try me.claim()?.key == "e")
    // A cell the log already holds (its worker died between the log and the
    // queue) is finished from the log, never run again.
    try JSONLinesCellStore(path: path).record(result("f"))
    try me.submit(items(["a", "b", "c", "d", "e", "f"]))
    #expect(try me.claim() == nil)
    let f = try SQLiteWorkQueue(path: path + ".queue").item(key: "f", in: "cells")
    #expect(f?.state == .done)
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2, "\(lines)")
  }
}
