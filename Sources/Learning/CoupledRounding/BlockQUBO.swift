import QUBOModel

// Rounding both layers of a one-hidden-layer block jointly against the
// network's logits (issue 19, item 3; BRECQ's Gauss–Newton block objective,
// arXiv 2102.05426). The logits of row r are z_r = V tanh(W x_r + b) + c.
// To first order in the weight errors E = W − Ŵ and F = V − V̂ the logits
// error is J_r e, with e = (E, F) flattened row by row (first layer, then
// second) and J_r the Jacobian of z_r with respect to both layers' weights
// at the float weights:
//   ∂z_ro/∂W_jk = V_oj g_rj x_rk,   ∂z_ro/∂V_o'j = δ_oo' h_rj,
// g_rj = φ'(a_rj) the activation derivative, h_r the float hidden
// activations. The Gauss–Newton block error is the mean over the n
// calibration rows
//   B(Ŵ, V̂) = (1/n) Σ_r ‖J_r e‖² = eᵀ G e,   G = (1/n) Σ_r J_rᵀ J_r,
// whose blocks are, with C = VᵀV,
//   W–W (j, j'):  C_jj' · Xᵀ diag(g_j ∘ g_j') X / n        (fanIn × fanIn)
//   W–V (j, o):   V_oj  · Xᵀ diag(g_j) H / n                (fanIn × hidden)
//   V–V (o, o'):  δ_oo' · HᵀH / n                           (hidden × hidden)
// — one GEMM per pair j ≤ j', one per j, and one in all, instead of a loop
// over rows for each of the m² entries. The QUBO in the code variables then
// follows as for `CoupledLayerQUBO` (`GramRoundingQUBO`).

/// The rounding of both layers of a one-hidden-layer block as one QUBO whose
/// energy is the Gauss–Newton (first-order) error of the block's logits (see
/// the derivation above).
public struct BlockQUBO: Sendable {
  /// The first layer's weights W, `hidden × fanIn`, row-major.
  public let first: [Double]
  /// The second layer's weights V, `outputs × hidden`, row-major.
  public let second: [Double]
  /// Per-neuron scales of the first and second layer.
  public let firstScales: [Double], secondScales: [Double]
  /// The calibration inputs X, `n × fanIn`.
  public let inputs: [Double]
  /// The float hidden activations H, `n × hidden`.
  public let hiddenActivations: [Double]
  /// The activation derivatives g, `n × hidden`.
  public let gains: [Double]
  /// The block's widths and the calibration rows.
  public let fanIn: Int, hidden: Int, outputs: Int, rows: Int
  /// Whether the energy is the error left after fine-tuning the scales and
  /// biases (`BlockQUBO+FineTune.swift`) rather than the whole error.
  public let afterFineTune: Bool
  /// The rounding QUBO over both layers' weights (first layer, then second).
  public let rounding: GramRoundingQUBO

