import Anneal
import ArgumentParser
import Foundation

/// `--reads`, `--threads` and `--time-limit`: the shared `ReadOptions` of
/// every sampler.
struct ReadArguments: ParsableArguments {
  @Option(parsing: .unconditional, help: "Independent reads (restarts); for exact, the lowest states kept. (default: 10)")
  var reads: Int?

  @Option(parsing: .unconditional, help: "Worker threads (default: all cores); results do not depend on it.")
  var threads: Int?

  @Option(
    name: .customLong("time-limit"), parsing: .unconditional,
    help: """
      Stop after this many seconds: reads that cannot finish in the time left do not start, \
      and a read cut short is polished by steepest descent (info cut_reads). Without \
      --reads the limit is a budget: reads run until it is spent, and sa and pt without \
      --sweeps choose the length of their reads from it.
      """)
  var timeLimit: Double?

}

/// The sampler and its parameters, as every sampling command takes them.
///
/// The flags become a sampler configuration (`SamplerConfiguration`, the
/// form sweep and tune specs use), so flags and specs share one set of
/// names, types and range checks.
struct SamplerOptions: ParsableArguments {
  @Option(help: "The sampler to run.")
  var sampler: SamplerKind = .sa

  @OptionGroup var read: ReadArguments

  @Option(parsing: .unconditional, help: """
      Sweeps per read (one sweep proposes a flip of every spin once). (default: 1000; \
      sa and pt under --time-limit without --reads: chosen from the limit)
      """)
  var sweeps: Int?

  @Option(parsing: .unconditional, help: "Random seed; the same seed gives the same samples at any thread count.")
  var seed: UInt64?

  @Option(
    name: .customLong("beta-range"), parsing: .unconditional,
    help: """
      Inverse temperatures A,B in either order; β rises from the smaller to the larger \
      (sa, pt; default from the model's local fields: a typical uphill flip accepted a \
      third of the time at the hot end, the typical smallest gap 1/400 at the cold end).
      """)
  var betaRange: NumberPair?

  @Option(help: "How β (sa) or Γ (sqa) moves between the ends of its range. (default: geometric)")
  var schedule: Schedule.Shape?

  @Option(parsing: .unconditional, help: "Trotter slices P (sqa; default 16).")
  var trotter: Int?

  @Option(
    name: .customLong("gamma-range"), parsing: .unconditional,
    help: "Transverse field A,B in either order; Γ falls from the larger to the smaller (sqa).")
  var gammaRange: NumberPair?

  @Option(
    parsing: .unconditional,
    help: """
      Inverse temperature β of the quantum system (sqa; default min(SA's cold β, P/σ), \
      σ the RMS local field of a random state).
      """)
  var beta: Double?

  @Option(parsing: .unconditional, help: "Replicas in the temperature ladder (pt; default 16).")
  var replicas: Int?

