// Byte-level reading of line-oriented numeric text (COO, qbsolv, Gset, bqp).
//
// Implementation goals, in order of priority:
// 1. Never trap on any input: every index is checked, integers are parsed
//    with overflow detection, and every failure becomes a `ModelFileError`
//    naming the line.
// 2. Speed on multi-megabyte files (K2000 has two million lines): one pass
//    over the bytes, no `String` per line or per field, no allocation per
//    line. Decimal numbers take Clinger's fast path (an exact integer
//    mantissa below 2^53 divided by an exact power of ten is one correctly
//    rounded operation); anything else goes through the standard library's
//    correctly rounded parser after the token has been validated here.
// 3. Messages that quote the offending field, with binary bytes escaped.

/// The result of parsing one numeric field.
enum ParsedNumber<T> {
  case value(T)
  case invalid
  case outOfRange
  case notFinite
}

/// A cursor over the lines and whitespace-separated fields of a text buffer.
struct TextReader {
  let path: String
  let text: UnsafeBufferPointer<UInt8>
  private var nextLineStart = 0
  private var cursor = 0
  /// The 1-based number of the current line (0 before the first).
  private(set) var line = 0
  /// The byte range of the current line, without its newline.
  private(set) var lineStart = 0
  private(set) var lineEnd = 0

  init(path: String, text: UnsafeBufferPointer<UInt8>) {
    self.path = path
    self.text = text
  }

