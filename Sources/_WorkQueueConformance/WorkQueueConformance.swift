import Foundation
import Synchronization
import WorkQueue

// One conformance suite for every `WorkQueue` backend (after Optuna's
// `tests/storages_tests`, one suite over every storage): each check opens a
// fresh storage through a `WorkQueueBackend` and returns the contract
// violations it saw, so a test target runs
//
//     @Test(arguments: WorkQueueConformance.checks)
//     func sqlite(_ check: WorkQueueConformance.Check) throws {
//       #expect(try check.run(.sqlite) == [])
//     }
//
// Timing: staleness checks use real time with leases of about a second, so
// a check never depends on a clock it does not control; the skewed-clock
// check puts the storage's clock hours away from the caller's.

/// The shared work-queue conformance suite.
public enum WorkQueueConformance {
  /// One check of the contract.
  public struct Check: Sendable, CustomStringConvertible {
    /// Its name.
    public var name: String
    /// Whether it needs a persistent backend (it is a pass otherwise).
    public var needsPersistence: Bool
    let body: @Sendable (WorkQueueBackend, Findings) throws -> Void

    public var description: String { name }

    /// Runs the check against `backend`; the contract violations it saw
    /// (empty when it passed).
    public func run(_ backend: WorkQueueBackend) throws -> [String] {
      if needsPersistence && !backend.persistent { return [] }
      let findings = Findings(backend: backend.name, check: name)
      try body(backend, findings)
      return findings.list
    }
  }

  /// Every check.
  public static let checks: [Check] = [
    Check(name: "idempotent enqueue", needsPersistence: false, body: idempotentEnqueue),
    Check(name: "claim order and fields", needsPersistence: false, body: claimOrder),
    Check(name: "atomic claim under contention", needsPersistence: false, body: contention),
    Check(name: "fenced writes after a stale reclaim", needsPersistence: false, body: staleReclaim),
    Check(name: "fenced writes after cancel", needsPersistence: false, body: cancel),
    Check(name: "result stored with done", needsPersistence: false, body: resultWithDone),
    Check(name: "release and requeue", needsPersistence: false, body: releaseAndRequeue),
    Check(name: "resume after reopen", needsPersistence: true, body: resume),
    Check(name: "skewed-clock worker", needsPersistence: false, body: skewedClock),
  ]

  /// Seconds a lease lives without a heartbeat in the staleness checks.
  static let lease = 1.2

  static func payload(_ s: String) -> Data { Data(s.utf8) }

  static func idempotentEnqueue(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let q = try storage.open()
    let items = ["a", "b"].map { NewWorkItem(key: $0, payload: payload($0), owner: "me") }
    try f.expect(q.enqueue(items, in: storage.queue("idem")) == 2, "a first enqueue adds both items")
    guard let (item, lease) = try q.claim(in: storage.queue("idem"), worker: "w", staleAfter: 3600) else {
      return f.fail("claim of a fresh queue gave nothing")
    }
    try f.expect(q.finish(lease, result: payload("r")), "finish of a current lease")
    let again = ["b", "a", "c"].map { NewWorkItem(key: $0, payload: payload("new \($0)")) }
    try f.expect(q.enqueue(again, in: storage.queue("idem")) == 1, "a second enqueue adds only the new key")
    let stored = try q.item(key: item.key, in: storage.queue("idem"))
    f.expect(stored?.state == .done, "a re-enqueued done item stays done (got \(stored?.state as Any))")
    f.expect(stored?.result == payload("r"), "a re-enqueued item keeps its result")
    f.expect(stored?.payload == payload(item.key), "a re-enqueued item keeps its payload")
    f.expect(stored?.owner == "me", "a re-enqueued item keeps its owner")
    try f.expect(q.items(in: storage.queue("idem")).map(\.key) == ["a", "b", "c"], "items oldest first")
    try f.expect(q.enqueue([], in: storage.queue("idem")) == 0, "an empty enqueue adds nothing")
    try f.expect(q.item(key: "zz", in: storage.queue("idem")) == nil, "no item for an unknown key")
    try f.expect(q.items(in: storage.queue("other")).isEmpty, "queues are separate")
    try q.enqueue([NewWorkItem(key: "a", payload: Data())], in: storage.queue("other"))
    try f.expect(q.removeAll(in: storage.queue("idem")) == 3, "removeAll removes the queue's items")
    try f.expect(q.items(in: storage.queue("idem")).isEmpty, "a removed queue is empty")
    try f.expect(!q.finish(lease, result: Data()), "a removed item's lease is dead")
    try f.expect(q.items(in: storage.queue("other")).count == 1, "removeAll leaves other queues")
    try f.expect(q.enqueue(items, in: storage.queue("idem")) == 2, "a removed queue fills again")
  }

