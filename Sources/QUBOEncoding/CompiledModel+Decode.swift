import QUBOModel

extension CompiledModel {
  /// Decodes one assignment of the compiled variables (0/1 by index, in the
  /// order of `labels`).
  ///
  /// - Parameters:
  ///   - assignment: one bit per compiled variable.
  ///   - energy: the sample's energy, reported as is.
  ///   - values: the placeholders' values, for the objective.
  ///   - row: the row number to report.
  /// - Returns: the named values, objective and constraint report.
  /// - Throws: `EncodingError` when the assignment has the wrong length or a
  ///   placeholder value is missing.
  public func decode(
    assignment: [Int8], energy: Double = .nan, values: [String: Double] = [:], row: Int = 0
  ) throws -> Solution {
    guard assignment.count == numVariables else {
      throw EncodingError.invalidArgument(
        "an assignment needs \(numVariables) bits, got \(assignment.count)")
    }
    return decode(assignment, energy: energy, parameters: try userParameters(values), row: row)
  }

  func decode(_ x: [Int8], energy: Double, parameters p: [Double], row: Int) -> Solution {
    var bits: [String: Int8] = [:]
    var spins: [String: Int8] = [:]
    for (id, v) in model.variables.enumerated() {
      switch v.role {
      case .binary: bits[v.name] = x[id]
      case .spin: spins[v.name] = 2 * x[id] - 1
      case .integerBit, .slack, .auxiliary: break
      }
    }
    var integers: [String: IntegerDecoding] = [:]
    for n in model.integers {
      integers[n.name] = n.decode(n.bits.map { x[Int($0)] })
    }
    let reports = constraints.indices.map { k -> ConstraintReport in
      let cc = constraints[k]
      let e = Expr.evaluate(constraintTerms[k], bits: x)
      let violation = cc.constraint.violation(of: e)
      return ConstraintReport(
        name: cc.constraint.name, kind: cc.constraint.kind, value: e, violation: violation,
        isSatisfied: cc.holds(violation: violation))
    }
    let minimized = Expr.evaluate(objectiveTerms, bits: x, parameters: p)
    return Solution(
      energy: energy, objective: model.sense == .maximize ? -minimized : minimized,
      minimizedObjective: minimized,
      bits: bits, spins: spins, integers: integers, constraints: reports, row: row,
      assignment: x, parameters: p, arrays: model.arrays)
  }

  /// Whether every constraint holds and every integer decodes at `x`,
  /// without building the named values.
  func isFeasible(_ x: [Int8]) -> Bool {
    for (k, cc) in constraints.enumerated() {
      let e = Expr.evaluate(constraintTerms[k], bits: x)
      if !cc.holds(violation: cc.constraint.violation(of: e)) { return false }
    }
    for n in model.integers where n.decode(n.bits.map { x[Int($0)] }).value == nil {
      return false
    }
    return true
  }

  /// For each compiled variable, its column in `samples`.
  func columns(in samples: SampleSet) throws -> [Int] {
    try model.variables.map { v in
      guard let c = samples.variables.index(of: .string(v.name)) else {
        throw EncodingError.missingVariable(v.name)
      }
      return c
    }
  }

  /// The compiled variables' bits in row `r` of `samples`.
  func assignment(_ samples: SampleSet, row r: Int, columns: [Int]) -> [Int8] {
    let n = samples.numVariables
    let base = r * n
    switch samples.vartype {
    case .binary: return columns.map { samples.samples[base + $0] }
    case .spin: return columns.map { samples.samples[base + $0] > 0 ? 1 : 0 }
    }
  }

  /// Decodes every row of `samples` (a sample set of this model's BQM, in
  /// either vartype), in row order.
  public func decode(
    _ samples: SampleSet, values: [String: Double] = [:]
  ) throws -> [Solution] {
    let cols = try columns(in: samples)
    let p = try userParameters(values)
    return (0..<samples.count).map { r in
      decode(
        assignment(samples, row: r, columns: cols), energy: samples.energies[r],
        parameters: p, row: r)
    }
  }

  /// The row of lowest energy, decoded (the first such row).
  public func lowestEnergy(
    _ samples: SampleSet, values: [String: Double] = [:]
  ) throws -> Solution? {
    guard let r = samples.lowestRow else { return nil }
    let cols = try columns(in: samples)
    return decode(
      assignment(samples, row: r, columns: cols), energy: samples.energies[r],
      parameters: try userParameters(values), row: r)
  }

  /// The feasible row of best objective (ties: least energy, then first),
  /// decoded; `nil` when no row is feasible.
  ///
  /// Rows are visited in order of energy, and the scan stops once the
  /// energy exceeds the best feasible objective found: a feasible row's
  /// energy is its objective plus non-negative penalties, so no later row
  /// can do better. This holds for samples of this model instantiated with
  /// the same `values` (penalty strengths ≥ 0 always hold).
  ///
  /// - Complexity: O(R log R) to order the rows plus one decode per row
  ///   visited.
  public func lowestFeasible(
    _ samples: SampleSet, values: [String: Double] = [:]
  ) throws -> Solution? {
    let cols = try columns(in: samples)
    let p = try userParameters(values)
    let order = samples.energies.indices.sorted {
      (samples.energies[$0], $0) < (samples.energies[$1], $1)
    }
    var best: Solution?
    for r in order {
      let energy = samples.energies[r]
      if let b = best,
        energy > b.minimizedObjective + 1e-9 * max(1, abs(b.minimizedObjective))
      {
        break
      }
      let x = assignment(samples, row: r, columns: cols)
      guard isFeasible(x) else { continue }
      let s = decode(x, energy: energy, parameters: p, row: r)
      if let b = best,
        (b.minimizedObjective, b.energy) <= (s.minimizedObjective, s.energy)
      {
        continue
      }
      best = s
    }
    return best
  }
}

extension SampleSet {
  /// The feasible sample of least objective under `model`'s constraints,
  /// decoded (see `CompiledModel.lowestFeasible`); `nil` when none is.
  public func lowestFeasible(
    _ model: CompiledModel, values: [String: Double] = [:]
  ) throws -> Solution? {
    try model.lowestFeasible(self, values: values)
  }

  /// The sample of lowest energy, decoded by `model`.
  public func lowestEnergy(
    _ model: CompiledModel, values: [String: Double] = [:]
  ) throws -> Solution? {
    try model.lowestEnergy(self, values: values)
  }
}
