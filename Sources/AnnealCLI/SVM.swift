import Anneal
import ArgumentParser
import Foundation
import Learning

/// `anneal svm`: a support-vector machine trained as a QUBO by an annealer.
///
/// The QSVM of Willsch and co-authors (2020), against SMO on the same kernel
/// and points.
struct SVM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "svm",
    abstract: "Train a kernel SVM as a QUBO by annealing (QSVM), against classical SMO.",
    discussion: """
      Examples:
        anneal svm --dataset breast_cancer --splits 10
        anneal svm --dataset circles --sampler sqa --bits 2 --base 3 --json

      Per split (seed, seed+1, …): a stratified 75/25 split; --train points \
      drawn from the 75% (stratified); features standardised on them; the \
      dual coefficients α_n written in --bits bits of base --base \
      (C = Σ_k B^k), Σ α_n y_n = 0 as the penalty ½ ξ (Σ α_n y_n)², an RBF \
      kernel exp(−γ‖x−z‖²); the QUBO (N·K dense variables) annealed by \
      --sampler; the decision is the mean over the --ensemble lowest-energy \
      distinct samples. Against: SMO on the same points, kernel and C \
      (svm), and SMO on the whole 75% (svm-full, a reference).
      --dataset takes a shipped two-class dataset (breast_cancer), a CSV \
      path (two classes, 0 and 1), or circles (400 points, two noisy rings, \
      generated with a fixed seed).
      With --json, stdout is one object: dataset, sampler, bits, base, \
      gamma, penalty, train, seeds, accuracy and auc (method → per split), \
      qubo_variables, qubo_couplings, sample_seconds, smo_seconds, \
      qubo_energy, smo_objective, seconds.
      Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.
      """)

  /// The annealers `anneal svm` offers.
  enum Annealer: String, ExpressibleByArgument, CaseIterable {
    case sa, sqa
  }

  @Option(help: "breast_cancer, circles (generated), or a two-class CSV path.")
  var dataset: String

  @Option(help: "The QUBO solver: sa or sqa.")
  var sampler: Annealer = .sa

  @Option(help: "Bits K per coefficient α_n.")
  var bits = 3

  @Option(help: "Base B of the encoding α_n = Σ_k B^k a_nk (C = Σ_k B^k).")
  var base = 2.0

  @Option(help: "RBF width γ (default 1 / number of features; features are standardised).")
  var gamma: Double?

  @Option(help: "Penalty ξ on (Σ α_n y_n)².")
  var penalty = 1.0

  @Option(help: "Training points per split (the QUBO has train·bits variables).")
  var train = 60

  @Option(help: "Paired train/test splits.")
  var splits = 10

  @Option(help: "The first split's seed (split s uses seed + s − 1).")
  var seed: UInt64 = 1

  @Option(help: "Annealer reads per split.")
  var reads = 40

  @Option(help: "Sweeps per read (default: sa 1000, sqa 500).")
  var sweeps: Int?

  @Option(help: "Lowest-energy distinct samples averaged into the decision.")
  var ensemble = 20

  @Flag(help: "Print one JSON object on stdout instead of a table.")
  var json = false

  func validate() throws {
    guard (1...16).contains(bits) else { throw ValidationError("--bits must be in 1…16") }
    guard base > 0, base.isFinite else { throw ValidationError("--base must be positive") }
    if let gamma {
      guard gamma > 0, gamma.isFinite else { throw ValidationError("--gamma must be positive") }
    }
    guard penalty >= 0, penalty.isFinite else { throw ValidationError("--penalty must be ≥ 0") }
    guard (4...2000).contains(train) else { throw ValidationError("--train must be in 4…2000") }
    guard (1...100).contains(splits) else { throw ValidationError("--splits must be in 1…100") }
    guard (1...100_000).contains(reads) else { throw ValidationError("--reads must be positive") }
    if let sweeps, sweeps < 1 { throw ValidationError("--sweeps must be positive") }
    guard ensemble >= 1 else { throw ValidationError("--ensemble must be positive") }
  }

  func run() throws {
    let t0 = Date()
    let data =
      dataset.lowercased() == "circles" ? try SVMDatasets.circles() : try loadDataset(dataset)
    guard data.classCount == 2 else {
      throw CLIError.badInput(
        "\(dataset): anneal svm needs two classes (labels 0 and 1), found \(data.classCount)")
    }
    for c in 0..<2 where !data.labels.contains(c) {
      throw CLIError.badInput("\(dataset): no row has class \(c); anneal svm needs both classes")
    }
    var experiment = SVMExperiment(qsvm: QSVM(sampler: configuration()))
    experiment.qsvm.bits = bits
    experiment.qsvm.base = base
    experiment.qsvm.penalty = penalty
    experiment.qsvm.ensemble = ensemble
    experiment.trainCount = train
    experiment.gamma = gamma
    var results = [SVMExperiment.SplitResult]()
    for s in 0..<splits {
      do {
        results.append(try experiment.run(data, seed: seed + UInt64(s)))
      } catch {
        throw CLIError.failure("split \(s + 1): \(error)")
      }
      stderrLine("split \(s + 1)/\(splits) done")
    }
    let seconds = Date().timeIntervalSince(t0)
    let gammaUsed = gamma ?? 1 / Double(data.featureCount)
    if json {
      printJSON(data, results, gamma: gammaUsed, seconds: seconds)
    } else {
      printTable(data, results, gamma: gammaUsed, seconds: seconds)
    }
  }

  /// The sampler configuration from the options.
  func configuration() -> SamplerConfiguration {
    switch sampler {
    case .sa:
      var p = SimulatedAnnealing.Parameters()
      p.sweeps = sweeps ?? 1000
      p.readOptions.reads = reads
      var c = SamplerConfiguration(.sa)
      c.parameters = .sa(p)
      return c
    case .sqa:
      var p = PathIntegralAnnealing.Parameters()
      p.sweeps = sweeps ?? 500
      p.readOptions.reads = reads
      var c = SamplerConfiguration(.sqa)
      c.parameters = .sqa(p)
      return c
    }
  }
}
