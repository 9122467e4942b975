// The block objective after fine-tuning (issue 19): `QuantizedNetwork.fineTune`
// refits every neuron's scale and bias with the codes fixed, so the part of
// the rounding error it can absorb should not count. To first order, a
// change δθ of the scales and biases moves the logits of row r by J_θr δθ,
// with one column per parameter:
//   hidden scale j:  J_w applied to the float row w_j (ŵ_j = (1 + α) w_j)
//                    = V_:j g_rj (w_j · x_r)
//   hidden bias j:   V_:j g_rj
//   output scale o:  e_o (v_o · h_r)
//   output bias o:   e_o
// The error fine-tuning leaves is the least-squares residual
//   P(e) = min_δθ (1/n) Σ_r ‖J_r e + J_θr δθ‖²
//        = eᵀ (G − G_wθ G_θθ⁻¹ G_θw) e,
// G = (1/n) Σ J_rᵀJ_r (the block Gram), G_wθ = (1/n) Σ J_rᵀ J_θr
// (m × p) and G_θθ = (1/n) Σ J_θrᵀ J_θr (p × p, p = 2·(hidden + outputs)).
// It is a low-rank (rank ≤ p) correction of the block Gram, so the
// rounding stays a QUBO. G_θθ is singular when a neuron has no effect on
// the logits (a hidden neuron whose outgoing weights are all zero, or one
// saturated on every row); a ridge of `fineTuneRidge` times the mean
// diagonal of G_θθ is added before inverting, which changes P by at most
// that relative amount along the well-determined directions.
//
// First order only: the true scale direction of neuron j is its dequantized
// row ŵ_j = w_j − e_j, not w_j; the difference is second order in e.

extension BlockQUBO {
  /// The relative ridge added to the diagonal of G_θθ (times its mean
  /// diagonal) before it is inverted.
  public static let fineTuneRidge = 1e-10

  /// The logits directions of every neuron's scale and bias (hidden scales,
  /// hidden biases, output scales, output biases), each `rows × outputs`.
  static func fineTuneDirections(_ jac: BlockJacobian) -> [[Double]] {
    let (fanIn, hidden, outputs, n) = (jac.fanIn, jac.hidden, jac.outputs, jac.rows)
    let noSecond = [Double](repeating: 0, count: outputs * hidden)
    let noFirst = [Double](repeating: 0, count: hidden * fanIn)
    var directions = [[Double]]()
    for j in 0..<hidden {
      var dw = noFirst
      for i in 0..<fanIn { dw[j * fanIn + i] = jac.first[j * fanIn + i] }
      directions.append(jac.apply(first: dw, second: noSecond))
    }
    for j in 0..<hidden {
      var a = [Double](repeating: 0, count: n * outputs)
      for r in 0..<n {
        for o in 0..<outputs { a[r * outputs + o] = jac.second[o * hidden + j] * jac.gains[r * hidden + j] }
      }
      directions.append(a)
    }
    for o in 0..<outputs {
      var dv = noSecond
      for t in 0..<hidden { dv[o * hidden + t] = jac.second[o * hidden + t] }
      directions.append(jac.apply(first: noFirst, second: dv))
    }
    for o in 0..<outputs {
      var a = [Double](repeating: 0, count: n * outputs)
      for r in 0..<n { a[r * outputs + o] = 1 }
      directions.append(a)
    }
    return directions
  }

  /// Subtracts `G_wθ (G_θθ + λI)⁻¹ G_θw` from the `m × m` block Gram `gm`
  /// (see the derivation above).
  static func projectFineTune(_ gm: inout [Double], jacobian jac: BlockJacobian) throws {
    let m = jac.hidden * jac.fanIn + jac.outputs * jac.hidden
    guard gm.count == m * m else { throw ShapeError("block Gram shape") }
    let directions = fineTuneDirections(jac)
    let p = directions.count
    let n = Double(jac.rows)
    var gtt = [Double](repeating: 0, count: p * p)
    for c in 0..<p {
      for d in c..<p {
        let value = zip(directions[c], directions[d]).reduce(0) { $0 + $1.0 * $1.1 } / n
        gtt[c * p + d] = value
        gtt[d * p + c] = value
      }
    }
    let meanDiagonal = (0..<p).reduce(0) { $0 + gtt[$1 * p + $1] } / Double(p)
    guard meanDiagonal > 0 else { return }
    for c in 0..<p { gtt[c * p + c] += fineTuneRidge * meanDiagonal }
    guard let inverse = GPTQ.invertSPD(gtt, p) else {
      throw ShapeError("the fine-tuning Gram is not positive definite")
    }
    // G_wθ, m × p (column c is J_wᵀ applied to direction c).
    var cross = [Double](repeating: 0, count: m * p)
    for c in 0..<p {
      let column = jac.applyTransposed(directions[c])
      for a in 0..<m { cross[a * p + c] = column[a] }
    }
    var t = [Double](repeating: 0, count: m * p)
    cross.withUnsafeBufferPointer { cp in
      inverse.withUnsafeBufferPointer { ip in
        t.withUnsafeMutableBufferPointer { op in
          denseProduct(m: m, n: p, k: p, a: cp, b: ip, c: op)
        }
      }
    }
    t.withUnsafeBufferPointer { tp in
      cross.withUnsafeBufferPointer { cp in
        gm.withUnsafeMutableBufferPointer { op in
          denseProduct(
            transposeB: true, m: m, n: m, k: p, alpha: -1, a: tp, b: cp, beta: 1, c: op)
        }
      }
    }
  }
}
