/// Arrays handed to a Learning API whose sizes do not fit together (a
/// weight matrix of the wrong size, a calibration matrix whose row width is
/// not the network's input width, …), named in words.
public struct ShapeError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What is wrong, e.g. "layer 1: 12 weights, expected 8 × 3 = 24".
  public var reason: String

  /// An error saying `reason`.
  public init(_ reason: String) { self.reason = reason }

  /// The reason.
  public var description: String { reason }
}