  static func claimOrder(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let q = try storage.open()
    try q.enqueue((0..<3).map { NewWorkItem(key: "k\($0)", payload: payload("p\($0)")) }, in: storage.queue("o"))
    for k in 0..<3 {
      guard let (item, lease) = try q.claim(in: storage.queue("o"), worker: "w\(k)", staleAfter: 3600) else {
        return f.fail("claim \(k) of 3 queued items gave nothing")
      }
      f.expect(item.key == "k\(k)", "claims take the oldest queued item (got \(item.key))")
      f.expect(item.state == .running && item.attempts == 1, "a claimed item runs, attempt 1")
      f.expect(item.worker == "w\(k)" && item.payload == payload("p\(k)"), "claim fields")
      f.expect(lease == WorkLease(queue: storage.queue("o"), key: "k\(k)", worker: "w\(k)", generation: 1), "lease")
      f.expect(item.heartbeat != nil, "a claim stamps a heartbeat")
    }
    try f.expect(q.claim(in: storage.queue("o"), worker: "x", staleAfter: 3600) == nil, "no claim of live items")
    try q.enqueue(["k3", "k4"].map { NewWorkItem(key: $0, payload: Data()) }, in: storage.queue("o"))
    let byKey = try q.claim(key: "k4", in: storage.queue("o"), worker: "y", staleAfter: 3600)
    try f.expect(byKey?.0.key == "k4" && byKey?.1.generation == 1, "a claim by key takes that item")
    try f.expect(
      q.claim(key: "k4", in: storage.queue("o"), worker: "z", staleAfter: 3600) == nil,
      "a claim by key of a live item gives nothing")
    try f.expect(
      q.claim(key: "k9", in: storage.queue("o"), worker: "z", staleAfter: 0) == nil,
      "a claim by an unknown key gives nothing")
    try f.expect(
      q.claim(in: storage.queue("o"), worker: "z", staleAfter: 3600)?.0.key == "k3",
      "a claim by key leaves the others queued")
    try f.expect(q.claim(in: storage.queue("none"), worker: "x", staleAfter: 0) == nil, "no claim of an empty queue")
  }

  static func contention(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let n = 120
    try storage.open().enqueue(
      (0..<n).map { NewWorkItem(key: String(format: "c%03d", $0), payload: Data()) }, in: storage.queue("c"))
    let claimed = Mutex([String: [String]]())
    let errors = Mutex([String]())
    let threads = 4
    DispatchQueue.concurrentPerform(iterations: threads) { t in
      do {
        let q = try storage.open()
        let me = "thread-\(t)"
        while let (item, lease) = try q.claim(in: storage.queue("c"), worker: me, staleAfter: 3600) {
          claimed.withLock { $0[item.key, default: []].append(me) }
          if try !q.finish(lease, result: Data(me.utf8)) {
            errors.withLock { $0.append("\(me) lost a live lease on \(item.key)") }
          }
        }
      } catch {
        errors.withLock { $0.append("\(error)") }
      }
    }
    for e in errors.withLock({ $0 }) { f.fail(e) }
    let seen = claimed.withLock { $0 }
    f.expect(seen.count == n, "\(threads) threads claimed \(seen.count) of \(n) items")
    for (key, who) in seen where who.count != 1 { f.fail("\(key) claimed by \(who)") }
    for item in try storage.open().items(in: storage.queue("c")) {
      let by = seen[item.key]?.first.map { Data($0.utf8) }
      f.expect(item.state == .done && item.result == by, "\(item.key) done by its claimer")
    }
    try processContention(storage, f)
  }

