// A small JSON reader that knows the line it is on.
//
// Implementation goals, in order of priority:
// 1. Every error names the line and what was wrong (Foundation's parser gives
//    a character offset at best), so file readers can report `file:line: reason`.
// 2. Integers stay integers (dimod labels are ints or strings; `1` and `1.0`
//    are different labels to a Python user).
// 3. Nesting depth is bounded, so hostile input cannot exhaust the stack.

/// An error in JSON text, with the 1-based line where it was found.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
  public var line: Int
  public var reason: String
  public var description: String { "line \(line): \(reason)" }
}

extension JSONValue {
  /// Parses JSON text (UTF-8).
  ///
  /// - Throws: `JSONParseError` naming the line of the first problem.
  public init<C: Collection>(parsing bytes: C) throws
  where C.Element == UInt8 {
    var parser = JSONTextParser(Array(bytes))
    self = try parser.parseDocument()
  }

  /// Parses JSON text.
  public init(parsing text: String) throws {
    try self.init(parsing: Array(text.utf8))
  }
}

struct JSONTextParser {
  let bytes: [UInt8]
  var pos = 0
  var line = 1
  var depth = 0
  static let maxDepth = 512

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  func fail(_ reason: String) -> JSONParseError {
    JSONParseError(line: line, reason: reason)
  }

  mutating func parseDocument() throws -> JSONValue {
    skipSpace()
    if pos >= bytes.count { throw fail("empty input, expected a JSON value") }
    let value = try parseValue()
    skipSpace()
    if pos < bytes.count { throw fail("unexpected text after the JSON value") }
    return value
  }

  mutating func skipSpace() {
    while pos < bytes.count {
      switch bytes[pos] {
      case 0x0A: line += 1; pos += 1
      case 0x20, 0x09, 0x0D: pos += 1
      default: return
      }
    }
  }

  mutating func parseValue() throws -> JSONValue {
    skipSpace()
    guard pos < bytes.count else { throw fail("unexpected end of input") }
    switch bytes[pos] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectWord("null"); return .null
    case UInt8(ascii: "N"): throw fail("NaN is not a JSON number")
    case UInt8(ascii: "I"): throw fail("Infinity is not a JSON number")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try parseNumber()
    default:
      throw fail("unexpected character '\(printable(bytes[pos]))'")
    }
  }

  func printable(_ b: UInt8) -> String {
    (0x20..<0x7F).contains(b) ? String(UnicodeScalar(b)) : "\\x\(String(b, radix: 16))"
  }

  mutating func expectWord(_ word: String) throws {
    for c in word.utf8 {
      guard pos < bytes.count, bytes[pos] == c else {
        if word == "null", pos < bytes.count, bytes[pos] == UInt8(ascii: "a") {
          throw fail("NaN is not a JSON number")
        }
        throw fail("invalid literal, expected '\(word)'")
      }
      pos += 1
    }
  }

  mutating func enter() throws {
    depth += 1
    if depth > JSONTextParser.maxDepth {
      throw fail("nesting deeper than \(JSONTextParser.maxDepth)")
    }
  }

  mutating func parseObject() throws -> JSONValue {
    try enter()
    defer { depth -= 1 }
    pos += 1
    var fields: [String: JSONValue] = [:]
    skipSpace()
    if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(fields) }
    while true {
      skipSpace()
      guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
        throw fail("expected a string key in object")
      }
      let key = try parseString()
      skipSpace()
      guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
        throw fail("expected ':' after key \"\(key)\"")
      }
      pos += 1
      fields[key] = try parseValue()
      skipSpace()
      guard pos < bytes.count else { throw fail("unterminated object") }
      if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
      if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(fields) }
      throw fail("expected ',' or '}' in object")
    }
  }

  mutating func parseArray() throws -> JSONValue {
    try enter()
    defer { depth -= 1 }
    pos += 1
    var items: [JSONValue] = []
    skipSpace()
    if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
    while true {
      items.append(try parseValue())
      skipSpace()
      guard pos < bytes.count else { throw fail("unterminated array") }
      if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
      if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
      throw fail("expected ',' or ']' in array")
    }
  }

  mutating func parseString() throws -> String {
    pos += 1
    var out: [UInt8] = []
    while true {
      guard pos < bytes.count else { throw fail("unterminated string") }
      let b = bytes[pos]
      pos += 1
      switch b {
      case UInt8(ascii: "\""):
        guard let s = String(validating: out, as: UTF8.self) else {
          throw fail("string is not valid UTF-8")
        }
        return s
      case UInt8(ascii: "\\"):
        guard pos < bytes.count else { throw fail("unterminated string") }
        let e = bytes[pos]
        pos += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var code = try parseHex4()
          if (0xD800..<0xDC00).contains(code), pos + 1 < bytes.count,
            bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u")
          {
            pos += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else {
              throw fail("invalid surrogate pair in \\u escape")
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(code) else {
            throw fail("invalid \\u escape")
          }
          out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: throw fail("invalid escape '\\\(printable(e))'")
        }
      case 0x0A: throw fail("newline inside a string")
      default: out.append(b)
      }
    }
  }

  mutating func parseHex4() throws -> UInt32 {
    guard pos + 4 <= bytes.count else { throw fail("truncated \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[pos]
      pos += 1
      let d: UInt32
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
      default: throw fail("invalid hex digit in \\u escape")
      }
      v = v * 16 + d
    }
    return v
  }

  mutating func parseNumber() throws -> JSONValue {
    let start = pos
    var isInteger = true
    if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
    if pos < bytes.count, bytes[pos] == UInt8(ascii: "I") {
      throw fail("Infinity is not a JSON number")
    }
    while pos < bytes.count {
      let b = bytes[pos]
      if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
        pos += 1
      } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
        || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
      {
        isInteger = false
        pos += 1
      } else {
        break
      }
    }
    let text = String(decoding: bytes[start..<pos], as: UTF8.self)
    if isInteger, let i = Int(text) { return .int(i) }
    guard let d = Double(text), d.isFinite else {
      throw fail("invalid number '\(text)'")
    }
    return .double(d)
  }
}
