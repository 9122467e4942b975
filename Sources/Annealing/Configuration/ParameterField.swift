import QUBOModel

/// One named parameter a sampler takes from data: how to read it from a
/// JSON value into the parameters `P` (checking its type and range) and how
/// to write it back (`nil` when unset).
struct ParameterField<P> {
  let key: String
  let read: (inout P, JSONValue) throws -> Void
  let write: (P) -> JSONValue?

  /// A wrong-type or out-of-range error for this field.
  func error(_ what: String, got value: JSONValue) -> SamplerConfigurationError {
    SamplerConfigurationError(key: key, "must be \(what), got \(value.display)")
  }
}

extension JSONValue {
  /// An integer, also from an integral floating-point number.
  var exactInt: Int? {
    switch self {
    case .int(let i): return i
    case .double(let d):
      guard d == d.rounded(), d >= -9.2e18, d <= 9.2e18 else { return nil }
      return Int(d)
    case .null, .bool, .string, .array, .object: return nil
    }
  }

  /// The value as written in an error message (non-finite numbers, which
  /// JSON cannot spell, as `inf` or `nan`).
  var display: String {
    if case .double(let d) = self, !d.isFinite { return "\(d)" }
    if case .array(let items) = self { return "[" + items.map(\.display).joined(separator: ", ") + "]" }
    return serialized()
  }

  /// A finite number.
  var finiteDouble: Double? {
    guard let d = doubleValue, d.isFinite else { return nil }
    return d
  }
}

extension ParameterField {
  /// A required value: `parse` reads it (throwing for a wrong type or
  /// range), `encode` writes it back.
  static func value<T>(
    _ key: String, _ path: WritableKeyPath<P, T>, parse: @escaping (JSONValue) throws -> T,
    encode: @escaping (T) -> JSONValue
  ) -> Self {
    Self(
      key: key, read: { p, v in p[keyPath: path] = try parse(v) },
      write: { encode($0[keyPath: path]) })
  }

  /// An optional value: `null` unsets it (the sampler's default applies),
  /// anything else goes through `parse`; unset values are not written.
  static func optional<T>(
    _ key: String, _ path: WritableKeyPath<P, T?>, parse: @escaping (JSONValue) throws -> T,
    encode: @escaping (T) -> JSONValue?
  ) -> Self {
    Self(
      key: key, read: { p, v in p[keyPath: path] = v == .null ? nil : try parse(v) },
      write: { $0[keyPath: path].flatMap(encode) })
  }

  /// An integer of at least `min` (and at most `max`).
  static func int(
    _ key: String, _ path: WritableKeyPath<P, Int>, min: Int, max: Int = .max
  ) -> Self {
    value(key, path, parse: integer(key, min: min, max: max), encode: { .int($0) })
  }

  /// An optional integer of at least `min`; `null` unsets it.
  static func int(
    _ key: String, _ path: WritableKeyPath<P, Int?>, min: Int, max: Int = .max
  ) -> Self {
    optional(key, path, parse: integer(key, min: min, max: max), encode: { .int($0) })
  }

  /// A finite number accepted by `valid` (described by `what`).
  static func number(
    _ key: String, _ path: WritableKeyPath<P, Double>, _ what: String,
    valid: @escaping (Double) -> Bool
  ) -> Self {
    value(key, path, parse: finite(key, what, valid), encode: { .double($0) })
  }

  /// An optional finite number accepted by `valid`; `null` unsets it.
  static func number(
    _ key: String, _ path: WritableKeyPath<P, Double?>, _ what: String,
    valid: @escaping (Double) -> Bool
  ) -> Self {
    optional(key, path, parse: finite(key, what, valid), encode: { .double($0) })
  }

  /// `true` or `false`.
  static func bool(_ key: String, _ path: WritableKeyPath<P, Bool>) -> Self {
    value(
      key, path,
      parse: { v in
        guard case .bool(let b) = v else { throw mistake(key, "true or false", v) }
        return b
      }, encode: { .bool($0) })
  }

