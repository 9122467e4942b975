import Annealing
import QUBOModel

extension SamplerGrid {
  /// Reads one `samplers[k]` entry: `sampler`, an optional `label`, an
  /// optional `grid` (key → list of values) and fixed parameters; every
  /// grid value and every point is checked by `SamplerConfiguration`.
  init(_ value: JSONValue, at path: String, reads: Int, threads: Int) throws {
    var fields = try Field.object(value, at: path)
    guard let name = fields["sampler"] else {
      throw SweepSpecError(key: "\(path).sampler", "is required (sa, sqa, pt, tabu, …)")
    }
    let samplerName = try Field.string(name, at: "\(path).sampler")
    guard let kind = SamplerKind(rawValue: samplerName) else {
      let names = SamplerKind.allCases.map(\.rawValue).joined(separator: ", ")
      throw SweepSpecError(
        key: "\(path).sampler", "unknown sampler '\(samplerName)'; known: \(names)")
    }
    self.kind = kind
    label = try fields["label"].map { try Field.string($0, at: "\(path).label") } ?? samplerName
    var grid: [String: [JSONValue]] = [:]
    if let g = fields["grid"] {
      let axes = try Field.object(g, at: "\(path).grid")
      guard !axes.isEmpty else {
        throw SweepSpecError(
          key: "\(path).grid", "must name at least one parameter with its values (or be left out)")
      }
      for (key, list) in axes {
        guard kind.keys.contains(key) else {
          let known = kind.keys.joined(separator: ", ")
          throw SweepSpecError(
            key: "\(path).grid.\(key)",
            "\(samplerName) takes no parameter '\(key)'; it takes \(known)")
        }
        let values = try Field.array(list, at: "\(path).grid.\(key)")
        guard !values.isEmpty else {
          throw SweepSpecError(key: "\(path).grid.\(key)", "must list at least one value")
        }
        try Field.rejectRepeats(values, at: "\(path).grid.\(key)")
        grid[key] = values
      }
    }
    fields["grid"] = nil
    fields["label"] = nil
    var base = fields
    if base["reads"] == nil { base["reads"] = .int(reads) }
    if base["threads"] == nil { base["threads"] = .int(threads) }
    do {
      _ = try SamplerConfiguration(base)
    } catch let error as SamplerConfigurationError {
      throw SweepSpecError(key: error.key.map { "\(path).\($0)" } ?? path, error.reason)
    }
    self.fixed = base
    gridKeys = grid.keys.sorted()
    for key in gridKeys {
      for (j, v) in (grid[key] ?? []).enumerated() {
        var one = base
        one[key] = v
        do {
          _ = try SamplerConfiguration(one)
        } catch let error as SamplerConfigurationError {
          throw SweepSpecError(key: "\(path).grid.\(key)[\(j)]", error.reason)
        }
      }
    }
    var points: [[String: JSONValue]] = [[:]]
    for key in gridKeys {
      points = points.flatMap { p in
        (grid[key] ?? []).map { v in
          var q = p
          q[key] = v
          return q
        }
      }
    }
    self.points = points
    configurations = try points.map { point in
      do {
        return try SamplerConfiguration(base.merging(point) { $1 })
      } catch let error as SamplerConfigurationError {
        throw SweepSpecError(
          key: "\(path).grid", "the point \(JSONValue.object(point).serialized()): \(error)")
      }
    }
  }

  /// A grid point as `key=value` text, for tables and legends.
  public func pointLabel(_ k: Int) -> String {
    gridKeys.map { "\($0)=\(points[k][$0]?.serialized() ?? "")" }.joined(separator: " ")
  }
}
