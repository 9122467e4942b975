import GSLSupport

/// A network whose weights are integer codes times a per-output-neuron
/// scale: layer `l`'s weight `W_ji = scales[l][j] · codes[l][j·in + i]`.
///
/// It is `Codable`: encode it with `JSONEncoder` to keep a quantized model
/// beside the float one, and decode it later to run or fine-tune again.
public struct QuantizedNetwork: Sendable, Equatable, Codable {
  /// Layer widths and activation (as the float network).
  public let sizes: [Int]
  /// The hidden activation.
  public let activation: Activation
  /// The negative-side slope of `Activation.leakyRelu`.
  public var leakySlope = 0.01
  /// Per layer, the codes (`out × in`, row-major).
  public var codes: [[Int]]
  /// Per layer, one scale per output neuron.
  public var scales: [[Double]]
  /// Per layer, the biases.
  public var biases: [[Double]]

  /// A quantized network of `float`'s shape (biases copied from it); layers
  /// are filled in by the quantizer.
  public init(shapeOf float: MLP) {
    sizes = float.sizes
    activation = float.activation
    leakySlope = float.leakySlope
    codes = (0..<float.layerCount).map { [Int](repeating: 0, count: float.weights($0).count) }
    scales = (0..<float.layerCount).map { [Double](repeating: 1, count: float.sizes[$0 + 1]) }
    biases = (0..<float.layerCount).map { float.biases($0) }
  }

  /// The float network with the dequantized weights `s_j · c_ji`.
  public var network: MLP {
    var p = [Double]()
    p.reserveCapacity(MLP.parameterCount(sizes))
    for l in codes.indices {
      let fanIn = sizes[l]
      for (k, c) in codes[l].enumerated() { p.append(scales[l][k / fanIn] * Double(c)) }
      p += biases[l]
    }
    // Shapes were checked when the network was made or decoded.
    return MLP(checkedSizes: sizes, activation: activation, leakySlope: leakySlope, parameters: p)
  }

  /// Decodes a quantized network, checking every layer's shape.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    sizes = try c.decode([Int].self, forKey: .sizes)
    activation = try c.decode(Activation.self, forKey: .activation)
    leakySlope = try c.decode(Double.self, forKey: .leakySlope)
    codes = try c.decode([[Int]].self, forKey: .codes)
    scales = try c.decode([[Double]].self, forKey: .scales)
    biases = try c.decode([[Double]].self, forKey: .biases)
    let layers = sizes.count - 1
    var fits = sizes.count >= 2 && sizes.allSatisfy { $0 > 0 && $0 <= 1_000_000 }
    fits = fits && codes.count == layers && scales.count == layers && biases.count == layers
    if fits {
      for l in 0..<layers {
        let (fanIn, fanOut) = (sizes[l], sizes[l + 1])
        fits = fits && codes[l].count == fanIn * fanOut
        fits = fits && scales[l].count == fanOut && biases[l].count == fanOut
      }
    }
    guard fits else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: c.codingPath, debugDescription: "codes, scales or biases do not fit sizes \(sizes)"))
    }
  }

  /// Fits the scales and biases (codes fixed) by GSL's BFGS on the training
  /// loss of `data`, with the same L2 on the dequantized weights
  /// `(l2/2) Σ_j s_j² ‖c_j‖²`, so the scales cannot inflate the logits.
  ///
  /// `∂L/∂s_j = Σ_i (∂L/∂W_ji) c_ji`, computed by `FineTuneObjective`.
  /// - Throws: `ShapeError` when the data does not fit the network,
  ///   `GSLError` when the minimiser fails.
  @discardableResult
  public mutating func fineTune(
    on data: Dataset, l2: Double, maxIterations: Int = 200
  ) throws -> TrainingReport {
    try network.checkLabels(data)
    return try fineTune(
      inputs: data.features, rows: data.count, targets: .labels(data.labels), l2: l2,
      maxIterations: maxIterations)
  }

  /// Fits the scales and biases (codes fixed) to `targets` on the `n` rows
  /// of `x`: labels, or a teacher's probabilities (distillation: the float
  /// network's `probabilities` on the same rows).
  ///
  /// - Parameter frozenBiases: layers whose biases stay as they are (those
  ///   of a model file that has no bias to write them to).
  /// - Throws: `ShapeError` for inputs or targets of the wrong size or a
  ///   label out of range, `GSLError` when the minimiser fails.
  @discardableResult
  public mutating func fineTune(
    inputs x: [Double], rows n: Int, targets: SoftmaxTargets, l2: Double,
    maxIterations: Int = 200, frozenBiases: Set<Int> = []
  ) throws -> TrainingReport {
    let net = network
    try net.checkInput(x, rows: n)
    let k = net.classCount
    switch targets {
    case .labels(let y):
      guard y.count == n, y.allSatisfy({ (0..<k).contains($0) }) else {
        throw ShapeError("\(y.count) labels for \(n) rows, each must be in 0..<\(k)")
      }
    case .probabilities(let t):
      guard t.count == n * k, t.allSatisfy(\.isFinite) else {
        throw ShapeError("\(t.count) target probabilities for \(n) rows of \(k) classes")
      }
    }
    guard n > 0 else { throw ShapeError("fine-tuning needs at least one row") }
    let objective = FineTuneObjective(
      self, inputs: x, rows: n, targets: targets, l2: l2, frozenBiases: frozenBiases)
    let scaleCount = objective.scaleCount
    let layers = codes.count
    let start = scales.flatMap { $0 } + biases.flatMap { $0 }
    let result = try GSL.minimize(
      start: start, tolerance: 1e-6, maxIterations: maxIterations, stepSize: 0.01,
      function: { objective.loss($0) },
      gradient: { objective.gradient($0, into: &$1) })
    var si = 0
    var bi = scaleCount
    for l in 0..<layers {
      let k = sizes[l + 1]
      scales[l] = Array(result.point[si..<(si + k)])
      if !frozenBiases.contains(l) { biases[l] = Array(result.point[bi..<(bi + k)]) }
      si += k
      bi += k
    }
    return TrainingReport(
      loss: result.value, iterations: result.iterations, stopReason: result.stopReason)
  }
}
