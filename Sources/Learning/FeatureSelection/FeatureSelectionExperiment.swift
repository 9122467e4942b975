import Annealing

/// Feature selection evaluated over seeded splits: on each split the QUBO is
/// built from the training part, solved by bisection and by the cardinality
/// penalty, and a network trained on the chosen features (and on the top-k
/// by relevance, the baseline) is scored on the test part.
public struct FeatureSelectionExperiment: Sendable {
  /// The method names, in report order.
  public static let methods = ["bisection", "penalty", "encoded", "top-k"]

  /// Features to keep.
  public var k: Int
  /// The sampler solving the QUBOs.
  public var sampler: SamplerConfiguration
  /// Hidden widths of the evaluation network.
  public var hidden: [Int] = [16]
  /// L2 weight of the evaluation network.
  public var l2 = 1e-3
  /// Quantile bins per feature for mutual information.
  public var bins = 8

  /// An experiment keeping `k` features, solved by `sampler`.
  public init(k: Int, sampler: SamplerConfiguration) {
    self.k = k
    self.sampler = sampler
  }

  /// What one split measured.
  public struct SplitResult: Sendable {
    /// The split's seed.
    public var seed: UInt64
    /// The chosen features per method.
    public var features: [String: [Int]] = [:]
    /// Test accuracy per method.
    public var accuracy: [String: Double] = [:]
    /// The bisection's final trade-off, and whether it hit `k` exactly.
    public var alpha = 0.0
    /// Whether the bisection found exactly `k` features.
    public var exact = true
    /// Whether the penalty QUBO's best state kept exactly `k` features.
    public var penaltyExact = true
    /// Whether the `QUBOEncoding` model found a feasible sample.
    public var encodedFeasible = true
  }

  /// The selection problem of `data`'s training split for `seed`.
  ///
  /// - Throws: `ShapeError` when the split leaves the test set empty.
  public func problem(_ data: Dataset, seed: UInt64) throws -> FeatureSelection {
    let (train, _) = try QuantizationExperiment.prepare(data, testFraction: 0.25, seed: seed)
    return try FeatureSelection(train, bins: bins)
  }

  /// Runs one split.
  public func run(_ data: Dataset, seed: UInt64) throws -> SplitResult {
    guard k >= 1 && k <= data.featureCount else {
      throw ShapeError("k = \(k) is not in 1…\(data.featureCount), the feature count")
    }
    let (train, test) = try QuantizationExperiment.prepare(data, testFraction: 0.25, seed: seed)
    let selection = try FeatureSelection(train, bins: bins)
    let solver = sampler.sampler
    var result = SplitResult(seed: seed)
    let bisected = try selection.bisect(k: k, sampler: solver, seed: seed)
    result.alpha = bisected.alpha
    result.exact = bisected.exact
    result.features["bisection"] = bisected.features
    // The same objective for every method: bisection's α.
    let penalized = try selection.penalized(
      k: k, alpha: bisected.alpha, sampler: solver, seed: seed)
    result.penaltyExact = penalized.count == k
    result.features["penalty"] = penalized
    let encoded = try selection.encoded(
      k: k, alpha: bisected.alpha, sampler: solver, seed: seed)
    result.encodedFeasible = encoded != nil
    result.features["encoded"] = encoded ?? []
    result.features["top-k"] = selection.topRelevance(k)
    for (method, features) in result.features {
      guard !features.isEmpty else {
        result.accuracy[method] = 0
        continue
      }
      var net = try MLP(
        sizes: [features.count] + hidden + [data.classCount], activation: .tanh, seed: seed)
      try net.train(on: train.selecting(features: features), l2: l2)
      result.accuracy[method] = try net.accuracy(test.selecting(features: features))
    }
    return result
  }
}
