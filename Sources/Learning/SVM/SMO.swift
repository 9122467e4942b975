// Sequential minimal optimisation for the soft-margin SVM dual
//   min ½ αᵀQα − Σ α,  Q_ij = y_i y_j k_ij,  0 ≤ α ≤ C,  Σ α_i y_i = 0,
// the classical reference the QSVM is compared with (same kernel, same box).
//
// Working-set selection is the second-order rule of Fan, Chen and Lin,
// "Working set selection using second order information for training
// support vector machines", JMLR 6 (2005), as in LIBSVM: i maximises
// −y_t ∇_t over I_up, j minimises −b²/a over the violating part of I_low;
// the two-variable subproblem is solved in closed form and clipped to the
// box. It stops when the maximal KKT violation m(α) − M(α) falls below
// `tolerance`. The gradient is kept for every point and updated in O(N) per
// step, over the precomputed kernel matrix (N is at most a few thousand).

/// A classical SVM trainer: SMO with second-order working-set selection.
public struct SMO: Sendable {
  /// The box C on every coefficient.
  public var C: Double
  /// The stopping tolerance on the maximal KKT violation.
  public var tolerance = 1e-6
  /// The iteration cap.
  public var maxIterations = 1_000_000

  /// A trainer with box `C`.
  public init(C: Double) throws {
    guard C > 0 else { throw ShapeError("C must be positive") }
    self.C = C
  }

  /// The result of training: coefficients, bias, steps, and whether the
  /// tolerance was reached.
  public struct Solution: Sendable {
    /// The dual coefficients.
    public var alpha: [Double]
    /// The bias b (`KernelSVM.bias`).
    public var bias: Double
    /// The number of two-variable steps.
    public var iterations: Int
    /// Whether the KKT violation fell below the tolerance.
    public var converged: Bool
  }

  /// Solves the dual on the kernel matrix `k` (n × n, row-major) with
  /// labels `y` (±1).
  ///
  /// - Complexity: O(N) per step; the number of steps is typically a small
  ///   multiple of N.
  public func solve(kernel k: [Double], y: [Double]) throws -> Solution {
    let n = y.count
    guard k.count == n * n else { throw ShapeError("kernel matrix shape") }
    var alpha = [Double](repeating: 0, count: n)
    var grad = [Double](repeating: -1, count: n)
    let tau = 1e-12
    var iterations = 0
    var converged = false
    while iterations < maxIterations {
      guard let (i, j) = workingSet(k: k, y: y, alpha: alpha, grad: grad) else {
        converged = true
        break
      }
      iterations += 1
      let (oldI, oldJ) = (alpha[i], alpha[j])
      var quad = k[i * n + i] + k[j * n + j] - 2 * k[i * n + j]
      if quad <= 0 { quad = tau }
      if y[i] != y[j] {
        let delta = (-grad[i] - grad[j]) / quad
        let diff = alpha[i] - alpha[j]
        alpha[i] += delta
        alpha[j] += delta
        if diff > 0 {
          if alpha[j] < 0 { (alpha[j], alpha[i]) = (0, diff) }
        } else if alpha[i] < 0 {
          (alpha[i], alpha[j]) = (0, -diff)
        }
        if diff > 0 {
          if alpha[i] > C { (alpha[i], alpha[j]) = (C, C - diff) }
        } else if alpha[j] > C {
          (alpha[j], alpha[i]) = (C, C + diff)
        }
      } else {
        let delta = (grad[i] - grad[j]) / quad
        let sum = alpha[i] + alpha[j]
        alpha[i] -= delta
        alpha[j] += delta
        if sum > C {
          if alpha[i] > C { (alpha[i], alpha[j]) = (C, sum - C) }
        } else if alpha[j] < 0 {
          (alpha[j], alpha[i]) = (0, sum)
        }
        if sum > C {
          if alpha[j] > C { (alpha[j], alpha[i]) = (C, sum - C) }
        } else if alpha[i] < 0 {
          (alpha[i], alpha[j]) = (0, sum)
        }
      }
      let dI = (alpha[i] - oldI) * y[i]
      let dJ = (alpha[j] - oldJ) * y[j]
      for t in 0..<n { grad[t] += y[t] * (k[t * n + i] * dI + k[t * n + j] * dJ) }
    }
    let b = KernelSVM.bias(alpha: alpha, y: y, kernel: k, C: C)
    return Solution(alpha: alpha, bias: b, iterations: iterations, converged: converged)
  }

  /// The second-order working set (i, j), or nil when α satisfies the KKT
  /// conditions within `tolerance`.
  func workingSet(k: [Double], y: [Double], alpha: [Double], grad: [Double]) -> (Int, Int)? {
    let n = y.count
    var gMax = -Double.infinity
    var i = -1
    for t in 0..<n where isUp(y[t], alpha[t]) {
      let v = -y[t] * grad[t]
      if v > gMax { (gMax, i) = (v, t) }
    }
    guard i >= 0 else { return nil }
    var gMin = Double.infinity
    var best = Double.infinity
    var j = -1
    for t in 0..<n where isLow(y[t], alpha[t]) {
      let v = -y[t] * grad[t]
      gMin = min(gMin, v)
      let b = gMax - v
      guard b > 0 else { continue }
      var a = k[i * n + i] + k[t * n + t] - 2 * k[i * n + t]
      if a <= 0 { a = 1e-12 }
      let score = -b * b / a
      if score < best { (best, j) = (score, t) }
    }
    guard j >= 0, gMax - gMin >= tolerance else { return nil }
    return (i, j)
  }

  /// t ∈ I_up: α_t may move so that y_t α_t grows.
  func isUp(_ y: Double, _ a: Double) -> Bool { y > 0 ? a < C : a > 0 }

  /// t ∈ I_low: α_t may move so that y_t α_t shrinks.
  func isLow(_ y: Double, _ a: Double) -> Bool { y > 0 ? a > 0 : a < C }
}
