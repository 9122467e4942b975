import Annealing

/// One seed of the quantization comparison: split and standardise the data,
/// train the float network, quantize it by every method (round-to-nearest,
/// greedy descent on the QUBO, GPTQ, annealing), fine-tune each, and measure
/// test accuracy and per-layer QUBO energy.
public struct QuantizationExperiment: Sendable {
  /// The method names of the standard four rounding methods, in report
  /// order.
  public static let methods = names(RoundingMethod.standard)

  /// `float`, then each method and its fine-tuned form.
  public static func names(_ methods: [RoundingMethod]) -> [String] {
    ["float"] + methods.flatMap { [$0.rawValue, $0.rawValue + "+finetune"] }
  }

  /// The rounding methods run, in order (default: rtn, greedy, gptq,
  /// anneal; add `RoundingMethod.controls` for the controls).
  public var roundingMethods = RoundingMethod.standard

  /// Hidden layer widths.
  public var hidden: [Int] = [32]
  /// The hidden activation.
  public var activation: Activation = .tanh
  /// L2 weight for training and fine-tuning.
  public var l2 = 1e-3
  /// The quantizer (bits, scale rule, calibration source, annealer).
  public var quantizer: Quantizer
  /// Calibration rows drawn from the training split (nil: all of it).
  public var calibration: Int?
  /// The test fraction of the stratified split.
  public var testFraction = 0.25
  /// BFGS iteration caps for training and fine-tuning.
  public var trainIterations = 400
  /// BFGS iteration cap for fine-tuning.
  public var fineTuneIterations = 200
  /// Rounds of the hybrid loop (1: anneal and fine-tune once).
  public var rounds = 1

  /// An experiment with `quantizer` and defaults otherwise.
  public init(quantizer: Quantizer) {
    self.quantizer = quantizer
  }

  /// What one seed measured.
  public struct SeedResult: Sendable {
    /// The seed (split, initial weights, annealer).
    public var seed: UInt64
    /// Test accuracy per method name.
    public var accuracy: [String: Double] = [:]
    /// Test log-loss (mean cross-entropy, nats) per method name.
    public var logLoss: [String: Double] = [:]
    /// Whether each test row is classified correctly, per method name (for
    /// McNemar's test between two methods on the same rows).
    public var correct: [String: [Bool]] = [:]
    /// QUBO energy per rounding method (`rtn`, `greedy`, `gptq`, `anneal`),
    /// one sum per layer.
    public var energies: [String: [Double]] = [:]
    /// Wall-clock seconds per stage: `training`, `qubo_construction`,
    /// `solving_<method>`, `finetune`, and the seed's `total`.
    public var seconds: [String: Double] = [:]
    /// The hybrid loop's rounds (only when `rounds > 1`).
    public var hybrid: [HybridRound] = []
    /// One line per stage on what the optimisers did (iterations, losses).
    public var notes: [String] = []
  }

  /// Runs one seed on `data`; `progress` hears each stage.
  public func run(
    _ data: Dataset, seed: UInt64, progress: (String) -> Void = { _ in }
  ) throws -> SeedResult {
    var result = SeedResult(seed: seed)
    let start = now()
    let (train, test) = try Self.prepare(data, testFraction: testFraction, seed: seed)
    progress("seed \(seed): training the float network")
    var t0 = now()
    var net = try MLP(
      sizes: [data.featureCount] + hidden + [data.classCount], activation: activation,
      seed: seed)
    let trained = try net.train(on: train, l2: l2, maxIterations: trainIterations)
    result.notes.append(
      "float: loss \(trained.loss), \(trained.iterations) iterations (\(trained.stopReason))")
    result.seconds["training"] = now() - t0
    try Self.score(net, test, as: "float", into: &result)
    let calib = try calibrationRows(train, seed: seed)
    var finetune = 0.0
    var construction = 0.0
    for method in roundingMethods {
      progress("seed \(seed): \(method.rawValue)")
      var timing = QuantizationTiming()
      var (q, energies) = try quantizer.quantize(
        net, calibration: calib.features, rows: calib.count, method: method, seed: seed,
        timing: &timing)
      construction += timing.construction
      result.seconds["solving_\(method.rawValue)"] = timing.solving
      result.energies[method.rawValue] = energies
      try Self.score(q.network, test, as: method.rawValue, into: &result)
      let before = try NetworkObjective(network: q.network, data: train, l2: l2)
        .loss(q.network.parameters)
      t0 = now()
      let tuned = try q.fineTune(on: train, l2: l2, maxIterations: fineTuneIterations)
      result.notes.append(
        "\(method.rawValue)+finetune: loss \(before) → \(tuned.loss), "
          + "\(tuned.iterations) iterations"
          + " (\(tuned.stopReason))")
      finetune += now() - t0
      try Self.score(q.network, test, as: method.rawValue + "+finetune", into: &result)
      if method == .anneal && rounds > 1 {
        t0 = now()
        let (best, log) = try hybrid(
          from: q, firstLoss: tuned.loss, firstEnergies: energies, float: net,
          calibration: calib, train: train, test: test, seed: seed, progress: progress)
        result.seconds["hybrid"] = now() - t0
        result.hybrid = log
        result.accuracy["hybrid"] = try best.network.accuracy(test)
      }
    }
    result.seconds["qubo_construction"] = construction
    result.seconds["finetune"] = finetune
    result.seconds["total"] = now() - start
    return result
  }

  /// Records `net`'s test accuracy, log-loss and per-row correctness under
  /// `name`.
  static func score(_ net: MLP, _ test: Dataset, as name: String, into r: inout SeedResult)
    throws
  {
    let right = zip(try net.predict(test), test.labels).map { $0 == $1 }
    r.correct[name] = right
    r.accuracy[name] = test.count > 0 ? Double(right.filter { $0 }.count) / Double(test.count) : 0
    r.logLoss[name] = try net.crossEntropy(test)
  }

  /// The standardised training and test splits of `data` for `seed`
  /// (standardisation fitted on the training split only).
  public static func prepare(_ data: Dataset, testFraction: Double, seed: UInt64) throws
    -> (train: Dataset, test: Dataset)
  {
    let (train, test) = try data.stratifiedSplit(testFraction: testFraction, seed: seed)
    let s = Standardizer(fitting: train)
    return (try s.apply(train), try s.apply(test))
  }

  /// The calibration rows: all of `train`, or `calibration` of them drawn
  /// with a seeded shuffle.
  func calibrationRows(_ train: Dataset, seed: UInt64) throws -> Dataset {
    guard let k = calibration else { return train }
    guard k <= train.count else {
      throw ShapeError(
        "\(k) calibration rows asked, but the training split has \(train.count) rows")
    }
    var rng = Xoshiro256PlusPlus(seed: seed ^ 0xC0FF_EE00)
    var rows = Array(0..<train.count)
    rows.shuffle(using: &rng)
    return train.subset(rows[..<k].sorted())
  }
}
