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
    do {
      parsed = try loadSpec()
      if let seed { parsed.seed = seed }
    } catch let error as SweepSpecError {
      throw CLIError.badInput("\(spec ?? "the quick-form flags"): \(error)")
    }
    let dir = output ?? "\(parsed.name)-sweep"
    let plan: SweepPlan
    do {
      // Generated instances are made once, here or by the parent of a
      // worker, and read back by the workers.
      plan = try SweepPlan(
        spec: parsed, instanceCache: (dir as NSString).appendingPathComponent("instances"))
    } catch let error as SweepSpecError {
      throw CLIError.badInput("\(spec ?? "the quick-form flags"): \(error)")
    }
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw CLIError.failure("cannot create \(dir): \(error.localizedDescription)")
    }
    let (cells, storePath) = try SweepStorage.open(
      storage, dir: dir, sweep: parsed.name, staleAfter: staleAfter, fresh: fresh && worker == nil)
    let deadline = parsed.budgetSeconds.map {
      DispatchTime.now().uptimeNanoseconds + UInt64($0 * 1e9)
    }

    if let worker {
      try SweepWorkers.runWorker(worker, plan: plan, cells: cells, deadline: deadline)
      return
    }

    let resume = plan.resumeState(try cells.finished())
    if let message = resume.message(store: storePath) {
      FileHandle.standardError.write(Data("anneal: \(message)\n".utf8))
    }
    let progress = SweepProgress(
      label: parsed.name, total: plan.cells.count, done: resume.reused.count)
    progress.begin()
    if workers == 1 {
      let ran = try SweepRunner(plan: plan, cells: cells).run(
        deadline: deadline, progress: { _, _, _ in progress.advance() })
      if cells.log == nil {
        FileHandle.standardError.write(
          Data("anneal: this worker ran \(ran) cells of the sweep in \(storePath)\n".utf8))
      }
    } else {
      try cells.submit(plan.cells)
      try SweepWorkers(count: workers, arguments: workerArguments()).run(
        cells: cells, keys: Set(plan.cells.map(\.key)), progress: progress)
    }
    progress.end()
    try report(plan: plan, cells: cells, dir: dir)
  }

  /// The command line a worker process repeats (without `--worker`).
  private func workerArguments() -> [String] {
    var arguments = ["sweep"]
    if let spec {
      arguments.append(spec)
    } else {
      arguments += instances.flatMap { ["--instances", $0] } + ["--format", format]
      arguments += target.map { ["--target", $0] } ?? []
      arguments += ["--sampler", sampler ?? "sa"] + grid.flatMap { ["--grid", $0] }
      arguments += reads.map { ["--reads", String($0)] } ?? []
      arguments += seeds.map { ["--seeds", String($0)] } ?? []
    }
    arguments += output.map { ["--output", $0] } ?? []
    arguments += storage.map { ["--storage", $0] } ?? []
    arguments += seed.map { ["--seed", String($0)] } ?? []
    return arguments + ["--stale-after", "\(staleAfter)"]
  }

  private func report(plan: SweepPlan, cells: CellQueue, dir: String) throws {
    let results = try cells.finished()
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
      let why = cells.log == nil ? "not finished yet" : "not run (time budget)"
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
