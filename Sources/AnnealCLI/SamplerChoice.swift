import Anneal
import ArgumentParser

extension SamplerKind: ExpressibleByArgument {
  public static var allValueDescriptions: [String: String] {
    Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0.summary) })
  }

  /// What `--help` says about each choice.
  var summary: String {
    switch self {
    case .sa: return "simulated annealing (Metropolis, geometric β schedule)"
    case .sqa: return "path-integral simulated quantum annealing (Suzuki–Trotter)"
    case .pt: return "parallel tempering (replica exchange)"
    case .tabu: return "multistart tabu search"
    case .descent: return "steepest descent from random starts"
    case .exact: return "exhaustive enumeration (at most 30 variables)"
    case .random: return "uniformly random states (a baseline)"
    case .portfolio:
      return "sa's time budget on half the threads, one pt read on each other "
        + "thread, run until --time-limit; pt's ladder: a typical uphill flip accepted "
        + "1/6 of the time at the hot end, the typical smallest gap 1/3000 at the cold "
        + "end (info best_member names the winner)"
    }
  }
}

extension Schedule.Shape: ExpressibleByArgument {}

/// A comma-separated pair of numbers, as in `--beta-range 0.1,5`.
struct NumberPair: ExpressibleByArgument {
  var first: Double
  var second: Double

  init?(argument: String) {
    let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count == 2,
      let a = Double(parts[0].trimmingCharacters(in: .whitespaces)),
      let b = Double(parts[1].trimmingCharacters(in: .whitespaces))
    else { return nil }
    first = a
    second = b
  }

  var defaultValueDescription: String { "\(first),\(second)" }

  /// The pair as data (range checks happen where the data is read).
  var json: JSONValue { .array([.double(first), .double(second)]) }
}
