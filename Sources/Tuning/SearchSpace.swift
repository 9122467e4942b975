import QUBOModel

/// Named parameters and their distributions, in a fixed order.
///
/// A configuration is a tuple of value indices in `names` order; that is the
/// form samplers work in, and `parameters(of:)` / `indices(of:)` convert.
public struct SearchSpace: Sendable, Hashable {
  /// Parameter names in definition order.
  public private(set) var names: [String] = []
  /// The distribution of each parameter.
  public private(set) var distributions: [String: Distribution] = [:]
  /// The distributions in `names` order.
  public private(set) var ordered: [Distribution] = []

  /// An empty space.
  public init() {}

  /// A space from `(name, distribution)` pairs, validated.
  public init(_ parameters: [(String, Distribution)]) throws {
    for (n, d) in parameters { try add(n, d) }
  }

  /// Adds a parameter; adding the same name with the same distribution again
  /// does nothing.
  ///
  /// - Throws: `TuningError` for invalid bounds or a conflicting redefinition.
  public mutating func add(_ name: String, _ distribution: Distribution) throws {
    if let old = distributions[name] {
      if old != distribution { throw TuningError.conflictingDistribution(name: name) }
      return
    }
    try distribution.validate(key: name)
    names.append(name)
    distributions[name] = distribution
    ordered.append(distribution)
  }

  /// The number of parameters.
  public var count: Int { names.count }

  /// The value count of each parameter, in `names` order.
  public var radices: [Int] { ordered.map(\.count) }

  /// The number of configurations (as a `Double`: it may be huge).
  public var size: Double { radices.reduce(1.0) { $0 * Double($1) } }

  /// The parameters of a configuration.
  public func parameters(of indices: [Int]) -> [String: ParameterValue] {
    var out: [String: ParameterValue] = [:]
    out.reserveCapacity(names.count)
    for (k, (name, d)) in zip(names, ordered).enumerated() {
      out[name] = d.value(at: indices[k])
    }
    return out
  }

  /// The configuration of `parameters`, or `nil` when one of this space's
  /// parameters is missing or off its grid.
  public func indices(of parameters: [String: ParameterValue]) -> [Int]? {
    var out: [Int] = []
    out.reserveCapacity(names.count)
    for (name, d) in zip(names, ordered) {
      guard let v = parameters[name], let i = d.index(of: v) else {
        return nil
      }
      out.append(i)
    }
    return out
  }

  /// A canonical text of a configuration (`name=value` pairs in `names`
  /// order), the key under which storages reserve it.
  public func key(of indices: [Int]) -> String {
    zip(names, zip(ordered, indices)).map { "\($0)=\($1.0.value(at: $1.1))" }
      .joined(separator: "\u{1F}")
  }

  /// The configuration with mixed-radix rank `rank` (first name varies slowest).
  public func configuration(rank: Int) -> [Int] {
    var r = rank
    var out = [Int](repeating: 0, count: names.count)
    for (k, radix) in radices.enumerated().reversed() {
      out[k] = r % radix
      r /= radix
    }
    return out
  }

  /// The space as a JSON object `{name: distribution}` (order in `order`).
  public var json: JSONValue {
    .object([
      "order": .array(names.map { .string($0) }),
      "parameters": .object(distributions.mapValues(\.json)),
    ])
  }

  /// The parameters that every trial in `trials` defines with the same
  /// distribution (Optuna's intersection search space), in the order of the
  /// first trial.
  public static func intersection(of trials: [FrozenTrial]) -> SearchSpace {
    guard let first = trials.first else { return SearchSpace() }
    var space = SearchSpace()
    for name in first.parameterOrder {
      guard let d = first.distributions[name] else { continue }
      if trials.allSatisfy({ $0.distributions[name] == d }) {
        try? space.add(name, d)
      }
    }
    return space
  }
}
