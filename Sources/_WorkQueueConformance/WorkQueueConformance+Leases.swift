import Foundation
import Synchronization
import WorkQueue

// Checks of fenced leases: a stale reclaim, cancel, the result stored with
// done, release and requeue, and leases that outlive a reopen.

extension WorkQueueConformance {
  static func staleReclaim(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let a = try storage.open()
    let b = try storage.open()
    try a.enqueue([NewWorkItem(key: "x", payload: Data())], in: storage.queue("s"))
    guard let (_, old) = try a.claim(in: storage.queue("s"), worker: "A", staleAfter: lease) else {
      return f.fail("claim gave nothing")
    }
    try f.expect(
      b.claim(in: storage.queue("s"), worker: "B", staleAfter: lease) == nil,
      "a live item is not reclaimed")
    Thread.sleep(forTimeInterval: lease + 0.4)
    try f.expect(
      a.claim(key: "x", in: storage.queue("s"), worker: "C", staleAfter: lease + 3600) == nil,
      "a claim by key respects its own staleAfter")
    guard
      let (item, new) = try b.claim(
        key: "x", in: storage.queue("s"), worker: "B", staleAfter: lease)
    else {
      return f.fail("a stale item was not reclaimed")
    }
    f.expect(
      item.key == "x" && new.generation == 2 && item.attempts == 2, "reclaim is generation 2")
    try f.expect(!a.heartbeat(old), "the stale lease's heartbeat is refused")
    try f.expect(!a.finish(old, result: payload("A")), "the stale lease's finish is refused")
    try f.expect(!a.fail(old, error: "A"), "the stale lease's fail is refused")
    try f.expect(!a.release(old), "the stale lease's release is refused")
    try f.expect(
      b.item(key: "x", in: storage.queue("s"))?.state == .running,
      "fenced-out writes change nothing")
    try f.expect(b.finish(new, result: payload("B")), "the new lease finishes")
    try f.expect(!a.finish(old, result: payload("A")), "a late finish after done is refused")
    let stored = try a.item(key: "x", in: storage.queue("s"))
    f.expect(stored?.result == payload("B") && stored?.worker == "B", "B's result stands")
    try f.expect(!b.heartbeat(new), "a done item takes no heartbeat")
    try f.expect(
      b.claim(in: storage.queue("s"), worker: "C", staleAfter: 0) == nil,
      "a done item is never claimed")
  }

  static func cancel(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let q = try storage.open()
    try q.enqueue(
      ["run", "wait", "done"].map { NewWorkItem(key: $0, payload: Data()) }, in: storage.queue("x"))
    guard let (_, running) = try q.claim(in: storage.queue("x"), worker: "w", staleAfter: 3600)
    else {
      return f.fail("claim gave nothing")
    }
    try f.expect(
      q.cancel(key: "run", in: storage.queue("x"), reason: "stop"), "a running item cancels")
    try f.expect(!q.heartbeat(running), "a cancelled item's lease takes no heartbeat")
    try f.expect(
      !q.finish(running, result: payload("late")), "a cancelled item's lease cannot finish")
    let item = try q.item(key: "run", in: storage.queue("x"))
    f.expect(item?.state == .cancelled && item?.error == "stop", "cancelled with its reason")
    f.expect(item?.result == nil, "a refused finish stores no result")
    try f.expect(
      q.cancel(key: "wait", in: storage.queue("x"), reason: "no"), "a queued item cancels")
    try f.expect(
      !q.cancel(key: "wait", in: storage.queue("x"), reason: "no"), "a second cancel is refused")
    guard let (next, lease) = try q.claim(in: storage.queue("x"), worker: "w", staleAfter: 0) else {
      return f.fail("the one queued item was not claimed")
    }
    f.expect(next.key == "done", "cancelled items are not claimed (got \(next.key))")
    try f.expect(q.finish(lease, result: Data()), "finish")
    try f.expect(
      !q.cancel(key: "done", in: storage.queue("x"), reason: "no"), "a done item does not cancel")
    try f.expect(
      !q.cancel(key: "nope", in: storage.queue("x"), reason: "no"), "an unknown key does not cancel"
    )
    try f.expect(
      q.claim(in: storage.queue("x"), worker: "w", staleAfter: 0) == nil, "nothing left to claim")
  }

  static func resultWithDone(_ backend: WorkQueueBackend, _ f: Findings) throws {
    let storage = try backend.makeStorage(0)
    let n = 60
    let writer = try storage.open()
    try writer.enqueue(
      (0..<n).map { NewWorkItem(key: "r\($0)", payload: Data()) }, in: storage.queue("r"))
    let stop = Atomic(false)
    let torn = Mutex([String]())
    let reader = Thread {
      do {
        let q = try storage.open()
        while !stop.load(ordering: .acquiring) {
          for item in try q.items(in: storage.queue("r"))
          where (item.state == .done) != (item.result != nil) {
            torn.withLock { $0.append("\(item.key): \(item.state), result \(item.result as Any)") }
          }
        }
      } catch {
        torn.withLock { $0.append("reader: \(error)") }
      }
    }
    reader.start()
    while let (item, lease) = try writer.claim(
      in: storage.queue("r"), worker: "w", staleAfter: 3600)
    {
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
    try f.expect(
      q.item(key: "a", in: storage.queue("q"))?.state == .queued, "a released item is queued")
    try f.expect(
      q.items(in: storage.queue("q"), state: .queued).map(\.key) == ["a", "b"],
      "items by state, oldest first")
    try f.expect(q.items(in: storage.queue("q"), state: .running).isEmpty, "none running")
    try f.expect(!q.release(first), "a second release is refused")
    guard let (again, second) = try q.claim(in: storage.queue("q"), worker: "v", staleAfter: 3600)
    else {
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
    try f.expect(
      q.item(key: "a", in: storage.queue("q"))?.error == nil, "a requeued item's error is cleared")
    guard let (third, lease3) = try q.claim(in: storage.queue("q"), worker: "u", staleAfter: 3600)
    else {
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
      try q.enqueue(
        ["a", "b", "c"].map { NewWorkItem(key: $0, payload: payload($0)) }, in: storage.queue("z"))
      guard let (_, done) = try q.claim(in: storage.queue("z"), worker: "w", staleAfter: 3600)
      else {
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
}
