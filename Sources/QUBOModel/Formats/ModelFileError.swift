/// A problem with a model file: where it is and what is wrong.
///
/// Its description is `path:line: reason` (or `path: reason` when the
/// problem concerns the whole file), the form compilers use, so editors and
/// terminals can jump to the line.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file, as the caller named it.
  public var path: String
  /// The 1-based line of the problem, `nil` for whole-file problems.
  public var line: Int?
  /// What is wrong, in words a user can act on.
  public var reason: String

  /// An error at `line` of `path`.
  public init(path: String, line: Int?, reason: String) {
    self.path = path
    self.line = line
    self.reason = reason
  }

  /// `path:line: reason`, or `path: reason` without a line.
  public var description: String {
    if let line { return "\(path):\(line): \(reason)" }
    return "\(path): \(reason)"
  }
}
