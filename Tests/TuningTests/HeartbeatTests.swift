import Foundation
import QUBOModel
import Testing
import WorkQueue

@testable import Tuning

/// What every storage must do with heartbeats: a running trial without one
/// for `timeout` seconds is failed and flagged lost, a lost trial leaves its
/// place in the budget to another, and a late save never revives it.
func checkHeartbeats(_ store: any TrialStorage, study: String) throws {
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
  #expect(try store.failStale(study: study, timeout: 0.5, reason: "lost") == 0)
  // The lost trial leaves its place in the budget of 2.
  let c = try #require(try store.claimTrial(study: study, limit: 2, owner: "c"))
  #expect(c.number == 2)
  #expect(try store.claimTrial(study: study, limit: 2, owner: "d") == nil)
  // Its worker, back too late, cannot complete it.
  var late = a
  late.state = .complete
  late.value = 1
  late.finished = Date()
  try store.save(study: study, trial: late)
  all = try store.trials(study: study)
  #expect(all[a.number].state == .failed && all[a.number].value == nil)
}

@Suite struct HeartbeatTests {
  @Test func inMemory() throws {
    try checkHeartbeats(InMemoryStorage(), study: "hb")
  }

  @Test func sqlite() throws {
    let path = temporaryDatabase("heartbeat")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try checkHeartbeats(SQLiteStorage(path: path), study: "hb")
  }

  /// A study whose worker thread hangs without heartbeats: another worker
  /// fails that trial and runs a replacement, so the study of 4 trials ends
  /// with 4 complete and 1 failed.
  @Test func aLostTrialIsFailedAndReplaced() throws {
    let store = InMemoryStorage()
    let hung = try Study(
      name: "s", storage: store, seed: 1, heartbeatInterval: 0.05, heartbeatTimeout: 0.3)
    // Claimed but never run: as if its worker died mid-trial.
    _ = try #require(try hung.ask(limit: 4))
    let study = try Study(
      name: "s", storage: store, seed: 2, heartbeatInterval: 0.05, heartbeatTimeout: 0.3)
    let start = Date()
    // The timeout turns a regression (waiting forever for trial 0) into a failure.
    try study.optimize(trials: 4, timeout: 10) { t in
      Thread.sleep(forTimeInterval: 0.5)  // longer than the timeout: heartbeats keep it alive
      return Double(try t.suggestInt("x", low: 0, high: 99))
    }
    let trials = try study.trials
    #expect(trials.filter { $0.state == .complete }.count == 4)
    #expect(trials.filter { $0.state == .failed }.count == 1)
    #expect(trials[0].state == .failed)
    #expect(Date().timeIntervalSince(start) < 5)
  }
}

/// Trial leases judge staleness on the queue's clock only: with the
/// storage's clock hours away from this process's (either way), a fresh
/// trial is never failed and a silent one is failed after the timeout.
@Suite struct TrialLeaseClockTests {
  @Test(arguments: [-3 * 3600.0, 3 * 3600.0])
  func staleTrialsAreJudgedOnTheStorageClock(offset: Double) throws {
    let leases = TrialLeases(queue: InMemoryWorkQueue(clock: { Date() + offset }))
    #expect(try leases.start(study: "s", number: 0, owner: "a"))
    #expect(try leases.start(study: "s", number: 1, owner: "b"))
    #expect(try leases.failStale(study: "s", timeout: 0.5, reason: "lost") == [])
    Thread.sleep(forTimeInterval: 0.7)
    #expect(try leases.beat(study: "s", number: 1, owner: "b"))
    #expect(try leases.failStale(study: "s", timeout: 0.5, reason: "lost") == [0])
    #expect(try !leases.beat(study: "s", number: 0, owner: "a"))
  }
}
