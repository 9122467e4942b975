// Number text for the plain-text writers (COO, qbsolv).
//
// dimod's COO reader matches biases with `[+-]?\d*(?:\.\d+)?` and silently
// skips any line it does not match, so a bias written as `1e-05` would be
// lost without a word. Writers therefore spell every number positionally,
// with the digits of Swift's shortest round-trip representation: the text
// reads back as exactly the same `Double` and never carries an exponent.

enum DecimalText {
  /// The shortest text that reads back as exactly `value`, without an
  /// exponent (`0.00001`, not `1e-05`).
  ///
  /// `value` must be finite.
  static func positional(_ value: Double) -> String {
    let text = "\(value)"
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
      return text
    }
    let exponent = Int(text[text.index(after: e)...]) ?? 0
    var mantissa = text[..<e]
    var sign = ""
    if mantissa.hasPrefix("-") {
      sign = "-"
      mantissa = mantissa.dropFirst()
    }
    let whole: Substring
    let fraction: Substring
    if let dot = mantissa.firstIndex(of: ".") {
      whole = mantissa[..<dot]
      fraction = mantissa[mantissa.index(after: dot)...]
    } else {
      whole = mantissa
      fraction = ""
    }
    var digits = String(whole) + String(fraction)
    while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
    let point = whole.count + exponent
    if point <= 0 {
      return sign + "0." + String(repeating: "0", count: -point) + digits
    }
    if point >= digits.count {
      return sign + digits + String(repeating: "0", count: point - digits.count) + ".0"
    }
    return sign + digits.prefix(point) + "." + digits.dropFirst(point)
  }
}
