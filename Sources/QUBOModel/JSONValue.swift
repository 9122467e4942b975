import Foundation

/// A JSON value: what `SampleSet.info`, the CLI's `--json` output and the
/// dimod JSON readers exchange.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// The value as a `Double`, when it is a number.
  public var doubleValue: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    case .null, .bool, .string, .array, .object: return nil
    }
  }

  /// Compact JSON text with keys in sorted order (deterministic output).
  ///
  /// Non-finite numbers have no JSON spelling; they are written as `null`.
  public func serialized(pretty: Bool = false) -> String {
    var out = ""
    write(to: &out, pretty: pretty, indent: 0)
    return out
  }

  private func write(to out: inout String, pretty: Bool, indent: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += JSONValue.format(d)
    case .string(let s): JSONValue.writeString(s, to: &out)
    case .array(let items):
      out += "["
      for (k, item) in items.enumerated() {
        if k > 0 { out += pretty ? ", " : "," }
        item.write(to: &out, pretty: pretty, indent: indent)
      }
      out += "]"
    case .object(let fields):
      out += "{"
      let pad = String(repeating: "  ", count: indent + 1)
      for (k, key) in fields.keys.sorted().enumerated() {
        if k > 0 { out += "," }
        if pretty { out += "\n" + pad }
        JSONValue.writeString(key, to: &out)
        out += pretty ? ": " : ":"
        fields[key]?.write(to: &out, pretty: pretty, indent: indent + 1)
      }
      if pretty && !fields.isEmpty {
        out += "\n" + String(repeating: "  ", count: indent)
      }
      out += "}"
    }
  }

  /// The shortest text that reads back as exactly `d` (`null` if not finite).
  public static func format(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
    return "\(d)"
  }

  private static func writeString(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}
