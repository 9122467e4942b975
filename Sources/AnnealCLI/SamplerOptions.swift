import Anneal
import ArgumentParser

/// The sampling options shared by every command that samples.
struct SamplerOptions: ParsableArguments {
  @Option(help: "The sampler to run.")
  var sampler: SamplerChoice = .sa

  @Option(help: "Independent reads (restarts); for exact, the lowest states kept.")
  var reads: Int = 10

  @Option(help: "Sweeps per read (one sweep proposes a flip of every spin once).")
  var sweeps: Int = 1000

  @Option(help: "Random seed; the same seed gives the same samples at any thread count.")
  var seed: UInt64?

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  @Option(
    name: .customLong("time-limit"),
    help: "Stop sampling after this many seconds and return what was found.")
  var timeLimit: Double?

  @Option(
    name: .customLong("beta-range"),
    help: "Inverse temperatures LO,HI of the schedule (sa, pt; default from the model's biases).")
  var betaRange: NumberPair?

  @Option(help: "How β moves from LO to HI (sa).")
  var schedule: Schedule.Shape = .geometric

  @Option(help: "Trotter slices P (sqa).")
  var trotter: Int?

  @Option(
    name: .customLong("gamma-range"),
    help: "Transverse field HI,LO, falling during the run (sqa).")
  var gammaRange: NumberPair?

  @Option(help: "Inverse temperature β of the quantum system (sqa).")
  var beta: Double?

  @Option(help: "Replicas in the temperature ladder (pt; default 16).")
  var replicas: Int?

  @Option(help: "Iterations a flipped spin stays tabu (tabu; default max(min(20, n/4), n/16)).")
  var tenure: Int?

  mutating func validate() throws {
    guard reads >= 1 else { throw ValidationError("--reads must be at least 1 (got \(reads))") }
    guard sweeps >= 1 else { throw ValidationError("--sweeps must be at least 1 (got \(sweeps))") }
    if let threads, threads < 1 {
      throw ValidationError("--threads must be at least 1 (got \(threads))")
    }
    if let timeLimit, !(timeLimit > 0) || !timeLimit.isFinite {
      throw ValidationError("--time-limit must be a positive number of seconds")
    }
    if let r = betaRange, !(r.first > 0 && r.second >= r.first) {
      throw ValidationError("--beta-range LO,HI needs 0 < LO <= HI (got \(r.first),\(r.second))")
    }
    if let trotter, trotter < 1 {
      throw ValidationError("--trotter must be at least 1 (got \(trotter))")
    }
    if let g = gammaRange, !(g.first >= g.second && g.second >= 0 && g.first > 0) {
      throw ValidationError(
        "--gamma-range HI,LO needs HI >= LO >= 0 and HI > 0 (got \(g.first),\(g.second))")
    }
    if let replicas, replicas < 2 {
      throw ValidationError("--replicas must be at least 2 (got \(replicas))")
    }
    if let tenure, tenure < 0 {
      throw ValidationError("--tenure must be non-negative (got \(tenure))")
    }
    if let beta, !(beta > 0) || !beta.isFinite {
      throw ValidationError("--beta must be a positive number")
    }
  }

  /// The flags given that `sampler` ignores, for a warning.
  var ignoredFlags: [String] {
    let given: [(String, Bool, Set<SamplerChoice>)] = [
      ("--trotter", trotter != nil, [.sqa]),
      ("--gamma-range", gammaRange != nil, [.sqa]),
      ("--beta", beta != nil, [.sqa]),
      ("--beta-range", betaRange != nil, [.sa, .pt]),
      ("--replicas", replicas != nil, [.pt]),
      ("--tenure", tenure != nil, [.tabu]),
    ]
    return given.filter { $0.1 && !$0.2.contains(sampler) }.map(\.0)
  }
}
