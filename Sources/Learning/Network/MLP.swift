import Annealing

/// A small dense network (multilayer perceptron) for classification:
/// hidden layers `a = act(W a' + b)`, a linear output layer, softmax.
///
/// All parameters live in one flat array `parameters`: for each layer in
/// order, its weights `W` (`out × in`, row-major) then its biases `b` (`out`).
/// The loss is the mean softmax cross-entropy plus `(l2/2)·Σ‖W‖²` (biases are
/// not penalised).
public struct MLP: Sendable, Equatable, Codable {
  /// Layer widths, input first, classes last (e.g. `[64, 32, 10]`).
  public let sizes: [Int]
  /// The hidden-layer activation.
  public var activation: Activation
  /// The negative-side slope `α` of `Activation.leakyRelu` (positive).
  public var leakySlope = 0.01
  /// All weights and biases, layer by layer (see the type's discussion).
  public var parameters: [Double]

  /// A network with Glorot-uniform weights and zero biases, drawn from `seed`.
  ///
  /// - Throws: `ShapeError` unless there are at least two sizes, all
  ///   positive and at most 1 000 000.
  public init(sizes: [Int], activation: Activation = .tanh, seed: UInt64) throws {
    try Self.checkSizes(sizes)
    self.sizes = sizes
    self.activation = activation
    var rng = Xoshiro256PlusPlus(seed: seed)
    var p = [Double]()
    for l in 1..<sizes.count {
      let (fanIn, fanOut) = (sizes[l - 1], sizes[l])
      let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
      for _ in 0..<(fanIn * fanOut) { p.append(Double.random(in: -limit...limit, using: &rng)) }
      p += [Double](repeating: 0, count: fanOut)
    }
    parameters = p
  }

  /// A network with the given parameters.
  ///
  /// - Throws: `ShapeError` for bad sizes or a parameter count that is not
  ///   `parameterCount(sizes)`.
  public init(sizes: [Int], activation: Activation, parameters: [Double]) throws {
    try Self.checkSizes(sizes)
    guard parameters.count == Self.parameterCount(sizes) else {
      throw ShapeError(
        "\(parameters.count) parameters for sizes \(sizes), expected \(Self.parameterCount(sizes))")
    }
    self.sizes = sizes
    self.activation = activation
    self.parameters = parameters
  }

  /// A network from its layers, input first: each layer's weights
  /// (`out × in`, row-major) and biases (`out`).
  ///
  /// - Throws: `ShapeError` when `inputWidth` or a layer's width is not
  ///   positive, a weight matrix does not hold `out × in` values for the
  ///   previous layer's width, or `leakySlope` is not positive and finite.
  public init(
    inputWidth: Int, layers: [(weights: [Double], biases: [Double])],
    activation: Activation, leakySlope: Double = 0.01
  ) throws {
    guard inputWidth > 0 else { throw ShapeError("the input width must be positive") }
    guard !layers.isEmpty else { throw ShapeError("a network needs at least one layer") }
    guard leakySlope > 0, leakySlope.isFinite else {
      throw ShapeError("the leaky ReLU slope must be positive and finite")
    }
    var sizes = [inputWidth]
    var p = [Double]()
    for (l, layer) in layers.enumerated() {
      let (fanIn, fanOut) = (sizes[l], layer.biases.count)
      guard fanOut > 0 else { throw ShapeError("layer \(l + 1) has no biases (no outputs)") }
      let (expected, overflow) = fanIn.multipliedReportingOverflow(by: fanOut)
      guard !overflow, layer.weights.count == expected else {
        throw ShapeError(
          "layer \(l + 1): \(layer.weights.count) weights, expected \(fanOut) × \(fanIn)")
      }
      guard layer.weights.allSatisfy(\.isFinite), layer.biases.allSatisfy(\.isFinite) else {
        throw ShapeError("layer \(l + 1) has a weight or bias that is not finite")
      }
      sizes.append(fanOut)
      p += layer.weights + layer.biases
    }
    self.sizes = sizes
    self.activation = activation
    self.leakySlope = leakySlope
    parameters = p
  }

  /// A network whose shapes the caller has checked.
  init(checkedSizes sizes: [Int], activation: Activation, leakySlope: Double, parameters: [Double]) {
    self.sizes = sizes
    self.activation = activation
    self.leakySlope = leakySlope
    self.parameters = parameters
  }

  static func checkSizes(_ sizes: [Int]) throws {
    guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 && $0 <= 1_000_000 }) else {
      throw ShapeError("layer sizes \(sizes): at least two, each in 1…1000000")
    }
  }

  /// Decodes a network, checking that its parameters fit its sizes.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let sizes = try c.decode([Int].self, forKey: .sizes)
    do {
      try self.init(
        sizes: sizes, activation: try c.decode(Activation.self, forKey: .activation),
        parameters: try c.decode([Double].self, forKey: .parameters))
    } catch let error as ShapeError {
      throw DecodingError.dataCorrupted(
        .init(codingPath: c.codingPath, debugDescription: error.reason))
    }
    leakySlope = try c.decode(Double.self, forKey: .leakySlope)
  }

  /// The number of weight layers.
  public var layerCount: Int { sizes.count - 1 }

  /// The number of parameters of a network with `sizes`.
  public static func parameterCount(_ sizes: [Int]) -> Int {
    (1..<sizes.count).reduce(0) { $0 + sizes[$1] * (sizes[$1 - 1] + 1) }
  }

  /// Where layer `l`'s weights (`out × in`) start in `parameters`.
  public func weightOffset(_ l: Int) -> Int {
    (0..<l).reduce(0) { $0 + sizes[$1 + 1] * (sizes[$1] + 1) }
  }

  /// Where layer `l`'s biases start in `parameters`.
  public func biasOffset(_ l: Int) -> Int { weightOffset(l) + sizes[l + 1] * sizes[l] }

  /// Layer `l`'s weights, `out × in` row-major.
  public func weights(_ l: Int) -> [Double] {
    Array(parameters[weightOffset(l)..<biasOffset(l)])
  }

  /// Layer `l`'s biases.
  public func biases(_ l: Int) -> [Double] {
    Array(parameters[biasOffset(l)..<(biasOffset(l) + sizes[l + 1])])
  }

  /// Replaces layer `l`'s weights.
  ///
  /// - Throws: `ShapeError` for a layer that does not exist or a weight
  ///   count that is not `out × in`.
  public mutating func setWeights(_ l: Int, _ w: [Double]) throws {
    guard (0..<layerCount).contains(l), w.count == sizes[l + 1] * sizes[l] else {
      throw ShapeError("layer \(l): \(w.count) weights do not fit sizes \(sizes)")
    }
    parameters.replaceSubrange(weightOffset(l)..<biasOffset(l), with: w)
  }

  /// Replaces layer `l`'s biases.
  ///
  /// - Throws: `ShapeError` for a layer that does not exist or a bias count
  ///   that is not its width.
  public mutating func setBiases(_ l: Int, _ b: [Double]) throws {
    guard (0..<layerCount).contains(l), b.count == sizes[l + 1] else {
      throw ShapeError("layer \(l): \(b.count) biases do not fit sizes \(sizes)")
    }
    parameters.replaceSubrange(biasOffset(l)..<(biasOffset(l) + b.count), with: b)
  }
}
