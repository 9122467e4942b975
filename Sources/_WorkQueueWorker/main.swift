// A worker process for the work-queue conformance suite: opens the queue at
// URL, claims items of QUEUE as WORKER until none is left, finishes each
// with the worker's name as its result, and prints each claimed key.
//
//     _WorkQueueWorker URL QUEUE WORKER
import Foundation
import WorkQueue

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 3 else {
  FileHandle.standardError.write(Data("usage: _WorkQueueWorker URL QUEUE WORKER\n".utf8))
  exit(2)
}
let url = arguments[arguments.startIndex]
let queueName = arguments[arguments.startIndex + 1]
let worker = arguments[arguments.startIndex + 2]

do {
  let queue = try openQueue(url)
  while let (item, lease) = try queue.claim(in: queueName, worker: worker, staleAfter: 3600) {
    print(item.key)
    guard try queue.finish(lease, result: Data(worker.utf8)) else {
      FileHandle.standardError.write(Data("\(worker) lost its lease on \(item.key)\n".utf8))
      exit(1)
    }
  }
} catch {
  FileHandle.standardError.write(Data("_WorkQueueWorker: \(error)\n".utf8))
  exit(1)
}
