import Anneal
import ArgumentParser
import Foundation
import Synchronization
import PostgresSupport
import TuningPostgres

/// `anneal tune SPEC.yaml`: a hyperparameter search that runs a program per
/// trial.
struct Tune: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Search hyperparameters of any program, driven by a YAML or JSON spec.",
    discussion: """
      Examples:
        anneal tune problems/tune-quadratic.yaml --trials 30 --json
        anneal tune problems/tune-annealer.yaml --storage sqlite:///sa.db --workers 2

      The spec names the parameters, the command (with {name} placeholders, and \
      {trial} for the trial number), the metric (the key of the last JSON object \
      on stdout, or a line "metric: value"), and optionally the sampler \
      (trust-region, the default; random, grid, qubo-surrogate = fm, bocs), the storage (sqlite:///relative.db, \
      sqlite:////absolute.db, or postgresql://user@host:port/db for workers on \
      several machines; in memory otherwise), a per-trial timeout and the seed. \
      Flags override the spec. Several processes given the same storage share one \
      study; a killed study resumes when run again, keeping every finished trial; \
      a worker that stops sending heartbeats (--heartbeat-timeout) has its trial \
      marked failed.
      --report DIR writes history.svg (values, failed trials and best so far by \
      trial) and importance.svg (each parameter's share of a random forest's \
      permutation importance; the shares sum to 1).
      With --json, stdout is one object: name, direction, best_value, \
      best_params, trials (number, state, value, params, seconds).
      Exit codes: 0 success, 1 runtime failure or no trial completed, 2 bad \
      usage or bad spec (rejected before any trial runs).
      """)

  @Argument(help: "The spec file (YAML or JSON).")
  var spec: String

  @Option(help: "Trials the study holds when done (overrides the spec's trials).")
  var trials: Int?

  @Option(help: "Random seed (overrides the spec's seed).")
  var seed: UInt64?

  @Option(
    help: "trust-region, random, grid, qubo-surrogate (= fm), fm or bocs (overrides the spec).")
  var sampler: String?

  @Option(
    help: """
      sqlite:///relative.db, sqlite:////absolute.db, postgresql://user@host:port/db or memory \
      (overrides the spec).
      """)
  var storage: String?

  @Option(help: "Trials run at once by this process (overrides the spec's workers).")
  var workers: Int?

  @Option(help: "Seconds a trial may run before it is killed and failed.")
  var timeout: Double?

  @Option(
    help: """
      Seconds without a heartbeat after which another worker marks a running trial \
      failed (its worker died); default 30. Heartbeats come every timeout/6 s, at most 5 s.
      """)
  var heartbeatTimeout: Double?

  @Flag(help: "Print one JSON object on stdout instead of a table.")
  var json = false

  @Option(help: "Write SVG plots (history.svg, importance.svg) into this directory.")
  var report: String?

  @Option(
    help: """
      The value axis of history.svg: auto (clipped to the better 90 % when a few bad \
      trials would squeeze the rest), linear or log.
      """)
  var reportScale: ReportScale = .auto

  func validate() throws {
    if let trials, trials < 1 { throw ValidationError("--trials must be at least 1") }
    if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be positive") }
    if let heartbeatTimeout, !(heartbeatTimeout > 0) {
      throw ValidationError("--heartbeat-timeout must be positive")
    }
  }

  func run() throws {
    let file = try SpecFile.read(path: spec)
    var s: TuningSpec
    do {
      s = try TuningSpec(json: file.value, parameterOrder: file.order["parameters"] ?? [])
      if let trials { s.trials = trials }
      if let seed { s.seed = seed }
      if let workers { s.workers = workers }
      if let timeout { s.timeout = timeout }
      if let storage { s.storage = storage }
      if let sampler {
        s.sampler = sampler
        do {
          _ = try s.makeSampler()
        } catch TuningError.invalidParameter(_, let reason) {
          throw CLIError.badInput("--sampler: \(reason)")
        }
      }
    } catch TuningError.invalidParameter(let key, let reason) {
      let line = file.line(of: key).map { ":\($0)" } ?? ""
      throw CLIError.badInput("\(spec)\(line): \(key): \(reason)")
    }
    let store: any TrialStorage
    do {
      let url = s.storage ?? "memory"
      if let opened = try SQLiteStorage.open(url: url) {
        store = opened
      } else if let opened = try PostgresStorage.open(url: url) {
        store = opened
      } else {
        throw CLIError.badInput(
          "storage: unknown URL '\(PostgresURL.redact(url))' (sqlite:///relative.db, "
            + "sqlite:////absolute.db, postgresql://user@host:port/db or memory)")
      }
    } catch let e as TuningError {
      throw CLIError.failure(e.description)
    }
    let study: Study
    do {
      study = try Study(
        name: s.name, direction: s.direction, sampler: try s.makeSampler(), storage: store,
        searchSpace: s.space, seed: s.seed,
        heartbeatInterval: min(5, (heartbeatTimeout ?? 30) / 6),
        heartbeatTimeout: heartbeatTimeout ?? 30)
    } catch let e as TuningError {
      throw CLIError.failure(e.description)
    }
    let objective = s.objective
    let progress = TuneProgress(name: s.name, total: s.trials, direction: s.direction)
    do {
      try study.optimize(
        trials: s.trials, parallelism: s.workers, patience: s.patience,
        onFinish: { progress.update($0) }, objective.callAsFunction)
    } catch let e as TuningError {
      progress.end()
      throw CLIError.failure(e.description)
    }
    progress.end()
    if json {
      print(try study.exportJSON().serialized())
    } else {
      print(TuneTable(study: study, trials: try study.trials).text)
    }
    if let report {
      do {
        try TuneReport(study: study, metric: s.metric, scale: reportScale).write(to: report)
      } catch {
        throw CLIError.failure("--report \(report): \(error)")
      }
    }
    if try study.bestTrial == nil {
      throw CLIError.failure("no trial completed (see the trials' errors)")
    }
  }
}

