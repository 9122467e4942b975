import GSLSupport

/// The calibration Gram matrix `H = XᵀX / n` (`d × d`, row-major) of the `n`
/// rows of `x` (`n × d`): the reconstruction error of a weight error `e` on
/// those inputs is `‖Xe‖²/n = eᵀHe`.
public func gramMatrix(_ x: [Double], rows n: Int, columns d: Int) -> [Double] {
  precondition(x.count == n * d && n > 0 && d > 0, "input shape")
  var h = [Double](repeating: 0, count: d * d)
  x.withUnsafeBufferPointer { xp in
    h.withUnsafeMutableBufferPointer { hp in
      GSL.gemm(
        transposeA: true, m: d, n: d, k: n, alpha: 1 / Double(n), a: xp.baseAddress!,
        b: xp.baseAddress!, c: hp.baseAddress!)
    }
  }
  return h
}

/// `eᵀHe` for a `d × d` row-major `H`.
public func quadraticForm(_ h: [Double], _ e: [Double]) -> Double {
  let d = e.count
  var total = 0.0
  for i in 0..<d where e[i] != 0 {
    var row = 0.0
    for k in 0..<d { row += h[i * d + k] * e[k] }
    total += e[i] * row
  }
  return total
}
