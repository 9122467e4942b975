/// A planted instance that cannot be built as asked: a graph size out of
/// range, or fewer loops than requested.
public struct PlantingError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What was asked and what went wrong.
  public var description: String
  /// Loops planted before the generator gave up (nil: not a shortfall).
  public var planted: Int?
  /// Loops requested (nil: not a shortfall).
  public var requested: Int?

  /// An error that says `description`.
  public init(_ description: String, planted: Int? = nil, requested: Int? = nil) {
    self.description = description
    self.planted = planted
    self.requested = requested
  }
}
