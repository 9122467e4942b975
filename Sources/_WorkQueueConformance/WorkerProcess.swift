import Foundation

/// A `_WorkQueueWorker` process: claims items of one queue until none is
/// left, finishing each, and prints the keys it claimed.
struct WorkerProcess {
  /// The worker executable, built beside the test bundle.
  static var tool: URL? {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return [here, here.deletingLastPathComponent()]
      .map { $0.appendingPathComponent("_WorkQueueWorker") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  let worker: String
  private let process = Process()
  private let output = Pipe()

  /// Starts `tool` on `queue` at `url` as `worker`.
  init(tool: URL, url: String, queue: String, worker: String) throws {
    self.worker = worker
    process.executableURL = tool
    process.arguments = [url, queue, worker]
    process.standardOutput = output
    try process.run()
  }

  /// Waits for the process: its exit status and the keys it claimed.
  func wait() -> (Int32, [String]) {
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let keys = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    return (process.terminationStatus, keys)
  }
}
