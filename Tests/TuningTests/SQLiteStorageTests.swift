import Foundation
import Testing

@testable import Tuning

func temporaryDatabase(_ name: String) -> String {
  let path = FileManager.default.temporaryDirectory
    .appendingPathComponent(
      "anneal-tuning-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).db"
    ).path
  return path
}

@Suite struct SQLiteStorageTests {
  @Test func trialsSurviveReopeningAndTheStudyResumes() throws {
    let path = temporaryDatabase("resume")
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
      let study = try Study(name: "r", storage: try SQLiteStorage(path: path), seed: 1)
      try study.optimize(trials: 4) { t in
        try t.report(0.5, step: 1)
        try t.setUserAttribute("tag", .string("first"))
        return Double(try t.suggestInt("x", low: 0, high: 50))
      }
    }
    let study = try Study(name: "r", storage: try SQLiteStorage(path: path), seed: 1)
    let before = try study.trials
    #expect(before.count == 4)
    #expect(before[0].intermediateValues == [1: 0.5])
    #expect(before[0].userAttributes["tag"] == .string("first"))
    #expect(before[0].distributions["x"] == .integer(low: 0, high: 50, step: 1))
    try study.optimize(trials: 7) { t in Double(try t.suggestInt("x", low: 0, high: 50)) }
    let after = try study.trials
    #expect(after.map(\.number) == Array(0..<7))
    #expect(Array(after.prefix(4)) == before)
  }

  @Test func abandonedTrialsAreReusedNotRepeated() throws {
    let path = temporaryDatabase("abandon")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let storage = try SQLiteStorage(path: path)
    try storage.openStudy(name: "a", direction: .minimize)
    // A worker on this host whose process no longer exists.
    let dead = "\(ProcessInfo.processInfo.hostName)/2147483000"
    _ = try storage.claimTrial(study: "a", limit: nil, owner: dead)
    let study = try Study(name: "a", storage: storage, seed: 2)
    #expect(try study.trials.first?.state == .waiting)
    try study.optimize(trials: 3) { t in Double(try t.suggestInt("x", low: 0, high: 9)) }
    let trials = try study.trials
    #expect(trials.map(\.number) == [0, 1, 2])
    #expect(trials.allSatisfy { $0.state == .complete })
  }

  @Test func threadsSharingOneFileClaimEachNumberOnce() throws {
    let path = temporaryDatabase("threads")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let a = try Study(name: "t", storage: try SQLiteStorage(path: path), seed: 3)
    let b = try Study(name: "t", storage: try SQLiteStorage(path: path), seed: 4)
    let group = DispatchGroup()
    for s in [a, b] {
      group.enter()
      Thread {
        try? s.optimize(trials: 30, parallelism: 2) { t in
          Double(try t.suggestInt("x", low: 0, high: 10_000))
        }
        group.leave()
      }.start()
    }
    group.wait()
    let trials = try a.trials
    #expect(trials.map(\.number) == Array(0..<30))
    #expect(trials.allSatisfy { $0.state == .complete })
  }

  @Test func storageURLs() throws {
    #expect(try SQLiteStorage.open(url: "memory") is InMemoryStorage)
    #expect(try SQLiteStorage.open(url: "postgresql://host/db") == nil)
    #expect(try SQLiteStorage.open(url: "sqlite://x.db") == nil)
    #expect(throws: TuningError.self) { _ = try SQLiteStorage.open(url: "sqlite:///") }
    let path = temporaryDatabase("url")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try SQLiteStorage.open(url: "sqlite:///" + path) is SQLiteStorage)
    #expect(FileManager.default.fileExists(atPath: path))
  }
}
