#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The hidden-layer nonlinearity of a network.
public enum Activation: String, Sendable, CaseIterable, Codable {
  /// `tanh(z)`, derivative `1 − tanh²(z)`.
  case tanh
  /// `max(0, z)`, derivative `1` for `z > 0`, else `0`.
  case relu
  /// The logistic function `1 / (1 + e^(−z))`, derivative `a (1 − a)`.
  case sigmoid
  /// `z` itself (a linear network, as scikit-learn's `identity`).
  case identity
  /// `z` for `z ≥ 0`, else `α z`, with the network's `leakySlope` as `α`.
  case leakyRelu = "leaky-relu"

  /// Applies the activation to every value of `z` in place; `slope` is the
  /// negative-side slope of `leakyRelu`.
  @inlinable
  func apply(_ z: UnsafeMutableBufferPointer<Double>, slope: Double) {
    let count = z.count
    switch self {
    case .tanh:
      for i in 0..<count { z[i] = _tanh(z[i]) }
    case .relu:
      for i in 0..<count where z[i] < 0 { z[i] = 0 }
    case .sigmoid:
      for i in 0..<count { z[i] = _logistic(z[i]) }
    case .identity:
      break
    case .leakyRelu:
      for i in 0..<count where z[i] < 0 { z[i] *= slope }
    }
  }

  /// Multiplies `grad` in place by the derivative, given the activations
  /// `a` (for tanh, `1 − a²`; for ReLU, `a > 0`; for the logistic function,
  /// `a (1 − a)`). For leaky ReLU with a positive slope the sign of `a` is
  /// the sign of `z`.
  @inlinable
  func backprop(
    _ grad: UnsafeMutableBufferPointer<Double>, activations a: UnsafeBufferPointer<Double>,
    slope: Double
  ) {
    let count = min(grad.count, a.count)
    switch self {
    case .tanh:
      for i in 0..<count { grad[i] *= 1 - a[i] * a[i] }
    case .relu:
      for i in 0..<count where a[i] <= 0 { grad[i] = 0 }
    case .sigmoid:
      for i in 0..<count { grad[i] *= a[i] * (1 - a[i]) }
    case .identity:
      break
    case .leakyRelu:
      for i in 0..<count where a[i] < 0 { grad[i] *= slope }
    }
  }
}

@usableFromInline func _tanh(_ x: Double) -> Double { tanh(x) }

@usableFromInline func _logistic(_ x: Double) -> Double {
  x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}
