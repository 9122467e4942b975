import Foundation
import QUBOModel

/// The finite set of values one parameter may take.
///
/// Every distribution is a finite, ordered list of values, so that a
/// configuration is a tuple of indices and can be spelled in bits: floats
/// live on a grid of `steps` points, linear or logarithmic. A float given
/// without `steps` is *continuous*: its grid has `continuousSteps` points
/// (2²⁰ intervals, a relative resolution of 10⁻⁶), which samplers never
/// enumerate; the trust-region sampler searches it on a small grid that is
/// refined around the incumbent as its region shrinks.
public enum Distribution: Sendable, Hashable {
  /// One of the given names.
  case categorical([String])
  /// `low, low + step, …, high`.
  case integer(low: Int, high: Int, step: Int)
  /// `steps` points from `low` to `high`, evenly spaced in `x` or in `log x`.
  case float(low: Double, high: Double, steps: Int, log: Bool)
  /// `false` or `true`.
  case bool

  /// The grid size of a continuous float (2²⁰ + 1 points).
  public static let continuousSteps = (1 << 20) + 1

  /// A float without a grid of its own (`steps` = `continuousSteps`).
  public static func continuous(low: Double, high: Double, log: Bool = false) -> Distribution {
    .float(low: low, high: high, steps: continuousSteps, log: log)
  }

  /// Whether this is a continuous float (see `continuous(low:high:log:)`).
  public var isContinuous: Bool {
    if case .float(let lo, let hi, let steps, _) = self {
      return steps == Self.continuousSteps && lo != hi
    }
    return false
  }

  /// Whether the values are ordered (integers and floats).
  public var isOrdered: Bool {
    switch self {
    case .integer, .float: return true
    case .categorical, .bool: return false
    }
  }

  /// The number of values.
  public var count: Int {
    switch self {
    case .categorical(let v): return v.count
    case .integer(let lo, let hi, let step): return (hi - lo) / step + 1
    case .float(let lo, let hi, let steps, _): return lo == hi ? 1 : steps
    case .bool: return 2
    }
  }

  /// The value at `index` (`0 ..< count`).
  public func value(at index: Int) -> ParameterValue {
    switch self {
    case .categorical(let v): return .string(v[index])
    case .integer(let lo, _, let step): return .int(lo + index * step)
    case .float(let lo, let hi, let steps, let log):
      if lo == hi || index == 0 { return .double(lo) }
      if index == steps - 1 { return .double(hi) }
      let t = Double(index) / Double(steps - 1)
      let v =
        log
        ? Foundation.exp(Foundation.log(lo) * (1 - t) + Foundation.log(hi) * t)
        : lo + (hi - lo) * t
      // 12 significant digits: 0.2, not 0.19999999999999996, on the command line.
      return .double(Double(String(format: "%.12g", v)) ?? v)
    case .bool: return .bool(index == 1)
    }
  }

  /// The index of `value`, or `nil` when it is not one of the values (a
  /// float matches the nearest grid point within a relative 1e-9).
  public func index(of value: ParameterValue) -> Int? {
    switch (self, value) {
    case (.categorical(let v), .string(let s)): return v.firstIndex(of: s)
    case (.integer(let lo, let hi, let step), .int(let i)):
      guard i >= lo, i <= hi, (i - lo) % step == 0 else { return nil }
      return (i - lo) / step
    case (.float, .int(let i)):
      return index(of: .double(Double(i)))
    case (.float(let lo, let hi, let steps, let log), .double(let d)):
      // The nearest grid point, computed (not searched), then checked.
      guard d.isFinite, steps > 1, lo != hi else {
        return self.value(at: 0).doubleValue == d ? 0 : nil
      }
      let t: Double
      if log {
        let span = Foundation.log(hi) - Foundation.log(lo)
        t = d > 0 ? (Foundation.log(d) - Foundation.log(lo)) / span : -1
      } else {
        t = (d - lo) / (hi - lo)
      }
      let guess = (t * Double(steps - 1)).rounded()
      guard guess > -2, guess < Double(steps + 1) else { return nil }
      let center = Int(guess)
      for k in [center, center - 1, center + 1] where k >= 0 && k < steps {
        if let g = self.value(at: k).doubleValue, abs(g - d) <= 1e-9 * max(1, abs(d)) { return k }
      }
      return nil
    case (.bool, .bool(let b)): return b ? 1 : 0
    default: return nil
    }
  }

