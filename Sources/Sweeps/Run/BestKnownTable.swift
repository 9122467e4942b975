import Foundation

/// A best-known values table in the layout of `benchmarks/best_known.csv`:
/// a header naming at least `instance` and `best_known`, one row per
/// instance, values in the instance format's own objective.
enum BestKnownTable {
  /// Instance name → best-known value; throws naming `key` when the file is
  /// missing or lacks the columns.
  static func read(_ path: String, key: String) throws -> [String: Double] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SweepSpecError(key: key, "no such best-known file \(path)")
    }
    let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
    guard let header = lines.first.map({ fields(String($0)) }),
      let nameColumn = header.firstIndex(of: "instance"),
      let valueColumn = header.firstIndex(of: "best_known")
    else {
      throw SweepSpecError(key: key, "\(path) needs a header with instance and best_known")
    }
    var out: [String: Double] = [:]
    for line in lines.dropFirst() {
      let f = fields(String(line))
      guard f.count > max(nameColumn, valueColumn), let v = Double(f[valueColumn]) else { continue }
      out[f[nameColumn]] = v
    }
    return out
  }

  /// The comma-separated fields of a CSV line (double quotes protect commas).
  static func fields(_ line: String) -> [String] {
    var out: [String] = []
    var current = ""
    var quoted = false
    for c in line {
      if c == "\"" {
        quoted.toggle()
      } else if c == "," && !quoted {
        out.append(current)
        current = ""
      } else {
        current.append(c)
      }
    }
    out.append(current)
    return out.map { $0.trimmingCharacters(in: .whitespaces) }
  }
}
