import QUBOModel

/// Typed access to spec fields; every failure names the key path.
enum Field {
  static func object(_ v: JSONValue, at path: String?) throws -> [String: JSONValue] {
    guard case .object(let o) = v else {
      throw SweepSpecError(key: path, "must be a mapping, got \(v.serialized())")
    }
    return o
  }

  static func array(_ v: JSONValue, at path: String) throws -> [JSONValue] {
    guard case .array(let a) = v else {
      throw SweepSpecError(key: path, "must be a list, got \(v.serialized())")
    }
    return a
  }

  static func string(_ v: JSONValue, at path: String) throws -> String {
    guard case .string(let s) = v else {
      throw SweepSpecError(key: path, "must be a string, got \(v.serialized())")
    }
    return s
  }

  static func int(_ v: JSONValue, at path: String, min: Int = .min) throws -> Int {
    guard case .int(let i) = v else {
      throw SweepSpecError(key: path, "must be an integer, got \(v.serialized())")
    }
    guard i >= min else { throw SweepSpecError(key: path, "must be at least \(min), got \(i)") }
    return i
  }

  static func number(_ v: JSONValue, at path: String, positive: Bool = false) throws -> Double {
    guard let d = v.doubleValue, d.isFinite else {
      throw SweepSpecError(key: path, "must be a number, got \(v.serialized())")
    }
    if positive && d <= 0 { throw SweepSpecError(key: path, "must be positive, got \(d)") }
    return d
  }

  /// Throws naming the second of two equal entries of `list`, which would
  /// run one cell twice and report its group twice.
  static func rejectRepeats(_ list: [JSONValue], at path: String) throws {
    var first: [JSONValue: Int] = [:]
    for (k, v) in list.enumerated() {
      // 10 and 10.0 are the same value.
      let canonical = v.doubleValue.map { JSONValue.double($0) } ?? v
      if let j = first[canonical] {
        throw SweepSpecError(
          key: "\(path)[\(k)]", "repeats \(v.serialized()) (also at [\(j)]); list each value once")
      }
      first[canonical] = k
    }
  }

  static func rejectUnknown(
    _ o: [String: JSONValue], allowed: Set<String>, at path: String?
  ) throws {
    for key in o.keys.sorted() where !allowed.contains(key) {
      let full = path.map { "\($0).\(key)" } ?? key
      throw SweepSpecError(
        key: full, "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
    }
  }
}