  @inline(__always)
  static func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C
  }

  /// Moves to the next line; `false` at the end of the text.
  mutating func advance() -> Bool {
    guard nextLineStart < text.count else { return false }
    line += 1
    lineStart = nextLineStart
    var p = lineStart
    let n = text.count
    while p < n && text[p] != 0x0A { p += 1 }
    lineEnd = p
    nextLineStart = p + 1
    cursor = lineStart
    return true
  }

  /// Moves to the next line that is not blank; `false` at the end of input.
  mutating func advanceToContent() -> Bool {
    while advance() {
      if firstByte != nil { return true }
    }
    return false
  }

  /// The first non-blank byte of the current line, `nil` for a blank line.
  var firstByte: UInt8? {
    var p = lineStart
    while p < lineEnd && TextReader.isSpace(text[p]) { p += 1 }
    return p < lineEnd ? text[p] : nil
  }

  /// The next field of the current line, `nil` when the line has no more.
  mutating func nextField() -> Range<Int>? {
    var p = cursor
    while p < lineEnd && TextReader.isSpace(text[p]) { p += 1 }
    guard p < lineEnd else {
      cursor = p
      return nil
    }
    let start = p
    while p < lineEnd && !TextReader.isSpace(text[p]) { p += 1 }
    cursor = p
    return start..<p
  }

  /// The rest of the current line, from the cursor, as text.
  func restOfLine() -> String {
    String(decoding: UnsafeBufferPointer(rebasing: text[cursor..<lineEnd]), as: UTF8.self)
  }

  /// The whole current line as text.
  func currentLine() -> String {
    String(decoding: UnsafeBufferPointer(rebasing: text[lineStart..<lineEnd]), as: UTF8.self)
  }

  /// An error at the current line.
  func fail(_ reason: String) -> ModelFileError {
    ModelFileError(path: path, line: line, reason: reason)
  }

  /// An error at a given line.
  func fail(line: Int, _ reason: String) -> ModelFileError {
    ModelFileError(path: path, line: line, reason: reason)
  }

  /// The field quoted for a message: printable ASCII kept, other bytes
  /// escaped as `\xNN`, long fields cut.
  func quoted(_ r: Range<Int>) -> String {
    var out = "'"
    for p in r.prefix(32) {
      let b = text[p]
      if b >= 0x20 && b < 0x7F {
        out.unicodeScalars.append(UnicodeScalar(b))
      } else {
        out += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
      }
    }
    return out + (r.count > 32 ? "…'" : "'")
  }

  /// Whether the field holds bytes that never occur in text.
  func isBinary(_ r: Range<Int>) -> Bool {
    r.contains { p in
      let b = text[p]
      return b < 0x20 || b == 0x7F
    }
  }

  private func notA(_ kind: String, _ what: String, _ r: Range<Int>) -> ModelFileError {
    if isBinary(r) {
      return fail("\(what) is binary data (\(quoted(r))), not \(kind); is this a text file?")
    }
    return fail("\(what) \(quoted(r)) is not \(kind)")
  }

  /// The next field as an integer.
  mutating func int(_ what: String) throws -> Int {
    guard let r = nextField() else {
      throw fail("missing \(what): the line ends early (truncated?)")
    }
    switch TextReader.parseInt(text, r) {
    case .value(let v): return v
    case .outOfRange: throw fail("\(what) \(quoted(r)) is too large")
    case .invalid, .notFinite: throw notA("an integer", what, r)
    }
  }

  /// The next field as an index in `first...last` (an empty range when
  /// `last < first`, so every value is out of range).
  mutating func index(_ what: String, first: Int, last: Int) throws -> Int {
    let v = try int(what)
    if v < first {
      throw fail("\(what) \(v) is below the first index \(first)")
    }
    if v > last {
      throw fail(
        last < first
          ? "\(what) \(v) is out of range (the header declares no variables)"
          : "\(what) \(v) is out of range (the last index is \(last))")
    }
    return v
  }

  /// The next field as a finite `Double`.
  mutating func double(_ what: String) throws -> Double {
    guard let r = nextField() else {
      throw fail("missing \(what): the line ends early (truncated?)")
    }
    switch TextReader.parseDouble(text, r) {
    case .value(let v): return v
    case .outOfRange: throw fail("\(what) \(quoted(r)) overflows a Double")
    case .notFinite: throw fail("\(what) \(quoted(r)) is not finite (NaN and infinity are refused)")
    case .invalid: throw notA("a number", what, r)
    }
  }

  /// Adds `b` to `total` (a sum of repeated entries), or throws an error at
  /// `line` (default: the current line) when the sum of finite values
  /// overflows to infinity.
  @inline(__always)
  func add(
    _ b: Double, to total: inout Double, _ what: @autoclosure () -> String, line: Int? = nil
  ) throws {
    let a = total
    total += b
    guard total.isFinite else {
      throw fail(line: line ?? self.line, "\(what()) overflows a Double (\(a) + \(b))")
    }
  }

  /// Throws when the current line has another field.
  mutating func expectEndOfLine(_ expected: String) throws {
    if let r = nextField() {
      throw fail("unexpected extra field \(quoted(r)); expected \(expected)")
    }
  }

  // MARK: Numbers

  @inline(__always)
  static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

  /// Parses `[+-]digits` with overflow detection.
  static func parseInt(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> ParsedNumber<Int> {
    var p = r.lowerBound
    let end = r.upperBound
    var negative = false
    if p < end && (t[p] == 0x2B || t[p] == 0x2D) {
      negative = t[p] == 0x2D
      p += 1
    }
    guard p < end else { return .invalid }
    var v = 0
    var overflow = false
    while p < end {
      let b = t[p]
      guard isDigit(b) else { return .invalid }
      if !overflow {
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (s, o2) =
          negative
          ? m.subtractingReportingOverflow(Int(b &- 0x30))
          : m.addingReportingOverflow(Int(b &- 0x30))
        if o1 || o2 { overflow = true } else { v = s }
      }
      p += 1
    }
    return overflow ? .outOfRange : .value(v)
  }

  static let exactPowersOfTen: [Double] = (0...22).map { k in
    var x = 1.0
    for _ in 0..<k { x *= 10 }
    return x
  }

  /// Parses a decimal floating-point number: `[+-](d+[.d*]|.d+)([eE][+-]d+)`.
  ///
  /// Words such as `nan` or `inf` are reported as not finite.
  static func parseDouble(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> ParsedNumber<Double>
  {
    var p = r.lowerBound
    let end = r.upperBound
    var negative = false
    if p < end && (t[p] == 0x2B || t[p] == 0x2D) {
      negative = t[p] == 0x2D
      p += 1
    }
    guard p < end else { return .invalid }
    if !isDigit(t[p]) && t[p] != 0x2E {
      var word = ""
      for q in p..<end {
        let b = t[q] | 0x20
        guard b >= 0x61 && b <= 0x7A else { return .invalid }
        word.unicodeScalars.append(UnicodeScalar(b))
      }
      return ["nan", "inf", "infinity"].contains(word) ? .notFinite : .invalid
    }
    var mantissa: UInt64 = 0
    var exact = true
    var digits = 0
    var fraction = 0
    while p < end && isDigit(t[p]) {
      digits += 1
      if mantissa < 100_000_000_000_000_000 {
        mantissa = mantissa &* 10 &+ UInt64(t[p] &- 0x30)
      } else {
        exact = false
      }
      p += 1
    }
    if p < end && t[p] == 0x2E {
      p += 1
      while p < end && isDigit(t[p]) {
        digits += 1
        fraction += 1
        if mantissa < 100_000_000_000_000_000 {
          mantissa = mantissa &* 10 &+ UInt64(t[p] &- 0x30)
        } else {
          exact = false
        }
        p += 1
      }
    }
    guard digits > 0 else { return .invalid }
    var hasExponent = false
    if p < end && (t[p] == 0x65 || t[p] == 0x45) {
      hasExponent = true
      p += 1
      if p < end && (t[p] == 0x2B || t[p] == 0x2D) { p += 1 }
      guard p < end else { return .invalid }
      while p < end && isDigit(t[p]) { p += 1 }
    }
    guard p == end else { return .invalid }
    if exact && !hasExponent && mantissa <= 1 << 53 && fraction <= 22 {
      let v = Double(mantissa) / exactPowersOfTen[fraction]
      return .value(negative ? -v : v)
    }
    let s = String(decoding: UnsafeBufferPointer(rebasing: t[r]), as: UTF8.self)
    guard let v = Double(s) else { return .invalid }
    return v.isFinite ? .value(v) : .outOfRange
  }
}
