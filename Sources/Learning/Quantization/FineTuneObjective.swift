import GSLSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The training loss of a quantized network as a function of its per-neuron
/// scales and biases only (codes fixed), with its analytic gradient.
///
/// Layer `l` computes `U_l = A_{l−1} C_lᵀ` (integer codes), then
/// `Z_l = U_l · diag(s_l) + b_l`. The first layer's `U_1 = X C_1ᵀ` does not
/// depend on the parameters, so it is computed once: the widest product of
/// the network leaves the loop. The gradient is
/// `∂L/∂s_lj = Σ_r δ_l[r,j] U_l[r,j] + l2 · s_lj ‖c_lj‖²`,
/// `∂L/∂b_lj = Σ_r δ_l[r,j]`, `δ_{l−1} = ((δ_l · diag(s_l)) C_l) ⊙ act'`.
///
/// Parameters are packed as all scales (layer by layer), then all biases.
final class FineTuneObjective {
  let sizes: [Int]
  let activation: Activation
  let l2: Double
  let n: Int
  let labels: [Int]
  let codes: [[Double]]
  let codeNorms: [[Double]]
  var u: [[Double]]
  var a: [[Double]]
  var delta: [[Double]]
  var cachedAt: [Double]?
  var cachedLoss = 0.0
  let scaleCount: Int

  init(_ q: QuantizedNetwork, data: Dataset, l2: Double) {
    sizes = q.sizes
    activation = q.activation
    self.l2 = l2
    n = data.count
    labels = data.labels
    codes = q.codes.map { $0.map(Double.init) }
    codeNorms = q.codes.indices.map { l in
      (0..<q.sizes[l + 1]).map { j in
        q.codes[l][(j * q.sizes[l])..<((j + 1) * q.sizes[l])].reduce(0.0) {
          $0 + Double($1 * $1)
        }
      }
    }
    scaleCount = q.sizes.dropFirst().reduce(0, +)
    u = sizes.dropFirst().map { [Double](repeating: 0, count: data.count * $0) }
    a = [data.features] + sizes.dropFirst().map { [Double](repeating: 0, count: data.count * $0) }
    delta = sizes.map { [Double](repeating: 0, count: data.count * $0) }
    product(0)
  }

  var layerCount: Int { sizes.count - 1 }

  /// `U_l = A_{l} C_lᵀ` for weight layer `l` (0-based).
  func product(_ l: Int) {
    let (fanIn, fanOut) = (sizes[l], sizes[l + 1])
    a[l].withUnsafeBufferPointer { x in
      codes[l].withUnsafeBufferPointer { c in
        u[l].withUnsafeMutableBufferPointer { out in
          GSL.gemm(
            transposeB: true, m: n, n: fanOut, k: fanIn, a: x.baseAddress!, b: c.baseAddress!,
            c: out.baseAddress!)
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
          for r in 0..<n { MLP.softmax(out.baseAddress! + r * k, count: k) }
        } else {
          activation.apply(out.baseAddress!, count: n * k)
        }
      }
      for j in 0..<k { penalty += x[si + j] * x[si + j] * codeNorms[l][j] }
      si += k
      bi += k
    }
    let k = sizes.last!
    var ce = 0.0
    a[layerCount].withUnsafeBufferPointer { p in
      for r in 0..<n { ce -= log(max(p[r * k + labels[r]], 1e-300)) }
    }
    cachedLoss = ce / Double(max(n, 1)) + 0.5 * l2 * penalty
    cachedAt = x
    return cachedLoss
  }

  func gradient(_ x: [Double], into g: inout [Double]) {
    _ = loss(x)
    let L = layerCount
    let k = sizes[L]
    let inv = 1 / Double(max(n, 1))
    delta[L].withUnsafeMutableBufferPointer { d in
      a[L].withUnsafeBufferPointer { p in
        for i in 0..<(n * k) { d[i] = p[i] * inv }
      }
      for r in 0..<n { d[r * k + labels[r]] -= inv }
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
              g[bi + j] += e
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
            GSL.gemm(
              m: n, n: fanIn, k: fanOut, a: d.baseAddress!, b: c.baseAddress!,
              c: dp.baseAddress!)
          }
        }
        a[l].withUnsafeBufferPointer { act in
          activation.backprop(dp.baseAddress!, activations: act.baseAddress!, count: n * fanIn)
        }
      }
    }
  }
}
