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
  /// An integer of at least `min` (and at most `max`).
  static func int(
    _ key: String, _ path: WritableKeyPath<P, Int>, min: Int, max: Int = .max
  ) -> Self {
    Self(
      key: key,
      read: { p, v in
        guard let i = v.exactInt, i >= min, i <= max else {
          throw Self.rangeError(key, v, min: min, max: max)
        }
        p[keyPath: path] = i
      },
      write: { .int($0[keyPath: path]) })
  }

  /// An optional integer of at least `min`; `null` unsets it.
  static func int(
    _ key: String, _ path: WritableKeyPath<P, Int?>, min: Int, max: Int = .max
  ) -> Self {
    Self(
      key: key,
      read: { p, v in
        if v == .null {
          p[keyPath: path] = nil
          return
        }
        guard let i = v.exactInt, i >= min, i <= max else {
          throw Self.rangeError(key, v, min: min, max: max)
        }
        p[keyPath: path] = i
      },
      write: { $0[keyPath: path].map { .int($0) } })
  }

  private static func rangeError(
    _ key: String, _ v: JSONValue, min: Int, max: Int
  ) -> SamplerConfigurationError {
    let range = max == .max ? "an integer ≥ \(min)" : "an integer in \(min)...\(max)"
    return SamplerConfigurationError(key: key, "must be \(range), got \(v.display)")
  }

  /// An optional finite number accepted by `valid` (described by `what`);
  /// `null` unsets it.
  static func number(
    _ key: String, _ path: WritableKeyPath<P, Double?>, _ what: String,
    valid: @escaping (Double) -> Bool
  ) -> Self {
    Self(
      key: key,
      read: { p, v in
        if v == .null {
          p[keyPath: path] = nil
          return
        }
        guard let d = v.finiteDouble, valid(d) else {
          throw SamplerConfigurationError(key: key, "must be \(what), got \(v.display)")
        }
        p[keyPath: path] = d
      },
      write: { $0[keyPath: path].map { .double($0) } })
  }

  /// A finite number accepted by `valid`.
  static func number(
    _ key: String, _ path: WritableKeyPath<P, Double>, _ what: String,
    valid: @escaping (Double) -> Bool
  ) -> Self {
    Self(
      key: key,
      read: { p, v in
        guard let d = v.finiteDouble, valid(d) else {
          throw SamplerConfigurationError(key: key, "must be \(what), got \(v.display)")
        }
        p[keyPath: path] = d
      },
      write: { .double($0[keyPath: path]) })
  }

  /// `true` or `false`.
  static func bool(_ key: String, _ path: WritableKeyPath<P, Bool>) -> Self {
    Self(
      key: key,
      read: { p, v in
        guard case .bool(let b) = v else {
          throw SamplerConfigurationError(key: key, "must be true or false, got \(v.display)")
        }
        p[keyPath: path] = b
      },
      write: { .bool($0[keyPath: path]) })
  }

  /// One of an enumeration's names.
  static func choice<E: RawRepresentable & CaseIterable>(
    _ key: String, _ path: WritableKeyPath<P, E>
  ) -> Self where E.RawValue == String {
    Self(
      key: key,
      read: { p, v in
        guard case .string(let s) = v, let e = E(rawValue: s) else {
          let names = E.allCases.map(\.rawValue).joined(separator: ", ")
          throw SamplerConfigurationError(key: key, "must be one of \(names), got \(v.display)")
        }
        p[keyPath: path] = e
      },
      write: { .string($0[keyPath: path].rawValue) })
  }

  /// An optional pair of non-negative finite numbers `[a, b]`, in either
  /// order: `make(smaller, larger)` builds the value; `null` unsets it.
  static func pair<T>(
    _ key: String, _ path: WritableKeyPath<P, T?>, make: @escaping (Double, Double) -> T,
    write: @escaping (T) -> [Double]
  ) -> Self {
    Self(
      key: key,
      read: { p, v in
        if v == .null {
          p[keyPath: path] = nil
          return
        }
        guard case .array(let items) = v, items.count == 2,
          let a = items[0].finiteDouble, let b = items[1].finiteDouble, a >= 0, b >= 0,
          max(a, b) > 0
        else {
          throw SamplerConfigurationError(
            key: key,
            "must be two non-negative numbers, not both zero (either order), "
              + "got \(v.display)")
        }
        p[keyPath: path] = make(min(a, b), max(a, b))
      },
      write: { p in p[keyPath: path].map { .array(write($0).map { .double($0) }) } })
  }

  /// An optional list of finite non-negative numbers, ascending; `null`
  /// unsets it.
  static func ascending(_ key: String, _ path: WritableKeyPath<P, [Double]?>) -> Self {
    Self(
      key: key,
      read: { p, v in
        if v == .null {
          p[keyPath: path] = nil
          return
        }
        guard case .array(let items) = v, !items.isEmpty else {
          throw SamplerConfigurationError(
            key: key, "must be a non-empty list of numbers, got \(v.display)")
        }
        let values = items.compactMap(\.finiteDouble)
        guard values.count == items.count, values.allSatisfy({ $0 >= 0 }),
          zip(values, values.dropFirst()).allSatisfy({ $0 <= $1 })
        else {
          throw SamplerConfigurationError(
            key: key, "must list finite non-negative numbers in ascending order")
        }
        p[keyPath: path] = values
      },
      write: { p in p[keyPath: path].map { .array($0.map { .double($0) }) } })
  }

  /// Optional initial states: a list of rows of ±1 (or 0/1 for binary
  /// models, mapped to −1/+1), all of one length; `null` unsets them.
  static func states(_ key: String, _ path: WritableKeyPath<P, [Int8]?>) -> Self {
    Self(
      key: key,
      read: { p, v in
        if v == .null {
          p[keyPath: path] = nil
          return
        }
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
        p[keyPath: path] = flat
      },
      write: { _ in nil })
  }
}
