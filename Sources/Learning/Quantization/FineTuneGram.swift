// The per-neuron rounding objective after fine-tuning (issue 19): the
// neuron's pre-activation error on row r is e·x_r, and refitting its scale
// (ŵ = (1 + α) ŵ, at first order the float row's direction w) and bias β
// leaves
//   P(e) = min_{α,β} (1/n) Σ_r (e·x_r + α w·x_r + β)²
//        = eᵀ (H − B M⁻¹ Bᵀ) e,
// with H = XᵀX/n, B = [H w, x̄] (fanIn × 2, x̄ the mean input) and
// M = [[wᵀHw, wᵀx̄], [wᵀx̄, 1]] — the Gram of the mean-centred inputs with
// the direction of w projected out. It is a rank-2 correction of H, so the
// per-neuron rounding stays a QUBO. M is singular only for w = 0 or when
// X w is constant; a ridge of `ridge` times its mean diagonal is added.

/// The per-neuron rounding Gram after fine-tuning refits the neuron's scale
/// and bias (see the derivation above).
///
/// - Parameters:
///   - h: the calibration Gram `XᵀX/n` (`d × d`, row-major).
///   - mean: the mean calibration input `x̄` (`d` values).
///   - w: the neuron's float weights (`d` values).
///   - ridge: the relative ridge added to the 2 × 2 system.
/// - Complexity: O(d²).
public func fineTuneGram(
  _ h: [Double], mean: [Double], weights w: ArraySlice<Double>, ridge: Double = 1e-10
) -> [Double] {
  let d = mean.count
  let w = Array(w)
  var hw = [Double](repeating: 0, count: d)
  for i in 0..<d {
    for k in 0..<d { hw[i] += h[i * d + k] * w[k] }
  }
  let whw = zip(w, hw).reduce(0) { $0 + $1.0 * $1.1 }
  let wx = zip(w, mean).reduce(0) { $0 + $1.0 * $1.1 }
  let lambda = ridge * (whw + 1) / 2
  let (a, b, c) = (whw + lambda, wx, 1 + lambda)
  let det = a * c - b * b
  guard det > 0 else { return h }
  // M⁻¹ = [[c, −b], [−b, a]] / det.
  let (ia, ib, ic) = (c / det, -b / det, a / det)
  var out = h
  for i in 0..<d {
    for k in 0..<d {
      out[i * d + k] -=
        hw[i] * (ia * hw[k] + ib * mean[k]) + mean[i] * (ib * hw[k] + ic * mean[k])
    }
  }
  return out
}

/// The mean of the `n` rows of `x` (`n × d`).
func columnMeans(_ x: [Double], rows n: Int, columns d: Int) -> [Double] {
  var mean = [Double](repeating: 0, count: d)
  for r in 0..<n {
    for i in 0..<d { mean[i] += x[r * d + i] }
  }
  return mean.map { $0 / Double(n) }
}
