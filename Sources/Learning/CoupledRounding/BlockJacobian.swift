// The Jacobian of a one-hidden-layer block's logits z_r = V tanh(W x_r + b) + c
// with respect to both layers' weights, at the float weights, as two
// operators over all n calibration rows stacked (issue 19, item 3):
//   apply:      (E, F) ↦ [J_r e]_r,   J_r e = V (g_r ∘ E x_r) + F h_r
//   transposed: A ↦ (1/n) Σ_r J_rᵀ a_r = ( ((A V) ∘ g)ᵀ X / n,  Aᵀ H / n )
// (A is n × outputs, its row r is a_r; g_r the activation derivatives and
// h_r the float hidden activations of row r). Each is three GEMMs, so the
// Gauss–Newton error of a rounding and the cross Gram J_wᵀ J_θ of the
// fine-tuning directions (`BlockQUBO+FineTune.swift`) come without a loop
// over rows in Swift.

/// The logits Jacobian of a one-hidden-layer block with respect to its
/// weights, applied to weight perturbations and, transposed, to logits
/// perturbations.
struct BlockJacobian {
  let first: [Double], second: [Double]
  let inputs: [Double], hiddenActivations: [Double], gains: [Double]
  let fanIn: Int, hidden: Int, outputs: Int, rows: Int

  /// The logits perturbations `J_r e` of every row (`rows × outputs`) for
  /// the first layer's weight perturbation `dw` (`hidden × fanIn`) and the
  /// second's `dv` (`outputs × hidden`).
  func apply(first dw: [Double], second dv: [Double]) -> [Double] {
    var delta = [Double](repeating: 0, count: rows * hidden)
    inputs.withUnsafeBufferPointer { xp in
      dw.withUnsafeBufferPointer { dp in
        delta.withUnsafeMutableBufferPointer { op in
          denseProduct(transposeB: true, m: rows, n: hidden, k: fanIn, a: xp, b: dp, c: op)
        }
      }
    }
    for t in delta.indices { delta[t] *= gains[t] }
    var out = [Double](repeating: 0, count: rows * outputs)
    delta.withUnsafeBufferPointer { gp in
      second.withUnsafeBufferPointer { vp in
        out.withUnsafeMutableBufferPointer { op in
          denseProduct(transposeB: true, m: rows, n: outputs, k: hidden, a: gp, b: vp, c: op)
        }
      }
    }
    hiddenActivations.withUnsafeBufferPointer { hp in
      dv.withUnsafeBufferPointer { dp in
        out.withUnsafeMutableBufferPointer { op in
          denseProduct(
            transposeB: true, m: rows, n: outputs, k: hidden, a: hp, b: dp, beta: 1, c: op)
        }
      }
    }
    return out
  }

  /// `(1/n) Σ_r J_rᵀ a_r` for the logits perturbations `a` (`rows ×
  /// outputs`), flattened as the weights are: first layer, then second.
  func applyTransposed(_ a: [Double]) -> [Double] {
    let scale = 1 / Double(rows)
    var av = [Double](repeating: 0, count: rows * hidden)
    a.withUnsafeBufferPointer { ap in
      second.withUnsafeBufferPointer { vp in
        av.withUnsafeMutableBufferPointer { op in
          denseProduct(m: rows, n: hidden, k: outputs, a: ap, b: vp, c: op)
        }
      }
    }
    for t in av.indices { av[t] *= gains[t] }
    var out = [Double](repeating: 0, count: hidden * fanIn + outputs * hidden)
    av.withUnsafeBufferPointer { bp in
      inputs.withUnsafeBufferPointer { xp in
        out.withUnsafeMutableBufferPointer { op in
          denseProduct(
            transposeA: true, m: hidden, n: fanIn, k: rows, alpha: scale, a: bp, b: xp, c: op)
        }
      }
    }
    a.withUnsafeBufferPointer { ap in
      hiddenActivations.withUnsafeBufferPointer { hp in
        out.withUnsafeMutableBufferPointer { op in
          denseProduct(
            transposeA: true, m: outputs, n: hidden, k: rows, alpha: scale, a: ap, b: hp, c: op,
            cOffset: hidden * fanIn)
        }
      }
    }
    return out
  }
}