  @Option(parsing: .unconditional, help: "Iterations a flipped spin stays tabu (tabu; default max(min(20, n/4), n/16)).")
  var tenure: Int?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Emulate a QPU's control errors, e.g. sigma_h=0.02,sigma_j=0.03,readout=0.01.",
      discussion: """
        Every read anneals its own copy of the model with Gaussian errors on each field \
        (sigma_h) and coupling (sigma_j), in the units of a QPU's ranges (h in [-2, 2], \
        J in [-1, 1], after scaling the model into them) unless relative=false, and \
        reads each spin out flipped with probability readout. Energies are those of \
        the model without errors. Same seed, same samples at any thread count.
        """,
      valueName: "key=value,..."))
  var noise: String?

  @Option(
    name: .customLong("parameters"),
    help: ArgumentHelp(
      "Further parameters as a JSON object, e.g. '{\"acceptance\": \"gibbs\"}'.",
      discussion: "Keys as in a sweep or tune spec; flags given on the command line win."))
  var parametersJSON: String?

  /// Each sampler-specific flag: its spelling, its configuration key and
  /// its value when given.
  private var samplerFlags: [(flag: String, key: String, value: JSONValue?)] {
    [
      ("--sweeps", "sweeps", sweeps.map { .int($0) }),
      ("--beta-range", "beta_range", betaRange?.json),
      ("--schedule", "schedule", schedule.map { .string($0.rawValue) }),
      ("--trotter", "trotter", trotter.map { .int($0) }),
      ("--gamma-range", "gamma_range", gammaRange?.json),
      ("--beta", "beta", beta.map { .double($0) }),
      ("--replicas", "replicas", replicas.map { .int($0) }),
      ("--tenure", "tenure", tenure.map { .int($0) }),
    ]
  }

  /// The flags given that `sampler` ignores, for a warning.
  var ignoredFlags: [String] {
    let keys = Set(sampler.keys)
    return samplerFlags.filter { $0.value != nil && !keys.contains($0.key) }.map(\.flag)
  }

  /// The keys given in `--parameters`, if it parses.
  private var parameterKeys: Set<String> {
    guard let parametersJSON, case .object(let extra)? = try? JSONValue(parsing: parametersJSON)
    else { return [] }
    return Set(extra.keys)
  }

  /// Makes `--time-limit` a budget when neither `--reads` nor a `reads` key
  /// was given: as many reads as fit (`ReadOptions.budgetReads`), and for sa
  /// and pt without `--sweeps` or `sweeps`, reads whose length fills the
  /// limit (`sweeps_fill_time_limit`; sa's only without a schedule). Exact
  /// is left alone. Returns the read cap it set, or nil when the limit is
  /// not a budget.
  @discardableResult
  func applyBudget(to configuration: inout SamplerConfiguration, numSpins n: Int) -> Int? {
    let keys = parameterKeys
    guard read.timeLimit != nil || keys.contains("time_limit"),
      configuration.readOptions.control.timeLimit != nil,
      read.reads == nil, !keys.contains("reads")
    else { return nil }
    switch configuration.parameters {
    case .exact: return nil
    case .sa(let p): configuration.parameters = .sa(budgeted(p, numSpins: n, keys: keys))
    case .pt(let p): configuration.parameters = .pt(budgeted(p, numSpins: n, keys: keys))
    case .portfolio(var p):
      p.reads = ReadOptions.budgetReads(numSpins: n)
      if lengthFollowsBudget(keys) && !keys.contains("fill_time_limit") {
        p.fillTimeLimit = true
      }
      configuration.parameters = .portfolio(p)
    case .sqa(let p):
      configuration.readOptions.reads = ReadOptions.budgetReads(
        numSpins: n, rowsPerRead: p.returnAllSlices ? p.trotter : 1)
    case .tabu, .descent, .random:
      configuration.readOptions.reads = ReadOptions.budgetReads(numSpins: n)
    }
    if case .sa(let p) = configuration.parameters { return p.reads }
    if case .portfolio(let p) = configuration.parameters { return p.reads }
    return configuration.readOptions.reads
  }

  /// `p` with the budget's read count, and reads that fill the limit unless
  /// their length was given.
  private func budgeted<P: BudgetFilled>(_ p: P, numSpins n: Int, keys: Set<String>) -> P {
    var p = p
    p.reads = ReadOptions.budgetReads(numSpins: n)
    if lengthFollowsBudget(keys) { p.sweepsFillTimeLimit = true }
    return p
  }

  /// Whether a budget chooses the length of sa's and pt's reads: neither
  /// `--sweeps` nor a `sweeps` or `sweeps_fill_time_limit` key was given.
  private func lengthFollowsBudget(_ keys: Set<String>) -> Bool {
    sweeps == nil && !keys.contains("sweeps") && !keys.contains("sweeps_fill_time_limit")
  }

  /// The configuration the flags describe; a bad value is a `CLIError`
  /// naming the flag (or `--parameters`).
  func configuration() throws -> SamplerConfiguration {
    var fields: [String: JSONValue] = [:]
    if let parametersJSON {
      guard case .object(let extra)? = try? JSONValue(parsing: parametersJSON) else {
        throw CLIError.badInput("--parameters must be a JSON object, got \(parametersJSON)")
      }
      fields = extra
    }
    let keys = Set(sampler.keys)
    var flags = samplerFlags.filter { keys.contains($0.key) } + [
      ("--reads", "reads", read.reads.map { .int($0) }),
      ("--threads", "threads", read.threads.map { .int($0) }),
      ("--time-limit", "time_limit", read.timeLimit.map { .double($0) }),
    ]
    if sampler == .exact {
      // For exact, --reads is how many of the lowest states to keep.
      flags[flags.count - 3] = ("--reads", "keep_lowest", .int(read.reads ?? 10))
    }
    if let noise { flags.append(("--noise", "noise", try Self.noiseObject(noise))) }
    var flagOfKey: [String: String] = [:]
    for (flag, key, value) in flags {
      guard let value else { continue }
      fields[key] = value
      flagOfKey[key] = flag
    }
    fields["sampler"] = .string(sampler.rawValue)
    do {
      return try SamplerConfiguration(fields)
    } catch let error as SamplerConfigurationError {
      if let key = error.key, let flag = flagOfKey[key] {
        throw CLIError.badInput("\(flag) \(error.reason)")
      }
      throw CLIError.badInput("--parameters: \(error.description)")
    }
  }

  /// `--noise key=value,...` as the JSON object of the `noise` key; values
  /// are numbers or true/false, and the keys are checked by the
  /// configuration.
  static func noiseObject(_ text: String) throws -> JSONValue {
    var fields: [String: JSONValue] = [:]
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let kv = part.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard kv.count == 2, !kv[0].isEmpty else {
        throw CLIError.badInput(
          "--noise takes key=value pairs separated by commas "
            + "(e.g. sigma_h=0.02,sigma_j=0.03,readout=0.01), got '\(part)'")
      }
      if let x = Double(kv[1]) {
        fields[kv[0]] = .double(x)
      } else if kv[1] == "true" || kv[1] == "false" {
        fields[kv[0]] = .bool(kv[1] == "true")
      } else {
        throw CLIError.badInput("--noise: \(kv[0]) must be a number, got '\(kv[1])'")
      }
    }
    return .object(fields)
  }
}

/// Parameters whose reads a time budget counts and lengthens (sa, pt).
protocol BudgetFilled: ReadConfigurable {
  var sweepsFillTimeLimit: Bool { get set }
}

extension SimulatedAnnealing.Parameters: BudgetFilled {}
extension ParallelTempering.Parameters: BudgetFilled {}
