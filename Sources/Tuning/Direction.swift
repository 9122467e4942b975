/// Whether a study looks for the smallest or the largest value.
public enum Direction: String, Sendable, CaseIterable {
  /// Smaller values are better.
  case minimize
  /// Larger values are better.
  case maximize

  /// Whether `a` is strictly better than `b`.
  public func isBetter(_ a: Double, than b: Double) -> Bool {
    switch self {
    case .minimize: return a < b
    case .maximize: return a > b
    }
  }

  /// The value as a loss to minimise (`-value` when maximising).
  public func loss(_ value: Double) -> Double {
    switch self {
    case .minimize: return value
    case .maximize: return -value
    }
  }
}
