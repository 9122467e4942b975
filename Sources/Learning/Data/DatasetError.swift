/// A dataset that cannot be read, with the file, the line and the reason.
public struct DatasetError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The file (as given).
  public var file: String
  /// The 1-based line, or 0 when the problem concerns the whole file.
  public var line: Int
  /// What is wrong, in words.
  public var reason: String

  /// An error at `file:line`.
  public init(file: String, line: Int, reason: String) {
    self.file = file
    self.line = line
    self.reason = reason
  }

  /// `file:line: reason` (or `file: reason` without a line).
  public var description: String {
    line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)"
  }
}