  /// One of an enumeration's names.
  static func choice<E: RawRepresentable & CaseIterable>(
    _ key: String, _ path: WritableKeyPath<P, E>
  ) -> Self where E.RawValue == String {
    value(
      key, path,
      parse: { v in
        guard case .string(let s) = v, let e = E(rawValue: s) else {
          let names = E.allCases.map(\.rawValue).joined(separator: ", ")
          throw mistake(key, "one of \(names)", v)
        }
        return e
      }, encode: { .string($0.rawValue) })
  }

  /// An optional pair of non-negative finite numbers `[a, b]`, in either
  /// order: `make(smaller, larger)` builds the value; `null` unsets it.
  static func pair<T>(
    _ key: String, _ path: WritableKeyPath<P, T?>, make: @escaping (Double, Double) -> T,
    write: @escaping (T) -> [Double]
  ) -> Self {
    optional(
      key, path,
      parse: { v in
        guard case .array(let items) = v, items.count == 2,
          let a = items[0].finiteDouble, let b = items[1].finiteDouble, a >= 0, b >= 0,
          Swift.max(a, b) > 0
        else {
          throw mistake(key, "two non-negative numbers, not both zero (either order)", v)
        }
        return make(Swift.min(a, b), Swift.max(a, b))
      }, encode: { .array(write($0).map { .double($0) }) })
  }

  /// An optional list of finite non-negative numbers, ascending; `null`
  /// unsets it.
  static func ascending(_ key: String, _ path: WritableKeyPath<P, [Double]?>) -> Self {
    optional(
      key, path,
      parse: { v in
        guard case .array(let items) = v, !items.isEmpty else {
          throw mistake(key, "a non-empty list of numbers", v)
        }
        let values = items.compactMap(\.finiteDouble)
        guard values.count == items.count, values.allSatisfy({ $0 >= 0 }),
          zip(values, values.dropFirst()).allSatisfy({ $0 <= $1 })
        else {
          throw SamplerConfigurationError(
            key: key, "must list finite non-negative numbers in ascending order")
        }
        return values
      }, encode: { .array($0.map { .double($0) }) })
  }

  /// Optional initial states: a list of rows of ±1 (or 0/1 for binary
  /// models, mapped to −1/+1), all of one length; `null` unsets them. They
  /// are not written back (they can be large).
  static func states(_ key: String, _ path: WritableKeyPath<P, [Int8]?>) -> Self {
    optional(key, path, parse: { try spinRows(key, $0) }, encode: { _ in nil })
  }

  // MARK: parsers

  private static func mistake(_ key: String, _ what: String, _ v: JSONValue)
    -> SamplerConfigurationError
  {
    SamplerConfigurationError(key: key, "must be \(what), got \(v.display)")
  }

  private static func integer(_ key: String, min: Int, max: Int) -> (JSONValue) throws -> Int {
    { v in
      guard let i = v.exactInt, i >= min, i <= max else {
        let range = max == .max ? "an integer ≥ \(min)" : "an integer in \(min)...\(max)"
        throw mistake(key, range, v)
      }
      return i
    }
  }

  private static func finite(
    _ key: String, _ what: String, _ valid: @escaping (Double) -> Bool
  ) -> (JSONValue) throws -> Double {
    { v in
      guard let d = v.finiteDouble, valid(d) else { throw mistake(key, what, v) }
      return d
    }
  }

  private static func spinRows(_ key: String, _ v: JSONValue) throws -> [Int8] {
    guard case .array(let rows) = v, !rows.isEmpty else {
      throw SamplerConfigurationError(key: key, "must be a non-empty list of rows")
    }
    var flat: [Int8] = []
    var width: Int?
    var spinForm = false
    var binaryForm = false
    for (r, row) in rows.enumerated() {
      guard case .array(let items) = row, width == nil || width == items.count else {
        throw SamplerConfigurationError(
          key: key, "row \(r) must be a list as long as the first row")
      }
      width = items.count
      for item in items {
        switch item.exactInt {
        case -1:
          spinForm = true
          flat.append(-1)
        case 0:
          binaryForm = true
          flat.append(-1)
        case 1: flat.append(1)
        default:
          throw SamplerConfigurationError(
            key: key, "row \(r) holds \(item.display); values must be ±1 (or 0/1)")
        }
      }
    }
    guard !(spinForm && binaryForm) else {
      throw SamplerConfigurationError(
        key: key, "mixes −1 and 0; give spins (±1) or binary values (0/1), not both")
    }
    return flat
  }
}