  /// Several worker processes (`_WorkQueueWorker`) on one persistent storage.
  static func processContention(_ storage: WorkQueueBackend.Storage, _ f: Findings) throws {
    guard let url = storage.url else { return }
    guard let tool = WorkerProcess.tool else {
      return f.fail("the _WorkQueueWorker executable is not built beside the tests")
    }
    let n = 90
    try storage.open().enqueue(
      (0..<n).map { NewWorkItem(key: String(format: "p%03d", $0), payload: Data()) }, in: storage.queue("p"))
    let runs = try (0..<3).map { try WorkerProcess(tool: tool, url: url, queue: storage.queue("p"), worker: "proc-\($0)") }
    var seen: [String: [String]] = [:]
    for run in runs {
      let (status, keys) = run.wait()
      f.expect(status == 0, "worker process \(run.worker) exited \(status)")
      for key in keys { seen[key, default: []].append(run.worker) }
    }
    f.expect(seen.count == n, "3 processes claimed \(seen.count) of \(n) items")
    for (key, who) in seen where who.count != 1 { f.fail("\(key) claimed by processes \(who)") }
    let done = try storage.open().items(in: storage.queue("p")).filter { $0.state == .done }.count
    f.expect(done == n, "\(done) of \(n) items done after the processes")
  }

  static func staleReclaim(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let a = try storage.open()
    let b = try storage.open()
    try a.enqueue([NewWorkItem(key: "x", payload: Data())], in: storage.queue("s"))
    guard let (_, old) = try a.claim(in: storage.queue("s"), worker: "A", staleAfter: lease) else {
      return f.fail("claim gave nothing")
    }
    try f.expect(b.claim(in: storage.queue("s"), worker: "B", staleAfter: lease) == nil, "a live item is not reclaimed")
    Thread.sleep(forTimeInterval: lease + 0.4)
    try f.expect(
      a.claim(key: "x", in: storage.queue("s"), worker: "C", staleAfter: lease + 3600) == nil,
      "a claim by key respects its own staleAfter")
    guard let (item, new) = try b.claim(key: "x", in: storage.queue("s"), worker: "B", staleAfter: lease) else {
      return f.fail("a stale item was not reclaimed")
    }
    f.expect(item.key == "x" && new.generation == 2 && item.attempts == 2, "reclaim is generation 2")
    try f.expect(!a.heartbeat(old), "the stale lease's heartbeat is refused")
    try f.expect(!a.finish(old, result: payload("A")), "the stale lease's finish is refused")
    try f.expect(!a.fail(old, error: "A"), "the stale lease's fail is refused")
    try f.expect(!a.release(old), "the stale lease's release is refused")
    try f.expect(b.item(key: "x", in: storage.queue("s"))?.state == .running, "fenced-out writes change nothing")
    try f.expect(b.finish(new, result: payload("B")), "the new lease finishes")
    try f.expect(!a.finish(old, result: payload("A")), "a late finish after done is refused")
    let stored = try a.item(key: "x", in: storage.queue("s"))
    f.expect(stored?.result == payload("B") && stored?.worker == "B", "B's result stands")
    try f.expect(!b.heartbeat(new), "a done item takes no heartbeat")
    try f.expect(b.claim(in: storage.queue("s"), worker: "C", staleAfter: 0) == nil, "a done item is never claimed")
  }

