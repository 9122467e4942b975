import GSLSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension MLP {
  /// Every layer's activations for the `n` rows of `x` (row-major,
  /// `n × sizes[0]`): element 0 is `x`, element `l` is layer `l`'s output
  /// (`n × sizes[l]`), the last one being the softmax probabilities.
  public func activations(_ x: [Double], rows n: Int) -> [[Double]] {
    precondition(x.count == n * sizes[0], "input shape")
    var a = [x] + (1..<sizes.count).map { [Double](repeating: 0, count: n * sizes[$0]) }
    parameters.withUnsafeBufferPointer { p in
      for l in 1..<sizes.count {
        let (prev, cur) = (a[l - 1], l)
        a[cur].withUnsafeMutableBufferPointer { out in
          forwardLayer(l - 1, input: prev, rows: n, parameters: p.baseAddress!, output: out)
        }
      }
    }
    return a
  }

  /// Layer `l`'s output (`n × sizes[l + 1]`) from `input`
  /// (`n × sizes[l]`): `act(input·Wᵀ + b)`, or softmax for the last layer.
  func forwardLayer(
    _ l: Int, input: [Double], rows n: Int, parameters p: UnsafePointer<Double>,
    output out: UnsafeMutableBufferPointer<Double>
  ) {
    let (fanIn, fanOut) = (sizes[l], sizes[l + 1])
    let b = p + biasOffset(l)
    let o = out.baseAddress!
    for r in 0..<n {
      for j in 0..<fanOut { o[r * fanOut + j] = b[j] }
    }
    input.withUnsafeBufferPointer { xin in
      GSL.gemm(
        transposeB: true, m: n, n: fanOut, k: fanIn, a: xin.baseAddress!,
        b: p + weightOffset(l), beta: 1, c: o)
    }
    if l < layerCount - 1 {
      activation.apply(o, count: n * fanOut)
    } else {
      for r in 0..<n { Self.softmax(o + r * fanOut, count: fanOut) }
    }
  }

  /// Replaces `count` logits by their softmax, stably.
  static func softmax(_ z: UnsafeMutablePointer<Double>, count: Int) {
    var m = -Double.infinity
    for j in 0..<count { m = max(m, z[j]) }
    var s = 0.0
    for j in 0..<count {
      z[j] = exp(z[j] - m)
      s += z[j]
    }
    for j in 0..<count { z[j] /= s }
  }

  /// Class probabilities (`n × classes`) for the rows of `x`.
  public func probabilities(_ x: [Double], rows n: Int) -> [Double] {
    activations(x, rows: n).last!
  }

  /// The predicted class of each row of `data`.
  public func predict(_ data: Dataset) -> [Int] {
    let p = probabilities(data.features, rows: data.count)
    let k = sizes.last!
    return (0..<data.count).map { r in
      var best = 0
      for j in 1..<k where p[r * k + j] > p[r * k + best] { best = j }
      return best
    }
  }

  /// The mean cross-entropy `−(1/n) Σ_r log p(y_r | x_r)` on `data`, without
  /// the L2 term: the held-out loss a hyperparameter search minimises.
  public func crossEntropy(_ data: Dataset) -> Double {
    guard data.count > 0 else { return 0 }
    let p = probabilities(data.features, rows: data.count)
    let k = sizes.last!
    var ce = 0.0
    for r in 0..<data.count { ce -= log(max(p[r * k + data.labels[r]], 1e-300)) }
    return ce / Double(data.count)
  }

  /// The fraction of rows of `data` classified correctly.
  public func accuracy(_ data: Dataset) -> Double {
    guard data.count > 0 else { return 0 }
    let yhat = predict(data)
    let right = zip(yhat, data.labels).filter { $0 == $1 }.count
    return Double(right) / Double(data.count)
  }
}
