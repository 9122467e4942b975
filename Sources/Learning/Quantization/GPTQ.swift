/// Sequential quantize-and-compensate (OBQ, Frantar & Alistarh 2022; GPTQ,
/// Frantar et al. 2022) on the same reconstruction objective `eᵀHe`.
///
/// Weights are visited in decreasing `H_ii` ("act order"); each is set to its
/// nearest code, and its error is spread over the weights not yet visited
/// through the inverse Hessian of those weights:
/// `w_k −= (w_i − ŵ_i) · [H_F⁻¹]_ik / [H_F⁻¹]_ii`, after which `i` leaves `F`
/// (`H_F⁻¹ ← H_F⁻¹ − H_F⁻¹[:,i] H_F⁻¹[i,:] / H_F⁻¹[i,i]`). The inverse rows
/// depend only on `H` and the order, so they are computed once per layer.
/// `H` is damped by 1% of its mean diagonal, as in GPTQ.
public enum GPTQ {
  /// The codes (`rows × columns`, row-major) of the weights `w` with
  /// per-row `scales`, for the Gram matrix `h` (`columns × columns`).
  ///
  /// - Throws: `ShapeError` when the sizes do not fit together.
  public static func codes(
    weights w: [Double], rows: Int, columns d: Int, scales: [Double], grid: QuantizationGrid,
    gram h: [Double], damping: Double = 0.01
  ) throws -> [Int] {
    guard rows > 0, d > 0, w.count == rows * d, h.count == d * d, scales.count == rows else {
      throw ShapeError(
        "GPTQ: \(w.count) weights, \(h.count) Gram entries and \(scales.count) scales "
          + "for \(rows) rows of \(d) columns")
    }
    let order = (0..<d).sorted {
      h[$0 * d + $0] > h[$1 * d + $1] || (h[$0 * d + $0] == h[$1 * d + $1] && $0 < $1)
    }
    let meanDiag = (0..<d).reduce(0) { $0 + h[$1 * d + $1] } / Double(d)
    var m = h
    for i in 0..<d { m[i * d + i] += max(damping * meanDiag, 1e-12) }
    guard var inv = invertSPD(m, d) else {
      return (0..<(rows * d)).map { grid.nearest(w[$0], scale: scales[$0 / d]) }
    }
    // rowsAt[t] = row order[t] of the inverse over the weights not yet visited.
    var rowsAt = [Double](repeating: 0, count: d * d)
    for (t, i) in order.enumerated() {
      for k in 0..<d { rowsAt[t * d + k] = inv[i * d + k] }
      let p = inv[i * d + i]
      let col = (0..<d).map { inv[$0 * d + i] }
      for a in 0..<d where col[a] != 0 {
        let f = col[a] / p
        for b in 0..<d { inv[a * d + b] -= f * rowsAt[t * d + b] }
      }
    }
    var codes = [Int](repeating: 0, count: rows * d)
    for r in 0..<rows {
      var row = Array(w[(r * d)..<((r + 1) * d)])
      let s = scales[r]
      for (t, i) in order.enumerated() {
        let c = grid.nearest(row[i], scale: s)
        codes[r * d + i] = c
        let pivot = rowsAt[t * d + i]
        guard pivot > 0 else { continue }
        let err = (row[i] - s * Double(c)) / pivot
        for u in (t + 1)..<d {
          let k = order[u]
          row[k] -= err * rowsAt[t * d + k]
        }
      }
    }
    return codes
  }

  /// The inverse of a symmetric positive definite `d × d` matrix by Cholesky,
  /// or nil when it is not positive definite.
  static func invertSPD(_ a: [Double], _ d: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
      for j in 0...i {
        var s = a[i * d + j]
        for k in 0..<j { s -= l[i * d + k] * l[j * d + k] }
        if i == j {
          guard s > 0 else { return nil }
          l[i * d + i] = s.squareRoot()
        } else {
          l[i * d + j] = s / l[j * d + j]
        }
      }
    }
    // inv = L⁻ᵀ L⁻¹: invert L column by column, then multiply.
    var li = [Double](repeating: 0, count: d * d)
    for j in 0..<d {
      li[j * d + j] = 1 / l[j * d + j]
      for i in (j + 1)..<max(j + 1, d) {
        var s = 0.0
        for k in j..<i { s -= l[i * d + k] * li[k * d + j] }
        li[i * d + j] = s / l[i * d + i]
      }
    }
    var inv = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
      for j in 0...i {
        var s = 0.0
        for k in i..<d { s += li[k * d + i] * li[k * d + j] }
        inv[i * d + j] = s
        inv[j * d + i] = s
      }
    }
    return inv
  }
}
