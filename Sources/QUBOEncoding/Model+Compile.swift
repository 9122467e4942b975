// Compilation: objective + Σ_c λ_c·P_c, reduced to quadratic, laid out as a
// BQM template plus a list of symbolic entries.
//
// Parameter ids: [0, P) the user's placeholders, [P, P+C) the constraints'
// penalty strengths λ_c, [P+C, P+C+R) the reductions' strengths M_y. A
// coefficient that carries parameters is not folded into the template; it
// becomes an entry (target, coefficient, parameter monomial) that
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
  public let penalty: Expr

  /// Whether a violation counts as satisfied: within 1e-9 of zero relative
  /// to the constraint's scale.
  func holds(violation: Double) -> Bool {
    violation <= 1e-9 * max(1, abs(bounds.lower), abs(bounds.upper))
  }
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
  /// - Returns: the compiled model.
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
      if let t = c.expression.sortedTerms.first(where: { !$0.term.parameters.isEmpty })?.term {
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
  func check(_ e: Expr, in place: String, allowPlaceholders: Bool) throws {
    let n = Int32(variables.count)
    let p = Int32(placeholderNames.count)
    for (t, c) in e.sortedTerms {
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
    func result(_ slack: Int, _ always: Bool, _ p: Expr) -> CompiledConstraint {
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
      var p = Expr()
      for a in bits.indices {
        for b in (a + 1)..<bits.count {
          p.add(Term(variables: [bits[a], bits[b]], parameters: []), 1)
        }
      }
      return result(0, hi <= tol, p)
    case .lessEqual:
      return try slackPenalty(c, e, lo, hi, index: index, tol: tol)
    case .greaterEqual:
      return try slackPenalty(c, -e, -hi, -lo, index: index, tol: tol)
    }
  }

  /// The penalty `(e + s)²` of `e ≤ 0` with `e ∈ [lo, hi]`, adding the
  /// slack bits of `s ∈ {0, r, …, r·⌊−lo/r⌋}` (see `Constraint`).
  mutating func slackPenalty(
    _ c: Constraint, _ e: Expr, _ lo: Double, _ hi: Double, index: Int, tol: Double
  ) throws -> CompiledConstraint {
    if lo > tol {
      throw EncodingError.unsatisfiable(
        constraint: c.name,
        reason: "the left side minus the right is at least \(lo) > 0 for every assignment")
    }
    if hi <= tol {
      return CompiledConstraint(
        constraint: c, slackBits: 0, bounds: (lo, hi), alwaysSatisfied: true, penalty: Expr())
    }
    var tightened = e
    var step = 1.0
    var lower = lo
    if let (r, constant) = resolution(of: e) {
      step = r
      tightened.terms[.one] = constant == 0 ? nil : constant
      lower += constant - e.constant
    }
    let width = Int((-lower / step + tol).rounded(.down))
    let coefficients = IntegerEncoding.binary.coefficients(width: width)
    var slack = tightened
    for (k, w) in coefficients.enumerated() {
      let id = newVariable("\(c.name).slack[\(k)]", .slack(index))
      slack.add(Term(variables: [id], parameters: []), Double(w) * step)
    }
    let bounds = c.kind == .greaterEqual ? (-hi, -lo) : (lo, hi)
    return CompiledConstraint(
      constraint: c, slackBits: coefficients.count, bounds: bounds, alwaysSatisfied: false,
      penalty: slack.squared())
  }

  /// The resolution `r` of `e ≤ 0` (the gcd of its variable coefficients,
  /// after scaling decimals by up to 10⁶) and the constant tightened so that
  /// `−constant` is the largest multiple of `r` not above `−e.constant`;
  /// `nil` when the coefficients have no such resolution.
  func resolution(of e: Expr) -> (Double, Double)? {
    var scale = 1.0
    search: for _ in 0...6 {
      for c in e.terms.values {
        let v = c * scale
        if abs(v - v.rounded()) > 1e-9 * max(1, abs(v)) || abs(v) > 1e15 {
          scale *= 10
          continue search
        }
      }
      var g = 0
      for (t, c) in e.terms where t.degree > 0 { g = gcd(g, abs(Int((c * scale).rounded()))) }
      guard g > 0 else { return nil }
      let rhs = (-e.constant * scale).rounded()
      let tightenedRHS = (rhs / Double(g)).rounded(.down) * Double(g)
      return (Double(g) / scale, -tightenedRHS / scale)
    }
    return nil
  }
}
