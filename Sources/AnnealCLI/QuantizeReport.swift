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
  /// The rounding methods run, in order.
  var roundingMethods: [RoundingMethod] = RoundingMethod.standard
  var results: [QuantizationExperiment.SeedResult]
  /// Wall-clock seconds of the whole command.
  var seconds: Double
  /// CPU seconds (user + system, all threads) of the seeds' runs.
  var cpuSeconds: Double
  /// Seeds run at the same time.
  var jobs: Int

  /// The rounding methods' names.
  var solvers: [String] { roundingMethods.map(\.rawValue) }

  /// The annealing methods run (`anneal`, and `coupled`, `block` when run).
  var annealers: [String] { solvers.filter { ["anneal", "anneal-ft", "coupled", "block", "block-ft"].contains($0) } }

  /// The pairs (annealing method, other) compared, after fine-tuning, then
  /// before: each annealing method against every other method.
  var comparisons: [(left: String, right: String)] {
    var pairs = [(left: String, right: String)]()
    for suffix in ["+finetune", ""] {
      for a in annealers {
        for o in solvers where o != a && !(annealers.contains(o) && a == "anneal") {
          pairs.append((a + suffix, o + suffix))
        }
      }
    }
    return pairs
  }

  /// The method names reported: float, each method and its fine-tuned
  /// form, then `hybrid` when run.
  var methods: [String] {
    QuantizationExperiment.names(roundingMethods)
      + (results.contains { $0.accuracy["hybrid"] != nil } ? ["hybrid"] : [])
  }

  func accuracies(_ method: String) -> [Double] { results.map { $0.accuracy[method] ?? .nan } }

  func logLosses(_ method: String) -> [Double] { results.map { $0.logLoss[method] ?? .nan } }

  /// McNemar's exact test of `left` against `right`, per seed.
  func mcnemar(_ left: String, _ right: String) -> [McNemar] {
    results.compactMap { r in
      guard let a = r.correct[left], let b = r.correct[right] else { return nil }
      return try? McNemar(a, b)
    }
  }

  func stage(_ key: String) -> Double { results.reduce(0) { $0 + ($1.seconds[key] ?? 0) } }

  /// Paired difference `left − right`, in accuracy fraction.
  func paired(_ left: String, _ right: String) -> Summary {
    Summary(paired: accuracies(left), minus: accuracies(right))
  }

  /// Paired difference of test log-loss, `left − right`.
  func pairedLogLoss(_ left: String, _ right: String) -> Summary {
    Summary(paired: logLosses(left), minus: logLosses(right))
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
    var logLoss = [String: JSONValue]()
    for m in methods {
      accuracy[m] = .array(accuracies(m).map { rounded($0) })
      logLoss[m] = .array(logLosses(m).map { rounded($0) })
    }
    var energy = [String: JSONValue]()
    for m in solvers {
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
      for (left, right) in comparisons {
        let s = paired(left, right)
        let ll = pairedLogLoss(left, right)
        let tests = mcnemar(left, right)
        pairs["\(left) - \(right)"] = .object([
          "mean": rounded(s.mean), "low": rounded(s.mean - s.halfWidth),
          "high": rounded(s.mean + s.halfWidth),
          "log_loss": .object([
            "mean": rounded(ll.mean), "low": rounded(ll.mean - ll.halfWidth),
            "high": rounded(ll.mean + ll.halfWidth),
          ]),
          "mcnemar_p": .array(tests.map { rounded($0.pValue, 6) }),
          "mcnemar_left_better": .int(tests.filter { $0.pValue < 0.05 && $0.firstOnly > $0.secondOnly }.count),
          "mcnemar_left_worse": .int(tests.filter { $0.pValue < 0.05 && $0.firstOnly < $0.secondOnly }.count),
        ])
      }
    }
    let (le, total) = annealAtMostGreedy
    return .object([
      "dataset": .string(dataset), "bits": .int(bits), "sampler": .string(sampler),
      "scale": .string(scale), "inputs": .string(inputs),
      "seeds": .array(results.map { .int(Int($0.seed)) }),
      "test_accuracy": .object(accuracy), "test_log_loss": .object(logLoss),
      "qubo_energy": .object(energy),
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
      "energy_accuracy_spearman": .object(
        Dictionary(
          uniqueKeysWithValues: [(false, false), (false, true), (true, false), (true, true)].map {
            ft, noRTN in
            let s = energyAccuracyCorrelation(fineTuned: ft, withoutRTN: noRTN)
            return (
              (ft ? "finetuned" : "rounded") + (noRTN ? "_without_rtn" : ""),
              JSONValue.object([
                "mean": rounded(s.mean), "low": rounded(s.mean - s.halfWidth),
                "high": rounded(s.mean + s.halfWidth),
              ])
            )
          })),
      "seconds": rounded(seconds, 3),
      "cpu_seconds": rounded(cpuSeconds, 3),
      "timing": .object([
        "jobs": .int(jobs),
        "seeds_total": rounded(stage("total"), 3),
        "training": rounded(stage("training"), 3),
        "qubo_construction": rounded(stage("qubo_construction"), 3),
        "solving": .object(
          Dictionary(
            uniqueKeysWithValues: solvers.map {
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
      lines.append(
        "paired difference (annealing method − other): test accuracy in points, 95% t interval; "
          + "test log-loss; seeds where McNemar's exact test (p < 0.05) favours the left / the right:")
      if methods.contains("hybrid") {
        let s = Summary(paired: accuracies("hybrid"), minus: accuracies("anneal+finetune"))
        lines.append(
          "  hybrid − anneal+finetune          "
            + String(
              format: "%+6.2f  [%+6.2f, %+6.2f]", 100 * s.mean, 100 * (s.mean - s.halfWidth),
              100 * (s.mean + s.halfWidth)))
      }
      for (a, b) in comparisons {
        let s = paired(a, b)
        let ll = pairedLogLoss(a, b)
        let tests = mcnemar(a, b)
        let better = tests.filter { $0.pValue < 0.05 && $0.firstOnly > $0.secondOnly }.count
        let worse = tests.filter { $0.pValue < 0.05 && $0.firstOnly < $0.secondOnly }.count
        lines.append(
          "  " + left(a, 16) + " − " + left(b, 20)
            + String(
              format: "%+6.2f  [%+6.2f, %+6.2f]   log-loss %+.4f [%+.4f, %+.4f]   McNemar %d / %d",
              100 * s.mean, 100 * (s.mean - s.halfWidth), 100 * (s.mean + s.halfWidth), ll.mean,
              ll.mean - ll.halfWidth, ll.mean + ll.halfWidth, better, worse))
      }
    }
    lines.append("")
    lines.append("QUBO energy per layer (mean over seeds; GPTQ's is its reconstruction error):")
    lines.append("  layer" + solvers.map { pad($0, 13) }.joined())
    let layers = results.first?.energies[solvers.first ?? "rtn"]?.count ?? 0
    for l in 0..<layers {
      lines.append(
        "  " + left("\(l + 1)", 5)
          + solvers.map { m in
            let v = results.map { $0.energies[m]?[l] ?? .nan }
            return pad(String(format: "%.5g", v.reduce(0, +) / Double(v.count)), 13)
          }.joined())
    }
    let (le, total) = annealAtMostGreedy
    lines.append("  anneal ≤ greedy on \(le) of \(total) (seed, layer) QUBOs")
    if results.count > 1 && solvers.count > 2 {
      let cells = [(false, false), (false, true), (true, false), (true, true)].map { ft, noRTN in
        let s = energyAccuracyCorrelation(fineTuned: ft, withoutRTN: noRTN)
        return String(
          format: "%@%@ %+.2f [%+.2f, %+.2f]", ft ? "fine-tuned" : "rounded",
          noRTN ? " (no rtn)" : "", s.mean, s.mean - s.halfWidth, s.mean + s.halfWidth)
      }
      lines.append(
        "  Spearman ρ(energy, accuracy) across methods, mean over seeds: "
          + cells.joined(separator: "; "))
    }
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
        format: "  per seed, summed over seeds: %.1f in all; training %.1f, QUBO construction %.1f, ",
        stage("total"), stage("training"), stage("qubo_construction"))
        + "solving "
        + solvers.map { String(format: "%@ %.2f", $0, stage("solving_\($0)")) }
          .joined(separator: ", ")
        + String(format: ", fine-tuning %.1f", stage("finetune")))
    return lines.joined(separator: "\n")
  }
}
