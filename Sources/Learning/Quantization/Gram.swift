/// The calibration Gram matrix `H = XᵀX / n` (`d × d`, row-major) of the `n`
/// rows of `x` (`n × d`): the reconstruction error of a weight error `e` on
/// those inputs is `‖Xe‖²/n = eᵀHe`.
///
/// - Throws: `ShapeError` unless `n` and `d` are positive and `x` holds
///   `n × d` values.
public func gramMatrix(_ x: [Double], rows n: Int, columns d: Int) throws -> [Double] {
  let (size, overflow) = n.multipliedReportingOverflow(by: d)
  guard n > 0, d > 0, !overflow, x.count == size else {
    throw ShapeError("\(x.count) values for a \(n) × \(d) calibration matrix")
  }
  var h = [Double](repeating: 0, count: d * d)
  x.withUnsafeBufferPointer { xp in
    h.withUnsafeMutableBufferPointer { hp in
      denseProduct(
        transposeA: true, m: d, n: d, k: n, alpha: 1 / Double(n), a: xp, b: xp, c: hp)
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
