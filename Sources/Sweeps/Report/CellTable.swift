import Annealing
import Foundation
import QUBOModel

/// `cells.csv` and `cells.json`: one row per finished cell with its own
/// statistics (not pooled over seeds).
public enum CellTable {
  static let header = [
    "instance", "size", "sampler", "parameters", "seed", "reads", "successes", "p", "p_low",
    "p_high", "t_read", "tts99", "tts99_low", "tts99_high", "residual_mean", "residual_best",
    "seconds", "spin_updates", "spin_updates_per_second",
  ]

  /// The statistics of each finished cell of `summary`'s plan, in plan order.
  public static func rows(_ summary: SweepSummary, results: [CellResult])
    -> [(cell: SweepCell, result: CellResult, stats: CellStatistics)]
  {
    let plan = summary.plan
    let byKey = Dictionary(results.map { ($0.key, $0) }) { a, _ in a }
    return plan.cells.compactMap { cell in
      guard let r = byKey[cell.key], let target = summary.targets[cell.instance] else {
        return nil
      }
      let reads = Double(max(r.energies.count, 1))
      let tRead: Double
      switch plan.spec.ttsUnit {
      case .seconds: tRead = r.seconds * Double(r.threads) / reads
      case .spinUpdates: tRead = r.spinUpdates / reads
      }
      let stats = CellStatistics(
        energies: r.energies, target: target, tRead: tRead, spinUpdates: r.spinUpdates,
        seconds: r.seconds, resamples: plan.spec.resamples,
        seed: SplitMix64Seed.of(plan.spec.seed, cell.key))
      return (cell, r, stats)
    }
  }

  /// The CSV text.
  public static func csv(_ summary: SweepSummary, results: [CellResult]) -> String {
    var out = header.joined(separator: ",") + "\n"
    for (cell, r, s) in rows(summary, results: results) {
      let fields: [String] = [
        r.instance, "\(summary.plan.instances[cell.instance].size)", r.sampler,
        "\""
          + JSONValue.object(r.parameters).serialized().replacingOccurrences(of: "\"", with: "\"\"")
          + "\"",
        "\(r.seed)", "\(s.success.reads)", "\(s.success.successes)", num(s.success.estimate),
        num(s.success.lower), num(s.success.upper), num(s.tRead), num(s.tts99.value),
        num(s.tts99.lower), num(s.tts99.upper), num(s.residualMean), num(s.residualBest),
        num(r.seconds), num(r.spinUpdates), num(s.throughput),
      ]
      out += fields.joined(separator: ",") + "\n"
    }
    return out
  }

  /// The JSON array: each stored cell with its statistics.
  public static func json(_ summary: SweepSummary, results: [CellResult]) -> JSONValue {
    .array(
      rows(summary, results: results).map { _, r, s in
        guard case .object(var o) = r.json else { return r.json }
        o["statistics"] = .object([
          "successes": .int(s.success.successes), "p": .double(s.success.estimate),
          "p_low": .double(s.success.lower), "p_high": .double(s.success.upper),
          "t_read": .double(s.tRead), "tts99": .double(s.tts99.value),
          "tts99_low": .double(s.tts99.lower), "tts99_high": .double(s.tts99.upper),
          "residual_mean": .double(s.residualMean), "residual_best": .double(s.residualBest),
          "spin_updates_per_second": .double(s.throughput),
        ])
        return .object(o)
      })
  }

  static func num(_ x: Double) -> String {
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x.isNaN { return "" }
    return JSONValue.format(x)
  }
}

/// Bootstrap seeds from the spec seed and a name.
enum SplitMix64Seed {
  static func of(_ seed: UInt64, _ name: String) -> UInt64 {
    SplitMix64.mix(seed ^ SweepCell.stableHash(name))
  }
}
