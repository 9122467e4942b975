/// The name of one variable: an integer or a string, as in dimod.
///
/// dimod allows any hashable label; integers and strings are the ones every
/// file format here can carry, so Anneal supports exactly those.
public enum Label: Hashable, Sendable, Comparable {
  case int(Int)
  case string(String)

  /// Integers sort before strings; each kind in its natural order.
  public static func < (lhs: Label, rhs: Label) -> Bool {
    switch (lhs, rhs) {
    case (.int(let a), .int(let b)): return a < b
    case (.string(let a), .string(let b)): return a < b
    case (.int, .string): return true
    case (.string, .int): return false
    }
  }

  /// The label as a JSON value (a number or a string).
  public var jsonValue: JSONValue {
    switch self {
    case .int(let i): return .int(i)
    case .string(let s): return .string(s)
    }
  }
}

extension Label: CustomStringConvertible {
  public var description: String {
    switch self {
    case .int(let i): return String(i)
    case .string(let s): return s
    }
  }
}

extension Label: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(stringLiteral value: String) { self = .string(value) }
}
