import GSLSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
  let labels: [Int]
  var a: [[Double]]
  var delta: [[Double]]
  var cachedAt: [Double]?
  var cachedLoss = 0.0

  /// The objective of `network`'s shape and activation on `data`.
  public init(network: MLP, data: Dataset, l2: Double) {
    precondition(data.featureCount == network.sizes[0], "feature count differs from input width")
    precondition(data.classCount <= network.sizes.last!, "more classes than outputs")
    self.network = network
    self.l2 = l2
    n = data.count
    labels = data.labels
    a =
      [data.features]
      + network.sizes.dropFirst().map { [Double](repeating: 0, count: data.count * $0) }
    delta = network.sizes.map { [Double](repeating: 0, count: data.count * $0) }
  }

  /// The loss at `parameters`.
  public func loss(_ parameters: [Double]) -> Double {
    if cachedAt == parameters { return cachedLoss }
    network.parameters = parameters
    let net = network
    let sizes = net.sizes
    parameters.withUnsafeBufferPointer { p in
      for l in 1..<sizes.count {
        let input = a[l - 1]
        a[l].withUnsafeMutableBufferPointer { out in
          net.forwardLayer(l - 1, input: input, rows: n, parameters: p.baseAddress!, output: out)
        }
      }
    }
    let k = sizes.last!
    var ce = 0.0
    let probs = a[sizes.count - 1]
    for r in 0..<n { ce -= log(max(probs[r * k + labels[r]], 1e-300)) }
    var penalty = 0.0
    for l in 0..<net.layerCount {
      for i in net.weightOffset(l)..<net.biasOffset(l) { penalty += parameters[i] * parameters[i] }
    }
    cachedLoss = ce / Double(max(n, 1)) + 0.5 * l2 * penalty
    cachedAt = parameters
    return cachedLoss
  }

  /// Writes `∇L(parameters)` into `gradient` (of the parameter count).
  public func gradient(_ parameters: [Double], into gradient: inout [Double]) {
    _ = loss(parameters)
    let net = network
    let sizes = net.sizes
    let L = sizes.count - 1
    let k = sizes[L]
    let inv = 1 / Double(max(n, 1))
    delta[L].withUnsafeMutableBufferPointer { d in
      a[L].withUnsafeBufferPointer { p in
        for i in 0..<(n * k) { d[i] = p[i] * inv }
      }
      for r in 0..<n { d[r * k + labels[r]] -= inv }
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
              GSL.gemm(
                transposeA: true, m: fanOut, n: fanIn, k: n, a: d.baseAddress!,
                b: x.baseAddress!, beta: 1, c: g.baseAddress! + w)
            }
            for j in 0..<fanOut { g[b + j] = 0 }
            for r in 0..<n {
              for j in 0..<fanOut { g[b + j] += d[r * fanOut + j] }
            }
            guard l > 1 else { return }
            delta[l - 1].withUnsafeMutableBufferPointer { dp in
              GSL.gemm(
                m: n, n: fanIn, k: fanOut, a: d.baseAddress!, b: p.baseAddress! + w,
                c: dp.baseAddress!)
              a[l - 1].withUnsafeBufferPointer { act in
                net.activation.backprop(
                  dp.baseAddress!, activations: act.baseAddress!, count: n * fanIn)
              }
            }
          }
        }
      }
    }
  }
}