/// The progress line on stderr (a terminal only): trials done, best so far.
final class TuneProgress: Sendable {
  private struct Counts {
    var done = 0
    var failed = 0
    var best: (Double, Int)?
  }
  private let counts = Mutex(Counts())
  private let enabled = isatty(2) == 1
  private let name: String
  private let total: Int
  private let direction: Direction
  private let start = Date()

  init(name: String, total: Int, direction: Direction) {
    self.name = name
    self.total = total
    self.direction = direction
  }

  func update(_ t: FrozenTrial) {
    guard enabled else { return }
    counts.withLock { c in
      c.done += 1
      if t.state == .failed { c.failed += 1 }
      if t.state == .complete, let v = t.value,
        c.best.map({ direction.isBetter(v, than: $0.0) }) ?? true
      {
        c.best = (v, t.number)
      }
      let b = c.best.map { " best \(JSONValue.format($0.0)) (trial \($0.1))" } ?? ""
      let f = c.failed > 0 ? ", \(c.failed) failed" : ""
      let secs = String(format: "%.1fs", Date().timeIntervalSince(start))
      let line = "\r\(name): trial \(t.number + 1)/\(total) done\(b)\(f) \(secs)\u{1B}[K"
      FileHandle.standardError.write(Data(line.utf8))
    }
  }

  func end() {
    guard enabled else { return }
    counts.withLock { c in
      if c.done > 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
  }
}

/// The final table: counts by state, then the best complete trials.
struct TuneTable {
  var study: Study
  var trials: [FrozenTrial]

  var text: String {
    var out = "study \(study.name) (\(study.direction.rawValue)): \(trials.count) trials"
    let counts = TrialState.allCases.compactMap { s -> String? in
      let n = trials.filter { $0.state == s }.count
      return n > 0 ? "\(n) \(s.rawValue)" : nil
    }
    out += " (" + counts.joined(separator: ", ") + ")\n"
    let names = study.searchSpace?.names ?? []
    let best = trials.compactMap { t -> (FrozenTrial, Double)? in
      guard t.state == .complete, let v = t.value else { return nil }
      return (t, v)
    }
    .sorted { a, b in study.direction.isBetter(a.1, than: b.1) }
    .prefix(10)
    guard !best.isEmpty else { return out + "no complete trial\n" }
    let header = ["trial", "value", "seconds"] + names
    var rows = [header]
    for (t, value) in best {
      rows.append(
        [String(t.number), JSONValue.format(value), String(format: "%.2f", t.seconds ?? 0)]
          + names.map { t.parameters[$0]?.description ?? "" })
    }
    let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    for r in rows {
      out +=
        r.indices.map { r[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
        .joined(separator: "  ") + "\n"
    }
    return out
  }
}
