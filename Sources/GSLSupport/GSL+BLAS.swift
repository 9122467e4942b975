import CGSL

// Dense matrix products through GSL's CBLAS (`cblas_dgemm` from libgslcblas),
// on caller-owned contiguous row-major buffers: no copies, no GSL handles.

extension GSL {
  /// `C ← α·op(A)·op(B) + β·C` on row-major buffers (`cblas_dgemm`).
  ///
  /// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; `A` is stored
  /// `m × k` (or `k × m` when `transposeA`), `B` is stored `k × n` (or `n × k`
  /// when `transposeB`), each densely (leading dimension = stored columns).
  ///
  /// - Complexity: O(m·n·k).
  public static func gemm(
    transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Double = 1, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
    beta: Double = 0, c: UnsafeMutablePointer<Double>
  ) {
    precondition(m > 0 && n > 0 && k > 0, "gemm: empty dimension")
    precondition(m < Int(Int32.max) && n < Int(Int32.max) && k < Int(Int32.max))
    let ta = transposeA ? CblasTrans : CblasNoTrans
    let tb = transposeB ? CblasTrans : CblasNoTrans
    cblas_dgemm(
      CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), alpha, a,
      Int32(transposeA ? m : k), b, Int32(transposeB ? k : n), beta, c, Int32(n))
  }
}
