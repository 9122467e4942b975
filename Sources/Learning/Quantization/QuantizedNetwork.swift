import GSLSupport

/// A network whose weights are integer codes times a per-output-neuron
/// scale: layer `l`'s weight `W_ji = scales[l][j] · codes[l][j·in + i]`.
public struct QuantizedNetwork: Sendable {
  /// Layer widths and activation (as the float network).
  public let sizes: [Int]
  /// The hidden activation.
  public let activation: Activation
  /// Per layer, the codes (`out × in`, row-major).
  public var codes: [[Int]]
  /// Per layer, one scale per output neuron.
  public var scales: [[Double]]
  /// Per layer, the biases.
  public var biases: [[Double]]

  /// A quantized network of `float`'s shape (biases copied from it); layers
  /// are filled in by `setLayer`.
  public init(shapeOf float: MLP) {
    sizes = float.sizes
    activation = float.activation
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
    return MLP(sizes: sizes, activation: activation, parameters: p)
  }

  /// Fits the scales and biases (codes fixed) by GSL's BFGS on the training
  /// loss of `data`, with the same L2 on the dequantized weights
  /// `(l2/2) Σ_j s_j² ‖c_j‖²`, so the scales cannot inflate the logits.
  ///
  /// `∂L/∂s_j = Σ_i (∂L/∂W_ji) c_ji`, computed by `FineTuneObjective`.
  @discardableResult
  public mutating func fineTune(
    on data: Dataset, l2: Double, maxIterations: Int = 200
  ) throws -> TrainingReport {
    let objective = FineTuneObjective(self, data: data, l2: l2)
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
      biases[l] = Array(result.point[bi..<(bi + k)])
      si += k
      bi += k
    }
    return TrainingReport(
      loss: result.value, iterations: result.iterations, stopReason: result.stopReason)
  }
}