  /// The QUBO of the block `first` (`hidden × fanIn`), `second`
  /// (`outputs × hidden`) at the given scales on `grid`, with calibration
  /// `inputs` (`rows × fanIn`), float hidden activations `hiddenActivations`
  /// and their activation derivatives `gains` (both `rows × hidden`).
  /// With `afterFineTune` the energy is the part of the error that refitting
  /// every neuron's scale and bias cannot remove, to first order.
  public init(
    first w: [Double], second v: [Double], fanIn: Int, hidden: Int, outputs: Int,
    firstScales: [Double], secondScales: [Double], grid: QuantizationGrid,
    inputs x: [Double], hiddenActivations h: [Double], gains g: [Double], rows n: Int,
    afterFineTune: Bool = false
  ) throws {
    guard w.count == hidden * fanIn && firstScales.count == hidden else {
      throw ShapeError("first layer weights and scales")
    }
    guard v.count == outputs * hidden && secondScales.count == outputs else {
      throw ShapeError("second layer weights and scales")
    }
    guard n > 0 && x.count == n * fanIn && h.count == n * hidden && g.count == n * hidden else {
      throw ShapeError("calibration shape")
    }
    let (m1, m2) = (hidden * fanIn, outputs * hidden)
    let m = m1 + m2
    var c = [Double](repeating: 0, count: hidden * hidden)
    v.withUnsafeBufferPointer { vp in
      c.withUnsafeMutableBufferPointer { cp in
        denseProduct(transposeA: true, m: hidden, n: hidden, k: outputs, a: vp, b: vp, c: cp)
      }
    }
    var gm = [Double](repeating: 0, count: m * m)
    // W–W blocks: the coupled layer's Gram against the output layer.
    CoupledLayerQUBO.writeGram(
      inputs: x, gains: g, rows: n, fanIn: fanIn, coupling: c, into: &gm, stride: m)
    // W–V blocks.
    var gh = [Double](repeating: 0, count: n * hidden)
    var cross = [Double](repeating: 0, count: fanIn * hidden)
    for j in 0..<hidden {
      for r in 0..<n {
        let f = g[r * hidden + j]
        for t in 0..<hidden { gh[r * hidden + t] = f * h[r * hidden + t] }
      }
      Self.product(x, gh, fanIn, hidden, n, 1 / Double(n), &cross)
      for o in 0..<outputs where v[o * hidden + j] != 0 {
        let voj = v[o * hidden + j]
        for i in 0..<fanIn {
          for t in 0..<hidden {
            let value = voj * cross[i * hidden + t]
            gm[(j * fanIn + i) * m + m1 + o * hidden + t] = value
            gm[(m1 + o * hidden + t) * m + j * fanIn + i] = value
          }
        }
      }
    }
    // V–V blocks.
    var hh = [Double](repeating: 0, count: hidden * hidden)
    Self.product(h, h, hidden, hidden, n, 1 / Double(n), &hh)
    for o in 0..<outputs {
      for t in 0..<hidden {
        for t2 in 0..<hidden {
          gm[(m1 + o * hidden + t) * m + m1 + o * hidden + t2] = hh[t * hidden + t2]
        }
      }
    }
    if afterFineTune {
      try Self.projectFineTune(
        &gm,
        jacobian: BlockJacobian(
          first: w, second: v, inputs: x, hiddenActivations: h, gains: g, fanIn: fanIn,
          hidden: hidden, outputs: outputs, rows: n))
    }
    let scales = (0..<m).map { $0 < m1 ? firstScales[$0 / fanIn] : secondScales[($0 - m1) / hidden] }
    rounding = try GramRoundingQUBO(weights: w + v, scales: scales, grid: grid, gram: gm)
    first = w
    second = v
    self.firstScales = firstScales
    self.secondScales = secondScales
    inputs = x
    hiddenActivations = h
    gains = g
    self.fanIn = fanIn
    self.hidden = hidden
    self.outputs = outputs
    rows = n
    self.afterFineTune = afterFineTune
  }

  /// `out = alpha · aᵀ b` for `a` (`k × m`) and `b` (`k × n`), row-major.
  private static func product(
    _ a: [Double], _ b: [Double], _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
    _ out: inout [Double]
  ) {
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        out.withUnsafeMutableBufferPointer { op in
          denseProduct(transposeA: true, m: m, n: n, k: k, alpha: alpha, a: ap, b: bp, c: op)
        }
      }
    }
  }

  /// The QUBO over variables `0..<rounding.free.count`.
  public var model: BinaryQuadraticModel { rounding.model }

  /// Both layers' codes for the assignment `z`: the first layer's
  /// (`hidden × fanIn`) and the second's (`outputs × hidden`).
  public func codes<C: RandomAccessCollection>(_ z: C) -> (first: [Int], second: [Int])
  where C.Element == Int8, C.Index == Int {
    let all = rounding.codes(z)
    return (Array(all[..<(hidden * fanIn)]), Array(all[(hidden * fanIn)...]))
  }

  /// The assignment nearest to the codes `first` and `second`.
  public func assignment(first a: [Int], second b: [Int]) -> [Int8] {
    rounding.assignment(codes: a + b)
  }

  /// The logits Jacobian at the float weights, over the calibration rows.
  var jacobian: BlockJacobian {
    BlockJacobian(
      first: first, second: second, inputs: inputs, hiddenActivations: hiddenActivations,
      gains: gains, fanIn: fanIn, hidden: hidden, outputs: outputs, rows: rows)
  }

  /// The first-order logits errors `J_r e` of every row (`rows × outputs`)
  /// for the codes `a` (first layer) and `b` (second layer).
  public func logitsErrors(first a: [Int], second b: [Int]) throws -> [Double] {
    guard a.count == hidden * fanIn && b.count == outputs * hidden else {
      throw ShapeError("codes shape")
    }
    let e = (0..<a.count).map { first[$0] - firstScales[$0 / fanIn] * Double(a[$0]) }
    let f = (0..<b.count).map { second[$0] - secondScales[$0 / hidden] * Double(b[$0]) }
    return jacobian.apply(first: e, second: f)
  }

  /// The Gauss–Newton block error `(1/n) Σ_r ‖V D_r E x_r + F h_r‖²` of
  /// the codes, computed directly from the logits errors (the reference for
  /// the QUBO's energy without `afterFineTune`).
  public func gaussNewtonError(first a: [Int], second b: [Int]) throws -> Double {
    try logitsErrors(first: a, second: b).reduce(0) { $0 + $1 * $1 } / Double(rows)
  }
}
