#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the softmax output of a network is fitted to: one class per row
/// (the task loss), or a probability row per row (distillation from a
/// teacher, such as the float network a quantized one came from).
public enum SoftmaxTargets: Sendable {
  /// One class index per row.
  case labels([Int])
  /// `rows × classes` probabilities, row-major, each row summing to 1.
  case probabilities([Double])
}

/// The mean softmax cross-entropy `L = −(1/n) Σ_r Σ_k t_rk log p_rk` of
/// probabilities `p` against targets `t` (one-hot for labels), and its
/// gradient with respect to the logits, `(p − t)/n`.
///
/// With soft targets `t` this is the distillation loss: it differs from
/// `KL(t ‖ p)` by the entropy of `t`, a constant, so both have the same
/// minimiser and the same gradient. Shared by the training objective of
/// `MLP` and the fine-tuning objective of `QuantizedNetwork`.
enum SoftmaxCrossEntropy {
  /// `L` for the `n × k` probabilities `p`.
  static func loss(
    _ p: UnsafeBufferPointer<Double>, rows n: Int, classes k: Int, targets: SoftmaxTargets
  ) -> Double {
    var ce = 0.0
    switch targets {
    case .labels(let y):
      for r in 0..<n { ce -= log(max(p[r * k + y[r]], 1e-300)) }
    case .probabilities(let t):
      for i in 0..<(n * k) where t[i] > 0 { ce -= t[i] * log(max(p[i], 1e-300)) }
    }
    return ce / Double(max(n, 1))
  }

  /// Writes `∂L/∂z = (p − t)/n` into `d` (`n × k`).
  static func logitGradient(
    _ p: UnsafeBufferPointer<Double>, rows n: Int, classes k: Int, targets: SoftmaxTargets,
    into d: UnsafeMutableBufferPointer<Double>
  ) {
    let inv = 1 / Double(max(n, 1))
    for i in 0..<(n * k) { d[i] = p[i] * inv }
    switch targets {
    case .labels(let y):
      for r in 0..<n { d[r * k + y[r]] -= inv }
    case .probabilities(let t):
      for i in 0..<(n * k) { d[i] -= t[i] * inv }
    }
  }
}
