import Foundation
import Synchronization
import WorkQueue

// Checks of enqueue and claim: idempotence, order, and atomicity under
// contention from threads and worker processes.

extension WorkQueueConformance {
  static func idempotentEnqueue(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let q = try storage.open()
    let items = ["a", "b"].map { NewWorkItem(key: $0, payload: payload($0), owner: "me") }
    try f.expect(
      q.enqueue(items, in: storage.queue("idem")) == 2, "a first enqueue adds both items")
    guard let (item, lease) = try q.claim(in: storage.queue("idem"), worker: "w", staleAfter: 3600)
    else {
      return f.fail("claim of a fresh queue gave nothing")
    }
    try f.expect(q.finish(lease, result: payload("r")), "finish of a current lease")
    let again = ["b", "a", "c"].map { NewWorkItem(key: $0, payload: payload("new \($0)")) }
    try f.expect(
      q.enqueue(again, in: storage.queue("idem")) == 1, "a second enqueue adds only the new key")
    let stored = try q.item(key: item.key, in: storage.queue("idem"))
    f.expect(
      stored?.state == .done, "a re-enqueued done item stays done (got \(stored?.state as Any))")
    f.expect(stored?.result == payload("r"), "a re-enqueued item keeps its result")
    f.expect(stored?.payload == payload(item.key), "a re-enqueued item keeps its payload")
    f.expect(stored?.owner == "me", "a re-enqueued item keeps its owner")
    try f.expect(
      q.items(in: storage.queue("idem")).map(\.key) == ["a", "b", "c"], "items oldest first")
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
    try q.enqueue(
      (0..<3).map { NewWorkItem(key: "k\($0)", payload: payload("p\($0)")) }, in: storage.queue("o")
    )
    for k in 0..<3 {
      guard
        let (item, lease) = try q.claim(in: storage.queue("o"), worker: "w\(k)", staleAfter: 3600)
      else {
        return f.fail("claim \(k) of 3 queued items gave nothing")
      }
      f.expect(item.key == "k\(k)", "claims take the oldest queued item (got \(item.key))")
      f.expect(item.state == .running && item.attempts == 1, "a claimed item runs, attempt 1")
      f.expect(item.worker == "w\(k)" && item.payload == payload("p\(k)"), "claim fields")
      f.expect(
        lease == WorkLease(queue: storage.queue("o"), key: "k\(k)", worker: "w\(k)", generation: 1),
        "lease")
      f.expect(item.heartbeat != nil, "a claim stamps a heartbeat")
    }
    try f.expect(
      q.claim(in: storage.queue("o"), worker: "x", staleAfter: 3600) == nil,
      "no claim of live items")
    try q.enqueue(
      ["k3", "k4"].map { NewWorkItem(key: $0, payload: Data()) }, in: storage.queue("o"))
    let byKey = try q.claim(key: "k4", in: storage.queue("o"), worker: "y", staleAfter: 3600)
    f.expect(byKey?.0.key == "k4" && byKey?.1.generation == 1, "a claim by key takes that item")
    try f.expect(
      q.claim(key: "k4", in: storage.queue("o"), worker: "z", staleAfter: 3600) == nil,
      "a claim by key of a live item gives nothing")
    try f.expect(
      q.claim(key: "k9", in: storage.queue("o"), worker: "z", staleAfter: 0) == nil,
      "a claim by an unknown key gives nothing")
    try f.expect(
      q.claim(in: storage.queue("o"), worker: "z", staleAfter: 3600)?.0.key == "k3",
      "a claim by key leaves the others queued")
    try f.expect(
      q.claim(in: storage.queue("none"), worker: "x", staleAfter: 0) == nil,
      "no claim of an empty queue")
  }

  static func contention(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let n = 120
    try storage.open().enqueue(
      (0..<n).map { NewWorkItem(key: String(format: "c%03d", $0), payload: Data()) },
      in: storage.queue("c"))
    let claimed = Mutex([String: [String]]())
    let errors = Mutex([String]())
    let threads = 4
    DispatchQueue.concurrentPerform(iterations: threads) { t in
      do {
        let q = try storage.open()
        let me = "thread-\(t)"
        while let (item, lease) = try q.claim(in: storage.queue("c"), worker: me, staleAfter: 3600)
        {
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
      (0..<n).map { NewWorkItem(key: String(format: "p%03d", $0), payload: Data()) },
      in: storage.queue("p"))
    let runs = try (0..<3).map {
      try WorkerProcess(tool: tool, url: url, queue: storage.queue("p"), worker: "proc-\($0)")
    }
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
}
