import Foundation
import QUBOModel

// Reading the metric from a run's standard output.
//
// The last JSON object wins, else the last `metric: value` line. Python's
// `json.dumps` writes NaN and infinities as the bare words `NaN`,
// `Infinity` and `-Infinity`, which JSON does not allow: an object that
// parses only once those words are read as strings is still the object the
// program meant, so its metric is found — and refused, with what was read.
// A non-finite value never becomes a trial's value.

extension ProgramObjective {
  /// What stdout said about the metric.
  public enum MetricReading: Sendable, Equatable {
    /// A finite value.
    case value(Double)
    /// The metric is there but unusable: the text read and why refused.
    case refused(String, String)
    /// The metric is not on stdout.
    case missing
  }

  /// The finite value of `metric` in `output`, or `nil` (see `reading`).
  public static func metric(_ metric: String, in output: String) -> Double? {
    if case .value(let v) = reading(metric, in: output) { return v }
    return nil
  }

  /// The metric in `output`: the last JSON object that has it, else the
  /// last `metric: value` (or `metric = value`) line.
  public static func reading(_ metric: String, in output: String) -> MetricReading {
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    for k in lines.indices.reversed() {
      let t = lines[k].trimmingCharacters(in: .whitespaces)
      guard t.hasPrefix("{") else { continue }
      for text in [t, lines[k...].joined(separator: "\n")] {
        guard let o = jsonObject(text) else { continue }
        if let found = o[metric] { return judge(found, json: text) }
        break
      }
    }
    for line in lines.reversed() {
      let t = line.trimmingCharacters(in: .whitespaces)
      guard t.hasPrefix(metric) else { continue }
      var rest = t.dropFirst(metric.count).drop { $0 == " " || $0 == "\t" }
      guard let sep = rest.first, sep == ":" || sep == "=" else { continue }
      rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
      let word = String(rest.prefix { !$0.isWhitespace && $0 != "," })
      guard let v = Double(word) ?? nonFinite(word) else { continue }
      if v.isFinite { return .value(v) }
      return .refused("'\(t)'", "\(word) is not a finite number")
    }
    return .missing
  }

  /// The object `text` spells, reading Python's bare `NaN` / `Infinity`
  /// words as strings when plain JSON refuses them.
  static func jsonObject(_ text: String) -> [String: JSONValue]? {
    if case .object(let o)? = try? JSONValue(parsing: text) { return o }
    guard text.contains("NaN") || text.contains("Infinity") else { return nil }
    var patched = ""
    var inString = false
    var escaped = false
    var i = text.startIndex
    while i < text.endIndex {
      let c = text[i]
      if inString {
        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" {
          inString = false
        }
      } else if c == "\"" {
        inString = true
      } else {
        var matched = false
        for word in ["-Infinity", "Infinity", "NaN"] where text[i...].hasPrefix(word) {
          patched += "\"\(word)\""
          i = text.index(i, offsetBy: word.count)
          matched = true
          break
        }
        if matched { continue }
      }
      patched.append(c)
      i = text.index(after: i)
    }
    if case .object(let o)? = try? JSONValue(parsing: patched) { return o }
    return nil
  }

  private static func judge(_ value: JSONValue, json: String) -> MetricReading {
    let shown = json.count > 200 ? String(json.prefix(200)) + "…" : json
    switch value {
    case .int, .double:
      guard let v = value.doubleValue else { return .missing }
      return v.isFinite ? .value(v) : .refused(shown, "not a finite number")
    case .string(let s):
      if nonFinite(s) != nil { return .refused(shown, "\(s) is not a finite number") }
      if let v = Double(s), v.isFinite { return .value(v) }
      return .refused(shown, "the value is the text \"\(s)\", not a number")
    case .null:
      return .refused(shown, "the value is null")
    case .bool, .array, .object:
      return .refused(shown, "the value is not a number")
    }
  }

  /// `nan`, `inf`, `-Infinity` and their spellings as a `Double`.
  private static func nonFinite(_ word: String) -> Double? {
    switch word.lowercased() {
    case "nan", "-nan", "+nan": return .nan
    case "inf", "+inf", "infinity", "+infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    default: return nil
    }
  }
}
