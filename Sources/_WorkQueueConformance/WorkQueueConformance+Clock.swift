import Foundation
import Synchronization
import WorkQueue

// The skewed-clock check: staleness is measured on the storage's clock only.

extension WorkQueueConformance {
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
      guard
        let (claimed, lease) = try worker.claim(
          in: storage.queue("k"), worker: "W", staleAfter: self.lease)
      else { return f.fail("\(said): claim gave nothing") }
      let stamp = try claimed.heartbeat.map { try worker.now().timeIntervalSince($0) } ?? .nan
      f.expect(abs(stamp) < 5, "\(said): heartbeat stamped on the storage clock (\(stamp) s)")
      let until = Date().addingTimeInterval(2.5 * self.lease)
      while Date() < until {
        if let (stolen, _) = try rival.claim(
          in: storage.queue("k"), worker: "R", staleAfter: self.lease)
        {
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

extension WorkQueueConformance {
  static func skewedProcess(_ backend: WorkQueueBackend, _ f: Findings) throws {
    // A worker process whose own clock is 3 h off (libfaketime), against a
    // storage with a clock of its own: holding an item, it keeps it while
    // this process claims all along; as a rival, it never takes the item
    // this process holds and heartbeats.
    guard backend.serverClock else { return }
    let storage = try backend.makeStorage(0)
    guard let url = storage.url else { return f.fail("a server-clock backend without a URL") }
    guard let tool = WorkerProcess.tool else {
      return f.fail("the _WorkQueueWorker executable is not built beside the tests")
    }
    guard let faketime = WorkerProcess.faketime else {
      return f.fail("libfaketime's faketime is not installed (scripts/setup.sh installs it)")
    }
    let q = try storage.open()
    for (skew, seconds) in [("-3h", -3 * 3600.0), ("+3h", 3 * 3600.0)] {
      let said = "worker process clock \(skew)"
      let name = storage.queue("process\(skew)")
      try q.enqueue(["held", "mine"].map { NewWorkItem(key: $0, payload: Data()) }, in: name)
      let wrapper = (faketime, ["-f", skew])
      let holder = try WorkerProcess(
        tool: tool, arguments: ["hold", url, name, "held", "skewed", "\(3 * lease)", "\(lease)"],
        worker: "skewed", under: wrapper)
      let started = Date()
      while try q.item(key: "held", in: name)?.state != .running, holder.isRunning,
        Date().timeIntervalSince(started) < 20
      {
        Thread.sleep(forTimeInterval: 0.05)
      }
      while holder.isRunning {
        if try q.claim(key: "held", in: name, worker: "rival", staleAfter: lease) != nil {
          f.fail("\(said): a rival took its live item")
          break
        }
        Thread.sleep(forTimeInterval: lease / 6)
      }
      let (status, lines) = holder.wait()
      f.expect(status == 0, "\(said): the holder exited \(status)")
      checkSkew(lines, seconds, said, f)
      f.expect(lines.dropFirst() == ["claimed", "finished"], "\(said): holder said \(lines)")
      try f.expect(q.item(key: "held", in: name)?.worker == "skewed", "\(said): its item stays")

      guard let (_, mine) = try q.claim(key: "mine", in: name, worker: "me", staleAfter: lease)
      else { return f.fail("\(said): claim gave nothing") }
      let rival = try WorkerProcess(
        tool: tool, arguments: ["try", url, name, "mine", "skewed", "\(2.5 * lease)", "\(lease)"],
        worker: "skewed", under: wrapper)
      while rival.isRunning {
        try f.expect(q.heartbeat(mine), "\(said): a live worker keeps its lease")
        Thread.sleep(forTimeInterval: lease / 6)
      }
      let (rivalStatus, rivalLines) = rival.wait()
      f.expect(rivalStatus == 0, "\(said): the rival exited \(rivalStatus)")
      checkSkew(rivalLines, seconds, said, f)
      f.expect(rivalLines.dropFirst() == ["none"], "\(said): the rival said \(rivalLines)")
      try f.expect(q.finish(mine, result: Data()), "\(said): the live worker finishes")
    }
  }

  /// Checks that a worker's first line `clock T` is `skew` seconds off.
  static func checkSkew(_ lines: [String], _ skew: Double, _ said: String, _ f: Findings) {
    let clock = lines.first.flatMap { Double($0.dropFirst("clock ".count)) } ?? .nan
    let off = clock - Date().timeIntervalSince1970 - skew
    f.expect(abs(off) < 60, "\(said): the worker's clock is not skewed as asked (\(off) s)")
  }
}
