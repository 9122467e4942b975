import Annealing
import QUBOModel

/// Post-training quantization of a trained network from Swift: the float
/// network and calibration inputs in, a quantized network out, with how
/// closely it follows the float one.
///
/// Without labels, everything needs only inputs: the rounding QUBOs are
/// built from the calibration Gram matrices, and fine-tuning fits the
/// scales and biases to the float network's own probabilities (a
/// distillation loss: the cross-entropy against the teacher, which is
/// `KL(teacher ‖ student)` plus a constant). With labels, fine-tuning fits
/// them to the labels (the task loss).
///
/// ```swift
/// let float = try MLP(inputWidth: 4, layers: [(w1, b1), (w2, b2)], activation: .relu)
/// let ptq = try PostTrainingQuantization(bits: 3)
/// let result = try ptq.quantize(float, calibration: x, rows: n, method: .anneal, seed: 1)
/// let data = try JSONEncoder().encode(result.network)   // Codable
/// ```
public struct PostTrainingQuantization: Sendable {
  /// The layer-by-layer quantizer (grid, scale rule, annealer).
  public var quantizer: Quantizer
  /// BFGS iteration cap of the fine-tuning (0: no fine-tuning).
  public var fineTuneIterations = 200
  /// L2 weight on the dequantized weights while fine-tuning.
  public var l2 = 0.0
  /// Layers whose biases are not fitted (a model file without biases there).
  public var frozenBiases: Set<Int> = []

  /// A quantization to `bits` bits with the given rounding solver (by
  /// default SQA with 4 reads of 300 sweeps and 8 Trotter slices).
  ///
  /// - Throws: `ShapeError` unless `2 <= bits <= 16`.
  public init(bits: Int, scaleRule: ScaleRule = .maxabs, solver: RoundingSolver? = nil) throws {
    let solver = try solver ?? RoundingSolver(annealer: Self.defaultAnnealer())
    quantizer = try Quantizer(bits: bits, scaleRule: scaleRule, solver: solver)
  }

  /// The default annealer: SQA, 4 reads × 300 sweeps, 8 Trotter slices.
  public static func defaultAnnealer() throws -> SamplerConfiguration {
    try SamplerConfiguration(
      json: .object([
        "sampler": .string("sqa"), "reads": .int(4), "sweeps": .int(300), "trotter": .int(8),
      ]))
  }

  /// What one quantization gave.
  public struct Result: Sendable, Codable, Equatable {
    /// The rounding method.
    public var method: String
    /// The quantized (and fine-tuned) network.
    public var network: QuantizedNetwork
    /// Per layer, the rounding QUBO energy `Σ_j (w_j − ŵ_j)ᵀ H (w_j − ŵ_j)`
    /// of the chosen codes, before fine-tuning.
    public var quboEnergies: [Double]
    /// The fine-tuning loss before and after (nil without fine-tuning).
    public var lossBefore: Double?
    /// The fine-tuning loss after.
    public var lossAfter: Double?
    /// BFGS iterations of the fine-tuning.
    public var iterations: Int
    /// How the quantized network follows the float one on the calibration
    /// rows.
    public var agreement: Agreement
  }

  /// Quantizes `float` with `method` on the `n` calibration rows of `x`
  /// (`n × sizes[0]`, row-major), then fine-tunes the scales and biases:
  /// to `labels` when given, else to the float network's probabilities.
  ///
  /// - Throws: `ShapeError` for inputs or labels of the wrong size, or
  ///   errors of the annealer or of GSL.
  public func quantize(
    _ float: MLP, calibration x: [Double], rows n: Int, labels: [Int]? = nil,
    method: RoundingMethod, seed: UInt64
  ) throws -> Result {
    try float.checkInput(x, rows: n)
    guard n > 0 else { throw ShapeError("quantization needs at least one calibration row") }
    let teacher = float.forward(x, rows: n, softmax: true)[float.layerCount]
    let targets: SoftmaxTargets
    if let labels {
      guard labels.count == n, labels.allSatisfy({ (0..<float.classCount).contains($0) }) else {
        throw ShapeError(
          "\(labels.count) labels for \(n) rows, each must be in 0..<\(float.classCount)")
      }
      targets = .labels(labels)
    } else {
      targets = .probabilities(teacher)
    }
    var timing = QuantizationTiming()
    var (q, energies) = try quantizer.quantize(
      float, calibration: x, rows: n, method: method, seed: seed, timing: &timing)
    var before: Double?
    var after: Double?
    var iterations = 0
    if fineTuneIterations > 0 {
      let objective = FineTuneObjective(
        q, inputs: x, rows: n, targets: targets, l2: l2, frozenBiases: frozenBiases)
      before = objective.loss(q.scales.flatMap { $0 } + q.biases.flatMap { $0 })
      let report = try q.fineTune(
        inputs: x, rows: n, targets: targets, l2: l2, maxIterations: fineTuneIterations,
        frozenBiases: frozenBiases)
      after = report.loss
      iterations = report.iterations
    }
    let agreement = try Agreement(float: float, quantized: q.network, inputs: x, rows: n, labels: labels)
    return Result(
      method: method.rawValue, network: q, quboEnergies: energies, lossBefore: before,
      lossAfter: after, iterations: iterations, agreement: agreement)
  }
}

/// How a quantized network follows its float network on some rows: top-1
/// agreement, the mean `KL(float ‖ quantized)` of the softmax outputs, and
/// accuracy when labels are known.
public struct Agreement: Sendable, Codable, Equatable {
  /// The number of rows.
  public var rows: Int
  /// The fraction of rows where both predict the same class.
  public var top1: Double
  /// The mean over rows of `Σ_k p_k log(p_k / q_k)` (nats).
  public var kl: Double
  /// The quantized network's accuracy (nil without labels).
  public var accuracy: Double?
  /// The float network's accuracy (nil without labels).
  public var floatAccuracy: Double?

  /// Compares `quantized` with `float` on the `n` rows of `x`.
  ///
  /// - Throws: `ShapeError` when the networks, inputs or labels do not fit.
  public init(float: MLP, quantized: MLP, inputs x: [Double], rows n: Int, labels: [Int]? = nil)
    throws
  {
    guard float.sizes == quantized.sizes else {
      throw ShapeError("the networks' sizes \(float.sizes) and \(quantized.sizes) differ")
    }
    let p = try float.probabilities(x, rows: n)
    let q = try quantized.probabilities(x, rows: n)
    let k = float.classCount
    let a = MLP.argmaxRows(p, rows: n, classes: k)
    let b = MLP.argmaxRows(q, rows: n, classes: k)
    rows = n
    top1 = n == 0 ? 0 : Double(zip(a, b).filter { $0 == $1 }.count) / Double(n)
    var total = 0.0
    for i in 0..<(n * k) where p[i] > 0 {
      total += p[i] * (log(p[i]) - log(max(q[i], 1e-300)))
    }
    kl = n == 0 ? 0 : total / Double(n)
    if let labels {
      guard labels.count == n else { throw ShapeError("\(labels.count) labels for \(n) rows") }
      let right = { (y: [Int]) in Double(zip(y, labels).filter { $0 == $1 }.count) / Double(max(n, 1)) }
      accuracy = right(b)
      floatAccuracy = right(a)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
