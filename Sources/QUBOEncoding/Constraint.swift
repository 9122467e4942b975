/// A relation between two expressions, made by `==`, `<=` or `>=`, stored
/// as `lhs − rhs` compared with zero.
public struct Comparison: Sendable {
  /// The relation of `expression` to zero.
  public var relation: Constraint.Kind
  /// `lhs − rhs`.
  public var expression: Expr
}

extension Expr {
  /// The constraint `lhs = rhs`.
  public static func == (lhs: Expr, rhs: Expr) -> Comparison {
    Comparison(relation: .equal, expression: lhs - rhs)
  }

  /// The constraint `lhs ≤ rhs`.
  public static func <= (lhs: Expr, rhs: Expr) -> Comparison {
    Comparison(relation: .lessEqual, expression: lhs - rhs)
  }

  /// The constraint `lhs ≥ rhs`.
  public static func >= (lhs: Expr, rhs: Expr) -> Comparison {
    Comparison(relation: .greaterEqual, expression: lhs - rhs)
  }

  /// The constraint `lhs = rhs` for a number `rhs`.
  public static func == (lhs: Expr, rhs: Double) -> Comparison { lhs == Expr(rhs) }
  /// The constraint `lhs ≤ rhs` for a number `rhs`.
  public static func <= (lhs: Expr, rhs: Double) -> Comparison { lhs <= Expr(rhs) }
  /// The constraint `lhs ≥ rhs` for a number `rhs`.
  public static func >= (lhs: Expr, rhs: Double) -> Comparison { lhs >= Expr(rhs) }
  /// The constraint `lhs = rhs` for an integer `rhs`.
  public static func == (lhs: Expr, rhs: Int) -> Comparison { lhs == Expr(Double(rhs)) }
  /// The constraint `lhs ≤ rhs` for an integer `rhs`.
  public static func <= (lhs: Expr, rhs: Int) -> Comparison { lhs <= Expr(Double(rhs)) }
  /// The constraint `lhs ≥ rhs` for an integer `rhs`.
  public static func >= (lhs: Expr, rhs: Int) -> Comparison { lhs >= Expr(Double(rhs)) }
}

/// A named constraint of a model: `expression` compared with zero.
///
/// Each constraint becomes a penalty `λ·P(x)` with `P ≥ 0` and `P = 0`
/// exactly when it holds (for `≤`, at the right slack value):
///
/// - `e = 0`: `P = e²`;
/// - `e ≤ 0`: `P = (e + s)²` with a slack `s = r·k`, `k` an integer in
///   `0...⌊−min e / r⌋` spelled in binary (bounded coefficients), where the
///   resolution `r` is the gcd of the coefficients (after scaling decimals
///   by up to 10⁶; the constant is first tightened to a multiple of `r`), so
///   `P = 0` exactly at every feasible point; coefficients with no such
///   resolution get `r = 1`, and `P` may then stay positive at feasible
///   points. `e ≥ 0` is `−e ≤ 0`. At-most-one over bits uses
///   `P = Σ_{i<j} x_i x_j` instead, with no slack;
/// - `.penalty`: `P = e` itself (e.g. the domain-wall step count).
///
/// `λ` is the constraint's penalty strength, a placeholder named like the
/// constraint, given when the model is instantiated.
public struct Constraint: Sendable {
  /// How `expression` must compare with zero.
  public enum Kind: String, Sendable, Hashable {
    /// `e = 0`.
    case equal = "=="
    /// `e ≤ 0`.
    case lessEqual = "<="
    /// `e ≥ 0` (compiled as `−e ≤ 0`).
    case greaterEqual = ">="
    /// `e ≤ 0` for `e = Σ x_i − 1` over bits, penalised pairwise.
    case atMostOne = "at-most-one"
    /// `e = 0` where `e ≥ 0` is a penalty expression used as is.
    case penalty = "penalty"
  }

  /// The constraint's name, unique in its model.
  public let name: String
  /// The relation to zero.
  public let kind: Kind
  /// `lhs − rhs` (or the penalty expression for `.penalty`).
  public let expression: Expr
  /// The integer variable whose encoding this constraint keeps valid.
  let encodes: Int?

  init(name: String, kind: Kind, expression: Expr, encodes: Int? = nil) {
    self.name = name
    self.kind = kind
    self.expression = expression
    self.encodes = encodes
  }

  /// How far a value `e` of `expression` is from satisfying the constraint
  /// (0 when it holds): `|e|` for equalities, `max(0, e)` for `≤`,
  /// `max(0, −e)` for `≥`, `e` for penalties.
  public func violation(of e: Double) -> Double {
    switch kind {
    case .equal: return abs(e)
    case .lessEqual, .atMostOne, .penalty: return max(0, e)
    case .greaterEqual: return max(0, -e)
    }
  }
}

extension Model {
  /// Adds the named constraint `comparison` (made with `==`, `<=`, `>=`).
  public mutating func constrain(_ name: String, _ comparison: Comparison) {
    addConstraint(
      Constraint(name: name, kind: comparison.relation, expression: comparison.expression))
  }

  /// Exactly one of `bits` is 1.
  public mutating func oneHot(_ name: String, _ bits: [Expr]) {
    exactly(1, of: bits, name: name)
  }

  /// Exactly `k` of `bits` are 1.
  public mutating func exactly(_ k: Int, of bits: [Expr], name: String) {
    addConstraint(
      Constraint(name: name, kind: .equal, expression: Expr.sum(bits) - Double(k)))
  }

  /// At most `k` of `bits` are 1.
  ///
  /// For `k = 1` over plain bits the penalty is pairwise (`Σ_{i<j} x_i x_j`) and needs no slack.
  public mutating func atMost(_ k: Int, of bits: [Expr], name: String) {
    let e = Expr.sum(bits) - Double(k)
    let plainBits = bits.allSatisfy { b in
      b.terms.count == 1 && b.terms.first.map { $0.key.degree == 1 && $0.value == 1 } == true
        && !b.hasPlaceholders
    }
    let kind: Constraint.Kind = k == 1 && plainBits ? .atMostOne : .lessEqual
    addConstraint(Constraint(name: name, kind: kind, expression: e))
  }

  /// At least `k` of `bits` are 1.
  public mutating func atLeast(_ k: Int, of bits: [Expr], name: String) {
    addConstraint(
      Constraint(name: name, kind: .greaterEqual, expression: Expr.sum(bits) - Double(k)))
  }

  mutating func addConstraint(_ c: Constraint) {
    if constraints.contains(where: { $0.name == c.name }) {
      errors.append(.duplicateName(c.name))
    }
    constraints.append(c)
  }

  /// The names of the constraints, in order (encoding constraints of
  /// integer variables included).
  public var constraintNames: [String] { constraints.map(\.name) }
}
