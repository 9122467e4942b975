extension Study {
  /// How much of the spread of the complete trials' values each parameter
  /// explains: the correlation ratio η² = (between-group sum of squares) /
  /// (total sum of squares), grouping the trials by the parameter's value.
  ///
  /// A rough, model-free importance (Optuna's default fANOVA fits a random
  /// forest instead); values lie in [0, 1] and are not additive across
  /// parameters. Parameters sorted by importance, largest first; empty with
  /// fewer than two complete trials or no spread.
  public func parameterImportance() throws -> [(name: String, importance: Double)] {
    let done: [(trial: FrozenTrial, value: Double)] = try trials.compactMap { t in
      guard t.state == .complete, let v = t.value, v.isFinite else { return nil }
      return (t, v)
    }
    guard done.count >= 2 else { return [] }
    let values = done.map(\.value)
    let mean = values.reduce(0, +) / Double(values.count)
    let total = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    guard total > 0 else { return [] }
    let names = Set(done.flatMap(\.trial.parameters.keys)).sorted()
    var out: [(String, Double)] = []
    for name in names {
      var groups: [ParameterValue: (sum: Double, count: Int)] = [:]
      for (t, value) in done {
        guard let v = t.parameters[name] else { continue }
        groups[v, default: (0, 0)].sum += value
        groups[v, default: (0, 0)].count += 1
      }
      let between = groups.values.reduce(0.0) { acc, g in
        let m = g.sum / Double(g.count)
        return acc + Double(g.count) * (m - mean) * (m - mean)
      }
      out.append((name, between / total))
    }
    return out.sorted { $0.1 > $1.1 }
  }

  /// The best value after each finished trial, by trial number (failed and
  /// pruned trials repeat the best so far; `nil` before the first complete).
  public func bestValueHistory() throws -> [(number: Int, value: Double?, best: Double?)] {
    var best: Double?
    return try trials.filter { $0.state.isFinished }.map { t in
      var v: Double?
      if t.state == .complete, let x = t.value {
        v = x
        if best.map({ direction.isBetter(x, than: $0) }) ?? true { best = x }
      }
      return (t.number, v, best)
    }
  }
}
