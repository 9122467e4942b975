import Foundation

// The Cholesky factor and its solves on one flat row-major n × n buffer.
//
// The regression's hyper-parameter search factors an n × n kernel matrix
// once per grid setting (18 or 45 settings, n up to a few hundred); on
// nested `[[Double]]` arrays every element access paid an indirection and
// bounds checks, and the factor took a fifth of a 256-bit proposal at 300
// observations (issue 17, sixth round, docs/tuning.md). These functions do
// the same arithmetic in the same order as `cholesky` and `solve`
// (QuadraticRegression.swift) — each sum runs over k upwards, one
// subtraction at a time — so their results are bit for bit equal
// (FlatCholeskyTests); only the memory layout differs.

/// Factors the symmetric matrix whose lower triangle is in `a` (row-major,
/// `n × n`) in place: on `true`, the lower triangle holds `L` with
/// `L Lᵀ = A`; the upper triangle is left as it was and never read.
/// `false` when the matrix is not positive definite.
func choleskyInPlace(_ a: inout [Double], _ n: Int) -> Bool {
  precondition(a.count >= n * n)
  return a.withUnsafeMutableBufferPointer { p -> Bool in
    guard let base = p.baseAddress else { return n == 0 }
    for i in 0..<n {
      let ri = base + i * n
      for j in 0...i {
        let rj = base + j * n
        var s = ri[j]
        for k in 0..<j { s -= ri[k] * rj[k] }
        if i == j {
          guard s > 0 else { return false }
          ri[i] = s.squareRoot()
        } else {
          ri[j] = s / rj[j]
        }
      }
    }
    return true
  }
}

/// The solution of `L Lᵀ x = b` for the lower factor `L` in the lower
/// triangle of the flat row-major `n × n` buffer `l`.
func solveFlat(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
  precondition(l.count >= n * n && b.count == n)
  var z = b
  forwardSolveFlat(l, n, &z)
  l.withUnsafeBufferPointer { p in
    z.withUnsafeMutableBufferPointer { zp in
      guard let base = p.baseAddress, let zb = zp.baseAddress else { return }
      for i in stride(from: n - 1, through: 0, by: -1) {
        for k in (i + 1)..<n { zb[i] -= base[k * n + i] * zb[k] }
        zb[i] /= base[i * n + i]
      }
    }
  }
  return z
}

/// `z ← L⁻¹ z` for the lower factor `L` in the lower triangle of the flat
/// row-major `n × n` buffer `l` (the first half of `solveFlat`).
func forwardSolveFlat(_ l: [Double], _ n: Int, _ z: inout [Double]) {
  precondition(l.count >= n * n && z.count == n)
  l.withUnsafeBufferPointer { p in
    z.withUnsafeMutableBufferPointer { zp in
      guard let base = p.baseAddress, let zb = zp.baseAddress else { return }
      for i in 0..<n {
        let ri = base + i * n
        for k in 0..<i { zb[i] -= ri[k] * zb[k] }
        zb[i] /= ri[i]
      }
    }
  }
}

/// The lower triangle of the flat row-major `n × n` buffer `l` as nested
/// rows, zero above the diagonal (the form `cholesky` returns).
func nestedLower(_ l: [Double], _ n: Int) -> [[Double]] {
  (0..<n).map { i in (0..<n).map { j in j <= i ? l[i * n + j] : 0 } }
}

/// Factors the kernel matrix whose lower triangle is in `k` in place (as
/// `choleskyInPlace`) and returns the log evidence of the observations `y`
/// under it without the constant −n/2 · log 2π — −½ yᵀK⁻¹y − ½ log det K —
/// and `alpha` = K⁻¹y; `nil` when K is not positive definite. Both sums run
/// over the observations upwards, one term at a time.
func factoredEvidence(_ k: inout [Double], _ n: Int, _ y: [Double])
  -> (evidence: Double, alpha: [Double])?
{
  guard choleskyInPlace(&k, n) else { return nil }
  let alpha = solveFlat(k, n, y)
  var fitTerm = 0.0
  var logDet = 0.0
  for r in 0..<n {
    fitTerm += y[r] * alpha[r]
    logDet += log(k[r * n + r])
  }
  return (-0.5 * fitTerm - logDet, alpha)
}

/// `K⁻¹ = L⁻ᵀ L⁻¹` (flat, row-major, both triangles) for the lower factor
/// `L` of `K` in the lower triangle of `l`: the columns of `L⁻¹` by
/// forward substitution (zero above the diagonal), then each entry
/// `Σ_{k ≥ max(a, b)} L⁻¹_ka L⁻¹_kb` once for a ≤ b; about n³/3
/// multiply-adds where n solves of `solveFlat` take n³.
func inverseFromFactor(_ l: [Double], _ n: Int) -> [Double] {
  precondition(l.count >= n * n)
  // inv[k * n + c] = (L⁻¹)_kc, k ≥ c.
  var inv = [Double](repeating: 0, count: n * n)
  var out = [Double](repeating: 0, count: n * n)
  l.withUnsafeBufferPointer { lp in
    inv.withUnsafeMutableBufferPointer { ip in
      out.withUnsafeMutableBufferPointer { op in
        guard let lb = lp.baseAddress, let ib = ip.baseAddress, let ob = op.baseAddress else {
          return
        }
        for c in 0..<n {
          ib[c * n + c] = 1 / lb[c * n + c]
          for k in (c + 1)..<n {
            var s = 0.0
            for j in c..<k { s -= lb[k * n + j] * ib[j * n + c] }
            ib[k * n + c] = s / lb[k * n + k]
          }
        }
        for a in 0..<n {
          for b in a..<n {
            var s = 0.0
            for k in b..<n { s += ib[k * n + a] * ib[k * n + b] }
            ob[a * n + b] = s
            ob[b * n + a] = s
          }
        }
      }
    }
  }
  return out
}

