// A worker process for the work-queue conformance suite.
//
//     _WorkQueueWorker URL QUEUE WORKER
//         claims items of QUEUE as WORKER until none is left, finishes each
//         with the worker's name as its result, and prints each claimed key.
//     _WorkQueueWorker hold URL QUEUE KEY WORKER SECONDS STALE
//         claims KEY (staleAfter STALE), heartbeats it every STALE/6 s for
//         SECONDS, then finishes it; prints `clock T`, then `claimed` or
//         `none`, then `finished` or `lost`.
//     _WorkQueueWorker try URL QUEUE KEY WORKER SECONDS STALE
//         tries to claim KEY (staleAfter STALE) every STALE/6 s for SECONDS;
//         prints `clock T`, then `took` (and stops) or `none`.
//
// T is this process's own clock (seconds since 1970): the skewed-clock
// tests run it under libfaketime and check the skew took.
import Foundation
import WorkQueue

func fail(_ message: String, status: Int32 = 1) -> Never {
  FileHandle.standardError.write(Data("_WorkQueueWorker: \(message)\n".utf8))
  exit(status)
}

/// Writes `line` to stdout at once (stdout is a pipe).
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
  switch arguments.first {
  case "hold", "try":
    guard arguments.count == 7, let seconds = Double(arguments[5]),
      let stale = Double(arguments[6])
    else { fail("usage: _WorkQueueWorker hold|try URL QUEUE KEY WORKER SECONDS STALE", status: 2) }
    let queue = try openQueue(arguments[1])
    let (name, key, worker) = (arguments[2], arguments[3], arguments[4])
    say("clock \(Date().timeIntervalSince1970)")
    let until = Date().addingTimeInterval(seconds)
    if arguments[0] == "hold" {
      guard let (_, lease) = try queue.claim(key: key, in: name, worker: worker, staleAfter: stale)
      else {
        say("none")
        exit(0)
      }
      say("claimed")
      var live = true
      while live && Date() < until {
        Thread.sleep(forTimeInterval: stale / 6)
        live = try queue.heartbeat(lease)
      }
      say(try live && queue.finish(lease, result: Data(worker.utf8)) ? "finished" : "lost")
    } else {
      while Date() < until {
        if try queue.claim(key: key, in: name, worker: worker, staleAfter: stale) != nil {
          say("took")
          exit(0)
        }
        Thread.sleep(forTimeInterval: stale / 6)
      }
      say("none")
    }
  default:
    guard arguments.count == 3 else { fail("usage: _WorkQueueWorker URL QUEUE WORKER", status: 2) }
    let queue = try openQueue(arguments[0])
    let (name, worker) = (arguments[1], arguments[2])
    while let (item, lease) = try queue.claim(in: name, worker: worker, staleAfter: 3600) {
      say(item.key)
      guard try queue.finish(lease, result: Data(worker.utf8)) else {
        fail("\(worker) lost its lease on \(item.key)")
      }
    }
  }
} catch {
  fail("\(error)")
}
