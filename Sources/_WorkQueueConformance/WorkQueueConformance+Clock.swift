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
