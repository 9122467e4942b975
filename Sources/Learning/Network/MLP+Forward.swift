#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension MLP {
  /// Every layer's activations for the `n` rows of `x` (row-major,
  /// `n × sizes[0]`): element 0 is `x`, element `l` is layer `l`'s output
  /// (`n × sizes[l]`), the last one being the softmax probabilities.
  ///
  /// - Throws: `ShapeError` when `x` does not hold `n × sizes[0]` values.
  public func activations(_ x: [Double], rows n: Int) throws -> [[Double]] {
    try checkInput(x, rows: n)
    return forward(x, rows: n, softmax: true)
  }

  /// The output layer's values before the softmax (`n × classes`).
  ///
  /// - Throws: `ShapeError` when `x` does not hold `n × sizes[0]` values.
  public func logits(_ x: [Double], rows n: Int) throws -> [Double] {
    try checkInput(x, rows: n)
    return forward(x, rows: n, softmax: false)[layerCount]
  }

  /// Class probabilities (`n × classes`) for the rows of `x`.
  ///
  /// - Throws: `ShapeError` when `x` does not hold `n × sizes[0]` values.
  public func probabilities(_ x: [Double], rows n: Int) throws -> [Double] {
    try checkInput(x, rows: n)
    return forward(x, rows: n, softmax: true)[layerCount]
  }

  func checkInput(_ x: [Double], rows n: Int) throws {
    let (expected, overflow) = n.multipliedReportingOverflow(by: sizes[0])
    guard n >= 0, !overflow, x.count == expected else {
      throw ShapeError(
        "\(x.count) input values for \(n) rows of \(sizes[0]) features")
    }
  }

  /// The forward pass (input already checked).
  func forward(_ x: [Double], rows n: Int, softmax: Bool) -> [[Double]] {
    var a = [x] + (1..<sizes.count).map { [Double](repeating: 0, count: n * sizes[$0]) }
    parameters.withUnsafeBufferPointer { p in
      for l in 1..<sizes.count {
        let prev = a[l - 1]
        a[l].withUnsafeMutableBufferPointer { out in
          prev.withUnsafeBufferPointer { input in
            forwardLayer(
              l - 1, input: input, rows: n, parameters: p, output: out,
              softmax: softmax)
          }
        }
      }
    }
    return a
  }

  /// Layer `l`'s output (`n × sizes[l + 1]`) from `input`
  /// (`n × sizes[l]`): `act(input·Wᵀ + b)`, or softmax (or nothing, when
  /// `softmax` is false) for the last layer.
  func forwardLayer(
    _ l: Int, input: UnsafeBufferPointer<Double>, rows n: Int,
    parameters p: UnsafeBufferPointer<Double>, output o: UnsafeMutableBufferPointer<Double>,
    softmax: Bool = true
  ) {
    let (fanIn, fanOut) = (sizes[l], sizes[l + 1])
    let b = biasOffset(l)
    for r in 0..<n {
      for j in 0..<fanOut { o[r * fanOut + j] = p[b + j] }
    }
    denseProduct(
      transposeB: true, m: n, n: fanOut, k: fanIn, a: input, b: p, bOffset: weightOffset(l),
      beta: 1, c: o)
    if l < layerCount - 1 {
      activation.apply(o, slope: leakySlope)
    } else if softmax {
      softmaxRows(o, rows: n, count: fanOut)
    }
  }

  /// The predicted class of each row of `data`.
  ///
  /// - Throws: `ShapeError` when the data's width is not the input width.
  public func predict(_ data: Dataset) throws -> [Int] {
    let p = try probabilities(data.features, rows: data.count)
    return Self.argmaxRows(p, rows: data.count, classes: classCount)
  }

  /// The number of outputs (classes).
  public var classCount: Int { sizes[layerCount] }

  /// The index of the largest value of each row (the first one on ties).
  public static func argmaxRows(_ p: [Double], rows n: Int, classes k: Int) -> [Int] {
    (0..<n).map { r in
      var best = 0
      for j in 1..<max(k, 1) where p[r * k + j] > p[r * k + best] { best = j }
      return best
    }
  }

  /// The mean cross-entropy `−(1/n) Σ_r log p(y_r | x_r)` on `data`, without
  /// the L2 term: the held-out loss a hyperparameter search minimises.
  ///
  /// - Throws: `ShapeError` when the data does not fit the network.
  public func crossEntropy(_ data: Dataset) throws -> Double {
    try checkLabels(data)
    let p = try probabilities(data.features, rows: data.count)
    return p.withUnsafeBufferPointer {
      SoftmaxCrossEntropy.loss(
        $0, rows: data.count, classes: classCount, targets: .labels(data.labels))
    }
  }

  /// The fraction of rows of `data` classified correctly (0 for no rows).
  ///
  /// - Throws: `ShapeError` when the data does not fit the network.
  public func accuracy(_ data: Dataset) throws -> Double {
    guard data.count > 0 else { return 0 }
    let yhat = try predict(data)
    let right = zip(yhat, data.labels).filter { $0 == $1 }.count
    return Double(right) / Double(data.count)
  }

  /// Throws unless every label of `data` is an output of the network.
  func checkLabels(_ data: Dataset) throws {
    guard data.classCount <= classCount else {
      throw ShapeError(
        "the data has \(data.classCount) classes but the network \(classCount) outputs")
    }
  }
}
