import Foundation

/// A `_WorkQueueWorker` process (see its main.swift for the modes), run
/// directly or under another program (libfaketime's `faketime`).
final class WorkerProcess {
  /// The worker executable, built beside the test bundle.
  static var tool: URL? {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return [here, here.deletingLastPathComponent()]
      .map { $0.appendingPathComponent("_WorkQueueWorker") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  /// libfaketime's `faketime` (scripts/setup.sh installs it).
  static var faketime: URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return (path.split(separator: ":").map(String.init) + ["/usr/bin"])
      .map { URL(fileURLWithPath: $0).appendingPathComponent("faketime") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  let worker: String
  private let process = Process()
  private let output = Pipe()

  /// Starts `tool` with `arguments`, under `wrapper` (a program and its
  /// arguments before the tool's path) when given.
  init(tool: URL, arguments: [String], worker: String, under wrapper: (URL, [String])? = nil)
    throws
  {
    self.worker = worker
    if let (program, before) = wrapper {
      process.executableURL = program
      process.arguments = before + [tool.path] + arguments
    } else {
      process.executableURL = tool
      process.arguments = arguments
    }
    process.standardOutput = output
    try process.run()
  }

  /// Starts `tool` draining `queue` at `url` as `worker`.
  convenience init(tool: URL, url: String, queue: String, worker: String) throws {
    try self.init(tool: tool, arguments: [url, queue, worker], worker: worker)
  }

  /// Whether the process still runs.
  var isRunning: Bool { process.isRunning }

  /// Waits for the process: its exit status and the lines it printed.
  func wait() -> (Int32, [String]) {
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    return (process.terminationStatus, lines)
  }
}
