/// An ONNX model that cannot be read or quantized: the file, the node when
/// one is at fault, and what is wrong.
public struct ONNXError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The file (as given).
  public var file: String
  /// The node at fault, as `'name' (OpType)` or `#index (OpType)` for an
  /// unnamed node; nil when the problem is not one node's.
  public var node: String?
  /// What is wrong, in words.
  public var reason: String

  /// An error in `file`, at `node` when given.
  public init(file: String, node: String? = nil, reason: String) {
    self.file = file
    self.node = node
    self.reason = reason
  }

  /// `file: node 'name' (Op): reason`, or `file: reason`.
  public var description: String {
    if let node { return "\(file): node \(node): \(reason)" }
    return "\(file): \(reason)"
  }
}
