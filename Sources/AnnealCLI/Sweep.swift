import Anneal
import ArgumentParser
import Dispatch
import Foundation
import PostgresSupport
import SweepsPostgres

/// `anneal sweep SPEC.yaml`: run a sampler × parameter grid × instance sweep
/// and report success probabilities, TTS99 and optimal TTS.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a parameter sweep over instances and report time-to-solution.",
    discussion: """
      Example: anneal sweep problems/sweep-example.yaml --output out/sweep --workers 2
      Each finished cell is appended to DIR/cells.jsonl as it finishes, so a \
      killed sweep resumes where it stopped when run again with the same \
      output (use --fresh to start over). At the end DIR holds cells.csv, \
      cells.json, summary.json and plots/*.svg, and stdout shows the optimal \
      TTS table (or summary.json with --json).
      Quick form, one sampler without a spec file: anneal sweep --instances \
      'problems/G11.gset' --sampler sa --grid sweeps=1000,10000 --reads 20 \
      --target best_known:problems/best_known.csv
      """)

  @Argument(help: "The sweep spec (YAML or JSON); or give the quick-form flags instead.")
  var spec: String?

  @Option(help: "Quick form: instance files or glob patterns (repeatable).")
  var instances: [String] = []

  @Option(help: "Quick form: the instances' format.")
  var format: String = "auto"

  @Option(help: "Quick form: best_found, energy:E or best_known:FILE.csv.")
  var target: String?

  @Option(help: "Quick form: the sampler (sa, sqa, pt, tabu, …).")
  var sampler: String?

  @Option(help: "Quick form: a grid axis KEY=V1,V2,… (repeatable).")
  var grid: [String] = []

  @Option(help: "Quick form: reads per cell.")
  var reads: Int?

  @Option(help: "Quick form: seeds (cells) per grid point.")
  var seeds: Int?

  @Option(help: "The output directory (default: <spec name>-sweep).")
  var output: String?

  @Option(
    help: """
      Where finished cells go: a path, jsonl:PATH (default: DIR/cells.jsonl), or \
      postgresql://user@host:port/db, which workers on any machine can share.
      """)
  var storage: String?

  @Option(help: "Worker processes that run cells in parallel.")
  var workers: Int = 1

  @Option(help: "Override the spec's seed.")
  var seed: UInt64?

  @Flag(help: "Print summary.json on stdout instead of the table.")
  var json = false

  @Flag(
    help: """
      Discard finished cells and start over (in PostgreSQL: the sweep's cells for every \
      worker, so start the other workers after this one).
      """)
  var fresh = false

  @Option(help: .hidden)
  var worker: String?

  /// Seconds without a heartbeat after which a PostgreSQL cell is run again
  /// (tests shorten it).
  @Option(help: .hidden)
  var staleAfter: Double = 60

  func validate() throws {
    guard workers >= 1 && workers <= 256 else {
      throw ValidationError("--workers must be between 1 and 256 (got \(workers))")
    }
    guard staleAfter > 0 else {
      throw ValidationError("--stale-after must be positive (got \(staleAfter))")
    }
    let quick = !instances.isEmpty || sampler != nil || !grid.isEmpty || target != nil
    if spec != nil && quick {
      throw ValidationError("give a spec file or the quick-form flags, not both")
    }
    if spec == nil && (instances.isEmpty || sampler == nil) {
      throw ValidationError("give a spec file, or --instances and --sampler (the quick form)")
    }
  }

  /// The spec file, or the quick form's spec, and the directory relative
  /// paths resolve against.
  private func loadSpec() throws -> SweepSpec {
    if let spec { return try SweepSpec(path: spec) }
    let json = try SweepQuickForm.spec(
      instances: instances, format: format, target: target, sampler: sampler ?? "sa",
      grid: grid, reads: reads, seeds: seeds)
    return try SweepSpec(json: json, baseDirectory: FileManager.default.currentDirectoryPath)
  }

  func run() throws {
    var parsed: SweepSpec
    let plan: SweepPlan
    do {
      parsed = try loadSpec()
      if let seed { parsed.seed = seed }
      plan = try SweepPlan(spec: parsed)
    } catch let error as SweepSpecError {
      throw CLIError.badInput("\(spec ?? "the quick-form flags"): \(error)")
    }
    let dir = output ?? "\(parsed.name)-sweep"
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw CLIError.failure("cannot create \(dir): \(error.localizedDescription)")
    }
    let (store, storePath) = try openStore(dir: dir, sweep: parsed.name)
    let deadline = parsed.budgetSeconds.map {
      DispatchTime.now().uptimeNanoseconds + UInt64($0 * 1e9)
    }

    if let worker {
      let parts = worker.split(separator: "/").compactMap { Int($0) }
      guard parts.count == 2, parts[1] >= 1, parts[0] >= 0, parts[0] < parts[1] else {
        throw CLIError.badInput("--worker must be k/N with 0 ≤ k < N (got \(worker))")
      }
      // A worker stops after its current cell when its parent is gone
      // (killed), instead of running on unseen.
      let parent = getppid()
      try SweepRunner(plan: plan, store: store, worker: parts[0], workers: parts[1])
        .run(deadline: deadline, shouldStop: { getppid() != parent })
      return
    }

    let keys = Set(plan.cells.map(\.key))
    let before = try store.finished().filter { keys.contains($0.key) }
    if !before.isEmpty {
      FileHandle.standardError.write(
        Data(
          "anneal: resuming: \(before.count) of \(plan.cells.count) cells already in \(storePath)\n"
            .utf8))
    }
    let progress = SweepProgress(label: parsed.name, total: plan.cells.count, done: before.count)
    progress.begin()
    if workers == 1 {
      let ran = try SweepRunner(plan: plan, store: store).run(
        deadline: deadline, progress: { _, _, _ in progress.advance() })
      if store is any CellClaims {
        FileHandle.standardError.write(
          Data("anneal: this worker ran \(ran) cells of the sweep in \(storePath)\n".utf8))
      }
    } else {
      try runWorkers(store: store, progress: progress, keys: keys)
    }
    progress.end()
    try report(plan: plan, store: store, dir: dir)
  }

  /// The store `--storage` names (emptied first with `--fresh`) and how to
  /// name it in messages (a URL without its password).
  private func openStore(dir: String, sweep: String) throws -> (any CellStore, String) {
    if let storage, storage.hasPrefix("postgresql://") || storage.hasPrefix("postgres://") {
      do {
        let url = try PostgresURL(storage)
        let store = try PostgresCellStore(
          url: url, sweep: sweep, heartbeatInterval: staleAfter / 6, staleAfter: staleAfter)
        if fresh && worker == nil { try store.removeAll() }
        return (store, url.description)
      } catch let error as PostgresError {
        throw CLIError.failure(error.description)
      } catch let error as CellStoreError {
        throw CLIError.failure(error.description)
      }
    }
    var path = (dir as NSString).appendingPathComponent("cells.jsonl")
    if let storage {
      if storage.contains("://") && !storage.hasPrefix("jsonl:") {
        // Not echoed: a URL of another scheme may hold a password.
        let scheme = storage.components(separatedBy: "://")[0]
        throw CLIError.badInput(
          "--storage: \(scheme):// is not supported; give a path, jsonl:PATH or postgresql://…")
      }
      path = storage.hasPrefix("jsonl:") ? String(storage.dropFirst("jsonl:".count)) : storage
    }
    if fresh && worker == nil { try? FileManager.default.removeItem(atPath: path) }
    return (JSONLinesCellStore(path: path), path)
  }

  /// Spawns `workers` children (`anneal sweep SPEC --worker k/N`) and waits,
  /// counting finished cells in the store for the progress line.
  private func runWorkers(store: any CellStore, progress: SweepProgress, keys: Set<String>)
    throws
  {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    let dir = output.map { ["--output", $0] } ?? []
    let storageArgs = storage.map { ["--storage", $0] } ?? []
    let seedArgs =
      (seed.map { ["--seed", String($0)] } ?? []) + ["--stale-after", "\(staleAfter)"]
    var specArgs: [String] = []
    if let spec {
      specArgs = [spec]
    } else {
      specArgs = instances.flatMap { ["--instances", $0] } + ["--format", format]
      specArgs += target.map { ["--target", $0] } ?? []
      specArgs += ["--sampler", sampler ?? "sa"] + grid.flatMap { ["--grid", $0] }
      specArgs += reads.map { ["--reads", String($0)] } ?? []
      specArgs += seeds.map { ["--seeds", String($0)] } ?? []
    }
    var children: [Process] = []
    for k in 0..<workers {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: executable)
      p.arguments =
        ["sweep"] + specArgs + dir + storageArgs + seedArgs + ["--worker", "\(k)/\(workers)"]
      do {
        try p.run()
      } catch {
        throw CLIError.failure("cannot start worker \(k): \(error.localizedDescription)")
      }
      children.append(p)
    }
    while children.contains(where: \.isRunning) {
      Thread.sleep(forTimeInterval: 0.5)
      let done = (try? store.finished().filter { keys.contains($0.key) }.count) ?? 0
      progress.set(done: done)
    }
    for (k, p) in children.enumerated() where p.terminationStatus != 0 {
      throw CLIError.failure("worker \(k) of \(workers) failed (exit \(p.terminationStatus))")
    }
  }

  private func report(plan: SweepPlan, store: any CellStore, dir: String) throws {
    let results = try store.finished()
    let summary = SweepSummary(plan: plan, results: results)
    let plots = (dir as NSString).appendingPathComponent("plots")
    do {
      try FileManager.default.createDirectory(atPath: plots, withIntermediateDirectories: true)
      try write(CellTable.csv(summary, results: results), dir, "cells.csv")
      try write(
        CellTable.json(summary, results: results).serialized(pretty: true) + "\n", dir,
        "cells.json")
      let summaryText = summary.json.serialized(pretty: true) + "\n"
      try write(summaryText, dir, "summary.json")
      for figure in SweepPlots.all(summary) { try write(figure.svg, plots, figure.name) }
      if json {
        print(summaryText, terminator: "")
      } else {
        print(summary.table, terminator: "")
        print("wrote \(dir)/{cells.csv,cells.json,summary.json} and \(plots)/*.svg")
      }
    } catch let error as CLIError {
      throw error
    } catch {
      throw CLIError.failure("cannot write results in \(dir): \(error.localizedDescription)")
    }
    if !summary.isComplete {
      let why = store is any CellClaims ? "not finished yet" : "not run (time budget)"
      FileHandle.standardError.write(
        Data(
          ("anneal: \(plan.cells.count - summary.finishedCells) cells \(why);"
            + " run the same command again to continue\n").utf8))
    }
  }

  private func write(_ text: String, _ dir: String, _ name: String) throws {
    try text.write(
      toFile: (dir as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
  }
}

/// The live "cells done / total" line on stderr (only when stderr is a
/// terminal).
final class SweepProgress: @unchecked Sendable {
  private let lock = NSLock()
  private var done: Int
  private let total: Int
  private let label: String
  private let start = Date()
  private let enabled = isatty(2) == 1
  private var running = false
  private let initial: Int

  init(label: String, total: Int, done: Int) {
    self.label = label
    self.total = total
    self.done = done
    initial = done
  }

  func advance() { lock.withLock { done += 1 } }
  func set(done d: Int) { lock.withLock { done = d } }

  func begin() {
    guard enabled else { return }
    lock.withLock { running = true }
    Thread { [self] in
      while lock.withLock({ running }) {
        draw()
        Thread.sleep(forTimeInterval: 0.25)
      }
    }.start()
  }

  func end() {
    guard enabled else { return }
    lock.withLock { running = false }
    draw()
    FileHandle.standardError.write(Data("\n".utf8))
  }

  private func draw() {
    let d = lock.withLock { done }
    let secs = Date().timeIntervalSince(start)
    let width = 24
    let filled = min(width, d * width / max(total, 1))
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let ran = d - initial
    let eta = ran > 0 ? secs / Double(ran) * Double(total - d) : .nan
    let etaText = eta.isFinite && d < total ? String(format: " eta %.0fs", eta) : ""
    let line =
      String(format: "\r%@ [%@] %d/%d cells %.1fs", label, bar, d, total, secs) + etaText
    FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
  }
}
