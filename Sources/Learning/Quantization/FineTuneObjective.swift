/// The training loss of a quantized network as a function of its per-neuron
/// scales and biases only (codes fixed), with its analytic gradient.
///
/// Layer `l` computes `U_l = A_{l−1} C_lᵀ` (integer codes), then
/// `Z_l = U_l · diag(s_l) + b_l`. The first layer's `U_1 = X C_1ᵀ` does not
/// depend on the parameters, so it is computed once: the widest product of
/// the network leaves the loop. The gradient is
/// `∂L/∂s_lj = Σ_r δ_l[r,j] U_l[r,j] + l2 · s_lj ‖c_lj‖²`,
/// `∂L/∂b_lj = Σ_r δ_l[r,j]`, `δ_{l−1} = ((δ_l · diag(s_l)) C_l) ⊙ act'`.
/// The loss is the softmax cross-entropy against labels or, for
/// distillation, against a teacher's probabilities (`SoftmaxCrossEntropy`).
///
/// Parameters are packed as all scales (layer by layer), then all biases.
/// The biases of the layers in `frozenBiases` keep a zero gradient, so BFGS
/// leaves them where they start (layers whose file has no bias input).
final class FineTuneObjective {
  let sizes: [Int]
  let activation: Activation
  let slope: Double
  let l2: Double
  let n: Int
  let targets: SoftmaxTargets
  let codes: [[Double]]
  let codeNorms: [[Double]]
  let frozenBiases: Set<Int>
  var u: [[Double]]
  var a: [[Double]]
  var delta: [[Double]]
  var cachedAt: [Double]?
  var cachedLoss = 0.0
  let scaleCount: Int

  /// The objective on the `n` rows of `x` (already checked to be
  /// `n × sizes[0]`, with targets of matching size).
  init(
    _ q: QuantizedNetwork, inputs x: [Double], rows: Int, targets: SoftmaxTargets, l2: Double,
    frozenBiases: Set<Int> = []
  ) {
    sizes = q.sizes
    activation = q.activation
    slope = q.leakySlope
    self.l2 = l2
    n = rows
    self.targets = targets
    self.frozenBiases = frozenBiases
    codes = q.codes.map { $0.map(Double.init) }
    codeNorms = q.codes.indices.map { l in
      (0..<q.sizes[l + 1]).map { j in
        q.codes[l][(j * q.sizes[l])..<((j + 1) * q.sizes[l])].reduce(0.0) {
          $0 + Double($1 * $1)
        }
      }
    }
    scaleCount = q.sizes.dropFirst().reduce(0, +)
    u = sizes.dropFirst().map { [Double](repeating: 0, count: rows * $0) }
    a = [x] + sizes.dropFirst().map { [Double](repeating: 0, count: rows * $0) }
    delta = sizes.map { [Double](repeating: 0, count: rows * $0) }
    product(0)
  }

  var layerCount: Int { sizes.count - 1 }

  /// `U_l = A_{l} C_lᵀ` for weight layer `l` (0-based).
  func product(_ l: Int) {
    let (fanIn, fanOut) = (sizes[l], sizes[l + 1])
    a[l].withUnsafeBufferPointer { x in
      codes[l].withUnsafeBufferPointer { c in
        u[l].withUnsafeMutableBufferPointer { out in
          denseProduct(transposeB: true, m: n, n: fanOut, k: fanIn, a: x, b: c, c: out)
        }
      }
    }
  }

  func loss(_ x: [Double]) -> Double {
    if cachedAt == x { return cachedLoss }
    var (si, bi) = (0, scaleCount)
    var penalty = 0.0
    for l in 0..<layerCount {
      if l > 0 { product(l) }
      let k = sizes[l + 1]
      let last = l == layerCount - 1
      a[l + 1].withUnsafeMutableBufferPointer { out in
        u[l].withUnsafeBufferPointer { ul in
          for r in 0..<n {
            for j in 0..<k { out[r * k + j] = ul[r * k + j] * x[si + j] + x[bi + j] }
          }
        }
        if last {
          softmaxRows(out, rows: n, count: k)
        } else {
          activation.apply(out, slope: slope)
        }
      }
      for j in 0..<k { penalty += x[si + j] * x[si + j] * codeNorms[l][j] }
      si += k
      bi += k
    }
    let ce = a[layerCount].withUnsafeBufferPointer {
      SoftmaxCrossEntropy.loss($0, rows: n, classes: sizes[layerCount], targets: targets)
    }
    cachedLoss = ce + 0.5 * l2 * penalty
    cachedAt = x
    return cachedLoss
  }

  func gradient(_ x: [Double], into g: inout [Double]) {
    _ = loss(x)
    let L = layerCount
    delta[L].withUnsafeMutableBufferPointer { d in
      a[L].withUnsafeBufferPointer { p in
        SoftmaxCrossEntropy.logitGradient(p, rows: n, classes: sizes[L], targets: targets, into: d)
      }
    }
    var offsets = [(si: Int, bi: Int)]()
    var (si, bi) = (0, scaleCount)
    for l in 0..<L {
      offsets.append((si, bi))
      si += sizes[l + 1]
      bi += sizes[l + 1]
    }
    for l in stride(from: L - 1, through: 0, by: -1) {
      let (fanIn, fanOut) = (sizes[l], sizes[l + 1])
      let (si, bi) = offsets[l]
      let frozen = frozenBiases.contains(l)
      delta[l + 1].withUnsafeMutableBufferPointer { d in
        u[l].withUnsafeBufferPointer { ul in
          for j in 0..<fanOut {
            g[si + j] = l2 * x[si + j] * codeNorms[l][j]
            g[bi + j] = 0
          }
          for r in 0..<n {
            for j in 0..<fanOut {
              let e = d[r * fanOut + j]
              g[si + j] += e * ul[r * fanOut + j]
              if !frozen { g[bi + j] += e }
            }
          }
        }
        guard l > 0 else { return }
        for r in 0..<n {
          for j in 0..<fanOut { d[r * fanOut + j] *= x[si + j] }
        }
      }
      guard l > 0 else { continue }
      let scaled = delta[l + 1]
      delta[l].withUnsafeMutableBufferPointer { dp in
        scaled.withUnsafeBufferPointer { d in
          codes[l].withUnsafeBufferPointer { c in
            denseProduct(m: n, n: fanIn, k: fanOut, a: d, b: c, c: dp)
          }
        }
        a[l].withUnsafeBufferPointer { act in
          activation.backprop(dp, activations: act, slope: slope)
        }
      }
    }
  }
}
