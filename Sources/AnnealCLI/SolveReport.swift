import Anneal
import Foundation

/// What `anneal solve` reports, as JSON for machines and a table for people.
struct SolveReport {
  var file: String
  var loaded: LoadedModel
  var problem: IsingProblem
  var samples: SampleSet
  var configuration: SamplerConfiguration
  var seed: UInt64
  var parseSeconds: Double
  var sampleSeconds: Double
  var totalSeconds: Double

  var bestRow: Int {
    samples.lowestRow ?? 0
  }

  var spinUpdates: Int {
    if case .int(let n) = samples.info["spin_updates"] { return n }
    return 0
  }

  /// The contract's JSON object (DESIGN.md, "Command line contract").
  var json: JSONValue {
    let best = bestRow
    var out: [String: JSONValue] = [
      "sampler": .string(configuration.kind.rawValue),
      "parameters": configuration.json,
      "file": .string(file),
      "format": .string(loaded.format.rawValue),
      "vartype": .string(loaded.model.vartype.rawValue),
      "num_variables": .int(loaded.model.numVariables),
      "num_interactions": .int(problem.numInteractions),
      "num_reads": .int(samples.count),
      "seed": seed <= UInt64(Int.max) ? .int(Int(seed)) : .string(String(seed)),
      "best_energy": .double(samples.energies[best]),
      "energies": .array(samples.energies.map { .double($0) }),
      "best_sample": .array(samples.sample(best).map { .int(Int($0)) }),
      "spin_updates": .int(spinUpdates),
      "timing": .object([
        "parse_seconds": .double(parseSeconds),
        "sample_seconds": .double(sampleSeconds),
        "total_seconds": .double(totalSeconds),
      ]),
      "info": .object(samples.info),
    ]
    if !loaded.model.variables.isRange {
      out["variable_labels"] = .array(loaded.model.variables.map(\.jsonValue))
    }
    if let objective = loaded.objective {
      out["objective"] = .object([
        "name": .string(objective.name),
        "best": .double(objective.value(energy: samples.energies[best])),
        "sense": .string(objective.sense.rawValue),
      ])
    }
    return .object(out)
  }

  /// A short table for a person at a terminal.
  var table: String {
    let best = bestRow
    let e = samples.energies
    let mean = e.reduce(0, +) / Double(e.count)
    var lines: [String] = []
    func row(_ k: String, _ v: String) {
      lines.append(k.padding(toLength: 16, withPad: " ", startingAt: 0) + v)
    }
    row(
      "model", "\(file) (\(loaded.format.rawValue), \(loaded.model.vartype.rawValue.lowercased()))")
    row("size", "\(loaded.model.numVariables) variables, \(problem.numInteractions) interactions")
    row("sampler", "\(configuration.kind.rawValue), \(samples.count) reads, seed \(seed)")
    row("best energy", fmt(e[best]))
    row("mean energy", fmt(mean))
    if let objective = loaded.objective {
      row(
        "best \(objective.name)",
        fmt(objective.value(energy: e[best])) + " (\(objective.sense.rawValue))")
    }
    let rate = sampleSeconds > 0 ? Double(spinUpdates) / sampleSeconds / 1e6 : 0
    row("time", String(format: "%.3f s sampling, %.3f s reading", sampleSeconds, parseSeconds))
    if spinUpdates > 0 { row("throughput", String(format: "%.1f M spin updates/s", rate)) }
    let n = loaded.model.numVariables
    if n <= 64 {
      let values = samples.sample(best)
      let text: String
      switch loaded.model.vartype {
      case .spin: text = values.map { $0 < 0 ? "-" : "+" }.joined()
      case .binary: text = values.map { String($0) }.joined()
      }
      row("best sample", text)
    }
    return lines.joined(separator: "\n")
  }

  private func fmt(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%.6g", x)
  }
}
