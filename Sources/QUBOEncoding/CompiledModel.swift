import QUBOModel

/// A compiled model: a BQM template over binary variables labelled by name,
/// the constraints' penalties, the reductions, and what decoding needs.
///
/// `instantiate(values:penalties:)` gives the placeholders and penalty
/// strengths values and returns a `BinaryQuadraticModel`; it can be called
/// again with other values without compiling again.
public struct CompiledModel: Sendable {
  /// Where a coefficient that depends on parameters goes in the model.
  enum Target: Sendable {
    /// The constant offset.
    case offset
    /// The linear bias of one variable.
    case linear(Int32)
    /// The interaction of two variables.
    case quadratic(Int32, Int32)
  }

  /// One coefficient that depends on parameters.
  struct SymbolicEntry: Sendable {
    var target: Target
    var coefficient: Double
    /// Index into `parameterMonomials`.
    var monomial: Int32
  }

  let model: Model
  /// The constraints, in order, as compiled.
  public let constraints: [CompiledConstraint]
  /// The auxiliary bits of higher-order reduction.
  public let reductions: [Reduction]
  /// The full penalised polynomial after reduction (every term degree ≤ 2).
  public let polynomial: Expr
  let template: BinaryQuadraticModel
  let parameterMonomials: [[Int32]]
  let symbolic: [SymbolicEntry]
  /// The default penalty when the objective has no placeholders.
  let constantDefaultPenalty: Double?
  /// Each constraint's expression and the objective in `Term.precedes`
  /// order, sorted once: decoding evaluates them for every row.
  let constraintTerms: [[(term: Term, coefficient: Double)]]
  let objectiveTerms: [(term: Term, coefficient: Double)]

  init(
    model: Model, constraints: [CompiledConstraint], polynomial: Expr,
    reductions: [Reduction]
  ) {
    self.model = model
    self.constraints = constraints
    self.reductions = reductions
    self.polynomial = polynomial
    var bqm = BinaryQuadraticModel(vartype: .binary)
    for v in model.variables { bqm.addVariable(.string(v.name)) }
    var monomials: [[Int32]] = []
    var monomialIndex: [[Int32]: Int32] = [:]
    var entries: [SymbolicEntry] = []
    for (t, c) in polynomial.sortedTerms {
      let v = t.variables
      if t.parameters.isEmpty {
        switch v.count {
        case 0: bqm.offset += c
        case 1: bqm.addLinear(index: Int(v[0]), c)
        default: bqm.addQuadratic(index: Int(v[0]), Int(v[1]), c)
        }
        continue
      }
      let k: Int32
      if let known = monomialIndex[t.parameters] {
        k = known
      } else {
        k = Int32(monomials.count)
        monomials.append(t.parameters)
        monomialIndex[t.parameters] = k
      }
      switch v.count {
      case 0:
        entries.append(SymbolicEntry(target: .offset, coefficient: c, monomial: k))
      case 1:
        entries.append(SymbolicEntry(target: .linear(v[0]), coefficient: c, monomial: k))
      default:
        bqm.addQuadratic(index: Int(v[0]), Int(v[1]), 0)
        entries.append(SymbolicEntry(target: .quadratic(v[0], v[1]), coefficient: c, monomial: k))
      }
    }
    template = bqm
    parameterMonomials = monomials
    symbolic = entries
    constantDefaultPenalty =
      model.objective.hasPlaceholders ? nil : Self.defaultPenalty(model.objective, [])
    constraintTerms = constraints.map(\.constraint.expression.sortedTerms)
    objectiveTerms = model.objective.sortedTerms
  }

  /// The number of binary variables of the instantiated BQM (slack and
  /// auxiliary bits included).
  public var numVariables: Int { template.numVariables }

  /// The number of interactions of the instantiated BQM.
  public var numInteractions: Int { template.numInteractions }

  /// The labels of the BQM, in index order.
  public var labels: [String] { model.variables.map(\.name) }

  /// The placeholders that need values, in declaration order.
  public var placeholders: [String] { model.placeholderNames }

  /// The names of the penalty strengths (one per constraint).
  public var penaltyNames: [String] { constraints.map(\.constraint.name) }

  /// The integer variables.
  public var integers: [IntegerVariable] { model.integers }

  /// The default penalty strength, derived from the objective's scale.
  ///
  ///     λ₀ = max_i Σ_{t ∋ i} |c_t|
  ///
  /// the largest change of the objective that flipping one variable can
  /// make (coefficients grouped by monomial, placeholders evaluated), or 1
  /// when the objective has no variable terms. A violation that costs at
  /// least λ₀ (a unit violation of an integer constraint does) then cannot
  /// be bought back by flipping one bit; the automatic loop in `solve`
  /// raises the strengths when that is not enough.
  public func defaultPenalty(values: [String: Double] = [:]) throws -> Double {
    if let c = constantDefaultPenalty { return c }
    return Self.defaultPenalty(model.objective, try userParameters(values))
  }

  static func defaultPenalty(_ objective: Expr, _ p: [Double]) -> Double {
    var byMonomial: [[Int32]: Double] = [:]
    for (t, c) in objective.sortedTerms where t.degree > 0 {
      var v = c
      for k in t.parameters { v *= p[Int(k)] }
      byMonomial[t.variables, default: 0] += v
    }
    var perVariable: [Int32: Double] = [:]
    for vars in byMonomial.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
      let c = byMonomial[vars] ?? 0
      for i in vars { perVariable[i, default: 0] += abs(c) }
    }
    let m = perVariable.values.max() ?? 0
    return m > 0 && m.isFinite ? m : 1
  }

  /// The values of the user's placeholders, in id order.
  func userParameters(_ values: [String: Double]) throws -> [Double] {
    for name in values.keys where model.placeholderIndex[name] == nil {
      throw EncodingError.unknownName(name)
    }
    return try model.placeholderNames.map { name in
      guard let v = values[name] else { throw EncodingError.missingValue(placeholder: name) }
      guard v.isFinite else { throw EncodingError.invalidValue(name: name, value: v) }
      return v
    }
  }
}
