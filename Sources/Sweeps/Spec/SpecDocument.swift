// The one YAML/JSON reader of the project's spec files (sweep and tuning
// specs): Yams composes the text into nodes (YAML 1.2 core schema, which
// reads JSON too), and the nodes become a `JSONValue` while the order of
// each mapping's keys and the line of each key path are kept, so a spec
// error can name the line it is on and a tuning spec keeps its parameters in
// the order written.

import QUBOModel
import Yams

/// A YAML or JSON document as a `JSONValue`, with key order and lines.
public struct SpecDocument: Sendable {
  /// The document's value.
  public var value: JSONValue
  /// The keys of each mapping in the order written, by key path (`""` for
  /// the top level, `samplers[0].grid` inside).
  public var order: [String: [String]] = [:]
  /// The 1-based line of each key path (`parameters.lr.low`, `seeds[1]`).
  public var lines: [String: Int] = [:]

  /// Reads YAML or JSON `text`.
  ///
  /// - Throws: `SweepSpecError` (no key) when the text is not YAML, is
  ///   empty, or repeats a key in one mapping.
  public init(text: String) throws {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch {
      throw SweepSpecError(key: nil, "not valid YAML or JSON: \(error)")
    }
    guard let node else { throw SweepSpecError(key: nil, "the spec is empty") }
    value = .null
    value = try convert(node, path: "")
  }

  private mutating func convert(_ node: Node, path: String) throws -> JSONValue {
    if let m = node.mark, !path.isEmpty, lines[path] == nil { lines[path] = m.line }
    switch node {
    case .scalar:
      switch Tag.Name(rawValue: node.tag.rawValue) {
      case .null: return .null
      case .bool: return node.bool.map { .bool($0) } ?? .string(node.string ?? "")
      case .int: return node.int.map { .int($0) } ?? .string(node.string ?? "")
      case .float:
        guard let d = node.float else { return .string(node.string ?? "") }
        return .double(d)
      default: return .string(node.string ?? "")
      }
    case .sequence(let s):
      return .array(try s.enumerated().map { try convert($1, path: "\(path)[\($0)]") })
    case .mapping(let m):
      var o: [String: JSONValue] = [:]
      var keys: [String] = []
      for (k, v) in m {
        let key = k.string ?? ""
        let sub = path.isEmpty ? key : "\(path).\(key)"
        if let mark = k.mark { lines[sub] = mark.line }
        guard o[key] == nil else {
          throw SweepSpecError(
            key: sub, "is given twice\(k.mark.map { " (again on line \($0.line))" } ?? "")")
        }
        keys.append(key)
        o[key] = try convert(v, path: sub)
      }
      order[path] = keys
      return .object(o)
    case .alias:
      throw SweepSpecError(key: path.isEmpty ? nil : path, "YAML aliases are not supported")
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
