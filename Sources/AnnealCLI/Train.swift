import Anneal
import ArgumentParser
import Foundation
import Learning

/// `anneal train`: the float baseline network on a dataset.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a small dense network (the float baseline) by GSL's BFGS.",
    discussion: """
      Examples:
        anneal train --dataset digits
        anneal train --dataset iris --hidden 16 --activation relu --json
        anneal train --dataset my.csv --seed 3

      The data are split 75/25, stratified by class and seeded; features are \
      standardised on the training split. With --json, stdout is one object: \
      dataset, sizes, activation, l2, seed, train_accuracy, test_accuracy, \
      loss (the training objective, with its L2 term), test_loss (the mean \
      cross-entropy on the held-out 25%, the metric to tune on), iterations, \
      seconds.
      Dataset CSV: either a header 'samples,features,class names…' and rows \
      of features then an integer label, or a header of column names \
      (f0,…,label) and such rows, or no header (labels 0…k−1, k at most the \
      row count). One class only, or a class layout that leaves the test \
      split empty, is bad input.
      Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.
      """)

  @Option(help: "A shipped dataset (iris, wine, breast_cancer, digits) or a CSV path.")
  var dataset: String

  @Option(help: "Hidden layer widths, e.g. 32 or 64,32.")
  var hidden = "32"

  @Option(help: "Hidden activation: tanh, relu, sigmoid, identity or leaky-relu.")
  var activation: Activation = .tanh

  @Option(help: "L2 weight on the weights.")
  var l2 = 1e-3

  @Option(help: "Seed of the split and the initial weights.")
  var seed: UInt64 = 1

  @Option(help: "BFGS iteration cap.")
  var iterations = 400

  @Flag(help: "Print one JSON object on stdout instead of a table.")
  var json = false

  func validate() throws {
    guard l2 >= 0, l2.isFinite else { throw ValidationError("--l2 must be a finite number ≥ 0") }
    guard iterations > 0 else { throw ValidationError("--iterations must be positive") }
  }

  func run() throws {
    let t0 = Date()
    let data = try loadDataset(dataset)
    let widths = try parseHidden(hidden)
    let (train, test) = try shapesAreBadInput {
      try QuantizationExperiment.prepare(data, testFraction: 0.25, seed: seed)
    }
    let progress = StageProgress()
    progress.show("training \(data.name) …")
    var net = try MLP(
      sizes: [data.featureCount] + widths + [data.classCount], activation: activation, seed: seed)
    let report: TrainingReport
    do {
      report = try net.train(on: train, l2: l2, maxIterations: iterations)
    } catch {
      progress.clear()
      throw CLIError.failure("training failed: \(error)")
    }
    progress.clear()
    let seconds = Date().timeIntervalSince(t0)
    let (trainAcc, testAcc) = (try net.accuracy(train), try net.accuracy(test))
    if json {
      let out: JSONValue = .object([
        "dataset": .string(data.name), "sizes": .array(net.sizes.map { .int($0) }),
        "activation": .string(activation.rawValue), "l2": .double(l2), "seed": .int(Int(seed)),
        "train_accuracy": rounded(trainAcc), "test_accuracy": rounded(testAcc),
        "loss": rounded(report.loss, 8), "test_loss": rounded(try net.crossEntropy(test), 8),
        "iterations": .int(report.iterations),
        "stop_reason": .string(report.stopReason), "seconds": rounded(seconds, 3),
      ])
      print(out.serialized())
    } else {
      let sizes = net.sizes.map(String.init).joined(separator: "-")
      print(
        "dataset         \(data.name) (\(data.count) rows, \(train.count) train, "
          + "\(test.count) test)"
      )
      print("network         \(sizes), \(activation.rawValue), l2 \(l2), seed \(seed)")
      print(String(format: "train accuracy  %.4f", trainAcc))
      print(String(format: "test accuracy   %.4f", testAcc))
      print(
        String(format: "loss            %.6f", report.loss)
          + " after \(report.iterations) BFGS iterations (\(report.stopReason))")
      print(String(format: "seconds         %.2f", seconds))
    }
  }
}
