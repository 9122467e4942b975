import Anneal
import Foundation
import Learning

/// What `anneal quantize` prints: per-seed results, means and paired
/// differences, as a table or one JSON object.
struct QuantizeReport {
  var dataset: String
  var bits: Int
  var sampler: String
  var scale: String
  var inputs: String
  var results: [QuantizationExperiment.SeedResult]
  /// Wall-clock seconds of the whole command.
  var seconds: Double
  /// CPU seconds (user + system, all threads) of the seeds' runs.
  var cpuSeconds: Double
  /// Seeds run at the same time.
  var jobs: Int

  static let solvers = ["rtn", "greedy", "gptq", "anneal"]
  static let comparisons = ["rtn+finetune", "greedy+finetune", "gptq+finetune"]

  /// The method names reported: the fixed nine, then `hybrid` when run.
  var methods: [String] {
    QuantizationExperiment.methods
      + (results.contains { $0.accuracy["hybrid"] != nil } ? ["hybrid"] : [])
  }

  func accuracies(_ method: String) -> [Double] { results.map { $0.accuracy[method] ?? .nan } }

  func stage(_ key: String) -> Double { results.reduce(0) { $0 + ($1.seconds[key] ?? 0) } }

  /// Paired difference `anneal+finetune − other`, in accuracy fraction.
  func paired(_ other: String) -> Summary {
    Summary(paired: accuracies("anneal+finetune"), minus: accuracies(other))
  }

  /// (seed, layer) pairs where the annealed energy is at most greedy's.
  var annealAtMostGreedy: (count: Int, total: Int) {
    var (count, total) = (0, 0)
    for r in results {
      for (a, g) in zip(r.energies["anneal"] ?? [], r.energies["greedy"] ?? []) {
        total += 1
        if a <= g + 1e-9 * max(1, abs(g)) { count += 1 }
      }
    }
    return (count, total)
  }

  var json: JSONValue {
    var accuracy = [String: JSONValue]()
    for m in methods {
      accuracy[m] = .array(accuracies(m).map { rounded($0) })
    }
    var energy = [String: JSONValue]()
    for m in Self.solvers {
      energy[m] = .array(results.map { .array(($0.energies[m] ?? []).map { rounded($0, 9) }) })
    }
    var pairs = [String: JSONValue]()
    if results.count > 1 {
      if methods.contains("hybrid") {
        let s = Summary(paired: accuracies("hybrid"), minus: accuracies("anneal+finetune"))
        pairs["hybrid - anneal+finetune"] = .object([
          "mean": rounded(s.mean), "low": rounded(s.mean - s.halfWidth),
          "high": rounded(s.mean + s.halfWidth),
        ])
      }
      for other in Self.comparisons {
        let s = paired(other)
        pairs["anneal+finetune - \(other)"] = .object([
          "mean": rounded(s.mean), "low": rounded(s.mean - s.halfWidth),
          "high": rounded(s.mean + s.halfWidth),
        ])
      }
    }
    let (le, total) = annealAtMostGreedy
    return .object([
      "dataset": .string(dataset), "bits": .int(bits), "sampler": .string(sampler),
      "scale": .string(scale), "inputs": .string(inputs),
      "seeds": .array(results.map { .int(Int($0.seed)) }),
      "test_accuracy": .object(accuracy), "qubo_energy": .object(energy),
      "paired_difference": .object(pairs),
      "hybrid": .array(
        results.map { r in
          .array(
            r.hybrid.map { h in
              .object([
                "round": .int(h.round), "training_loss": rounded(h.trainingLoss, 8),
                "test_accuracy": rounded(h.testAccuracy),
                "qubo_energy": .array(h.energies.map { rounded($0, 9) }), "kept": .bool(h.kept),
              ])
            })
        }),
      "anneal_energy_at_most_greedy": .object(["layers": .int(le), "of": .int(total)]),
      "seconds": rounded(seconds, 3),
      "cpu_seconds": rounded(cpuSeconds, 3),
      "timing": .object([
        "jobs": .int(jobs),
        "seeds_total": rounded(stage("total"), 3),
        "training": rounded(stage("training"), 3),
        "qubo_construction": rounded(stage("qubo_construction"), 3),
        "solving": .object(
          Dictionary(
            uniqueKeysWithValues: Self.solvers.map {
              ($0, rounded(stage("solving_\($0)"), 3))
            })),
        "finetune": rounded(stage("finetune"), 3),
      ]),
    ])
  }