  static func cancel(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let q = try storage.open()
    try q.enqueue(["run", "wait", "done"].map { NewWorkItem(key: $0, payload: Data()) }, in: storage.queue("x"))
    guard let (_, running) = try q.claim(in: storage.queue("x"), worker: "w", staleAfter: 3600) else {
      return f.fail("claim gave nothing")
    }
    try f.expect(q.cancel(key: "run", in: storage.queue("x"), reason: "stop"), "a running item cancels")
    try f.expect(!q.heartbeat(running), "a cancelled item's lease takes no heartbeat")
    try f.expect(!q.finish(running, result: payload("late")), "a cancelled item's lease cannot finish")
    let item = try q.item(key: "run", in: storage.queue("x"))
    f.expect(item?.state == .cancelled && item?.error == "stop", "cancelled with its reason")
    f.expect(item?.result == nil, "a refused finish stores no result")
    try f.expect(q.cancel(key: "wait", in: storage.queue("x"), reason: "no"), "a queued item cancels")
    try f.expect(!q.cancel(key: "wait", in: storage.queue("x"), reason: "no"), "a second cancel is refused")
    guard let (next, lease) = try q.claim(in: storage.queue("x"), worker: "w", staleAfter: 0) else {
      return f.fail("the one queued item was not claimed")
    }
    f.expect(next.key == "done", "cancelled items are not claimed (got \(next.key))")
    try f.expect(q.finish(lease, result: Data()), "finish")
    try f.expect(!q.cancel(key: "done", in: storage.queue("x"), reason: "no"), "a done item does not cancel")
    try f.expect(!q.cancel(key: "nope", in: storage.queue("x"), reason: "no"), "an unknown key does not cancel")
    try f.expect(q.claim(in: storage.queue("x"), worker: "w", staleAfter: 0) == nil, "nothing left to claim")
  }

  static func resultWithDone(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let n = 60
    let writer = try storage.open()
    try writer.enqueue((0..<n).map { NewWorkItem(key: "r\($0)", payload: Data()) }, in: storage.queue("r"))
    let stop = Atomic(false)
    let torn = Mutex([String]())
    let reader = Thread {
      do {
        let q = try storage.open()
        while !stop.load(ordering: .acquiring) {
          for item in try q.items(in: storage.queue("r")) where (item.state == .done) != (item.result != nil) {
            torn.withLock { $0.append("\(item.key): \(item.state), result \(item.result as Any)") }
          }
        }
      } catch {
        torn.withLock { $0.append("reader: \(error)") }
      }
    }
    reader.start()
    while let (item, lease) = try writer.claim(in: storage.queue("r"), worker: "w", staleAfter: 3600) {
      _ = try writer.finish(lease, result: Data(item.key.utf8))
    }
    stop.store(true, ordering: .releasing)
    Thread.sleep(forTimeInterval: 0.2)
    for t in torn.withLock({ $0 }).prefix(5) { f.fail("a reader saw \(t)") }
    for item in try writer.items(in: storage.queue("r")) {
      f.expect(item.state == .done && item.result == Data(item.key.utf8), "\(item.key) done")
    }
  }

  static func releaseAndRequeue(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let q = try storage.open()
    try q.enqueue(["a", "b"].map { NewWorkItem(key: $0, payload: Data()) }, in: storage.queue("q"))
    guard let (_, first) = try q.claim(in: storage.queue("q"), worker: "w", staleAfter: 3600) else {
      return f.fail("claim gave nothing")
    }
    try f.expect(q.release(first), "release of a current lease")
    try f.expect(q.item(key: "a", in: storage.queue("q"))?.state == .queued, "a released item is queued")
    try f.expect(!q.release(first), "a second release is refused")
    guard let (again, second) = try q.claim(in: storage.queue("q"), worker: "v", staleAfter: 3600) else {
      return f.fail("a released item was not claimed again")
    }
    f.expect(again.key == "a" && second.generation == 2, "the released item comes back, attempt 2")
    try f.expect(!q.finish(first, result: Data()), "the released lease stays dead")
    try f.expect(q.fail(second, error: "boom"), "fail of a current lease")
    let failed = try q.item(key: "a", in: storage.queue("q"))
    f.expect(failed?.state == .failed && failed?.error == "boom", "failed with its error")
    try f.expect(!q.heartbeat(second), "a failed item takes no heartbeat")
    try f.expect(!q.requeue(key: "b", in: storage.queue("q")), "a queued item is not requeued")
    try f.expect(q.requeue(key: "a", in: storage.queue("q")), "a failed item is requeued")
    try f.expect(q.item(key: "a", in: storage.queue("q"))?.error == nil, "a requeued item's error is cleared")
    guard let (third, lease3) = try q.claim(in: storage.queue("q"), worker: "u", staleAfter: 3600) else {
      return f.fail("a requeued item was not claimed")
    }
    f.expect(third.key == "a" && lease3.generation == 3, "the requeued item runs as attempt 3")
    try f.expect(q.finish(lease3, result: Data()), "finish")
    try f.expect(!q.requeue(key: "a", in: storage.queue("q")), "a done item is not requeued")
    try f.expect(!q.requeue(key: "zz", in: storage.queue("q")), "an unknown key is not requeued")
  }

