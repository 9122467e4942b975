import QUBOModel
import Yams

/// A YAML or JSON spec read into a `JSONValue`, with the order of each
/// mapping's keys and the line of each key path (`parameters.lr.low`), for
/// error messages: what `anneal tune` reads before `TuningSpec`.
///
/// YAML 1.2 reads JSON too. The text is composed into nodes (never into
/// Swift dictionaries, which trap on a repeated key); a repeated key is
/// refused with its line.
public struct SpecDocument: Sendable {
  /// Why a text is not a spec document.
  public struct ReadError: Error, Sendable, CustomStringConvertible {
    /// The 1-based line, when known.
    public var line: Int?
    /// What is wrong.
    public var reason: String
    public var description: String { (line.map { "\($0): " } ?? "") + reason }
  }

  /// The document.
  public var value: JSONValue = .null
  /// The keys of each mapping in file order, by key path ("" for the top).
  public var order: [String: [String]] = [:]
  /// The line of each key path.
  public var lines: [String: Int] = [:]

  /// Reads `text`.
  ///
  /// - Throws: `ReadError` for text that is not YAML, an empty document, or
  ///   a mapping with a repeated key.
  public init(text: String) throws {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch let e as YamlError {
      throw ReadError(line: nil, reason: "\(e)")
    } catch {
      throw ReadError(line: nil, reason: "not YAML: \(error)")
    }
    guard let node else { throw ReadError(line: nil, reason: "the spec is empty") }
    value = try convert(node, path: "", depth: 0)
  }

  /// Deeper nesting than any spec needs is refused (and keeps the
  /// recursion bounded).
  static let maxDepth = 64

  private mutating func convert(_ node: Node, path: String, depth: Int) throws -> JSONValue {
    if let m = node.mark, !path.isEmpty, lines[path] == nil { lines[path] = m.line }
    guard depth < Self.maxDepth else {
      throw ReadError(line: node.mark?.line, reason: "nested more than \(Self.maxDepth) deep")
    }
    switch node {
    case .scalar:
      let text = node.string ?? ""
      switch Tag.Name(rawValue: node.tag.rawValue) {
      case .null: return .null
      case .bool: return node.bool.map { .bool($0) } ?? .string(node.string ?? "")
      // YAML 1.1's base-60 numbers (`1:30`) stay text: Yams' conversion
      // overflows, and traps, on long ones (a fuzz finding).
      case .int:
        if text.contains(":") { return .string(text) }
        return node.int.map { .int($0) } ?? .string(text)
      case .float:
        if text.contains(":") { return .string(text) }
        return node.float.map { .double($0) } ?? .string(text)
      default: return .string(node.string ?? "")
      }
    case .sequence(let s):
      return .array(
        try s.enumerated().map { try convert($1, path: "\(path)[\($0)]", depth: depth + 1) })
    case .mapping(let m):
      var o: [String: JSONValue] = [:]
      var keys: [String] = []
      for (k, v) in m {
        let key = k.string ?? ""
        let sub = path.isEmpty ? key : "\(path).\(key)"
        guard o[key] == nil else {
          let first = lines[sub].map { " (first on line \($0))" } ?? ""
          throw ReadError(
            line: k.mark?.line ?? v.mark?.line, reason: "the key '\(sub)' is given twice\(first)")
        }
        if let mark = k.mark { lines[sub] = mark.line }
        keys.append(key)
        o[key] = try convert(v, path: sub, depth: depth + 1)
      }
      order[path] = keys
      return .object(o)
    case .alias:
      return .null
    }
  }

  /// The line of `key` or of its nearest parent that has one.
  public func line(of key: String) -> Int? {
    var k = key
    while !k.isEmpty {
      if let l = lines[k] { return l }
      guard let cut = k.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
      k = String(k[..<cut])
    }
    return nil
  }
}
