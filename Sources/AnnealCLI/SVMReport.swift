import Anneal
import Foundation
import Learning

extension SVM {
  /// The JSON object of `--json`.
  func printJSON(
    _ data: Dataset, _ results: [SVMExperiment.SplitResult], gamma: Double, seconds: Double
  ) {
    let methods = SVMExperiment.methods
    func perMethod(_ pick: (SVMExperiment.SplitResult, String) -> Double) -> JSONValue {
      .object(
        Dictionary(
          uniqueKeysWithValues: methods.map { m in
            (m, JSONValue.array(results.map { rounded(pick($0, m)) }))
          }))
    }
    let out: JSONValue = .object([
      "dataset": .string(data.name), "sampler": .string(sampler.rawValue), "bits": .int(bits),
      "base": .double(base), "gamma": rounded(gamma, 8), "penalty": .double(penalty),
      "train": .array(results.map { .int($0.trainCount) }),
      "test": .array(results.map { .int($0.testCount) }),
      "seeds": .array(results.map { .int(Int($0.seed)) }),
      "accuracy": perMethod { $0.accuracy[$1] ?? .nan },
      "auc": perMethod { $0.auc[$1] ?? .nan },
      "qubo_variables": .array(results.map { .int($0.variables) }),
      "qubo_couplings": .array(results.map { .int($0.couplings) }),
      "sample_seconds": .array(results.map { rounded($0.sampleSeconds, 4) }),
      "smo_seconds": .array(results.map { rounded($0.smoSeconds, 4) }),
      "qubo_energy": .array(results.map { rounded($0.qsvmEnergy, 6) }),
      "smo_objective": .array(results.map { rounded($0.smoObjective, 6) }),
      "seconds": rounded(seconds, 3),
    ])
    print(out.serialized())
  }

  /// The table: per split, then means with 95 % intervals and the paired
  /// differences against SMO on the same points.
  func printTable(
    _ data: Dataset, _ results: [SVMExperiment.SplitResult], gamma: Double, seconds: Double
  ) {
    let methods = SVMExperiment.methods
    guard let first = results.first else { return }
    print(
      "QSVM, \(data.name): \(first.trainCount) training points, \(first.testCount) test, "
        + "K = \(bits) bits of base \(base) (C = \(QSVMQUBO.box(bits: bits, base: base))), "
        + String(format: "γ = %.4g, ξ = %g, sampler %@", gamma, penalty, sampler.rawValue))
    print(
      "QUBO: \(first.variables) variables, \(first.couplings) couplings; "
        + String(
          format: "sampling %.2f s per split (mean), SMO %.4f s",
          results.map(\.sampleSeconds).reduce(0, +) / Double(results.count),
          results.map(\.smoSeconds).reduce(0, +) / Double(results.count)))
    let pad = { (s: String) in s.padding(toLength: 12, withPad: " ", startingAt: 0) }
    print("split seed  " + methods.map { pad($0) }.joined() + "(accuracy / AUC)")
    for (s, r) in results.enumerated() {
      let cells = methods.map {
        pad(String(format: "%.3f/%.3f", r.accuracy[$0] ?? .nan, r.auc[$0] ?? .nan))
      }
      print(String(format: "%-5d %-5llu ", s + 1, r.seed) + cells.joined())
    }
    for (name, pick) in [
      ("accuracy", { (r: SVMExperiment.SplitResult, m: String) in r.accuracy[m] ?? .nan }),
      ("AUC", { (r: SVMExperiment.SplitResult, m: String) in r.auc[m] ?? .nan }),
    ] {
      for m in methods {
        let v = Summary(results.map { pick($0, m) })
        print(
          String(
            format: "%@ %@: %.4f [%.4f, %.4f]", pad(name), pad(m), v.mean, v.mean - v.halfWidth,
            v.mean + v.halfWidth))
      }
      if results.count > 1 {
        for m in ["qsvm", "qsvm-best"] {
          let d = Summary(
            paired: results.map { pick($0, m) }, minus: results.map { pick($0, "svm") })
          print(
            String(
              format: "%@ %@ − svm: %+.2f points [%+.2f, %+.2f] (paired 95%% t interval)",
              pad(name), m, 100 * d.mean, 100 * (d.mean - d.halfWidth),
              100 * (d.mean + d.halfWidth)))
        }
      }
    }
    let gaps = results.map { $0.qsvmEnergy - $0.smoObjective }
    print(
      String(
        format: "QUBO energy − SMO objective (continuous relaxation): mean %.4f, max %.4f",
        gaps.reduce(0, +) / Double(gaps.count), gaps.max() ?? .nan))
    print(String(format: "seconds: %.1f", seconds))
  }
}
