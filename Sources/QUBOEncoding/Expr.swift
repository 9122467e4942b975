// A sparse polynomial over binary variables and symbolic placeholders.
//
// Goals, in order of priority:
// 1. Exact algebra: binary variables are idempotent (x·x = x), so a product
//    of variables is a *set* of ids; placeholders are ordinary symbols, so a
//    product of placeholders is a *multiset* of ids (p·p = p²).
// 2. Memory proportional to the number of terms: one dictionary entry per
//    distinct (variables, placeholders) pair, no dense matrices.
// 3. In-place accumulation: `+=` and `Expr.sum` never copy the
//    accumulated polynomial, so building n terms costs O(n) hash inserts.
//
// Spin variables are binary variables seen through s = 2x − 1, so every
// expression is a polynomial in binary variables only.

/// One monomial of an expression: a product of distinct binary variables
/// and of placeholders (with repetition), both kept as sorted id lists.
public struct Term: Hashable, Sendable {
  /// The variable ids, sorted ascending, without repetition.
  public internal(set) var variables: [Int32]
  /// The placeholder ids, sorted ascending, repeated for powers.
  public internal(set) var parameters: [Int32]

  /// The constant monomial `1`.
  public static let one = Term(variables: [], parameters: [])

  @usableFromInline
  init(variables: [Int32], parameters: [Int32]) {
    self.variables = variables
    self.parameters = parameters
  }

  /// The degree in the variables (placeholders do not count).
  @inlinable public var degree: Int { variables.count }

  /// The product of two monomials: `x·x = x` for variables, `p·p = p²` for
  /// placeholders.
  public static func * (a: Term, b: Term) -> Term {
    Term(
      variables: mergeUnique(a.variables, b.variables),
      parameters: mergeAll(a.parameters, b.parameters))
  }

  /// The sorted union of two sorted id lists.
  static func mergeUnique(_ a: [Int32], _ b: [Int32]) -> [Int32] {
    if a.isEmpty { return b }
    if b.isEmpty { return a }
    var out: [Int32] = []
    out.reserveCapacity(a.count + b.count)
    var i = 0
    var j = 0
    while i < a.count && j < b.count {
      let (u, v) = (a[i], b[j])
      out.append(min(u, v))
      if u <= v { i += 1 }
      if v <= u { j += 1 }
    }
    out.append(contentsOf: a[i...])
    out.append(contentsOf: b[j...])
    return out
  }

  /// A total order on monomials (variables, then placeholders, each list
  /// compared lexicographically): the order of every sum over the terms of
  /// an expression, so that no result depends on a dictionary's iteration
  /// order (which changes with insertion history and, across processes,
  /// with the per-process hash seed).
  static func precedes(_ a: Term, _ b: Term) -> Bool {
    if a.variables != b.variables { return a.variables.lexicographicallyPrecedes(b.variables) }
    return a.parameters.lexicographicallyPrecedes(b.parameters)
  }

  /// The sorted merge of two sorted id lists, keeping repetitions.
  static func mergeAll(_ a: [Int32], _ b: [Int32]) -> [Int32] {
    if a.isEmpty { return b }
    if b.isEmpty { return a }
    return (a + b).sorted()
  }
}

/// A polynomial in binary variables with real coefficients that may carry
/// placeholders (symbols whose values are given when a model is instantiated).
///
///     e(x; p) = Σ_t c_t · Π_{i ∈ V_t} x_i · Π_{k ∈ P_t} p_k
///
/// Build expressions from a `Model`'s variables with `+ − ×`, integer powers
/// and sums; compare them with `==`, `<=`, `>=` to make constraints.
public struct Expr: Sendable {
  /// The coefficient of each monomial; monomials with no entry are zero.
  public internal(set) var terms: [Term: Double]

  /// The zero polynomial.
  public init() { terms = [:] }

  /// The constant polynomial `c`.
  public init(_ c: Double) {
    terms = c == 0 ? [:] : [.one: c]
  }

  @usableFromInline
  init(terms: [Term: Double]) { self.terms = terms }

  /// The single variable with internal id `id`.
  static func variable(_ id: Int32) -> Expr {
    Expr(terms: [Term(variables: [id], parameters: []): 1])
  }

  /// The single placeholder with internal id `id`.
  static func parameter(_ id: Int32) -> Expr {
    Expr(terms: [Term(variables: [], parameters: [id]): 1])
  }

  /// The number of stored monomials.
  @inlinable public var termCount: Int { terms.count }

  /// The highest variable degree of any monomial (0 for a constant).
  public var degree: Int { terms.keys.reduce(0) { max($0, $1.degree) } }

  /// The terms in `Term.precedes` order, for every computation whose
  /// floating-point result or output order must not depend on the
  /// dictionary's iteration order.
  ///
  /// - Complexity: O(t log t) for t terms.
  var sortedTerms: [(term: Term, coefficient: Double)] {
    terms.sorted { Term.precedes($0.key, $1.key) }.map { ($0.key, $0.value) }
  }

  /// The coefficient of the constant monomial.
  public var constant: Double { terms[.one] ?? 0 }

  /// Whether any coefficient carries a placeholder.
  public var hasPlaceholders: Bool { terms.keys.contains { !$0.parameters.isEmpty } }

  /// Adds `c` to the coefficient of `term`, dropping it when it cancels.
  mutating func add(_ term: Term, _ c: Double) {
    let v = (terms[term] ?? 0) + c
    terms[term] = v == 0 ? nil : v
  }

  /// The value at a full assignment: `bits[id]` ∈ {0, 1} for each variable
  /// id and `parameters[id]` for each placeholder id.
  ///
  /// - Precondition: `bits` covers every variable id of the expression
  ///   (`Model.numVariables` entries do) and `parameters` every placeholder.
  public func evaluate(bits: [Int8], parameters: [Double] = []) -> Double {
    Self.evaluate(sortedTerms, bits: bits, parameters: parameters)
  }

  /// The value of the terms `terms` (in the order given) at a full
  /// assignment; see `evaluate(bits:parameters:)`.
  static func evaluate(
    _ terms: [(term: Term, coefficient: Double)], bits: [Int8], parameters: [Double] = []
  ) -> Double {
    var total = 0.0
    for (t, c) in terms {
      var v = c
      for i in t.variables where bits[Int(i)] == 0 {
        v = 0
        break
      }
      if v == 0 { continue }
      for k in t.parameters { v *= parameters[Int(k)] }
      total += v
    }
    return total
  }
}

extension Expr: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
  /// The constant polynomial given by an integer literal.
  public init(integerLiteral value: Int) { self.init(Double(value)) }
  /// The constant polynomial given by a floating-point literal.
  public init(floatLiteral value: Double) { self.init(value) }
}
