import Anneal
import ArgumentParser
import Foundation
import Learning

/// `anneal select-features`: choose k features by a mutual-information QUBO.
struct SelectFeatures: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "select-features",
    abstract: "Choose k features by annealing a relevance-minus-redundancy QUBO.",
    discussion: """
      Examples:
        anneal select-features --dataset breast_cancer --k 5
        anneal select-features --dataset wine --k 3 --output wine-k3.json

      On each of --splits seeded splits: mutual information on the training \
      part (quantile bins); the QUBO −α·relevance + (1 − α)·redundancy solved \
      by bisection on α until exactly k features are kept (Mücke et al. \
      2023), and the same objective at bisection's α with a cardinality \
      penalty (written directly, and through QUBOEncoding), against the k \
      features of highest relevance; each scored by a network trained on the \
      chosen features. --output writes the first split's cardinality-penalty \
      QUBO at its α (dimod JSON, COO or qbsolv by extension) for anneal solve \
      and anneal sweep.
      With --json, stdout is one object: dataset, k, sampler, seeds, features \
      and test_accuracy (method → one entry per split), alpha, seconds.
      Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.
      """)

  @Option(help: "A shipped dataset (iris, wine, breast_cancer, digits) or a CSV path.")
  var dataset: String

  @Option(help: "Features to keep.")
  var k: Int

  @Option(help: "Seeded train/test splits to evaluate on.")
  var splits = 5

  @Option(help: "The first split's seed (split s uses seed + s − 1).")
  var seed: UInt64 = 1

  @Option(help: "The QUBO solver: sqa, sa or tabu.")
  var sampler: FeatureSampler = .sa

  @Option(help: "Hidden layer widths of the evaluation network.")
  var hidden = "16"

  @Option(help: "Write the first split's cardinality-penalty QUBO (at its α) to this file.")
  var output: String?

  @Flag(help: "Print one JSON object on stdout instead of a table.")
  var json = false

  func validate() throws {
    guard k >= 1 else { throw ValidationError("--k must be positive") }
    guard (1...100).contains(splits) else { throw ValidationError("--splits must be in 1…100") }
  }

  func run() throws {
    let t0 = Date()
    let data = try loadDataset(dataset)
    guard k <= data.featureCount else {
      throw CLIError.badInput("--k \(k) exceeds the \(data.featureCount) features of \(data.name)")
    }
    var experiment = FeatureSelectionExperiment(
      k: k, sampler: SamplerConfiguration(sampler.kind))
    experiment.hidden = try parseHidden(hidden)
    var results = [FeatureSelectionExperiment.SplitResult]()
    for s in 0..<splits {
      results.append(try shapesAreBadInput { try experiment.run(data, seed: seed + UInt64(s)) })
      stderrLine("split \(s + 1)/\(splits) done")
    }
    if let output, let first = results.first {
      let model = try experiment.problem(data, seed: seed).model(k: k, alpha: first.alpha)
      do {
        try ModelFile.write(model, to: output)
      } catch let error as ModelFileError {
        throw CLIError.badInput(error.description)
      }
    }
    let methods = FeatureSelectionExperiment.methods
    let seconds = Date().timeIntervalSince(t0)
    if json {
      var features = [String: JSONValue]()
      var accuracy = [String: JSONValue]()
      for m in methods {
        features[m] = .array(results.map { .array(($0.features[m] ?? []).map { .int($0) }) })
        accuracy[m] = .array(results.map { rounded($0.accuracy[m] ?? .nan) })
      }
      let out: JSONValue = .object([
        "dataset": .string(data.name), "k": .int(k), "sampler": .string(sampler.rawValue),
        "seeds": .array(results.map { .int(Int($0.seed)) }), "features": .object(features),
        "test_accuracy": .object(accuracy), "alpha": .array(results.map { rounded($0.alpha) }),
        "bisection_exact": .array(results.map { .bool($0.exact) }),
        "penalty_exact": .array(results.map { .bool($0.penaltyExact) }),
        "encoded_feasible": .array(results.map { .bool($0.encodedFeasible) }),
        "seconds": rounded(seconds, 3),
      ])
      print(out.serialized())
      return
    }
    print("feature selection, \(data.name), k = \(k), sampler \(sampler.rawValue)")
    print(
      "split  seed  "
        + methods.map { $0.padding(toLength: 16, withPad: " ", startingAt: 0) }
        .joined() + "features (bisection | penalty | encoded | top-k)")
    for (s, r) in results.enumerated() {
      let accs = methods.map {
        String(format: "%.4f", r.accuracy[$0] ?? .nan).padding(
          toLength: 16, withPad: " ", startingAt: 0)
      }
      let feats = methods.map { (r.features[$0] ?? []).map(String.init).joined(separator: ",") }
      print(
        String(format: "%-6d %-5llu ", s + 1, r.seed) + accs.joined()
          + feats.joined(separator: " | ") + (r.exact ? "" : "  (bisection missed k)"))
    }
    let means = methods.map { m in Summary(results.map { $0.accuracy[m] ?? .nan }) }
    print(
      "mean         "
        + means.map {
          String(format: "%.4f±%.3f", $0.mean, $0.sd).padding(
            toLength: 16, withPad: " ", startingAt: 0)
        }.joined())
    if results.count > 1 {
      for m in ["bisection", "penalty", "encoded"] {
        let d = Summary(
          paired: results.map { $0.accuracy[m] ?? .nan },
          minus: results.map { $0.accuracy["top-k"] ?? .nan })
        print(
          "\(m) − top-k: "
            + String(
              format: "%+.2f points [%+.2f, %+.2f] (95%% t interval)", 100 * d.mean,
              100 * (d.mean - d.halfWidth), 100 * (d.mean + d.halfWidth)))
      }
    }
    print(String(format: "seconds: %.1f", seconds))
  }
}

/// The samplers `select-features` accepts (so that `--help` lists only them).
enum FeatureSampler: String, ExpressibleByArgument, CaseIterable {
  case sqa, sa, tabu

  var kind: SamplerKind {
    switch self {
    case .sqa: return .sqa
    case .sa: return .sa
    case .tabu: return .tabu
    }
  }
}
