import QUBOModel

// Rounding a whole layer jointly against the next layer's pre-activations
// (issue 19, item 3). The per-neuron QUBO (`RoundingQUBO`) measures each
// neuron's own pre-activation error; but the next layer sees the errors of
// all neurons mixed by its weights V, so errors of different neurons can
// cancel or add. To first order in the weight error E = W − Ŵ, the next
// layer's pre-activation error on row r is
//   ε_r = V D_r E x_r,   D_r = diag(φ'(a_r)),
// (a_r the layer's float pre-activations, φ its activation), and the block
// error is the mean over the n calibration rows
//   B(Ŵ) = (1/n) Σ_r ‖V D_r E x_r‖² = eᵀ G e,
//   G_(j,i),(j',i') = (1/n) Σ_r φ'_rj φ'_rj' x_ri x_ri' (VᵀV)_jj',
// with e the weight errors flattened row by row. Each weight takes code
// base + z (z ∈ {0, 1} between floor and floor + 1, clamped; weights whose two
// candidates coincide are fixed), so e = d − S z with d = W − s·base and
// S the diagonal of the neurons' scales. Expanding with z² = z:
//   B = dᵀGd + Σ_a z_a (s_a² G_aa − 2 s_a (Gd)_a) + Σ_{a<b} z_a z_b 2 s_a s_b G_ab,
// a dense QUBO over up to fanOut·fanIn variables. With V = I and φ' = 1 it
// is the sum of the per-neuron QUBOs.
//
// Implementation goals, in order: the energy equals the directly computed
// block error for every assignment (tested by enumeration); the Gram G built
// block by block with GEMMs, O(fanOut²·n·fanIn²) for m = fanOut·fanIn.

/// The rounding of a whole layer as one QUBO whose energy is the first-order
/// error of the next layer's pre-activations (see the derivation above).
public struct CoupledLayerQUBO: Sendable {
  /// The layer's weights, `fanOut × fanIn`, row-major.
  public let weights: [Double]
  /// The per-neuron scales.
  public let scales: [Double]
  /// The calibration inputs, `n × fanIn`.
  public let inputs: [Double]
  /// The activation derivatives φ'(a_rj), `n × fanOut`.
  public let gains: [Double]
  /// The next layer's weights V, `next × fanOut`.
  public let next: [Double]
  /// The layer's fan-in and fan-out, the next layer's width and the rows.
  public let fanIn: Int, fanOut: Int, nextWidth: Int, rows: Int
  /// The flat weight index (`j·fanIn + i`) of each binary variable.
  public let free: [Int]
  /// The code distance between a variable's two candidates (2 on the
  /// binary grid, else 1).
  public let step: Int
  /// Every weight's code when all variables are 0.
  public let base: [Int]
  /// The QUBO over variables `0..<free.count`.
  public let model: BinaryQuadraticModel

  /// The QUBO of `weights` at `scales` on `grid`, with calibration `inputs`
  /// (`rows × fanIn`), activation derivatives `gains` (`rows × fanOut`) and
  /// the next layer's weights `next` (`nextWidth × fanOut`).
  public init(
    weights w: [Double], fanIn: Int, fanOut: Int, scales: [Double], grid: QuantizationGrid,
    inputs x: [Double], rows n: Int, gains g: [Double], next v: [Double], nextWidth: Int
  ) throws {
    guard w.count == fanOut * fanIn && scales.count == fanOut else { throw ShapeError("weights and scales") }
    guard x.count == n * fanIn && g.count == n * fanOut && n > 0 else { throw ShapeError("calibration shape") }
    guard v.count == nextWidth * fanOut else { throw ShapeError("next layer shape") }
    let m = fanOut * fanIn
    var c = [Double](repeating: 0, count: fanOut * fanOut)
    for j in 0..<fanOut {
      for k in 0..<fanOut {
        for o in 0..<nextWidth { c[j * fanOut + k] += v[o * fanOut + j] * v[o * fanOut + k] }
      }
    }
    var gm = [Double](repeating: 0, count: m * m)
    Self.writeGram(inputs: x, gains: g, rows: n, fanIn: fanIn, coupling: c, into: &gm, stride: m)
    // The code variables of G's quadratic form, one scale per weight.
    let rounding = try GramRoundingQUBO(
      weights: w, scales: (0..<m).map { scales[$0 / fanIn] }, grid: grid, gram: gm)
    self.weights = w
    self.scales = scales
    self.inputs = x
    self.gains = g
    self.next = v
    self.fanIn = fanIn
    self.fanOut = fanOut
    self.nextWidth = nextWidth
    self.rows = n
    self.free = rounding.free
    self.base = rounding.base
    self.step = rounding.step
    self.model = rounding.model
  }

