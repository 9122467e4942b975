// How well a kernel regression predicts observations it was not fitted to,
// in closed form (Rasmussen & Williams, GPML §5.4.2): with K the n × n
// kernel-plus-noise matrix and α = K⁻¹ y, the leave-one-out mean at
// observation i is
//
//     μ₋ᵢ = yᵢ − αᵢ / [K⁻¹]ᵢᵢ,
//
// so all n held-out predictions cost one inverse of the Cholesky factor
// (O(n³), as the fit itself). The trust-region sampler's `bqr-switch` model
// uses their rank correlation with the losses to decide between the
// posterior mean (the fit ranks unseen points well) and a posterior draw
// (it does not: explore by the model's uncertainty; issue 17, fourth round,
// for MaxSAT, where the quadratic's held-out fit is poor).

/// The leave-one-out means of a kernel regression whose kernel-plus-noise
/// matrix has the lower Cholesky factor `l`, for targets `y`.
func leaveOneOutMeans(_ l: [[Double]], _ y: [Double]) -> [Double] {
  let n = y.count
  let alpha = solve(l, y)
  // diag(K⁻¹)ᵢ = Σ_j (L⁻¹)ⱼᵢ²: column i of L⁻¹ by forward substitution.
  var diag = [Double](repeating: 0, count: n)
  for i in 0..<n {
    var z = [Double](repeating: 0, count: n)
    z[i] = 1 / l[i][i]
    var s = z[i] * z[i]
    for r in (i + 1)..<n {
      var v = 0.0
      for k in i..<r { v -= l[r][k] * z[k] }
      z[r] = v / l[r][r]
      s += z[r] * z[r]
    }
    diag[i] = s
  }
  return (0..<n).map { y[$0] - alpha[$0] / diag[$0] }
}

/// Spearman's rank correlation (average ranks for ties); 0 when either
/// side is constant or there are fewer than three values.
func rankCorrelation(_ a: [Double], _ b: [Double]) -> Double {
  guard a.count == b.count, a.count >= 3 else { return 0 }
  return spearmanRho(a, b) ?? 0
}
