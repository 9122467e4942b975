import Foundation
import QUBOModel
import Testing

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

/// Claims on the JSON-lines store: a live claim is never handed out again,
/// a dead process's claim is, a finished cell never is.
@Suite struct JSONLinesClaimTests {
  @Test func liveClaimsHoldAndDeadOnesAreTakenOver() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("claims-\(UInt64.random(in: 0...UInt64.max)).jsonl").path
    defer {
      try? FileManager.default.removeItem(atPath: path)
      try? FileManager.default.removeItem(atPath: path + ".claims")
    }
    let store = JSONLinesCellStore(path: path)
    #expect(try store.claim(among: ["a", "b"]) == "a")
    // A second store on the same file (another worker) skips the live claim.
    #expect(try JSONLinesCellStore(path: path).claim(among: ["a", "b"]) == "b")
    #expect(try store.claim(among: ["a", "b"]) == nil)
    try store.record(
      CellResult(
        key: "a", instance: "i", sampler: "sa", parameters: [:], seed: 0, energies: [1],
        spinUpdates: 1, seconds: 0, threads: 1))
    #expect(try store.claim(among: ["a", "b", "c"]) == "c")

    // A claim of a process that has exited is taken over.
    let gone = Process()
    gone.executableURL = URL(fileURLWithPath: "/bin/true")
    try gone.run()
    gone.waitUntilExit()
    try "\(gone.processIdentifier) 12345 d\n".write(
      toFile: path + ".claims", atomically: true, encoding: .utf8)
    #expect(try store.claim(among: ["d"]) == "d")
    // A live process with another start time (a reused pid) holds nothing.
    try "\(getpid()) 1 e\n".write(toFile: path + ".claims", atomically: true, encoding: .utf8)
    #expect(try store.claim(among: ["e"]) == "e")
  }
}