  /// Checks the bounds; the error names `key` and the offending field.
  public func validate(key: String) throws {
    func fail(_ field: String, _ reason: String) -> TuningError {
      TuningError.invalidParameter(key: "\(key).\(field)", reason)
    }
    switch self {
    case .categorical(let v):
      if v.isEmpty { throw fail("values", "needs at least one value") }
      if Set(v).count != v.count { throw fail("values", "has a value twice") }
    case .integer(let lo, let hi, let step):
      if lo > hi { throw fail("low", "low \(lo) is greater than high \(hi)") }
      if step < 1 { throw fail("step", "must be at least 1, got \(step)") }
      if (hi - lo) % step != 0 {
        throw fail("step", "step \(step) does not divide the range \(lo)...\(hi)")
      }
    case .float(let lo, let hi, let steps, let log):
      if !lo.isFinite || !hi.isFinite { throw fail("low", "bounds must be finite") }
      if lo > hi { throw fail("low", "low \(lo) is greater than high \(hi)") }
      if log && lo <= 0 { throw fail("low", "a log grid needs low > 0, got \(lo)") }
      if steps < 2 && lo != hi { throw fail("steps", "needs at least 2 grid points") }
      if steps > 1 << 16 && steps != Self.continuousSteps {
        throw fail("steps", "at most 65536 grid points (leave steps out for a continuous float)")
      }
    case .bool:
      break
    }
  }

  /// The distribution as JSON (the form storages keep).
  public var json: JSONValue {
    switch self {
    case .categorical(let v):
      return .object(["type": .string("categorical"), "values": .array(v.map { .string($0) })])
    case .integer(let lo, let hi, let step):
      return .object([
        "type": .string("int"), "low": .int(lo), "high": .int(hi), "step": .int(step),
      ])
    case .float(let lo, let hi, let steps, let log):
      var o: [String: JSONValue] = [
        "type": .string("float"), "low": .double(lo), "high": .double(hi), "log": .bool(log),
      ]
      if steps != Self.continuousSteps { o["steps"] = .int(steps) }
      return .object(o)
    case .bool:
      return .object(["type": .string("bool")])
    }
  }
}

extension Distribution {
  /// Reads a distribution from its JSON or spec form:
  /// `{type: float, low, high, steps, log (default false)}` (continuous
  /// without `steps`),
  /// `{type: int, low, high, step (default 1)}`,
  /// `{type: categorical, values: [...]}`, `{type: bool}`.
  ///
  /// - Throws: `TuningError.invalidParameter` naming `key.field` for an
  ///   unknown type or key, a wrong type, or bounds that `validate` rejects.
  public init(json: JSONValue, key: String) throws {
    guard case .object(let f) = json else {
      throw TuningError.invalidParameter(
        key: key, "must be an object such as {type: int, low: 0, high: 9}")
    }
    func fail(_ field: String, _ reason: String) -> TuningError {
      TuningError.invalidParameter(key: "\(key).\(field)", reason)
    }
    guard case .string(let type)? = f["type"] else { throw fail("type", "is missing") }
    let allowed: Set<String>
    switch type {
    case "float": allowed = ["type", "low", "high", "steps", "log"]
    case "int": allowed = ["type", "low", "high", "step"]
    case "categorical": allowed = ["type", "values"]
    case "bool": allowed = ["type"]
    default:
      throw fail("type", "unknown type '\(type)' (float, int, categorical or bool)")
    }
    for k in f.keys.sorted() where !allowed.contains(k) {
      throw fail(k, "unknown key for type \(type)")
    }
    func int(_ field: String, _ fallback: Int?) throws -> Int {
      switch f[field] {
      case .int(let i)?: return i
      case .double(let d)? where d == d.rounded() && abs(d) < 1e15: return Int(d)
      case nil:
        if let v = fallback { return v }
        throw fail(field, "is missing")
      case let v?: throw fail(field, "must be an integer, got \(v.serialized())")
      }
    }
    func double(_ field: String) throws -> Double {
      guard let v = f[field] else { throw fail(field, "is missing") }
      guard let d = v.doubleValue else {
        throw fail(field, "must be a number, got \(v.serialized())")
      }
      return d
    }
    switch type {
    case "float":
      var log = false
      if let v = f["log"] {
        guard case .bool(let b) = v else { throw fail("log", "must be true or false") }
        log = b
      }
      self = .float(
        low: try double("low"), high: try double("high"),
        steps: try int("steps", Self.continuousSteps), log: log)
    case "int":
      self = .integer(
        low: try int("low", nil), high: try int("high", nil), step: try int("step", 1))
    case "categorical":
      guard case .array(let items)? = f["values"] else { throw fail("values", "must be a list") }
      self = .categorical(
        try items.map { item in
          switch item {
          case .string(let s): return s
          case .int, .double, .bool: return item.serialized()
          case .null, .array, .object:
            throw fail("values", "must hold names, got \(item.serialized())")
          }
        })
    default:
      self = .bool
    }
    try validate(key: key)
  }
}
