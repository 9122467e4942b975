/// The hidden-layer nonlinearity of a network.
public enum Activation: String, Sendable, CaseIterable {
  /// `tanh(z)`, derivative `1 − tanh²(z)`.
  case tanh
  /// `max(0, z)`, derivative `1` for `z > 0`, else `0`.
  case relu

  /// Applies the activation to `count` values in place.
  @inlinable
  func apply(_ z: UnsafeMutablePointer<Double>, count: Int) {
    switch self {
    case .tanh:
      for i in 0..<count { z[i] = _tanh(z[i]) }
    case .relu:
      for i in 0..<count where z[i] < 0 { z[i] = 0 }
    }
  }

  /// Multiplies `grad` in place by the derivative, given the activations
  /// `a` (for tanh, `1 − a²`; for ReLU, `a > 0`).
  @inlinable
  func backprop(
    _ grad: UnsafeMutablePointer<Double>, activations a: UnsafePointer<Double>, count: Int
  ) {
    switch self {
    case .tanh:
      for i in 0..<count { grad[i] *= 1 - a[i] * a[i] }
    case .relu:
      for i in 0..<count where a[i] <= 0 { grad[i] = 0 }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@usableFromInline func _tanh(_ x: Double) -> Double { tanh(x) }
