import CGSL

/// The namespace of GSL-backed numerical routines.
public enum GSL {}

/// The eigen-decomposition `A = V diag(λ) Vᵀ` of a real symmetric matrix.
public struct SymmetricEigensystem: Sendable, Equatable {
  /// The eigenvalues λ_k, ascending.
  public var values: [Double]
  /// The orthonormal eigenvectors as columns: column k belongs to `values[k]`.
  public var vectors: Matrix

  /// The eigenvector of `values[k]`.
  public func vector(_ k: Int) -> [Double] { vectors.column(k) }
}

extension GSL {
  /// The eigenvalues and eigenvectors of the symmetric matrix `a`, sorted by
  /// ascending eigenvalue (`gsl_eigen_symmv` + `gsl_eigen_symmv_sort`).
  ///
  /// Only the lower triangle of `a` is read, as in GSL. A non-square matrix
  /// is passed to GSL as is, so its `GSL_ENOTSQR` comes back as a thrown
  /// `GSLError`.
  ///
  /// - Complexity: O(n³).
  public static func symmetricEigensystem(_ a: Matrix) throws -> SymmetricEigensystem {
    prepareGSL()
    let m = try GSLMatrix(a)
    let n = a.rows
    let values = try GSLVector(count: n)
    let vectors = try GSLMatrix(rows: n, columns: n)
    let work = try SymmetricEigenWorkspace(size: n)
    try GSLError.check(
      gsl_eigen_symmv(
        m.pointer, values.pointer, vectors.pointer, work.pointer),
      "gsl_eigen_symmv (\(a.rows)×\(a.columns))")
    try GSLError.check(
      gsl_eigen_symmv_sort(values.pointer, vectors.pointer, GSL_EIGEN_SORT_VAL_ASC),
      "gsl_eigen_symmv_sort")
    return SymmetricEigensystem(values: values.array, vectors: vectors.matrix)
  }
}