  /// Writes the layer's Gram `G_(j,i),(k,i2) = C_jk · Σ_r φ'_rj φ'_rk x_ri x_ri2 / n`
  /// into the leading `fanOut·fanIn` square of `gm` (row stride `stride`),
  /// block by block: one matrix product `Xᵀ diag(φ'_j ∘ φ'_k) X` per pair
  /// j ≤ k with `C_jk ≠ 0` (O(fanOut² · n · fanIn²) in GEMMs instead of
  /// O(n · m²) scalar loops). `C` is `fanOut × fanOut` (VᵀV of the next
  /// layer); blocks with `C_jk = 0` are left as they are.
  static func writeGram(
    inputs x: [Double], gains g: [Double], rows n: Int, fanIn: Int, coupling c: [Double],
    into gm: inout [Double], stride m: Int
  ) {
    let fanOut = g.count / n
    var weighted = [Double](repeating: 0, count: n * fanIn)
    var block = [Double](repeating: 0, count: fanIn * fanIn)
    for j in 0..<fanOut {
      for k in j..<fanOut where c[j * fanOut + k] != 0 {
        for r in 0..<n {
          let f = g[r * fanOut + j] * g[r * fanOut + k]
          for i in 0..<fanIn { weighted[r * fanIn + i] = f * x[r * fanIn + i] }
        }
        x.withUnsafeBufferPointer { xp in
          weighted.withUnsafeBufferPointer { wp in
            block.withUnsafeMutableBufferPointer { bp in
              denseProduct(
                transposeA: true, m: fanIn, n: fanIn, k: n, alpha: c[j * fanOut + k] / Double(n),
                a: xp, b: wp, c: bp)
            }
          }
        }
        for i in 0..<fanIn {
          for i2 in 0..<fanIn {
            let value = block[i * fanIn + i2]
            gm[(j * fanIn + i) * m + k * fanIn + i2] = value
            gm[(k * fanIn + i2) * m + j * fanIn + i] = value
          }
        }
      }
    }
  }

  /// The codes of the whole layer (`fanOut × fanIn`) for the assignment `z`.
  public func codes<C: RandomAccessCollection>(_ z: C) -> [Int]
  where C.Element == Int8, C.Index == Int {
    var c = base
    for (p, a) in free.enumerated() where z[z.startIndex + p] != 0 { c[a] += step }
    return c
  }

  /// The block error `(1/n) Σ_r ‖V D_r (W − Ŵ) x_r‖²` of the codes `codes`,
  /// computed directly row by row (the reference for the QUBO's energy).
  public func blockError(codes: [Int]) throws -> Double {
    try Self.blockError(
      codes: codes, weights: weights, scales: scales, fanIn: fanIn, inputs: inputs, rows: rows,
      gains: gains, next: next, nextWidth: nextWidth)
  }

  /// The block error `(1/n) Σ_r ‖V D_r (W − Ŵ) x_r‖²` of `codes` on any
  /// rows `x` (`n × fanIn`) with their activation derivatives `g`
  /// (`n × fanOut`), computed directly.
  public static func blockError(
    codes: [Int], weights w: [Double], scales: [Double], fanIn: Int, inputs x: [Double],
    rows n: Int, gains g: [Double], next v: [Double], nextWidth: Int
  ) throws -> Double {
    let fanOut = scales.count
    guard codes.count == fanOut * fanIn && w.count == codes.count else { throw ShapeError("codes shape") }
    var total = 0.0
    var delta = [Double](repeating: 0, count: fanOut)
    for r in 0..<n {
      for j in 0..<fanOut {
        var s = 0.0
        for i in 0..<fanIn {
          let e = w[j * fanIn + i] - scales[j] * Double(codes[j * fanIn + i])
          s += e * x[r * fanIn + i]
        }
        delta[j] = g[r * fanOut + j] * s
      }
      for o in 0..<nextWidth {
        var eps = 0.0
        for j in 0..<fanOut { eps += v[o * fanOut + j] * delta[j] }
        total += eps * eps
      }
    }
    return total / Double(n)
  }
}

extension CoupledLayerQUBO {
  /// The coupled QUBO of hidden layer `l` of `net` (not the last layer) on
  /// the calibration rows `x` (`n × sizes[0]`): inputs and activation
  /// derivatives from the float network, V the weights of layer `l + 1`.
  public init(
    network net: MLP, layer l: Int, calibration x: [Double], rows n: Int, scales: [Double],
    grid: QuantizationGrid
  ) throws {
    guard l + 1 < net.layerCount else { throw ShapeError("the coupled QUBO needs a next layer") }
    let acts = try net.activations(x, rows: n)
    let gains = net.activation.gains(acts[l + 1], slope: net.leakySlope)
    try self.init(
      weights: net.weights(l), fanIn: net.sizes[l], fanOut: net.sizes[l + 1], scales: scales,
      grid: grid, inputs: acts[l], rows: n, gains: gains, next: net.weights(l + 1),
      nextWidth: net.sizes[l + 2])
  }
}

extension Activation {
  /// The derivative of the activation at each of the activations `a`
  /// (tanh `1 − a²`, ReLU `a > 0`, logistic `a (1 − a)`, identity 1, leaky
  /// ReLU 1 or `slope` by the sign of `a`): the gains of the first-order
  /// error model.
  func gains(_ a: [Double], slope: Double) -> [Double] {
    switch self {
    case .tanh: return a.map { 1 - $0 * $0 }
    case .relu: return a.map { $0 > 0 ? 1 : 0 }
    case .sigmoid: return a.map { $0 * (1 - $0) }
    case .identity: return a.map { _ in 1 }
    case .leakyRelu: return a.map { $0 < 0 ? slope : 1 }
    }
  }
}
