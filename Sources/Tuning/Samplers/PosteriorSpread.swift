// The Bayesian quadratic regression's posterior standard deviation at a
// configuration it has not seen (issue 17, ninth round: `caution`).
//
// The regression is a Gaussian process with the kernel
//
//     k(x, x') = c² + a² s + b² (s² − Σ_i φ_i² φ'_i²) / 2,   s = ⟨φ, φ'⟩
//
// (QuadraticRegression.swift), so its latent posterior variance at x is
//
//     σ²(x) = k(x, x) − k_xᵀ (K + Σ)⁻¹ k_x = k(x, x) − |L⁻¹ k_x|²
//
// with L the Cholesky factor the fit chose (Rasmussen & Williams, GPML,
// eq. 2.26), in loss units times the standardisation's scale. Cost per
// configuration: O(n · nnz) for k_x and O(n²) for the forward solve.

/// The posterior standard deviation of the regression's latent function,
/// in loss units, at feature rows the fit did not necessarily see.
public struct PosteriorSpread: Sendable {
  /// The observed rows as a dense row-major `n × f` matrix.
  let dense: [Double]
  let n: Int
  let f: Int
  /// The chosen prior variances of the constant, linear and pairwise terms.
  let c2: Double
  let a: Double
  let b: Double
  /// The lower Cholesky factor of `K + Σ` (flat row-major `n × n`).
  let chol: [Double]
  /// The standardisation's scale (loss units per standardised unit).
  let scale: Double

  /// k(x, x') from s = ⟨φ, φ'⟩ and d = Σ_i φ_i² φ'_i²: the one place the
  /// kernel's formula is written here (the fit builds the same Gram matrix
  /// from its pieces, QuadraticRegression.swift).
  @inline(__always)
  func kernel(_ s: Double, _ d: Double) -> Double {
    c2 + a * s + b * (s * s - d) / 2
  }

  /// σ(x) at the sparse feature row `row` of (feature, value).
  public func sd(_ row: [(Int, Double)]) -> Double {
    var kx = [Double](repeating: 0, count: n)
    for r in 0..<n {
      var s = 0.0
      var d = 0.0
      for (i, v) in row {
        let w = dense[r * f + i]
        s += v * w
        d += v * v * w * w
      }
      kx[r] = kernel(s, d)
    }
    // k(x, x), the row's features distinct (as LocalFeatures writes them).
    var s = 0.0
    var d = 0.0
    for (_, v) in row {
      s += v * v
      d += v * v * v * v
    }
    let prior = kernel(s, d)
    forwardSolveFlat(chol, n, &kx)
    var explained = 0.0
    for v in kx { explained += v * v }
    return scale * max(0, prior - explained).squareRoot()
  }
}
