import GSLSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The matrix products and row softmax of the dense networks, over buffers
// rather than raw pointers, so that empty matrices (no rows, no calibration
// data) are a no-op instead of a trap on a nil base address.

/// `c[cOffset…] = alpha·op(a)·op(b) + beta·c` with `op(a)` `m × k`,
/// `op(b)` `k × n` and `c` `m × n`, all row-major; nothing happens when `m`
/// or `n` is 0, and `c` is only scaled by `beta` when `k` is 0.
func denseProduct(
  transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Double = 1, a: UnsafeBufferPointer<Double>, aOffset: Int = 0,
  b: UnsafeBufferPointer<Double>, bOffset: Int = 0, beta: Double = 0,
  c: UnsafeMutableBufferPointer<Double>, cOffset: Int = 0
) {
  guard m > 0, n > 0 else { return }
  guard k > 0, let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else {
    for i in cOffset..<(cOffset + m * n) { c[i] *= beta }
    return
  }
  GSL.gemm(
    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
    a: pa + aOffset, b: pb + bOffset, beta: beta, c: pc + cOffset)
}

/// Replaces each of the `rows` rows of `count` logits in `z` by its softmax,
/// stably (the row maximum is subtracted first).
func softmaxRows(_ z: UnsafeMutableBufferPointer<Double>, rows: Int, count: Int) {
  for r in 0..<rows {
    let o = r * count
    var m = -Double.infinity
    for j in 0..<count { m = max(m, z[o + j]) }
    var s = 0.0
    for j in 0..<count {
      z[o + j] = exp(z[o + j] - m)
      s += z[o + j]
    }
    for j in 0..<count { z[o + j] /= s }
  }
}
