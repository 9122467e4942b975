// Spec text to `JSONValue`: JSON when the text is JSON, otherwise YAML
// through Yams (YAML 1.2 core schema: ints, floats, bools, null).

import Foundation
import QUBOModel
import Yams

/// Reads a sweep spec's text into JSON values.
public enum SpecText {
  /// The JSON value of YAML or JSON `text`.
  public static func parse(_ text: String) throws -> JSONValue {
    let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
    if trimmed.first == "{" {
      do {
        return try JSONValue(parsing: text)
      } catch let error as JSONParseError {
        throw SweepSpecError(key: nil, "not valid JSON: \(error)")
      }
    }
    let loaded: Any?
    do {
      loaded = try Yams.load(yaml: text)
    } catch {
      throw SweepSpecError(key: nil, "not valid YAML: \(error)")
    }
    guard let loaded else { throw SweepSpecError(key: nil, "the spec is empty") }
    return try json(loaded, at: "")
  }

  static func json(_ value: Any, at path: String) throws -> JSONValue {
    switch value {
    case is NSNull: return .null
    case let b as Bool: return .bool(b)
    case let i as Int: return .int(i)
    case let d as Double: return .double(d)
    case let s as String: return .string(s)
    case let a as [Any]:
      return .array(try a.enumerated().map { try json($1, at: "\(path)[\($0)]") })
    case let o as [AnyHashable: Any]:
      var out: [String: JSONValue] = [:]
      for (k, v) in o {
        let key = "\(k.base)"
        out[key] = try json(v, at: path.isEmpty ? key : "\(path).\(key)")
      }
      return .object(out)
    default:
      throw SweepSpecError(
        key: path.isEmpty ? nil : path, "unsupported YAML value \(value) (\(type(of: value)))")
    }
  }
}
