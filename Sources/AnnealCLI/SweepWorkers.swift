// The worker processes of `anneal sweep --workers N`: N copies of the same
// command with `--worker k`, each claiming the next free cell from the
// shared store (no static split), while the parent draws progress from the
// store. A worker exits as soon as its parent is gone (a watcher thread sees
// getppid() change and ends the process), so a killed sweep leaves no
// orphan finishing cells behind it; the work queue's fenced leases already
// keep a rerun from starting a cell a live worker holds.

import Anneal
import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Starting worker processes and running as one.
struct SweepWorkers {
  /// Workers to start.
  var count: Int
  /// The command each repeats, without `--worker`.
  var arguments: [String]

  /// Starts the workers and waits for all, updating `progress` from the
  /// finished cells among `keys`.
  func run(cells: CellQueue, keys: Set<String>, progress: SweepProgress) throws {
    // Linux names the running binary in /proc; elsewhere Foundation does.
    #if os(Linux)
      let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    #else
      let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
    #endif
    var children: [Process] = []
    for k in 0..<count {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: executable)
      p.arguments = arguments + ["--worker", "\(k)/\(count)"]
      var environment = ProcessInfo.processInfo.environment
      environment["ANNEAL_SWEEP_PARENT"] = String(getpid())
      p.environment = environment
      do {
        try p.run()
      } catch {
        children.forEach { $0.terminate() }
        throw CLIError.failure("cannot start worker \(k): \(error.localizedDescription)")
      }
      children.append(p)
    }
    while children.contains(where: \.isRunning) {
      Thread.sleep(forTimeInterval: 0.5)
      if let left = try? cells.unfinished(among: keys) { progress.set(done: keys.count - left) }
    }
    for (k, p) in children.enumerated() where p.terminationStatus != 0 {
      throw CLIError.failure("worker \(k) of \(count) failed (exit \(p.terminationStatus))")
    }
  }

  /// Runs as worker `name` (`k/N`): claims cells until none is left, and
  /// ends the process the moment the parent that started it is gone.
  static func runWorker(
    _ name: String, plan: SweepPlan, cells: CellQueue, deadline: UInt64?
  ) throws {
    let parts = name.split(separator: "/").compactMap { Int($0) }
    guard parts.count == 2, parts[1] >= 1, parts[0] >= 0, parts[0] < parts[1] else {
      throw CLIError.badInput("--worker must be k/N with 0 ≤ k < N (got \(name))")
    }
    let parent =
      ProcessInfo.processInfo.environment["ANNEAL_SWEEP_PARENT"].flatMap { Int32($0) }
      ?? getppid()
    guard getppid() == parent else { return }
    Thread {
      while getppid() == parent { Thread.sleep(forTimeInterval: 0.1) }
      _exit(3)
    }.start()
    try SweepRunner(plan: plan, cells: cells)
      .run(deadline: deadline, shouldStop: { getppid() != parent })
  }
}
