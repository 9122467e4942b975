/// A trained kernel support-vector classifier:
/// `f(x) = Σ_n α_n y_n k(x_n, x) + b`, predicting +1 when `f(x) > 0`.
///
/// Labels are ±1; `Dataset` class 1 maps to +1 and class 0 to −1
/// (`SVMLabels`).
public struct KernelSVM: Sendable {
  /// The training points the coefficients refer to.
  public var support: Dataset
  /// The dual coefficients α_n ∈ [0, C], one per training point.
  public var alpha: [Double]
  /// The training labels, ±1.
  public var y: [Double]
  /// The bias b.
  public var bias: Double
  /// The kernel.
  public var kernel: RBFKernel

  /// A classifier from its parts.
  public init(support: Dataset, alpha: [Double], y: [Double], bias: Double, kernel: RBFKernel) throws {
    guard alpha.count == support.count && y.count == support.count else { throw ShapeError("coefficient count") }
    self.support = support
    self.alpha = alpha
    self.y = y
    self.bias = bias
    self.kernel = kernel
  }

  /// The decision values `f(x)` of every row of `data`.
  public func decision(_ data: Dataset) -> [Double] {
    (0..<data.count).map { r in
      let x = data.row(r)
      var f = bias
      for n in 0..<support.count where alpha[n] != 0 {
        f += alpha[n] * y[n] * kernel(support.row(n), x)
      }
      return f
    }
  }

  /// The number of training points with α_n > 0.
  public var supportVectorCount: Int { alpha.filter { $0 > 0 }.count }

  // The bias of Willsch et al. (2020), eq. (10): the average of
  // y_n − Σ_m α_m y_m K_mn over the training points weighted by
  // α_n (C − α_n), so that only free support vectors (0 < α_n < C), the ones
  // lying on the margin, count. At the exact dual optimum every free support
  // vector gives the same value, so this is also the classical SVM's bias.
  // With no free support vector, the KKT conditions only bound b; we take
  // the midpoint of the interval they allow (as LIBSVM does).

  /// The bias for coefficients `alpha` with box `C` on the training kernel
  /// matrix `k` (n × n, row-major).
  public static func bias(alpha: [Double], y: [Double], kernel k: [Double], C: Double) -> Double {
    let n = alpha.count
    var weighted = 0.0
    var weight = 0.0
    var lower = -Double.infinity
    var upper = Double.infinity
    for i in 0..<n {
      var f = 0.0
      for m in 0..<n where alpha[m] != 0 { f += alpha[m] * y[m] * k[m * n + i] }
      let r = y[i] - f
      let w = alpha[i] * (C - alpha[i])
      if w > 0 {
        weighted += w * r
        weight += w
      }
      // KKT: α = 0 needs y f ≥ 1, α = C needs y f ≤ 1, with f = Σ… + b.
      let atZero = alpha[i] <= 0
      if (y[i] > 0) == atZero { lower = max(lower, r) } else { upper = min(upper, r) }
    }
    if weight > 0 { return weighted / weight }
    if lower.isFinite && upper.isFinite { return (lower + upper) / 2 }
    if lower.isFinite { return lower }
    if upper.isFinite { return upper }
    return 0
  }
}
