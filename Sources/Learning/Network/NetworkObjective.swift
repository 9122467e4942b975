/// The training loss of a network shape on one dataset, and its analytic
/// gradient, over the flat parameter vector of `MLP`:
/// `L(θ) = −(1/n) Σ_r log p_θ(y_r | x_r) + (l2/2) Σ_l ‖W_l‖²`.
///
/// Activations and back-propagated errors live in buffers allocated once.
/// The last forward pass is cached, so a gradient at the point whose loss was
/// just computed (what BFGS asks for) costs only the backward pass.
public final class NetworkObjective {
  /// The network whose `parameters` are replaced at each evaluation.
  public private(set) var network: MLP
  /// The L2 weight on the weights (not the biases).
  public let l2: Double
  let n: Int
  let targets: SoftmaxTargets
  var a: [[Double]]
  var delta: [[Double]]
  var cachedAt: [Double]?
  var cachedLoss = 0.0

  /// The objective of `network`'s shape and activation on `data`.
  ///
  /// - Throws: `ShapeError` when the data's width is not the network's
  ///   input width or it has more classes than the network has outputs.
  public init(network: MLP, data: Dataset, l2: Double) throws {
    guard data.featureCount == network.sizes[0] else {
      throw ShapeError(
        "the data has \(data.featureCount) features but the network \(network.sizes[0]) inputs")
    }
    try network.checkLabels(data)
    self.network = network
    self.l2 = l2
    n = data.count
    targets = .labels(data.labels)
    a =
      [data.features]
      + network.sizes.dropFirst().map { [Double](repeating: 0, count: data.count * $0) }
    delta = network.sizes.map { [Double](repeating: 0, count: data.count * $0) }
  }

  /// The loss at `parameters` (of `MLP.parameterCount(sizes)` values).
  public func loss(_ parameters: [Double]) -> Double {
    if cachedAt == parameters { return cachedLoss }
    network.parameters = parameters
    let net = network
    let sizes = net.sizes
    parameters.withUnsafeBufferPointer { p in
      for l in 1..<sizes.count {
        let input = a[l - 1]
        a[l].withUnsafeMutableBufferPointer { out in
          input.withUnsafeBufferPointer { x in
            net.forwardLayer(l - 1, input: x, rows: n, parameters: p, output: out)
          }
        }
      }
    }
    let ce = a[sizes.count - 1].withUnsafeBufferPointer {
      SoftmaxCrossEntropy.loss($0, rows: n, classes: net.classCount, targets: targets)
    }
    var penalty = 0.0
    for l in 0..<net.layerCount {
      for i in net.weightOffset(l)..<net.biasOffset(l) { penalty += parameters[i] * parameters[i] }
    }
    cachedLoss = ce + 0.5 * l2 * penalty
    cachedAt = parameters
    return cachedLoss
  }

  /// Writes `∇L(parameters)` into `gradient` (of the parameter count).
  public func gradient(_ parameters: [Double], into gradient: inout [Double]) {
    _ = loss(parameters)
    let net = network
    let sizes = net.sizes
    let L = sizes.count - 1
    delta[L].withUnsafeMutableBufferPointer { d in
      a[L].withUnsafeBufferPointer { p in
        SoftmaxCrossEntropy.logitGradient(
          p, rows: n, classes: sizes[L], targets: targets, into: d)
      }
    }
    gradient.withUnsafeMutableBufferPointer { g in
      parameters.withUnsafeBufferPointer { p in
        for l in stride(from: L, through: 1, by: -1) {
          let (fanIn, fanOut) = (sizes[l - 1], sizes[l])
          let w = net.weightOffset(l - 1)
          let b = net.biasOffset(l - 1)
          for i in 0..<(fanIn * fanOut) { g[w + i] = l2 * p[w + i] }
          delta[l].withUnsafeBufferPointer { d in
            a[l - 1].withUnsafeBufferPointer { x in
              denseProduct(
                transposeA: true, m: fanOut, n: fanIn, k: n, a: d, b: x, beta: 1, c: g,
                cOffset: w)
            }
            for j in 0..<fanOut { g[b + j] = 0 }
            for r in 0..<n {
              for j in 0..<fanOut { g[b + j] += d[r * fanOut + j] }
            }
            guard l > 1 else { return }
            delta[l - 1].withUnsafeMutableBufferPointer { dp in
              denseProduct(m: n, n: fanIn, k: fanOut, a: d, b: p, bOffset: w, c: dp)
              a[l - 1].withUnsafeBufferPointer { act in
                net.activation.backprop(dp, activations: act, slope: net.leakySlope)
              }
            }
          }
        }
      }
    }
  }
}
