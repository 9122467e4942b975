import QUBOModel

/// The value a parameter takes in one trial.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
  /// An integer parameter's value.
  case int(Int)
  /// A float parameter's value (a point of its grid).
  case double(Double)
  /// A categorical parameter's value.
  case string(String)
  /// A boolean parameter's value.
  case bool(Bool)

  /// The value as JSON.
  public var json: JSONValue {
    switch self {
    case .int(let i): return .int(i)
    case .double(let d): return .double(d)
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    }
  }

  /// Reads a value from JSON (`nil` for arrays, objects and null).
  public init?(json: JSONValue) {
    switch json {
    case .int(let i): self = .int(i)
    case .double(let d): self = .double(d)
    case .string(let s): self = .string(s)
    case .bool(let b): self = .bool(b)
    case .null, .array, .object: return nil
    }
  }

  /// The value as a command-line word: integers plainly, floats in their
  /// shortest round-trip spelling, booleans as `true` / `false`.
  public var description: String {
    switch self {
    case .int(let i): return String(i)
    case .double(let d): return JSONValue.format(d)
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    }
  }

  /// The value as a `Double` (booleans are 0 / 1), `nil` for strings.
  public var doubleValue: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    case .bool(let b): return b ? 1 : 0
    case .string: return nil
    }
  }
}
