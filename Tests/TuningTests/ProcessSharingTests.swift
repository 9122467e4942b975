import Foundation
import Testing

@testable import Tuning

/// The `anneal` executable next to the test bundle (built by
/// `swift build --build-tests`).
enum AnnealExecutable {
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
  }

  static var url: URL {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for dir in [here, here.deletingLastPathComponent()] {
      let candidate = dir.appendingPathComponent("anneal")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return packageRoot.appendingPathComponent(".build/debug/anneal")
  }

  /// Starts `anneal tune` with output discarded.
  static func startTune(_ arguments: [String]) throws -> Process {
    let p = Process()
    p.executableURL = url
    p.arguments = ["tune"] + arguments
    p.currentDirectoryURL = packageRoot
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
  }
}

/// A temporary directory with a spec whose command logs each trial number
/// it starts to `log`, sleeps, then prints `loss: x`.
struct SharedStudyFixture {
  let dir: URL
  var database: String { dir.appendingPathComponent("study.db").path }
  var log: String { dir.appendingPathComponent("started.log").path }
  var spec: String { dir.appendingPathComponent("spec.yaml").path }

  init(name: String, trials: Int, sleep: Double, sampler: String = "random", high: Int = 999)
    throws
  {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "anneal-share-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let text = """
      name: shared
      trials: \(trials)
      sampler: \(sampler)
      parameters:
        x: {type: int, low: 0, high: \(high)}
      command: |-
        echo {trial} >> \(log); sleep \(sleep); echo "loss: {x}"
      metric: loss
      storage: sqlite:///\(database)
      """
    try text.write(toFile: spec, atomically: true, encoding: .utf8)
  }

  func startedTrials() -> [Int] {
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { Int($0) }
  }

  func trials() throws -> [FrozenTrial] {
    try SQLiteStorage(path: database).trials(study: "shared")
  }

  func remove() { try? FileManager.default.removeItem(at: dir) }
}

@Suite(.serialized) struct ProcessSharingTests {
  @Test func twoProcessesShareOneStudyWithoutDuplicates() throws {
    let f = try SharedStudyFixture(name: "two", trials: 16, sleep: 0.05)
    defer { f.remove() }
    let a = try AnnealExecutable.startTune([f.spec, "--workers", "2", "--seed", "1"])
    let b = try AnnealExecutable.startTune([f.spec, "--workers", "2", "--seed", "2"])
    a.waitUntilExit()
    b.waitUntilExit()
    #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
    let trials = try f.trials()
    #expect(trials.map(\.number) == Array(0..<16))
    #expect(trials.allSatisfy { $0.state == .complete })
    let started = f.startedTrials()
    #expect(started.sorted() == Array(0..<16), "each trial ran exactly once: \(started)")
    let owners = Set(trials.compactMap(\.owner))
    #expect(owners.count == 2, "both processes ran trials: \(owners)")
  }

  @Test func fourProcessesCreateOneNewDatabaseTogether() throws {
    for round in 0..<3 {
      let f = try SharedStudyFixture(name: "open\(round)", trials: 8, sleep: 0)
      defer { f.remove() }
      let all = try (1...4).map { try AnnealExecutable.startTune([f.spec, "--seed", "\($0)"]) }
      for p in all { p.waitUntilExit() }
      #expect(all.allSatisfy { $0.terminationStatus == 0 })
      let trials = try f.trials()
      #expect(trials.map(\.number) == Array(0..<8))
      #expect(f.startedTrials().sorted() == Array(0..<8))
    }
  }

  @Test func twoProcessesOnOneGridRunEachConfigurationOnce() throws {
    for round in 0..<3 {
      let f = try SharedStudyFixture(
        name: "grid\(round)", trials: 40, sleep: 0.02, sampler: "grid", high: 5)
      defer { f.remove() }
      let all = try (1...2).map {
        try AnnealExecutable.startTune([f.spec, "--seed", "\($0)", "--workers", "2"])
      }
      for p in all { p.waitUntilExit() }
      #expect(all.map(\.terminationStatus) == [0, 0])
      let trials = try f.trials()
      let complete = trials.filter { $0.state == .complete }
      #expect(
        complete.compactMap { $0.parameters["x"]?.description }.sorted()
          == ["0", "1", "2", "3", "4", "5"])
      for t in trials where t.state != .complete {
        #expect(t.state == .failed)
        #expect(t.userAttributes["error"] == .string("no configuration left to try"))
      }
    }
  }

  @Test func killedStudyResumesAndKeepsEveryFinishedTrial() throws {
    let f = try SharedStudyFixture(name: "kill", trials: 10, sleep: 0.2)
    defer { f.remove() }
    let first = try AnnealExecutable.startTune([f.spec, "--seed", "1"])
    let deadline = Date().addingTimeInterval(60)
    var finished: [FrozenTrial] = []
    while Date() < deadline {
      finished = ((try? f.trials()) ?? []).filter { $0.state == .complete }
      if finished.count >= 3 { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    kill(first.processIdentifier, SIGKILL)
    first.waitUntilExit()
    finished = try f.trials().filter { $0.state == .complete }
    #expect(finished.count >= 3 && finished.count < 10)
    let second = try AnnealExecutable.startTune([f.spec, "--seed", "1"])
    second.waitUntilExit()
    #expect(second.terminationStatus == 0)
    let trials = try f.trials()
    #expect(trials.map(\.number) == Array(0..<10))
    #expect(trials.allSatisfy { $0.state == .complete })
    for t in finished {
      #expect(trials[t.number] == t, "finished trial \(t.number) kept as it was")
    }
    let started = f.startedTrials()
    for t in finished {
      #expect(started.filter { $0 == t.number }.count == 1, "trial \(t.number) ran once")
    }
  }
}