  var table: String {
    var lines = [String]()
    let seeds = results.map { "s\($0.seed)" }
    func pad(_ s: String, _ w: Int) -> String {
      s.count >= w ? s : String(repeating: " ", count: w - s.count) + s
    }
    func left(_ s: String, _ w: Int) -> String {
      s.count >= w ? s : s + String(repeating: " ", count: w - s.count)
    }
    lines.append(
      "test accuracy, \(dataset), \(bits) bits, \(scale) scale, \(inputs) inputs, sampler "
        + "\(sampler), \(results.count) seed(s)")
    lines.append(
      left("method", 16) + seeds.map { pad($0, 7) }.joined() + pad("mean ± sd", 17))
    for m in methods {
      let a = accuracies(m)
      let s = Summary(a)
      lines.append(
        left(m, 16) + a.map { pad(String(format: "%.3f", $0), 7) }.joined()
          + pad(String(format: "%.4f ± %.4f", s.mean, s.sd), 17))
    }
    if results.count > 1 {
      lines.append("")
      lines.append("paired difference in test accuracy (points), 95% t interval:")
      if methods.contains("hybrid") {
        let s = Summary(paired: accuracies("hybrid"), minus: accuracies("anneal+finetune"))
        lines.append(
          "  hybrid − anneal+finetune          "
            + String(
              format: "%+6.2f  [%+6.2f, %+6.2f]", 100 * s.mean, 100 * (s.mean - s.halfWidth),
              100 * (s.mean + s.halfWidth)))
      }
      for other in Self.comparisons {
        let s = paired(other)
        lines.append(
          "  anneal+finetune − " + left(other, 16)
            + String(
              format: "%+6.2f  [%+6.2f, %+6.2f]", 100 * s.mean, 100 * (s.mean - s.halfWidth),
              100 * (s.mean + s.halfWidth)))
      }
    }
    lines.append("")
    lines.append("QUBO energy per layer (mean over seeds; GPTQ's is its reconstruction error):")
    lines.append("  layer" + Self.solvers.map { pad($0, 13) }.joined())
    let layers = results.first?.energies["rtn"]?.count ?? 0
    for l in 0..<layers {
      lines.append(
        "  " + left("\(l + 1)", 5)
          + Self.solvers.map { m in
            let v = results.map { $0.energies[m]?[l] ?? .nan }
            return pad(String(format: "%.5g", v.reduce(0, +) / Double(v.count)), 13)
          }.joined())
    }
    let (le, total) = annealAtMostGreedy
    lines.append("  anneal ≤ greedy on \(le) of \(total) (seed, layer) QUBOs")
    if inputs == "quantized" {
      lines.append(
        "  (with quantized inputs each method's layers after the first see their own QUBOs)")
    }
    lines.append("")
    lines.append(
      String(format: "seconds: %.1f wall, %.1f CPU", seconds, cpuSeconds)
        + (jobs > 1 ? " (\(jobs) seeds at a time)" : ""))
    lines.append(
      String(
        format:
          "  per seed, summed over seeds: %.1f in all; training %.1f, QUBO construction %.1f, "
          + "solving rtn %.2f, greedy %.2f, gptq %.2f, anneal %.1f, fine-tuning %.1f",
        stage("total"), stage("training"), stage("qubo_construction"), stage("solving_rtn"),
        stage("solving_greedy"), stage("solving_gptq"), stage("solving_anneal"),
        stage("finetune")))
    return lines.joined(separator: "\n")
  }
}
