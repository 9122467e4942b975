/// A malformed sweep spec: the key path at fault and why.
public struct SweepSpecError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The key path, such as `samplers[1].grid.sweeps[2]` (nil: the whole spec).
  public var key: String?
  /// What is wrong and what would be right.
  public var reason: String
  /// The line of the key in the spec file, when known.
  public var line: Int?

  /// An error at `key`.
  public init(key: String?, _ reason: String) {
    self.key = key
    self.reason = reason
  }

  public var description: String {
    let at = line.map { "line \($0): " } ?? ""
    if let key { return "\(at)\(key): \(reason)" }
    return at + reason
  }
}
