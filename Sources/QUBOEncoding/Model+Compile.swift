// Compilation: objective + Σ_c λ_c·P_c, reduced to quadratic, laid out as a
// BQM template plus a list of symbolic entries.
//
// Parameter ids: [0, P) the user's placeholders, [P, P+C) the constraints'
// penalty strengths λ_c, [P+C, P+C+R) the reductions' strengths M_y. A
// coefficient that carries parameters is not folded into the template; it
// becomes an entry (slot, coefficient, parameter monomial) that
// `CompiledModel.instantiate` evaluates, so re-instantiating with new values
// costs O(n + m) for copying the template plus O(entries), with no string
// hashing and no polynomial algebra.

/// A constraint as compiled: its penalty and the slack it added.
public struct CompiledConstraint: Sendable {
  /// The constraint as written.
  public let constraint: Constraint
  /// The number of slack bits added (0 for equalities and penalties).
  public let slackBits: Int
  /// Bounds of the constraint's expression over valid assignments.
  public let bounds: (lower: Double, upper: Double)
  /// Whether the constraint holds for every assignment (no penalty added).
  public let alwaysSatisfied: Bool
  /// The penalty `P ≥ 0` multiplied by the strength λ (slack included).
  public let penalty: Expression
}

extension Model {
  /// Compiles the model into a template that `instantiate` turns into a
  /// `BinaryQuadraticModel`.
  ///
  /// - Parameter reductionFactor: the factor `f ≥ 1` in the strength
  ///   `M = f·Σ|c_t|` of each higher-order reduction (see `Reduction`).
  /// - Throws: `EncodingError` for the first mistake found: empty domains,
  ///   reused names, non-finite coefficients, placeholders in constraints,
  ///   and constraints that no assignment within bounds satisfies.
  public func compile(reductionFactor: Double = 2) throws -> CompiledModel {
    if let first = errors.first { throw first }
    guard reductionFactor >= 1, reductionFactor.isFinite else {
      throw EncodingError.invalidArgument(
        "reductionFactor must be a finite number ≥ 1, got \(reductionFactor)")
    }
    var m = self
    try check(objective, in: "the objective", allowPlaceholders: true)
    let p = Int32(placeholderNames.count)
    var total = objective
    var compiled: [CompiledConstraint] = []
    for (index, c) in constraints.enumerated() {
      try check(c.expression, in: "constraint '\(c.name)'", allowPlaceholders: false)
      if let t = c.expression.terms.keys.first(where: { !$0.parameters.isEmpty }) {
        throw EncodingError.placeholderInConstraint(
          constraint: c.name, placeholder: placeholderNames[Int(t.parameters[0])])
      }
      let cc = try m.penalty(for: c, index: index)
      compiled.append(cc)
      let lambda = p + Int32(index)
      for (t, coefficient) in cc.penalty.terms {
        total.add(
          Term(variables: t.variables, parameters: Term.mergeAll(t.parameters, [lambda])),
          coefficient)
      }
    }
    let firstStrength = p + Int32(constraints.count)
    let reductions = m.reduceToQuadratic(
      &total, factor: reductionFactor, firstParameter: firstStrength)
    if let first = m.errors.first { throw first }
    return CompiledModel(
      model: m, constraints: compiled, polynomial: total, reductions: reductions)
  }

  /// Throws when `e` has a non-finite coefficient or a foreign id.
  func check(_ e: Expression, in place: String, allowPlaceholders: Bool) throws {
    let n = Int32(variables.count)
    let p = Int32(placeholderNames.count)
    for (t, c) in e.terms {
      guard c.isFinite else { throw EncodingError.invalidCoefficient(in: place, value: c) }
      if t.variables.contains(where: { $0 < 0 || $0 >= n })
        || t.parameters.contains(where: { $0 < 0 || $0 >= p })
      {
        throw EncodingError.foreignVariable(in: place)
      }
    }
  }

  /// The penalty of constraint `c` (adding its slack bits to the model).
  mutating func penalty(for c: Constraint, index: Int) throws -> CompiledConstraint {
    let e = c.expression
    let (lo, hi) = bounds(of: e, grouped: c.encodes == nil)
    let tol = 1e-9 * max(1, abs(lo), abs(hi))
    func result(_ slack: Int, _ always: Bool, _ p: Expression) -> CompiledConstraint {
      CompiledConstraint(
        constraint: c, slackBits: slack, bounds: (lo, hi), alwaysSatisfied: always, penalty: p)
    }
    switch c.kind {
    case .equal:
      if lo > tol || hi < -tol {
        throw EncodingError.unsatisfiable(
          constraint: c.name,
          reason: "the left side minus the right ranges over [\(lo), \(hi)], which excludes 0")
      }
      if let why = gcdObstruction(of: e) {
        throw EncodingError.unsatisfiable(constraint: c.name, reason: why)
      }
      return result(0, lo >= -tol && hi <= tol, e.squared())
    case .penalty:
      return result(0, hi <= tol, e)
    case .atMostOne:
      if lo > tol {
        throw EncodingError.unsatisfiable(
          constraint: c.name, reason: "at most \(-e.constant) of the bits: a negative count")
      }
      let bits = e.terms.keys.filter { $0.degree == 1 }.map { $0.variables[0] }.sorted()
      var p = Expression()
      for a in bits.indices {
        for b in (a + 1)..<bits.count {
          p.add(Term(variables: [bits[a], bits[b]], parameters: []), 1)
        }
      }
      return result(0, hi <= tol, p)
    case .lessEqual:
      if lo > tol {
        throw EncodingError.unsatisfiable(
          constraint: c.name,
          reason: "the left side minus the right is at least \(lo) > 0 for every assignment")
      }
      if hi <= tol { return result(0, true, Expression()) }
      let width = Int((-lo + tol).rounded(.down))
      let coefficients = IntegerEncoding.binary.coefficients(width: width)
      var slack = e
      for (k, w) in coefficients.enumerated() {
        let id = newVariable("\(c.name).slack[\(k)]", .slack(index))
        slack.add(Term(variables: [id], parameters: []), Double(w))
      }
      return result(coefficients.count, false, slack.squared())
    }
  }
}
