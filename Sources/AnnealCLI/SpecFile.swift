import Anneal
import Foundation
import Yams

/// A YAML or JSON spec file read into a `JSONValue`, with the order of each
/// mapping's keys and the line of each key path (`parameters.lr.low`) for
/// error messages.
struct SpecFile {
  var value: JSONValue
  var order: [String: [String]] = [:]
  var lines: [String: Int] = [:]

  /// Reads `path`; YAML 1.2 reads JSON too.
  init(path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError.badInput("\(path): cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError.badInput("\(path): not UTF-8 text")
    }
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch let e as YamlError {
      throw CLIError.badInput("\(path): \(e)")
    }
    guard let node else { throw CLIError.badInput("\(path): the spec is empty") }
    value = .null
    value = convert(node, path: "")
  }

  private mutating func convert(_ node: Node, path: String) -> JSONValue {
    if let m = node.mark, !path.isEmpty, lines[path] == nil { lines[path] = m.line }
    switch node {
    case .scalar:
      switch Tag.Name(rawValue: node.tag.rawValue) {
      case .null: return .null
      case .bool: return node.bool.map { .bool($0) } ?? .string(node.string ?? "")
      case .int: return node.int.map { .int($0) } ?? .string(node.string ?? "")
      case .float: return node.float.map { .double($0) } ?? .string(node.string ?? "")
      default: return .string(node.string ?? "")
      }
    case .sequence(let s):
      return .array(s.enumerated().map { convert($1, path: "\(path)[\($0)]") })
    case .mapping(let m):
      var o: [String: JSONValue] = [:]
      var keys: [String] = []
      for (k, v) in m {
        let key = k.string ?? ""
        let sub = path.isEmpty ? key : "\(path).\(key)"
        if let mark = k.mark { lines[sub] = mark.line }
        keys.append(key)
        o[key] = convert(v, path: sub)
      }
      order[path] = keys
      return .object(o)
    case .alias:
      return .null
    }
  }

  /// The line of `key` or of its nearest parent that has one.
  func line(of key: String) -> Int? {
    var k = key
    while !k.isEmpty {
      if let l = lines[k] { return l }
      guard let dot = k.lastIndex(of: ".") else { break }
      k = String(k[..<dot])
    }
    return nil
  }
}