  static func resume(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    var lease: WorkLease?
    do {
      let q = try storage.open()
      try q.enqueue(["a", "b", "c"].map { NewWorkItem(key: $0, payload: payload($0)) }, in: storage.queue("z"))
      guard let (_, done) = try q.claim(in: storage.queue("z"), worker: "w", staleAfter: 3600) else {
        return f.fail("claim gave nothing")
      }
      _ = try q.finish(done, result: payload("ra"))
      lease = try q.claim(in: storage.queue("z"), worker: "w", staleAfter: 3600)?.1
    }
    let q = try storage.open()
    let items = try q.items(in: storage.queue("z"))
    f.expect(items.map(\.state) == [.done, .running, .queued], "states survive a reopen")
    f.expect(items.first?.result == payload("ra"), "a result survives a reopen")
    f.expect(items.map(\.payload) == ["a", "b", "c"].map(payload), "payloads survive a reopen")
    if let lease { try f.expect(q.heartbeat(lease), "a lease outlives the handle it came from") }
    let next = try q.claim(in: storage.queue("z"), worker: "v", staleAfter: 3600)
    f.expect(next?.0.key == "c", "a reopened queue hands out the remaining item")
  }

  static func skewedClock(_ backend: WorkQueueBackend, _ f: Findings) throws {
    // The worker's own clock (this process's `Date()`) is `skew` seconds off
    // the storage's. A live worker heartbeats every lease/6; a rival claims
    // with staleAfter = lease all along and must never get its item; once
    // the worker stops, the rival takes the item within a lease or so.
    for skew in [-3 * 3600.0, 3 * 3600.0] {
      let storage = try backend.makeStorage(-skew)
      let worker = try storage.open()
      let rival = try storage.open()
      let said = "worker clock \(skew > 0 ? "+" : "")\(Int(skew / 3600)) h"
      let gap = try worker.now().timeIntervalSince(Date()) + skew
      f.expect(abs(gap) < 5, "\(said): the storage clock is skewed as asked (off by \(gap) s)")
      try worker.enqueue([NewWorkItem(key: "live", payload: Data())], in: storage.queue("k"))
      guard let (claimed, lease) = try worker.claim(in: storage.queue("k"), worker: "W", staleAfter: self.lease)
      else { return f.fail("\(said): claim gave nothing") }
      let stamp = try claimed.heartbeat.map { try worker.now().timeIntervalSince($0) } ?? .nan
      f.expect(abs(stamp) < 5, "\(said): heartbeat stamped on the storage clock (\(stamp) s)")
      let until = Date().addingTimeInterval(2.5 * self.lease)
      while Date() < until {
        if let (stolen, _) = try rival.claim(in: storage.queue("k"), worker: "R", staleAfter: self.lease) {
          return f.fail("\(said): a rival took the live item \(stolen.key)")
        }
        try f.expect(worker.heartbeat(lease), "\(said): a live worker keeps its lease")
        Thread.sleep(forTimeInterval: self.lease / 6)
      }
      Thread.sleep(forTimeInterval: self.lease + 0.4)
      let taken = try rival.claim(in: storage.queue("k"), worker: "R", staleAfter: self.lease)
      f.expect(taken?.1.generation == 2, "\(said): a stopped worker's item is reclaimed")
      try f.expect(!worker.heartbeat(lease), "\(said): the stopped worker's lease is dead")
    }
  }
}

/// The violations one check saw.
public final class Findings: Sendable {
  private let prefix: String
  private let found = Mutex([String]())

  init(backend: String, check: String) { prefix = "\(backend), \(check): " }

  /// The violations, in the order seen.
  public var list: [String] { found.withLock { $0 } }

  func fail(_ message: String) { found.withLock { $0.append(prefix + message) } }

  func expect(_ condition: @autoclosure () throws -> Bool, _ message: String) rethrows {
    if try !condition() { fail(message) }
  }
}
