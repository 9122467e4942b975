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
    if let beta, !(beta > 0) || !beta.isFinite {
      throw ValidationError("--beta must be a positive number")
    }
  }

  /// The flags given that `sampler` ignores, for a warning.
  var ignoredFlags: [String] {
    var out: [String] = []
    let quantum = [
      ("--trotter", trotter != nil), ("--gamma-range", gammaRange != nil), ("--beta", beta != nil),
    ]
    let classical = [("--beta-range", betaRange != nil)]
    switch sampler {
    case .sa, .pt:
      out += quantum.filter(\.1).map(\.0)
    case .sqa:
      out += classical.filter(\.1).map(\.0)
    case .tabu, .descent, .exact, .random:
      out += (quantum + classical).filter(\.1).map(\.0)
    }
    return out
  }
}
